"""Typed SQLAlchemy models. Schema changes go through an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.db.types import AwareDateTime


class Base(DeclarativeBase):
    pass


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
