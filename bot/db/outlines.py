"""Queries on a document's structure: the heading path and article of each of its chunks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import KnowledgeChunk


def list_document_headings(
    *, session: Session, document_id: int
) -> list[tuple[str, int | None, str]]:
    """(heading path, article number, first chunk text) of each chunk, in document order."""
    rows = session.execute(
        select(KnowledgeChunk.heading, KnowledgeChunk.article_no, KnowledgeChunk.text)
        .where(KnowledgeChunk.document_id == document_id)
        .order_by(KnowledgeChunk.position)
    ).all()
    return [(heading, article_no, text) for heading, article_no, text in rows]
