"""A refusal of the calibrated model becomes a hint when the model was not sure and the evidence
check finds the question's focus, a noun or Party term, in the best passage: a question told in
everyday words around a term the knowledge base holds. A small knowledge base written for the
tests and the shipped calibration; no model, no network."""

from __future__ import annotations

from bot.index.keyword import KeywordIndex
from bot.index.tokenize import tokenize
from bot.qa.concept_reading import KnowledgeText
from bot.qa.gate import HINT_FLOOR, Gate, GateDecision
from bot.qa.gate_signals import gate_signals
from bot.qa.passages import Passage
from bot.qa.vocabulary import Vocabulary
from tests.support.gates import DENSE_ONLY_GATE

EMBLEM = "第五十五条 党的各级组织和每一个党员都要维护党徽党旗的尊严。要按照规定制作和使用党徽党旗。"
FLAG = "第五十四条 中国共产党党旗为旗面缀有金黄色党徽图案的红旗。"
MEETING = "第十七条 党组织讨论决定问题，必须执行少数服从多数的原则。"
TEXTS = {"c55": EMBLEM, "c54": FLAG, "c17": MEETING}
GATE = Gate.packaged("multilingual-e5-small-q4")
# the evidence signals of a focus the best passage names
FOCUS_FOUND = {"focal_top": 1.0, "focal_kind": 1.0, "nothing_missing": 1.0, "absent": 0.0}


def _signals(question: str, *found: str, similarity: float) -> dict[str, float]:
    keyword = KeywordIndex.build(TEXTS.items(), version=1)
    passages = [
        Passage(
            chunk_id=cid,
            title="党章",
            source="dangzhang.md",
            kind="regulation",
            heading="党章",
            text=TEXTS[cid],
            score=1.0,
        )
        for cid in found
    ]
    signals, _ = gate_signals(
        question,
        tokenize(question),
        passages,
        [similarity] * len(passages),
        list(found),
        list(found),
        keyword=keyword,
        vocabulary=Vocabulary(),
        knowledge=KnowledgeText(TEXTS.values()),
    )
    return signals


def test_a_term_the_best_passage_names_turns_a_near_refusal_into_a_hint() -> None:
    question = "党徽旧了 能不能去外面随便做一个"
    # below hedge_above (above it, every near refusal is hedged: tests/test_gate_floor.py)
    signals = _signals(question, "c55", "c54", similarity=0.866)
    probability = GATE.probability(signals)
    assert HINT_FLOOR * GATE.refuse_below <= probability < GATE.hedge_above < GATE.refuse_below
    assert GATE.decide(signals) == GateDecision.LOW
    # the passage found first says nothing of it: refused as before
    elsewhere = _signals(question, "c17", "c54", similarity=0.866)
    assert GATE.decide(elsewhere) == GateDecision.REFUSE


def test_a_sure_refusal_stays_a_refusal() -> None:
    signals = _signals("党徽旧了 能不能去外面随便做一个", "c55", similarity=0.80)
    assert GATE.probability(signals) < HINT_FLOOR * GATE.refuse_below
    assert GATE.decide(signals) == GateDecision.REFUSE


def test_the_evidence_must_find_nothing_missing() -> None:
    base, gate = FOCUS_FOUND, DENSE_ONLY_GATE
    near = {"dense": 0.885}  # probability 0.32: below refuse_below, above the floor
    assert gate.decide({**near, **base}) == GateDecision.LOW
    for change in (
        {"focal_top": 0.0},  # the best passage does not name the focus
        {"focal_kind": 2.0},  # the focus is a verb (开会), not a thing a rule is about
        {"nothing_missing": 0.0},  # a fact asked and unstated, a focus never used …
        {"absent": 12.5},  # a rare word the knowledge base never uses: refused by name
        {"fact_missing": 1.0},
    ):
        assert gate.decide({**near, **base, **change}) == GateDecision.REFUSE, change


def test_a_middling_answer_whose_focus_the_best_passage_names_is_given() -> None:
    base, gate = FOCUS_FOUND, DENSE_ONLY_GATE
    middling = {"dense": 0.9}  # probability 0.5: between the two thresholds
    assert gate.decide({**middling, **base}) == GateDecision.ANSWER
    for change in (
        {"focal_top": 0.0},
        {"focal_kind": 2.0},
        {"nothing_missing": 0.0},
        {"absent": 12.5},
    ):
        assert gate.decide({**middling, **base, **change}) == GateDecision.LOW, change
