"""The re-ranking of fused candidates (bot/qa/rerank.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.qa.concept_reading import KnowledgeText
from bot.qa.rerank import (
    FEATURES,
    WEIGHTS_FILE,
    Candidate,
    QuestionTerms,
    Reranker,
    features,
    question_terms,
)
from bot.qa.vocabulary import Vocabulary

TERMS = QuestionTerms(
    weights={"支委会": 3.0, "任期": 2.0},
    synonyms={"支委会": ("支部委员会",)},
    focal=("支委会", "支部委员会"),
    fact=re.compile(r"每届|任期"),
)


def _candidate(chunk_id: str, heading: str, text: str, fused: float) -> Candidate:
    return Candidate(chunk_id, heading, text, fused, similarity=0.8 * fused, keyword=None)


CANDIDATES = [
    _candidate("a", "党章 > 第五章", "党的全国代表大会每五年举行一次。", 1.0),
    _candidate(
        "b", "细则 > 第三十一条", "党的基层委员会每届任期三年至五年，支部委员会每届任期三年。", 0.9
    ),
]


def test_features_read_where_the_question_words_are() -> None:
    rows = features(TERMS, CANDIDATES)
    named = [dict(zip(FEATURES, row, strict=True)) for row in rows]
    assert named[0]["coverage"] == 0.0 and named[0]["focal"] == 0.0
    assert named[1]["coverage"] == 1.0  # 支委会 by its regulation word, and 任期
    assert named[1]["focal"] == 1.0 and named[1]["fact"] == 1.0
    assert named[0]["fact_missing"] == 1.0
    assert named[0]["fused_rank"] == 1.0 and named[1]["fused_rank"] == 0.5
    assert named[0]["keyword"] == 0.0 and named[0]["dense_listed"] == 1.0


def test_without_weights_the_fused_order_stands() -> None:
    assert Reranker().order(TERMS, CANDIDATES) == CANDIDATES


def test_weights_reorder_the_first_candidates_only() -> None:
    weights = tuple(1.0 if name == "coverage" else 0.0 for name in FEATURES)
    tail = _candidate("c", "党章", "支委会任期", 0.1)
    ranked = Reranker(weights, depth=2).order(TERMS, [*CANDIDATES, tail])
    assert [c.chunk_id for c in ranked] == ["b", "a", "c"]


def test_each_ranked_candidate_carries_the_chance_that_ordered_it() -> None:
    weights = tuple(1.0 if name == "coverage" else 0.0 for name in FEATURES)
    tail = _candidate("c", "党章", "支委会任期", 0.1)
    ranked = Reranker(weights, depth=2).rank(TERMS, [*CANDIDATES, tail])
    assert None not in [chance for _, chance in ranked]
    chances = [chance or 0.0 for _, chance in ranked]
    assert chances == sorted(chances, reverse=True)  # `ask --json` lists them best first
    assert sum(chances[:2]) == pytest.approx(1, abs=1e-3) and chances[2] == 0.0
    assert all(chance is None for _, chance in Reranker().rank(TERMS, CANDIDATES))


def test_weights_fitted_on_other_features_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / "rerank.json"
    path.write_text(json.dumps({"features": ["fused"], "weights": [1.0]}), encoding="utf-8")
    assert Reranker.packaged(path) == Reranker()
    assert Reranker.packaged(tmp_path / "none.json") == Reranker()


def test_the_packaged_weights_match_the_features() -> None:
    assert WEIGHTS_FILE.is_file()
    reranker = Reranker.packaged()
    assert len(reranker.weights) == len(FEATURES)


def test_question_terms_read_the_focus_the_fact_and_a_list() -> None:
    knowledge = KnowledgeText(
        ["支部委员会每届任期三年。", "纪律处分种类：（一）警告；（二）严重警告。"]
    )
    terms = question_terms("支委会几年换一届", {"支委会": 3.0}, Vocabulary(), knowledge)
    assert terms.fact is not None and terms.fact.search("每届任期三年")
    assert not terms.lists
    listed = question_terms("纪律处分有哪几种", {"纪律处分": 1.0}, Vocabulary(), knowledge)
    assert listed.lists and listed.fact is None
    assert "纪律处分" in listed.focal
