"""The knowledge base and the answers given from it: indexed documents, their chunks,
the index's state, remembered answers, feedback and unanswered questions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.models.base import Base
from bot.db.types import AwareDateTime


class KnowledgeDocument(Base):
    """One indexed file: its current version only (the file's content hash)."""

    __tablename__ = "knowledge_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(1024), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(512))
    title_key: Mapped[str] = mapped_column(String(512), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    issued: Mapped[date | None]
    chunk_count: Mapped[int]
    article_count: Mapped[int]
    ingested_at: Mapped[datetime] = mapped_column(AwareDateTime())

    chunks: Mapped[list[KnowledgeChunk]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class KnowledgeChunk(Base):
    """A retrievable passage; its vector lives in Chroma under the same id."""

    __tablename__ = "knowledge_chunks"
    __table_args__ = (Index("ix_knowledge_chunks_doc_article", "document_id", "article_no"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_documents.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(String(64))
    article_no: Mapped[int | None]
    part: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[KnowledgeDocument] = relationship(back_populates="chunks")


class IndexState(Base):
    """Facts about the index as a whole: which embedder built it, its version counter."""

    __tablename__ = "index_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RememberedAnswer(Base):
    """An answer given in a chat: its question and the passages it quoted (JSON list of
    {chunk_id, citation}), for 查看原文 and 👍/👎 after any restart."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "telegram:<chat id>": a button is honoured only in the chat the answer was given in
    chat: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    sources: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class Feedback(Base):
    """👍 / 👎 on an answer, with the question and the sources it showed."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: someone who never registered (public Q&A)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    question: Mapped[str] = mapped_column(Text)
    sources: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class UnansweredQuestion(Base):
    """A question the knowledge base could not answer well: refused, answered only with related
    passages, or marked 没用. Who asked is not kept, only their role and channel."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    # not_found | missing_document | missing_article | low | unhelpful
    reason: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))  # a Role value, or "guest"
    channel: Mapped[str] = mapped_column(String(16))
    # the document a refusal named, or the nearest one found
    topic: Mapped[str] = mapped_column(String(512))
    # JSON list of the nearest documents' titles, best first
    nearest: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
