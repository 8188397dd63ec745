"""Incremental, crash-safe ingest of the knowledge folder.

The database is the source of truth for what is indexed. For each new or edited file the
vectors are written to Chroma first, then the document and its chunks replace the old version
in one database transaction, and only then are the old vectors deleted. A crash at any point
leaves the previous version live; vectors the database does not know are ignored by retrieval
and swept at the start of the next ingest.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.db import knowledge as kb
from bot.db.models import KnowledgeChunk, KnowledgeDocument
from bot.index.embeddings import NamedEmbeddings
from bot.index.ingest_report import FileOutcome, IngestReport, Status
from bot.index.keyword import KeywordIndex
from bot.index.sentences import SentenceVectors
from bot.index.vectors import VectorStore
from bot.qa.gate import Gate
from ingest.guard import Removal, TooManyRemovals, check_folder, is_gone, too_many
from ingest.loaders import SUPPORTED_SUFFIXES, LoadedText, LoadError, LoadLimits
from ingest.metadata import title_key
from ingest.sandbox import SandboxedLoader
from ingest.splitter import ParsedDocument, parse_document
from ingest.walk import walk

log = logging.getLogger(__name__)

# Bump when loading or splitting changes, so unchanged files are re-split on the next ingest.
PIPELINE_VERSION = "3"  # 3: sentence vectors beside each chunk's
PIPELINE_KEY = "pipeline_version"
# texts per embedding call: e5 runs as fast at 16 as at 64, with 130 MiB less (bench.ingest_speed)
EMBED_BATCH = 16

_HASH_BLOCK = 1 << 20


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str:
    """SHA-256 of a file, read a block at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class Ingestor:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        vectors: VectorStore,
        keyword_dir: Path,
        embeddings: NamedEmbeddings,
        knowledge_dir: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        limits: LoadLimits | None = None,
    ) -> None:
        self._sessions = session_factory
        self._vectors = vectors
        self._sentences = SentenceVectors(vectors)
        self._keyword_dir = keyword_dir
        self._embeddings = embeddings
        self._knowledge_dir = knowledge_dir.resolve()
        self._clock = clock
        self._loader = SandboxedLoader(limits)
        # ingests of one process one at a time: one's new vectors are not another's orphans
        self._writing = threading.RLock()
        # told after each file: (files done, files in all, its outcome), e.g. a progress line
        self.on_file: Callable[[int, int, FileOutcome], None] | None = None

    @property
    def knowledge_dir(self) -> Path:
        return self._knowledge_dir

    @property
    def limits(self) -> LoadLimits:
        return self._loader.limits

    @limits.setter
    def limits(self, value: LoadLimits) -> None:
        self._loader.limits = value

    def load(self, path: Path) -> LoadedText:
        """Read one file as ingest would (size limits, parser worker, time budget)."""
        return self._loader.load(path)

    def close(self) -> None:
        self._loader.close()

    def source_key(self, path: Path, *, resolve: bool = True) -> str:
        resolved = path.resolve() if resolve else path.absolute()
        if resolved.is_relative_to(self._knowledge_dir):
            return resolved.relative_to(self._knowledge_dir).as_posix()
        return resolved.as_posix()

    def _absolute(self, source: str) -> Path:
        path = Path(source)
        return path if path.is_absolute() else self._knowledge_dir / path

    def ingest(
        self,
        path: Path | None = None,
        *,
        prune: bool = False,
        progress: bool = False,
        on_page: Callable[[str, int, int], None] | None = None,
        loaded: LoadedText | None = None,
    ) -> IngestReport:
        """Index the knowledge folder (or one file or folder in it). A folder that is missing
        or unreadable, and removing more than half of the indexed documents unless `prune`,
        raise a KnowledgeFolderError before anything is changed. `loaded`: the text of the one
        file `path` names, already read (an upload is read before it is kept), so the slow
        part is not done again while other ingests wait. One ingest at a time per process."""
        with self._writing:
            return self._ingest(path, prune, progress, on_page, loaded)

    def _ingest(
        self,
        path: Path | None,
        prune: bool,
        progress: bool,
        on_page: Callable[[str, int, int], None] | None,
        loaded: LoadedText | None,
    ) -> IngestReport:
        root = (path or self._knowledge_dir).resolve()
        if path is None or not (root.is_file() or root.suffix.lower() in SUPPORTED_SUFFIXES):
            check_folder(root)  # a file named by its path may be gone: that removes it
        report = IngestReport()
        files: list[Path] = []
        unreadable: list[Path] = []
        if root.is_dir():
            for entry in walk(root):
                if entry.skip is None:
                    files.append(entry.path)
                    continue
                if entry.skip == "unreadable":
                    unreadable.append(entry.path.absolute())
                source = self.source_key(entry.path, resolve=False)
                report.outcomes.append(FileOutcome(source, "skipped", reason=entry.skip))
        elif root.suffix.lower() in SUPPORTED_SUFFIXES:
            files = [root]
        else:
            report.outcomes.append(
                FileOutcome(self.source_key(root), "skipped", reason="unsupported")
            )
        planned = {self.source_key(file) for file in files if file.exists()}
        removals, indexed = self._removals(root, planned, unreadable)
        if root.is_dir() and not prune and too_many(len(removals), indexed):
            raise TooManyRemovals(removals, indexed)
        force_all = self._prepare(report)
        unembedded = self._check_vectors()
        seen: set[str] = set()
        from tqdm import tqdm

        for file in tqdm(files, desc="ingest", unit="file", disable=not progress):
            if not file.exists():
                continue
            source = self.source_key(file)
            if source in seen:  # a link to a file already indexed under its own name
                continue
            seen.add(source)
            outcome = self._ingest_file(
                file,
                source,
                force=force_all or source in unembedded,
                on_page=on_page,
                loaded=loaded if file == root else None,
            )
            if source in unembedded and outcome.status == "updated":
                outcome = replace(outcome, status="repaired")
            report.outcomes.append(outcome)
            if self.on_file is not None:
                self.on_file(len(seen), len(files), outcome)
        if force_all and root == self._knowledge_dir:
            self._record_pipeline()
        for removal in removals:
            if self._delete(removal.source):
                log.warning("removed from the index: %s 《%s》", removal.source, removal.title)
                report.outcomes.append(FileOutcome(removal.source, "deleted", removal.title))
        self.refresh_keyword_index(force=report.changed)
        return report

    def remove(self, source: str) -> bool:
        """Drop one document from the index (the caller removes the file)."""
        with self._writing:
            removed = self._delete(source)
            if removed:
                self.refresh_keyword_index(force=True)
            return removed

    def refresh_keyword_index(self, *, force: bool = False) -> KeywordIndex:
        with self._sessions() as session:
            version = kb.get_index_version(session=session)
            if not force:
                existing = KeywordIndex.load(self._keyword_dir)
                if existing is not None and existing.current(version):
                    return existing
            rows = (
                (cid, f"{heading}\n{text}")
                for cid, heading, text in kb.iter_chunk_texts(session=session)
            )
            index = KeywordIndex.build(rows, version=version)
        index.save(self._keyword_dir)
        return index

    def _prepare(self, report: IngestReport) -> bool:
        """Record the embedder; rebuild everything when it or the pipeline changed."""
        with self._sessions() as session, session.begin():
            built_with = kb.get_state(session=session, key=kb.EMBEDDER_KEY)
            pipeline = kb.get_state(session=session, key=PIPELINE_KEY)
            if built_with is not None and built_with != self._embeddings.name:
                log.warning(
                    "embedder changed from %s to %s: rebuilding", built_with, self._embeddings.name
                )
                kb.delete_all_documents(session=session)
                kb.bump_index_version(session=session)
                self._vectors.reset()
                self._sentences.reset()
                report.rebuilt_for_embedder = self._embeddings.name
            kb.set_state(session=session, key=kb.EMBEDDER_KEY, value=self._embeddings.name)
            if pipeline is None or report.rebuilt_for_embedder:
                kb.set_state(session=session, key=PIPELINE_KEY, value=PIPELINE_VERSION)
            # the refusal decision calibrated for this embedder goes with the index it built
            Gate.packaged(self._embeddings.name).store(session=session)
            # recorded as done only once the whole folder went through (_record_pipeline): an
            # upload ingested alone must not leave the other files on the old pipeline
            return pipeline is not None and pipeline != PIPELINE_VERSION

    def _record_pipeline(self) -> None:
        with self._sessions() as session, session.begin():
            kb.set_state(session=session, key=PIPELINE_KEY, value=PIPELINE_VERSION)

    def _check_vectors(self) -> set[str]:
        """The index, not just the file hashes: vectors no chunk owns (an interrupted ingest)
        are removed; the documents whose chunks have no vector (a new data folder, a lost or
        fresh Chroma) are returned, to be embedded again however unchanged their files are."""
        with self._sessions() as session:
            live = kb.all_chunk_ids(session=session)
            stored = self._vectors.all_ids()
            orphans = sorted(stored - live)
            if orphans:
                log.info("removing %d vectors left by an interrupted ingest", len(orphans))
                self._vectors.delete(orphans)
            self._sentences.keep_only(live)
            missing = live - stored
            if not missing:
                return set()
            log.warning("%d chunks have no vector: embedding their documents again", len(missing))
            return kb.sources_of_chunks(session=session, ids=missing)

    def _ingest_file(
        self,
        file: Path,
        source: str,
        *,
        force: bool,
        on_page: Callable[[str, int, int], None] | None = None,
        loaded: LoadedText | None = None,
    ) -> FileOutcome:
        try:
            size = file.stat().st_size
            if size > self.limits.max_file_bytes:
                detail = f"{size / (1 << 20):.1f}"
                return FileOutcome(source, "failed", reason="too_large", detail=detail)
            digest = hash_file(file)
        except OSError as exc:
            return FileOutcome(source, "failed", reason="unreadable", detail=str(exc))
        with self._sessions() as session:
            existing = kb.get_document_by_source(session=session, source=source)
            if existing is not None and existing.content_hash == digest and not force:
                return FileOutcome(
                    source,
                    "unchanged",
                    existing.title,
                    existing.chunk_count,
                    existing.article_count,
                )

        def page_done(page: int, total: int) -> None:
            log.info("%s: OCR page %d of %d", source, page, total)
            if on_page is not None:
                on_page(source, page, total)

        try:
            if loaded is None:
                loaded = self._loader.load(file, progress=page_done)
            parsed = parse_document(loaded.text, fallback_title=file.stem)
        except LoadError as exc:
            log.warning("skipping %s: %s %s", source, exc.reason, exc.detail)
            return FileOutcome(source, "failed", reason=exc.reason, detail=exc.detail)
        except (RecursionError, MemoryError, ValueError) as exc:  # the splitter on odd text
            log.warning("skipping %s: %r", source, exc)
            return FileOutcome(source, "failed", reason="corrupt", detail=repr(exc)[:200])
        if not parsed.chunks:
            return FileOutcome(source, "failed", reason="empty")
        self._store(source, digest, parsed)
        status: Status = "added" if existing is None else "updated"
        return FileOutcome(
            source,
            status,
            parsed.title,
            len(parsed.chunks),
            parsed.article_count,
            ocr_pages=loaded.ocr_pages,
            unreadable_pages=loaded.unreadable_pages,
            read_as=loaded.read_as,
        )

    def _store(self, source: str, digest: str, parsed: ParsedDocument) -> None:
        prefix = hashlib.sha256(f"{source}\0{digest}".encode()).hexdigest()[:20]
        ids = [f"{prefix}-{i}" for i in range(len(parsed.chunks))]
        texts = [chunk.embed_text for chunk in parsed.chunks]
        vectors = self._embed(texts)
        metadata = {"source": source, "kind": parsed.kind}
        self._vectors.add(ids, vectors, [metadata] * len(ids))
        passages = [(chunk.heading, chunk.text) for chunk in parsed.chunks]
        self._sentences.delete_of(ids)  # the same file split anew (PIPELINE_VERSION)
        self._sentences.add(ids, passages, vectors, self._embed)
        document = KnowledgeDocument(
            source=source,
            content_hash=digest,
            title=parsed.title,
            title_key=title_key(parsed.title),
            kind=parsed.kind,
            issued=parsed.issued,
            chunk_count=len(parsed.chunks),
            article_count=parsed.article_count,
            ingested_at=self._clock(),
        )
        rows = [
            KnowledgeChunk(
                id=chunk_id,
                position=position,
                heading=chunk.heading,
                article=chunk.article,
                article_no=chunk.article_no,
                part=chunk.part,
                text=chunk.text,
            )
            for position, (chunk_id, chunk) in enumerate(zip(ids, parsed.chunks, strict=True))
        ]
        with self._sessions() as session, session.begin():
            stale = kb.replace_document(session=session, document=document, chunks=rows)
            kb.bump_index_version(session=session)
        gone = [i for i in stale if i not in set(ids)]
        self._vectors.delete(gone)
        self._sentences.delete_of(gone)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), EMBED_BATCH):
            vectors.extend(self._embeddings.embed_documents(texts[start : start + EMBED_BATCH]))
        return vectors

    def _removals(
        self, root: Path, planned: set[str], unreadable: list[Path]
    ) -> tuple[list[Removal], int]:
        """The indexed documents under `root` whose files are gone (not merely unreadable),
        and how many documents are indexed under `root` in all."""
        with self._sessions() as session:
            documents = [(d.source, d.title) for d in kb.list_documents(session=session)]
        removals: list[Removal] = []
        indexed = 0
        for source, title in documents:
            absolute = self._absolute(source)
            if not (absolute == root or absolute.is_relative_to(root)):
                continue
            indexed += 1
            if source in planned or any(absolute.is_relative_to(u) for u in unreadable):
                continue
            if is_gone(absolute):
                removals.append(Removal(source, title))
        return removals, indexed

    def _delete(self, source: str) -> bool:
        with self._sessions() as session, session.begin():
            stale = kb.delete_document(session=session, source=source)
            if stale:
                kb.bump_index_version(session=session)
        self._vectors.delete(stale)
        self._sentences.delete_of(stale)
        return bool(stale)
