"""What keeps an ingest from emptying the knowledge base by mistake.

A knowledge folder that is mistyped, missing or not mounted looks, to a plain walk, like a
folder whose every file was deleted. So the folder must exist and be readable before anything
is compared with it, and an ingest that would remove more than half of the indexed documents
(or all of them) stops before it changes anything, unless the removal was asked for (prune).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class KnowledgeFolderError(Exception):
    """The ingest stopped before changing anything."""


class KnowledgeFolderMissing(KnowledgeFolderError):
    def __init__(self, path: Path, reason: str, detail: str = "") -> None:
        super().__init__(f"{path}: {reason} {detail}".strip())
        self.path = path
        self.reason = reason  # missing | not_folder | unreadable
        self.detail = detail


@dataclass(frozen=True)
class Removal:
    source: str
    title: str


class TooManyRemovals(KnowledgeFolderError):
    def __init__(self, removals: list[Removal], indexed: int) -> None:
        super().__init__(f"would remove {len(removals)} of {indexed} documents")
        self.removals = removals
        self.indexed = indexed


def check_folder(root: Path) -> None:
    """A folder that exists, is a folder, and can be listed; else KnowledgeFolderMissing."""
    try:
        if not root.exists():
            raise KnowledgeFolderMissing(root, "missing")
        if not root.is_dir():
            raise KnowledgeFolderMissing(root, "not_folder")
        with os.scandir(root) as entries:
            next(entries, None)
    except PermissionError as exc:
        raise KnowledgeFolderMissing(root, "unreadable", exc.strerror or "") from exc
    except KnowledgeFolderMissing:
        raise
    except OSError as exc:  # a dead network mount, an I/O error
        raise KnowledgeFolderMissing(root, "unreadable", exc.strerror or str(exc)) from exc


def too_many(removing: int, indexed: int) -> bool:
    """More than half of the indexed documents, or all of them."""
    return removing > 0 and (removing * 2 > indexed or removing >= indexed)


def is_gone(path: Path) -> bool:
    """Only a file known to be absent is gone: one that cannot be checked (a folder without
    permission, an I/O error) is kept."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False
