"""The Chroma store finds the true nearest passages, in new and in existing collections."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.index.vectors import COLLECTION, SEARCH_EF, make_vector_store


def _random_unit_vectors(count: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_search_returns_the_exact_top_40(tmp_path: Path) -> None:
    """With Chroma's default search breadth, 19 of these 50 queries missed part of their true
    top 40 (random vectors are the hard case for a graph index)."""
    vectors, questions = _random_unit_vectors(600, 7), _random_unit_vectors(50, 8)
    store = make_vector_store(tmp_path / "chroma")
    store.add([str(i) for i in range(len(vectors))], vectors.tolist(), [{"n": 1}] * len(vectors))
    for question in questions:
        exact = [str(i) for i in np.argsort(-(vectors @ question))[:40]]
        assert [hit.id for hit in store.query(question.tolist(), 40)] == exact


def test_a_collection_built_by_an_earlier_release_is_searched_as_wide(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    old = client.get_or_create_collection(
        COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None
    )
    old.add(ids=["a"], embeddings=[[1.0] + [0.0] * 383])
    assert old.configuration["hnsw"]["ef_search"] < SEARCH_EF
    del client, old
    store = make_vector_store(tmp_path / "chroma")
    assert store.search_breadth() == SEARCH_EF
    assert store.count() == 1 and store.query([1.0] + [0.0] * 383, 5)[0].id == "a"
    assert make_vector_store(tmp_path / "chroma").search_breadth() == SEARCH_EF


def test_several_vectors_searched_in_one_call_find_what_each_finds_alone(tmp_path: Path) -> None:
    vectors, questions = _random_unit_vectors(300, 9), _random_unit_vectors(3, 10)
    store = make_vector_store(tmp_path / "chroma")
    store.add([str(i) for i in range(len(vectors))], vectors.tolist(), [{"n": 1}] * len(vectors))
    together = store.query_many(questions.tolist(), 40)
    assert together == [store.query(question.tolist(), 40) for question in questions]
    assert store.query_many(questions.tolist(), 5, where={"n": 2}) == [[], [], []]
    assert len(store.query(questions[0].tolist(), 400)) == 300


def test_an_empty_collection_finds_nothing(tmp_path: Path) -> None:
    assert make_vector_store(tmp_path / "chroma").query([1.0] + [0.0] * 383, 40) == []
