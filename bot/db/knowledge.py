"""Queries on the knowledge tables. Every function takes the session as a keyword."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from bot.db.models import IndexState, KnowledgeChunk, KnowledgeDocument

EMBEDDER_KEY = "embedder"
VERSION_KEY = "index_version"


def get_state(*, session: Session, key: str) -> str | None:
    # a plain select, not session.get: every question reads the index version (1-2 ms of ORM)
    return session.scalar(select(IndexState.value).where(IndexState.key == key))


def set_state(*, session: Session, key: str, value: str) -> None:
    row = session.get(IndexState, key)
    if row is None:
        session.add(IndexState(key=key, value=value))
    else:
        row.value = value


def get_index_version(*, session: Session) -> int:
    return int(get_state(session=session, key=VERSION_KEY) or 0)


def bump_index_version(*, session: Session) -> int:
    version = get_index_version(session=session) + 1
    set_state(session=session, key=VERSION_KEY, value=str(version))
    return version


def list_documents(*, session: Session) -> Sequence[KnowledgeDocument]:
    return session.scalars(select(KnowledgeDocument).order_by(KnowledgeDocument.source)).all()


def get_document_by_source(*, session: Session, source: str) -> KnowledgeDocument | None:
    return session.scalars(
        select(KnowledgeDocument).where(KnowledgeDocument.source == source)
    ).first()


def replace_document(
    *, session: Session, document: KnowledgeDocument, chunks: list[KnowledgeChunk]
) -> list[str]:
    """Store `document` with its chunks in place of any earlier version of the same source.

    Returns the chunk ids of the version it replaced (their vectors are now stale).
    """
    old = get_document_by_source(session=session, source=document.source)
    stale_ids: list[str] = []
    if old is not None:
        stale_ids = chunk_ids_of(session=session, document_id=old.id)
        session.delete(old)
        session.flush()
    document.chunks = chunks
    session.add(document)
    return stale_ids


def delete_document(*, session: Session, source: str) -> list[str]:
    """Remove a document; returns its chunk ids."""
    old = get_document_by_source(session=session, source=source)
    if old is None:
        return []
    ids = chunk_ids_of(session=session, document_id=old.id)
    session.delete(old)
    return ids


def delete_all_documents(*, session: Session) -> None:
    session.execute(delete(KnowledgeChunk))
    session.execute(delete(KnowledgeDocument))


def chunk_ids_of(*, session: Session, document_id: int) -> list[str]:
    return list(
        session.scalars(select(KnowledgeChunk.id).where(KnowledgeChunk.document_id == document_id))
    )


def all_chunk_ids(*, session: Session) -> set[str]:
    return set(session.scalars(select(KnowledgeChunk.id)))


def sources_of_chunks(*, session: Session, ids: Iterable[str]) -> set[str]:
    """The documents (by source) that own these chunks."""
    wanted = list(ids)
    sources: set[str] = set()
    for start in range(0, len(wanted), 500):
        sources.update(
            session.scalars(
                select(KnowledgeDocument.source)
                .join(KnowledgeChunk, KnowledgeChunk.document_id == KnowledgeDocument.id)
                .where(KnowledgeChunk.id.in_(wanted[start : start + 500]))
                .distinct()
            )
        )
    return sources


def count_chunks(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(KnowledgeChunk)) or 0


def get_chunks(*, session: Session, ids: Iterable[str]) -> dict[str, KnowledgeChunk]:
    """The live chunks among `ids`, with their documents loaded; stale ids are simply absent."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = session.scalars(
        select(KnowledgeChunk)
        .where(KnowledgeChunk.id.in_(wanted))
        .options(selectinload(KnowledgeChunk.document))
    ).all()
    return {row.id: row for row in rows}


class ChunkRow(NamedTuple):
    """What a quoted passage reads of its chunk (the document is the caller's to know)."""

    id: str
    document_id: int
    heading: str
    text: str
    article: str | None
    article_no: int | None


def get_chunk_rows(*, session: Session, ids: Iterable[str]) -> dict[str, ChunkRow]:
    """As `get_chunks`, as plain rows without the documents: a search loads a hundred or more
    candidates per question, and ORM objects cost several times the query."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    stmt = select(
        KnowledgeChunk.id,
        KnowledgeChunk.document_id,
        KnowledgeChunk.heading,
        KnowledgeChunk.text,
        KnowledgeChunk.article,
        KnowledgeChunk.article_no,
    ).where(KnowledgeChunk.id.in_(wanted))
    return {row[0]: ChunkRow(*row) for row in session.execute(stmt)}


def iter_chunk_texts(*, session: Session, batch: int = 5000) -> Iterable[tuple[str, str, str]]:
    """(id, heading, text) of every chunk, in a stable order, streamed."""
    stmt = select(KnowledgeChunk.id, KnowledgeChunk.heading, KnowledgeChunk.text).order_by(
        KnowledgeChunk.id
    )
    for row in session.execute(stmt.execution_options(yield_per=batch)):
        yield row[0], row[1], row[2]


def find_article_chunks(
    *, session: Session, document_id: int, article_no: int
) -> Sequence[KnowledgeChunk]:
    return session.scalars(
        select(KnowledgeChunk)
        .where(KnowledgeChunk.document_id == document_id, KnowledgeChunk.article_no == article_no)
        .order_by(KnowledgeChunk.position)
        .options(selectinload(KnowledgeChunk.document))
    ).all()


def document_chunks(*, session: Session, document_id: int) -> Sequence[KnowledgeChunk]:
    """Every chunk of a document, in order."""
    return session.scalars(
        select(KnowledgeChunk)
        .where(KnowledgeChunk.document_id == document_id)
        .order_by(KnowledgeChunk.position)
        .options(selectinload(KnowledgeChunk.document))
    ).all()


def find_section_chunks(*, session: Session, chunk: KnowledgeChunk) -> Sequence[KnowledgeChunk]:
    """Every chunk of the article (or report section) that `chunk` belongs to, in order."""
    stmt = select(KnowledgeChunk).where(KnowledgeChunk.document_id == chunk.document_id)
    if chunk.article_no is not None:
        stmt = stmt.where(KnowledgeChunk.article_no == chunk.article_no)
    else:
        stmt = stmt.where(KnowledgeChunk.heading == chunk.heading)
    return session.scalars(stmt.order_by(KnowledgeChunk.position)).all()


def last_article_numbers(*, session: Session) -> dict[int, int]:
    """Each document's highest article number (documents without articles are absent)."""
    rows = session.execute(
        select(KnowledgeChunk.document_id, func.max(KnowledgeChunk.article_no))
        .where(KnowledgeChunk.article_no.is_not(None))
        .group_by(KnowledgeChunk.document_id)
    ).all()
    return {document_id: number for document_id, number in rows if number is not None}
