"""Managing the knowledge folder from a chat: upload, list, delete. Channel-agnostic."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.db import knowledge as kb
from bot.index.ingest_report import FileOutcome
from bot.index.ingestor import Ingestor, file_hash, hash_file
from ingest.guard import KnowledgeFolderError, KnowledgeFolderMissing, TooManyRemovals
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError

_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


@dataclass(frozen=True)
class UploadResult:
    outcome: FileOutcome
    # the name it is kept under, when another document already had the upload's name
    saved_as: str | None = None


def upload_text(name: str, result: UploadResult) -> str:
    """What became of an uploaded document, for the chat and the web page alike."""
    outcome = result.outcome
    if outcome.status == "failed":
        return messages.UPLOAD_FAILED.format(
            name=name, reason=messages.ingest_reason(outcome.reason, outcome.detail)
        )
    if outcome.status == "unchanged":
        return messages.UPLOAD_UNCHANGED.format(title=outcome.title)
    text = messages.UPLOAD_DONE.format(
        title=outcome.title, chunks=outcome.chunks, articles=outcome.articles
    )
    text += messages.read_as_note(outcome.read_as)
    if result.saved_as:
        text += "\n" + messages.UPLOAD_RENAMED.format(saved_as=result.saved_as)
    return text


@dataclass(frozen=True)
class DocumentInfo:
    source: str
    title: str
    issued: date | None
    chunks: int
    kind: str = ""
    articles: int = 0
    ingested_at: datetime | None = None
    # "2019年版，已有新版" / "2024年版（现行）" when a title has several versions
    version_note: str | None = None


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

    @property
    def knowledge_dir(self) -> Path:
        return self._knowledge_dir

    @staticmethod
    def safe_name(name: str) -> str:
        cleaned = _UNSAFE.sub("_", Path(name).name).strip(" .")
        return cleaned or "upload"

    @staticmethod
    def supported(name: str) -> bool:
        return Path(name).suffix.lower() in SUPPORTED_SUFFIXES

    def add_upload(self, name: str, data: bytes) -> UploadResult:
        """Check the upload can be read, keep it beside any document of the same name (never in
        its place), and index it. What fails is removed: nothing is half-kept."""
        name = self.safe_name(name)
        self._uploads_dir.mkdir(parents=True, exist_ok=True)
        staged = self._uploads_dir / f"{self._clock():%Y%m%d%H%M%S%f}_{name}"
        staged.write_bytes(data)
        try:
            try:  # read outside the ingest lock: a slow file holds up no other upload
                loaded = self._ingestor.load(staged)
            except LoadError as exc:
                return UploadResult(
                    FileOutcome(name, "failed", reason=exc.reason, detail=exc.detail)
                )
            self._knowledge_dir.mkdir(parents=True, exist_ok=True)
            target, saved_as = self._free_name(name, file_hash(data))
            if target.exists():  # the same content is already there
                return UploadResult(self._ingestor.ingest(target, loaded=loaded).outcomes[0])
            shutil.copyfile(staged, target)
            outcome = self._ingestor.ingest(target, loaded=loaded).outcomes[0]
            if outcome.status == "failed":
                target.unlink(missing_ok=True)
            return UploadResult(outcome, saved_as)
        finally:
            staged.unlink(missing_ok=True)

    def _free_name(self, name: str, digest: str) -> tuple[Path, str | None]:
        """`name` if free or holding the same content, else 名称（2）.docx, （3）…"""
        path = Path(name)
        for number in range(1, 1000):
            candidate = name if number == 1 else f"{path.stem}（{number}）{path.suffix}"
            target = self._knowledge_dir / candidate
            if not target.exists() or hash_file(target) == digest:
                return target, (candidate if number > 1 else None)
        raise FileExistsError(name)

    def documents(self) -> list[DocumentInfo]:
        with self._sessions() as session:
            rows = kb.list_documents(session=session)
            newest: dict[str, date | None] = {}
            versions: dict[str, int] = {}
            for d in rows:
                versions[d.title_key] = versions.get(d.title_key, 0) + 1
                current = newest.get(d.title_key)
                if d.issued is not None and (current is None or d.issued > current):
                    newest[d.title_key] = d.issued
            return [
                DocumentInfo(
                    d.source,
                    d.title,
                    d.issued,
                    d.chunk_count,
                    d.kind,
                    d.article_count,
                    d.ingested_at,
                    _version_note(d.issued, newest.get(d.title_key))
                    if versions[d.title_key] > 1
                    else None,
                )
                for d in rows
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

    def reindex(self) -> dict[str, int]:
        """Index the knowledge folder again (files copied in by hand, vectors repaired): how
        many files ended in each status. A missing folder, or one that would lose more than
        half of the documents, raises KnowledgeFolderError having changed nothing (its words:
        stop_text)."""
        report = self._ingestor.ingest()
        counts: dict[str, int] = {}
        for outcome in report.outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        return counts


def _version_note(issued: date | None, newest: date | None) -> str:
    year = f"{issued.year}年版" if issued else "未注明日期的版本"
    return f"{year}（现行）" if issued is not None and issued == newest else f"{year}，已有新版"


# the removals listed when an ingest stops (the rest are counted)
LISTED_REMOVALS = 20


def stop_text(exc: KnowledgeFolderError, root: Path) -> str:
    """Why an ingest (or 重新索引) stopped before changing anything, and what to do."""
    if isinstance(exc, KnowledgeFolderMissing):
        template = messages.INGEST_FOLDER_PROBLEMS[exc.reason]
        return template.format(path=exc.path, detail=exc.detail)
    assert isinstance(exc, TooManyRemovals)
    lines = [
        messages.INGEST_REMOVAL_LINE.format(source=r.source, title=r.title)
        for r in exc.removals[:LISTED_REMOVALS]
    ]
    if len(exc.removals) > LISTED_REMOVALS:
        more = len(exc.removals) - LISTED_REMOVALS
        lines.append(messages.INGEST_REMOVALS_MORE.format(count=more))
    return messages.INGEST_TOO_MANY_REMOVALS.format(
        count=len(exc.removals), indexed=exc.indexed, path=root, lines="\n".join(lines)
    )
