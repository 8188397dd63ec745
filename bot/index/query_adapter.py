"""A linear adapter on the query vector: q' = q + W q, fitted per embedder (numpy only).

The encoder embeds the everyday question and the regulation's passage into one space, but a
question typed on a phone and the article that answers it are further apart there than two
passages are. W (d × d) was fitted contrastively — the question's article against every other
passage, softmax over cosine similarities, an L2 penalty pulling W toward zero, so q' stays near
q — on the looked-at questions (docs/retrieval-tried.md, "Query adapter").
Passages are left as they are: an index built before needs no rebuild.

Packaged per embedder as bot/data/adapters/<embedder>.npy; an embedder without one is searched
with its own vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

ADAPTERS = Path(__file__).resolve().parents[1] / "data" / "adapters"


class QueryAdapter:
    def __init__(self, weight: np.ndarray) -> None:
        self._weight = np.asarray(weight, dtype=np.float32)

    @classmethod
    def packaged(cls, embedder: str) -> QueryAdapter | None:
        return _load(embedder)

    def __call__(self, vector: Sequence[float]) -> list[float]:
        q = np.asarray(vector, dtype=np.float32)
        adapted = q + self._weight @ q
        norm = float(np.linalg.norm(adapted))
        return [float(x) for x in (adapted / norm if norm else adapted)]


@cache
def _load(embedder: str) -> QueryAdapter | None:
    path = ADAPTERS / f"{embedder.replace('/', '__')}.npy"
    if not path.is_file():
        return None
    return QueryAdapter(np.load(path))
