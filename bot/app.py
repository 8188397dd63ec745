"""The composition root: builds the services from explicit parts or from `Settings`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.embeddings import NamedEmbeddings, make_embeddings_from_settings
from bot.index.vectors import COLLECTION, VectorStore, make_vector_store
from bot.qa.retriever import Retriever
from bot.qa.vocabulary import Vocabulary, load_vocabulary
from bot.settings import Settings
from ingest.pipeline import Ingestor


@dataclass
class KnowledgeBase:
    engine: Engine
    sessions: sessionmaker[Session]
    vectors: VectorStore
    embeddings: NamedEmbeddings
    ingestor: Ingestor
    retriever: Retriever


def make_knowledge_base(
    *,
    database_url: str,
    chroma_dir: Path,
    keyword_dir: Path,
    knowledge_dir: Path,
    embeddings: NamedEmbeddings,
    vocabulary: Vocabulary | None = None,
    chroma_server: str | None = None,
    collection: str = COLLECTION,
) -> KnowledgeBase:
    engine = make_engine(database_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    vectors = make_vector_store(chroma_dir, collection, server=chroma_server)
    ingestor = Ingestor(
        session_factory=sessions,
        vectors=vectors,
        keyword_dir=keyword_dir,
        embeddings=embeddings,
        knowledge_dir=knowledge_dir,
    )
    retriever = Retriever(
        session_factory=sessions,
        vectors=vectors,
        keyword_dir=keyword_dir,
        embeddings=embeddings,
        vocabulary=vocabulary if vocabulary is not None else load_vocabulary(knowledge_dir),
    )
    return KnowledgeBase(engine, sessions, vectors, embeddings, ingestor, retriever)


def make_knowledge_base_from_settings(
    settings: Settings, embeddings: NamedEmbeddings | None = None, *, ingest_only: bool = False
) -> KnowledgeBase:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_knowledge_base(
        database_url=settings.sqlalchemy_url,
        chroma_dir=settings.chroma_dir,
        keyword_dir=settings.keyword_index_dir,
        knowledge_dir=settings.knowledge_dir,
        embeddings=embeddings or make_embeddings_from_settings(settings, ingest_only=ingest_only),
        chroma_server=settings.chroma_address,
        collection=settings.collection(COLLECTION),
    )
