"""Managing the knowledge folder from a chat: upload, list, delete. Channel-agnostic."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.db import knowledge as kb
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_file
from ingest.pipeline import FileOutcome, Ingestor

_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


@dataclass(frozen=True)
class DocumentInfo:
    source: str
    title: str
    issued: date | None
    chunks: int


class LibraryService:
    def __init__(
        self,
        *,
        ingestor: Ingestor,
        session_factory: sessionmaker[Session],
        knowledge_dir: Path,
        uploads_dir: Path,
        clock: Callable[[], datetime],
    ) -> None:
        self._ingestor = ingestor
        self._sessions = session_factory
        self._knowledge_dir = knowledge_dir
        self._uploads_dir = uploads_dir
        self._clock = clock

    @staticmethod
    def safe_name(name: str) -> str:
        cleaned = _UNSAFE.sub("_", Path(name).name).strip(" .")
        return cleaned or "upload"

    @staticmethod
    def supported(name: str) -> bool:
        return Path(name).suffix.lower() in SUPPORTED_SUFFIXES

    def add_upload(self, name: str, data: bytes) -> FileOutcome:
        """Keep the upload, check it can be read, then move it into the folder and ingest it.

        A file that cannot be read stays in the uploads folder and the index is untouched.
        """
        name = self.safe_name(name)
        self._uploads_dir.mkdir(parents=True, exist_ok=True)
        staged = self._uploads_dir / f"{self._clock():%Y%m%d%H%M%S}_{name}"
        staged.write_bytes(data)
        try:
            load_file(staged)
        except LoadError as exc:
            return FileOutcome(name, "failed", reason=exc.reason, detail=exc.detail)
        target = self._knowledge_dir / name
        self._knowledge_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staged, target)
        outcomes = self._ingestor.ingest(target).outcomes
        staged.unlink()
        return outcomes[0]

    def documents(self) -> list[DocumentInfo]:
        with self._sessions() as session:
            return [
                DocumentInfo(d.source, d.title, d.issued, d.chunk_count)
                for d in kb.list_documents(session=session)
            ]

    def delete(self, source: str) -> bool:
        removed = self._ingestor.remove(source)
        path = self._knowledge_dir / source
        if (
            removed
            and path.is_file()
            and path.resolve().is_relative_to(self._knowledge_dir.resolve())
        ):
            path.unlink()
        return removed
