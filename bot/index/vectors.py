"""Chroma, persistent and offline: telemetry off, and always our own embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLLECTION = "partybot_chunks"
_ADD_BATCH = 2000
# Chroma's default search breadth (100) left the true top 40 incomplete for about one question
# in ten over the eval corpus's 506 chunks, a different one each build, once losing the true
# nearest passage; 400 finds the exact top 40 at the same speed (docs/retrieval-tried.md).
SEARCH_EF = 400
_CONFIGURATION = {"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}}


class VectorStoreUnreachable(RuntimeError):
    """The Chroma server named in the settings does not answer."""


@dataclass(frozen=True)
class VectorHit:
    id: str
    similarity: float


class VectorStore:
    def __init__(self, client: Any, collection: str = COLLECTION) -> None:
        self._client = client
        self._name = collection
        self._collection = self._open()

    def _open(self) -> Any:
        collection = self._client.get_or_create_collection(
            self._name, configuration=_CONFIGURATION, embedding_function=None
        )
        if (collection.configuration.get("hnsw") or {}).get("ef_search") != SEARCH_EF:
            # a collection built before: the breadth is a search setting, changeable in place
            collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        return collection

    def add(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        for start in range(0, len(ids), _ADD_BATCH):
            end = start + _ADD_BATCH
            self._collection.upsert(
                ids=list(ids[start:end]),
                embeddings=[list(e) for e in embeddings[start:end]],
                metadatas=list(metadatas[start:end]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _ADD_BATCH):
            self._collection.delete(ids=list(ids[start : start + _ADD_BATCH]))

    def companion(self, suffix: str) -> VectorStore:
        """A second collection of the same client (e.g. finer vectors keyed by their chunk)."""
        return VectorStore(self._client, f"{self._name}_{suffix}")

    def vectors_where(self, key: str, values: Sequence[str]) -> list[tuple[str, list[float]]]:
        """(metadata value, embedding) of every vector whose `key` is one of `values`."""
        if not values:
            return []
        got = self._collection.get(
            where={key: {"$in": list(values)}}, include=["embeddings", "metadatas"]
        )
        return [
            (str(meta[key]), list(vector))
            for meta, vector in zip(got["metadatas"], got["embeddings"], strict=True)
        ]

    def delete_where(self, key: str, values: Sequence[str]) -> None:
        for start in range(0, len(values), _ADD_BATCH):
            self._collection.delete(where={key: {"$in": list(values[start : start + _ADD_BATCH])}})

    def owners(self, key: str) -> set[str]:
        """Every value of `key` among the stored vectors' metadata."""
        got = self._collection.get(include=["metadatas"])
        return {str(meta[key]) for meta in got["metadatas"] if meta and key in meta}

    def all_ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def count(self) -> int:
        return int(self._collection.count())

    def reset(self) -> None:
        self._client.delete_collection(self._name)
        self._collection = self._open()

    def search_breadth(self) -> int:
        return int((self._collection.configuration.get("hnsw") or {}).get("ef_search", 0))

    def query(
        self, embedding: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[VectorHit]:
        return self.query_many([embedding], k, where)[0]

    def query_many(
        self, embeddings: Sequence[Sequence[float]], k: int, where: dict[str, Any] | None = None
    ) -> list[list[VectorHit]]:
        """The `k` nearest chunks of each embedding, in one call (each searched on its own).
        Chroma returns fewer when the collection (or `where`) holds fewer: no count first."""
        result = self._collection.query(
            query_embeddings=[list(e) for e in embeddings],
            n_results=k,
            where=where,
            include=["distances"],
        )
        found = []
        for number, ids in enumerate(result["ids"]):
            distances = result["distances"][number] if result["distances"] else [1.0] * len(ids)
            found.append(
                [
                    VectorHit(id=i, similarity=1.0 - float(d))
                    for i, d in zip(ids, distances, strict=True)
                ]
            )
        return found


def make_vector_store(
    path: Path, collection: str = COLLECTION, *, server: str | None = None
) -> VectorStore:
    """Chroma in `path` (one process), or a Chroma server shared by every bot process
    (`server` "host:port" or a URL; started with the chromadb package's `chroma run`)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if server:
        host, port, ssl = _server_address(server)
        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
            return VectorStore(client, collection)
        except Exception as exc:  # chromadb raises ValueError or httpx errors for a dead server
            raise VectorStoreUnreachable(server) from exc
    path.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(path=str(path), settings=settings)
    return VectorStore(client, collection)


def _server_address(server: str) -> tuple[str, int, bool]:
    """ "127.0.0.1:8000", "http://chroma:8000", "https://vectors.example" -> (host, port, ssl)."""
    from urllib.parse import urlsplit

    parts = urlsplit(server if "://" in server else f"http://{server}")
    ssl = parts.scheme == "https"
    return parts.hostname or "127.0.0.1", parts.port or (443 if ssl else 8000), ssl
