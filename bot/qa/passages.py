"""What a search returns: passages with their scores, the decision about them, and the
conversation's context a search may take into account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.db.knowledge import ChunkRow
from bot.db.models import KnowledgeChunk, KnowledgeDocument
from bot.qa.doc_info import DocInfo
from bot.qa.evidence import Verdict


@dataclass(frozen=True)
class RetrievalConfig:
    candidates: int = 40


@dataclass(frozen=True)
class Passage:
    chunk_id: str
    title: str
    source: str
    kind: str
    heading: str
    text: str
    score: float
    article: str | None = None
    issued: date | None = None
    version_note: str | None = None
    document_id: int | None = None
    article_no: int | None = None
    # the re-ranker's chance that this is the passage asked for (bot/qa/rerank.py), which
    # orders the quotes; None where it did not rank them (an article looked up, no weights)
    chance: float | None = None


@dataclass
class Retrieval:
    passages: list[Passage]
    refused: bool
    exact: bool = False
    # "high": the passages answer it; "low": related passages, no direct answer found
    confidence: str = "high"
    # why it was refused: missing_document | missing_article | which_document | not_found
    reason: str | None = None
    document: str | None = None  # the document a refusal names
    # which_document: the documents the article may be asked of (those that have it);
    # missing_document: the held document the name is near
    choices: list[str] = field(default_factory=list)
    # a chapter (or 总纲, 附则) asked for whole: its heading (exact) or as asked (which_document)
    part: str | None = None
    article: int | None = None
    last_article: int | None = None
    signals: dict[str, float] = field(default_factory=dict)
    # for hit testing: the passages found, also when refused, and each one's
    # (dense similarity or None, keyword score or None, fused score) by chunk id
    found: list[Passage] = field(default_factory=list)
    scores: dict[str, tuple[float | None, float | None, float]] = field(default_factory=dict)
    # what the evidence check found: the focal concept, and what the passages lack of it
    verdict: Verdict = field(default_factory=Verdict)


@dataclass(frozen=True)
class Context:
    """What the conversation was about: the document and article of the last answer."""

    document_id: int | None = None
    title: str | None = None
    article_no: int | None = None


class IndexMismatchError(RuntimeError):
    def __init__(self, built_with: str, current: str) -> None:
        super().__init__(f"index built with {built_with}, asked with {current}")
        self.built_with = built_with
        self.current = current


class IndexEmptyError(RuntimeError):
    pass


def passage_of(
    row: ChunkRow | KnowledgeChunk, doc: DocInfo | KnowledgeDocument | None, score: float
) -> Passage:
    """The passage of a chunk row; doc None: the chunk's own document (ingested since the
    retriever's last refresh)."""
    note = None
    if isinstance(doc, DocInfo) and doc.has_versions and doc.issued is not None:
        note = f"{doc.issued.year}年版"
    elif doc is None and isinstance(row, KnowledgeChunk):
        doc = row.document
    assert doc is not None
    return Passage(
        chunk_id=row.id,
        title=doc.title,
        source=doc.source,
        kind=doc.kind,
        heading=row.heading,
        text=row.text,
        score=round(score, 4),
        article=row.article,
        issued=doc.issued,
        version_note=note,
        document_id=row.document_id,
        article_no=row.article_no,
    )
