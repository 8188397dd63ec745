"""Whether the passages found answer the question: one calibrated decision, per embedder.

No single score separates a colloquial question from an off-topic one (dense similarities of
both overlap, and e5's sit in a narrow band), so several signals are combined by a logistic
model fitted on the realistic dev set (`bench.calibrate_gate`): how close the best passage is
in meaning and how far it stands above the rest, how much of the question's information it
contains, whether the question's words occur in the knowledge base at all, and whether the
dense and keyword rankings agree. Each embedder has its own fit; the one for the index's
embedder is stored with the index when it is built, so the decision always matches the vectors.

Between "answer" and "refuse" lies "low": related passages, but no direct answer found —
said plainly, rather than refused or presented as an answer.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from bot.db import knowledge as kb
from bot.qa.evidence import fact_stated
from bot.qa.fact_kinds import kind_named

CALIBRATION_DIR = Path(__file__).resolve().parent.parent / "data" / "calibration"
GATE_KEY = "gate"
# for an embedder nobody calibrated: refuse when little of the question is found and most of
# its specific words never occur in the knowledge base (run bench.calibrate_gate to do better)
UNCALIBRATED_COVERAGE = 0.5
UNCALIBRATED_FOREIGN = 0.5
FEATURES = ("dense", "dense_gap", "coverage", "known", "foreign", "anchor", "agree", "words")


# a word the knowledge base never uses is named in a refusal when it is at least this specific
# (-log of its share of general Chinese): rarer than everyday words such as 村里 or 打工
ABSENT_NAMED = 12.0
# a refusal by the model is a hint instead when the model is not sure (at least this share of
# refuse_below) and the evidence check finds the question's focus, a noun, in the best passage;
# between refuse_below and confident_above, the same finding makes it an answer
HINT_FLOOR = 0.5


def amount_missing(question: str, passages: list[str]) -> bool:
    """The question asks for a kind of fact (an amount, how often…) no passage states."""
    kind = kind_named(question)
    return kind is not None and fact_stated(kind, (), passages) == "no"


def focus_found(signals: dict[str, float]) -> bool:
    """The best passage names the question's focal concept, a noun or Party term (党旗), and
    the evidence check finds nothing missing: no fact asked and unstated, no word the knowledge
    base never uses that could be the focus. The model reads only how close the passages are
    and how many of the question's words the knowledge base lacks; a question told in everyday
    words around a term the knowledge base holds (党旗旧了 能不能去打印店随便做一面) scores low
    on both."""
    return (
        signals.get("focal_top", 0.0) == 1.0
        and signals.get("focal_kind", 3.0) <= 1.0
        and signals.get("nothing_missing", 0.0) == 1.0
        and signals.get("absent", 0.0) < ABSENT_NAMED
    )


def logistic(
    signals: dict[str, float],
    weights: dict[str, float],
    means: dict[str, float],
    scales: dict[str, float],
    bias: float,
) -> float:
    """A logistic model over signals standardised by their means and scales."""
    z = bias
    for name, weight in weights.items():
        scale = scales.get(name) or 1.0
        z += weight * (signals.get(name, 0.0) - means.get(name, 0.0)) / scale
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class GateDecision(StrEnum):
    ANSWER = "answer"
    LOW = "low"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Gate:
    embedder: str
    # weight of the dense score in the fusion (the rest goes to BM25)
    dense_weight: float = 0.5
    # logistic model over FEATURES, standardised by mean and scale
    weights: dict[str, float] = field(default_factory=dict)
    means: dict[str, float] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    # below: refuse; between: a low-confidence answer; above: answer
    refuse_below: float = 0.5
    confident_above: float = 0.5
    fitted_on: str = ""
    # what the model would refuse is hedged instead from this probability up: just below
    # refuse_below, its refusals fall on answerable questions about as often as on others
    # (bench.gate_cv, on all the looked-at data); 1.0: never
    hedge_above: float = 1.0

    def probability(self, signals: dict[str, float]) -> float:
        return logistic(signals, self.weights, self.means, self.scales, self.bias)

    def decide(self, signals: dict[str, float]) -> GateDecision:
        if signals.get("fact_missing"):
            return GateDecision.REFUSE
        if not self.weights:  # an uncalibrated embedder: what does not depend on it
            weak = signals.get("coverage", 0.0) < UNCALIBRATED_COVERAGE
            if weak and signals.get("foreign", 1.0) > UNCALIBRATED_FOREIGN:
                return GateDecision.REFUSE
            return GateDecision.ANSWER
        probability = self.probability(signals)
        if probability < self.refuse_below:
            if probability >= self.hedge_above:
                return GateDecision.LOW
            if probability >= HINT_FLOOR * self.refuse_below and focus_found(signals):
                return GateDecision.LOW
            return GateDecision.REFUSE
        if probability < self.confident_above:
            # the same question from the other side: not sure enough to answer on closeness
            # alone, but the best passage names the focus and nothing is missing (承包的耕地能不能
            # 改种果树: an article on 耕地 found first)
            return GateDecision.ANSWER if focus_found(signals) else GateDecision.LOW
        return GateDecision.ANSWER

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Gate:
        return cls(**json.loads(text))

    @classmethod
    def packaged(cls, embedder: str) -> Gate:
        """The calibration shipped for `embedder`, or an uncalibrated gate."""
        path = CALIBRATION_DIR / f"{_file_name(embedder)}.json"
        if path.is_file():
            return cls.from_json(path.read_text(encoding="utf-8"))
        return cls(embedder=embedder)

    @classmethod
    def for_index(cls, *, session: Session, embedder: str) -> Gate:
        """The gate stored with the index (written when it was built for this embedder)."""
        stored = kb.get_state(session=session, key=GATE_KEY)
        if stored:
            gate = cls.from_json(stored)
            if gate.embedder == embedder:
                return gate
        return cls.packaged(embedder)

    def store(self, *, session: Session) -> None:
        kb.set_state(session=session, key=GATE_KEY, value=self.to_json())

    @property
    def calibrated(self) -> bool:
        return bool(self.weights)


def _file_name(embedder: str) -> str:
    return embedder.replace("/", "__")
