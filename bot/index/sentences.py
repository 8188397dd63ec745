"""A vector for each sentence of a passage, beside the passage's own vector.

A long article is one vector: the sentence that answers is averaged with the rest, so a
sibling article of the same chapter can sit nearer the question than the one that states what
was asked. The sentence vectors live in a companion Chroma collection keyed by the chunk they
belong to; retrieval reads them only for the few candidates it compares, by chunk id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from bot.index.vectors import VectorStore

_BREAK = re.compile(r"(?<=[。；;！？\n])")
MIN_CHARS = 4  # shorter pieces are numbering or stray punctuation, not a statement
COMPANION = "sentences"


def sentences(text: str) -> list[str]:
    """The passage's sentences and clauses (a break after 。；！？ or a line end)."""
    return [s.strip() for s in _BREAK.split(text) if len(s.strip()) >= MIN_CHARS]


class SentenceVectors:
    def __init__(self, vectors: VectorStore) -> None:
        self._store = vectors.companion(COMPANION)

    def add(
        self,
        ids: Sequence[str],
        passages: Sequence[tuple[str, str]],
        passage_vectors: Sequence[Sequence[float]],
        embed: Callable[[list[str]], list[list[float]]],
    ) -> None:
        """passages: (heading, text) of each chunk; a chunk of one sentence reuses its vector."""
        keys: list[str] = []
        owners: list[str] = []
        texts: list[str] = []
        vectors: list[Sequence[float]] = []
        pending: list[int] = []
        for chunk_id, (heading, text), vector in zip(ids, passages, passage_vectors, strict=True):
            parts = sentences(text)
            if len(parts) <= 1:
                keys.append(f"{chunk_id}#0")
                owners.append(chunk_id)
                vectors.append(vector)
                continue
            for number, part in enumerate(parts):
                keys.append(f"{chunk_id}#{number}")
                owners.append(chunk_id)
                texts.append(f"{heading}\n{part}")
                vectors.append([])
                pending.append(len(vectors) - 1)
        embedded = embed(texts) if texts else []
        for index, vector in zip(pending, embedded, strict=True):
            vectors[index] = vector
        self._store.add(keys, vectors, [{"chunk": owner} for owner in owners])

    def of(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Each chunk's sentence vectors as the rows of one matrix (chunks without, absent)."""
        rows: dict[str, list[Sequence[float]]] = {}
        for owner, vector in self._store.vectors_where("chunk", list(chunk_ids)):
            rows.setdefault(owner, []).append(vector)
        return {owner: np.asarray(found, dtype=np.float32) for owner, found in rows.items()}

    def delete_of(self, chunk_ids: Sequence[str]) -> None:
        if chunk_ids:
            self._store.delete_where("chunk", list(chunk_ids))

    def keep_only(self, live: set[str]) -> None:
        """Remove the sentence vectors of chunks no longer indexed (an interrupted ingest)."""
        self.delete_of(sorted(self._store.owners("chunk") - live))

    def reset(self) -> None:
        self._store.reset()
