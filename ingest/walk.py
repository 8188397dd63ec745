"""Finding the files to index: iteratively, never leaving the knowledge folder.

A folder tree of any depth is walked with a stack, not recursion. Links are followed only
while they stay inside the folder; a link out of it, a loop and a broken link are reported,
as are hidden and temporary files and files of types that are not indexed, so nothing is
skipped without a line saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES

# Data files that live in the knowledge folder but are read by other commands, not indexed.
OTHER_DATA_FOLDERS = frozenset({"calendar"})
OTHER_DATA_SUFFIXES = frozenset({".yaml", ".yml"})


@dataclass(frozen=True)
class Entry:
    path: Path  # as found under the root (links not resolved)
    relative: str
    skip: str | None = None  # why it is not indexed; None: index it


def walk(root: Path) -> Iterator[Entry]:
    """Every file under `root` to index, and every entry skipped with its reason."""
    real_root = root.resolve()
    visited = {_identity(real_root)}
    stack: list[Path] = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            yield Entry(folder, _relative(root, folder), "unreadable")
            continue
        subfolders = []
        for item in entries:
            path = Path(item.path)
            relative = _relative(root, path)
            if item.name.startswith((".", "~$")):
                yield Entry(path, relative, "hidden")
                continue
            found = _classify(item, path, real_root, visited)
            if found == "folder":
                if not (folder == root and item.name in OTHER_DATA_FOLDERS):
                    subfolders.append(path)
            elif found == "file":
                suffix = path.suffix.lower()
                if suffix in SUPPORTED_SUFFIXES:
                    yield Entry(path, relative)
                elif suffix not in OTHER_DATA_SUFFIXES:
                    yield Entry(path, relative, "unsupported")
            else:
                yield Entry(path, relative, found)
        stack.extend(reversed(subfolders))


def _classify(
    item: os.DirEntry[str], path: Path, real_root: Path, visited: set[tuple[int, int]]
) -> str:
    """'file', 'folder', or the reason to skip the entry."""
    try:
        if item.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(real_root):
                return "link_outside"
            if target.is_dir():
                identity = _identity(target)
                if identity in visited or real_root.is_relative_to(target):
                    return "link_loop"
                visited.add(identity)
                return "folder"
            return "file" if target.is_file() else "special"
        if item.is_dir(follow_symlinks=False):
            visited.add(_identity(path))
            return "folder"
        return "file" if item.is_file(follow_symlinks=False) else "special"
    except FileNotFoundError:
        return "broken_link"
    except RuntimeError:  # resolve() on a link cycle
        return "link_loop"
    except OSError:
        return "unreadable"


def _identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_dev, info.st_ino


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
