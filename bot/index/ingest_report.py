"""What one ingest did, file by file: each file's outcome and the report that gathers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["added", "updated", "repaired", "unchanged", "deleted", "failed", "skipped"]


@dataclass(frozen=True)
class FileOutcome:
    source: str
    status: Status
    title: str | None = None
    chunks: int = 0
    articles: int = 0
    reason: str | None = None
    detail: str = ""
    ocr_pages: int = 0
    unreadable_pages: tuple[int, ...] = ()
    read_as: str = ""  # the format a file really is, when its name says another


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    rebuilt_for_embedder: str | None = None

    def with_status(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def changed(self) -> bool:
        return any(o.status in ("added", "updated", "repaired", "deleted") for o in self.outcomes)
