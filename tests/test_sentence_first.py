"""Sentence vectors beside each chunk, and the sibling article whose sentence is nearer first."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.index.sentences import SentenceVectors, sentences
from bot.index.vectors import make_vector_store
from bot.qa.rerank import Candidate
from bot.qa.sentence_first import MARGIN, sentence_first


def _unit(*values: float) -> list[float]:
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(values)] = values
    return (vector / np.linalg.norm(vector)).tolist()


def _ranked(*ids: str) -> list[tuple[Candidate, float | None]]:
    chances = (0.6, 0.3, 0.1)
    return [(Candidate(cid, "", "", 1.0, None, None), chances[n]) for n, cid in enumerate(ids)]


def test_a_passage_splits_at_sentence_and_clause_ends() -> None:
    text = "第九条 合作社理事会每季度开一次会；\n临时会议由理事长召集。会议记录存档备查！"
    assert sentences(text) == [
        "第九条 合作社理事会每季度开一次会；",
        "临时会议由理事长召集。",
        "会议记录存档备查！",
    ]
    assert sentences("一、；\n第十条有效。") == ["第十条有效。"]  # stray numbering is no sentence


def _store(tmp_path: Path) -> SentenceVectors:
    return SentenceVectors(make_vector_store(tmp_path / "chroma"))


def test_each_sentence_gets_a_vector_and_a_one_sentence_chunk_reuses_its_own(
    tmp_path: Path,
) -> None:
    embedded: list[str] = []

    def embed(texts: list[str]) -> list[list[float]]:
        embedded.extend(texts)
        return [_unit(1.0, float(i)) for i in range(len(texts))]

    store = _store(tmp_path)
    store.add(
        ["a", "b"],
        [
            ("果园管理办法 > 第三条", "果树每年修剪两次。病虫害由技术员上报。"),
            ("果园管理办法 > 第四条", "采摘前须验收。"),
        ],
        [_unit(0.0, 1.0), _unit(0.0, 0.0, 1.0)],
        embed,
    )
    assert embedded == [
        "果园管理办法 > 第三条\n果树每年修剪两次。",
        "果园管理办法 > 第三条\n病虫害由技术员上报。",
    ]
    found = store.of(["a", "b", "c"])
    assert sorted(found) == ["a", "b"] and found["a"].shape == (2, 8)
    assert np.allclose(found["b"][0], _unit(0.0, 0.0, 1.0))
    store.delete_of(["a"])
    assert sorted(store.of(["a", "b"])) == ["b"]
    store.keep_only({"c"})
    assert store.of(["a", "b"]) == {}


def test_the_sibling_whose_best_sentence_is_nearer_goes_first() -> None:
    question = _unit(1.0)
    vectors = {
        "long": np.asarray([_unit(1.0, 1.0), _unit(0.0, 1.0)], dtype=np.float32),
        "short": np.asarray([_unit(1.0, 0.2)], dtype=np.float32),
    }
    same_document = {"long": 1, "short": 1, "other": 2}
    ranked = _ranked("long", "short", "other")
    moved = sentence_first(ranked, question, same_document.__getitem__, lambda ids: vectors)
    assert [c.chunk_id for c, _ in moved] == ["short", "long", "other"]
    assert [chance for _, chance in moved] == [0.3, 0.6, 0.1]  # each keeps its own chance


def test_no_swap_across_documents_within_the_margin_or_without_sentence_vectors() -> None:
    question = _unit(1.0)
    near = np.asarray([_unit(1.0, 0.2)], dtype=np.float32)
    far = np.asarray([_unit(1.0, 1.0)], dtype=np.float32)
    ranked = _ranked("a", "b")
    other_documents = {"a": 1, "b": 2}.__getitem__
    assert (
        sentence_first(ranked, question, other_documents, lambda ids: {"a": far, "b": near})
        == ranked
    )
    one_document = {"a": 1, "b": 1}.__getitem__
    assert sentence_first(ranked, question, one_document, lambda ids: {"a": far}) == ranked
    close = np.asarray([far[0] + MARGIN / 4 * np.asarray(question)], dtype=np.float32)
    assert (
        sentence_first(ranked, question, one_document, lambda ids: {"a": far, "b": close}) == ranked
    )
    assert sentence_first(ranked[:1], question, one_document, lambda ids: {}) == ranked[:1]


def test_ingest_keeps_sentence_vectors_with_their_chunks(make_kb, knowledge_dir: Path) -> None:
    path = knowledge_dir / "鱼塘承包办法.md"
    path.write_text(
        "# 鱼塘承包办法\n\n第一条　承包期五年。期满可以续包。\n\n第二条　租金每年年初交清。\n",
        encoding="utf-8",
    )
    kbase = make_kb()
    kbase.ingestor.ingest()
    stored = SentenceVectors(kbase.vectors)
    live = kbase.vectors.all_ids()
    assert {cid: len(rows) for cid, rows in stored.of(sorted(live)).items()}.keys() == live
    assert sorted(len(rows) for rows in stored.of(sorted(live)).values()) == [1, 2]
    path.write_text("# 鱼塘承包办法\n\n第一条　承包期三年。\n", encoding="utf-8")
    kbase.ingestor.ingest()
    assert set(stored.of(sorted(live))) == set()  # the old version's sentences are gone
    assert set(stored.of(sorted(kbase.vectors.all_ids()))) == kbase.vectors.all_ids()
