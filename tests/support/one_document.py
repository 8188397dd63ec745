"""A Q&A service over one document, with the real default embedder; and a guard that fails any
network call made while it is up."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.qa.service import QAService


@contextmanager
def network_refused() -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a network call: {args}")

    patch = pytest.MonkeyPatch()
    patch.setattr(socket.socket, "connect", refuse)
    patch.setattr(socket, "getaddrinfo", refuse)
    try:
        yield
    finally:
        patch.undo()


def one_document_service(root: Path, document: Path, embeddings) -> QAService:
    """`document` alone indexed under `root`, asked through the Q&A service."""
    from bot.services import make_knowledge_base

    folder = root / "knowledge"
    folder.mkdir()
    (folder / document.name).write_bytes(document.read_bytes())
    kbase = make_knowledge_base(
        database_url=f"sqlite:///{root / 'p.db'}",
        chroma_dir=root / "chroma",
        keyword_dir=root / "bm25",
        knowledge_dir=folder,
        embeddings=embeddings,
    )
    kbase.ingestor.ingest()
    return QAService(kbase.retriever)
