"""The check of fresh question sets written from the regulations alone (bench.qa_fresh_check):
expected phrases that name one article, the usual mix, and near repeats by character bigrams.
Failures name row ids only, so no question of a set kept for reporting is printed."""

from collections import Counter

from bench.common import FRESH_QA, load_questions
from bench.qa_fresh_check import articles, bigrams, jaccard, places, row_problems, similarities


def test_twin_sets_expect_one_article_each_in_the_usual_mix() -> None:
    twins = ("m", "k", "h", "j", "f", "g", "e", "d")
    rows = [r for r in load_questions(FRESH_QA) if r["id"][0] in twins]
    pieces = articles()
    assert [r["id"] for r in rows if row_problems(r, pieces)] == []
    for letter in twins:
        kinds = Counter(r["kind"] for r in rows if r["id"][0] == letter)
        assert kinds == {"article": 6, "semantic": 36, "refuse": 18}, letter


def test_a_phrase_is_placed_by_article_ignoring_white_space() -> None:
    pieces = articles()
    assert places("党 徽为镰刀和锤头组成的图案", pieces) == [("dangzhang_2022.md", "第五十三条")]
    assert len(places("由中央组织部负责解释", pieces)) > 1
    problems = row_problems(
        {"kind": "semantic", "expect": [{"source": "x.md", "contains": "由中央组织部负责解释"}]},
        pieces,
    )
    assert len(problems) == 1 and "articles" in problems[0]
    assert row_problems({"kind": "refuse", "expect": [{"source": "x.md", "contains": "a"}]}, pieces)


def test_near_repeats_by_character_bigrams_ignore_spaces_and_punctuation() -> None:
    assert bigrams("党章 第55条？") == {"党章", "章第", "第5", "55", "5条"}
    assert jaccard(bigrams("主题党日搞啥"), bigrams("主题党日 搞啥？")) == 1.0
    rows = [{"id": "a1", "question": "党小组会多久开一次"}]
    others = [
        {"id": "b1", "question": "党小组会多久开一回"},
        {"id": "b2", "question": "丰收节是哪天"},
    ]
    scores = {other: score for _, other, score in similarities(rows, others)}
    assert scores["b1"] > 0.333 >= scores["b2"]
