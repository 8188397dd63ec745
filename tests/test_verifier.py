"""The answer verifier: a confident answer whose first passage does not read as the answer is
hedged, never refused; without a fit every answer passes. No model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.gate import FEATURES as GATE_FEATURES
from bot.qa.gate import Gate
from bot.qa.passages import Passage, Retrieval
from bot.qa.verifier import Verifier, path_for, verifier_signals

FLAG = "第五十四条 中国共产党党旗为旗面缀有金黄色党徽图案的红旗。"
MEETING = "第十七条 党组织讨论决定问题，必须执行少数服从多数的原则。"

# probability 0.5 where a third of the question's known words are in the first passage
VERIFIER = Verifier(
    embedder="test",
    weights={"first_share": 2.0, "first_focus": 1.0},
    means={"first_share": 0.5, "first_focus": 0.5},
    scales={"first_share": 0.25, "first_focus": 0.5},
    bias=0.0,
    threshold=0.4,
)


def test_a_passage_that_carries_the_question_is_confirmed() -> None:
    assert VERIFIER.confirms({"first_share": 0.8, "first_focus": 1.0})
    assert VERIFIER.probability({"first_share": 0.8, "first_focus": 1.0}) > 0.9


def test_a_passage_that_misses_it_is_not() -> None:
    signals = {"first_share": 0.2, "first_focus": 0.0}
    assert VERIFIER.probability(signals) < VERIFIER.threshold
    assert not VERIFIER.confirms(signals)


def test_without_a_fit_everything_passes() -> None:
    assert Verifier(embedder="none").confirms({})
    assert Verifier.packaged("an embedder nobody fitted").confirms({"first_share": 0.0})


def test_the_fit_is_stored_and_read_back() -> None:
    assert Verifier.from_json(VERIFIER.to_json()) == VERIFIER
    path = path_for("multilingual-e5-small-q4")
    if path.is_file():  # the shipped fit reads the signals verifier_signals computes
        shipped = Verifier.packaged("multilingual-e5-small-q4")
        assert shipped.weights and 0.0 < shipped.threshold < 1.0


def _retrieval(*texts: str) -> Retrieval:
    passages = [
        Passage(
            chunk_id=f"c{n}",
            title="党章",
            source="dangzhang.md",
            kind="regulation",
            heading="党章",
            text=text,
            score=1.0 - n / 10,
        )
        for n, text in enumerate(texts)
    ]
    scores = {p.chunk_id: (0.9 - n / 100, 5.0 - n, p.score) for n, p in enumerate(passages)}
    return Retrieval(passages, False, signals={"dense": 0.9}, scores=scores, found=passages)


def test_the_signals_read_the_first_passage() -> None:
    knowledge = KnowledgeText([FLAG, MEETING])
    gate = Gate(embedder="test")
    on_flag = verifier_signals("党旗是什么样的", _retrieval(FLAG, MEETING), gate, knowledge)
    on_meeting = verifier_signals("党旗是什么样的", _retrieval(MEETING, FLAG), gate, knowledge)
    assert on_flag["first_share"] == 1.0 > on_meeting["first_share"]
    assert on_flag["both_first"] == 1.0
    # every signal the shipped fit weighs is computed here or by the gate (gate_signals)
    shipped = Verifier.packaged("multilingual-e5-small-q4")
    gate_signals = {*GATE_FEATURES, "absent", "focal_top", "focal_kind", "nothing_missing"}
    assert set(shipped.weights) <= set(on_flag) | gate_signals
