"""The linear adapter on the query vector (bot/index/query_adapter.py)."""

from __future__ import annotations

import numpy as np

from bot.index.embeddings import E5Embeddings
from bot.index.query_adapter import ADAPTERS, QueryAdapter


def test_zero_weight_leaves_the_direction() -> None:
    adapter = QueryAdapter(np.zeros((3, 3)))
    assert np.allclose(adapter([3.0, 0.0, 4.0]), [0.6, 0.0, 0.8])


def test_adapted_vector_is_q_plus_wq_normalised() -> None:
    weight = np.array([[0.0, 1.0], [0.0, 0.0]])
    out = adapter_out = QueryAdapter(weight)([0.0, 1.0])
    assert np.allclose(out, np.array([1.0, 1.0]) / np.sqrt(2))
    assert isinstance(adapter_out, list)


def test_packaged_for_e5_only() -> None:
    adapter = QueryAdapter.packaged(E5Embeddings.name)
    assert adapter is not None
    assert (ADAPTERS / f"{E5Embeddings.name}.npy").is_file()
    out = np.array(adapter([1.0] + [0.0] * 383))
    assert out.shape == (384,)
    assert abs(float(np.linalg.norm(out)) - 1.0) < 1e-5
    assert QueryAdapter.packaged("hashing-test-embedder") is None
