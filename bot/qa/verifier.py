"""Whether the passage quoted first answers the question: a fitted check on a confident answer.

The gate (bot/qa/gate.py) decides whether anything found is worth quoting; the focus and
predicate checks (answer.tier) lower an answer whose first passage misses what is asked. Those
checks were written on the looked-at questions and catch fewer out-of-corpus questions on the
sets nobody looked at. This check reads the signals already computed for the answer — the
gate's probability, how close and how far ahead the passage is, how much of the question it
carries, whether the keyword and dense rankings put it first, whether it names the focal
concept, the predicate and the kind of fact asked — and a small logistic model fitted with
leave-one-set-out cross-validation (bench.verifier_cv) says whether it is the answer. Below its
threshold a confident answer is hedged (ANSWER_LOW_HEADER), never refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.index.tokenize import tokenize
from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import fact_stated
from bot.qa.fact_kinds import kind_named
from bot.qa.gate import CALIBRATION_DIR, Gate, logistic
from bot.qa.predicate import names_predicate
from bot.qa.retriever import Retrieval

_WORDISH = re.compile(r"[\u4e00-\u9fff]")
PREFIX = "verifier-"


def verifier_signals(
    question: str, retrieval: Retrieval, gate: Gate, knowledge: KnowledgeText
) -> dict[str, float]:
    """The signals of a retrieval with passages: the gate's, and the first passage's own."""
    signals = dict(retrieval.signals)
    passages = retrieval.passages
    if not passages:
        return signals
    first = passages[0]
    text = first.heading + first.text
    signals["p_gate"] = gate.probability(retrieval.signals) if gate.weights else 0.5
    chances = [p.chance for p in passages if p.chance is not None]
    signals["chance_top"] = chances[0] if chances else 0.0
    signals["chance_gap"] = chances[0] - chances[1] if len(chances) > 1 else 0.0
    scores = retrieval.scores
    dense = [scores.get(p.chunk_id, (None, None, 0.0))[0] or 0.0 for p in passages]
    keyword = [scores.get(p.chunk_id, (None, None, 0.0))[1] or 0.0 for p in passages]
    dense_first = float(dense[0] >= max(dense))
    keyword_first = float(keyword[0] >= max(keyword) and keyword[0] > 0)
    signals["dense_first"] = dense_first
    signals["keyword_first"] = keyword_first
    signals["both_first"] = dense_first * keyword_first
    signals["score_gap"] = first.score - passages[1].score if len(passages) > 1 else first.score
    words = [w for w in dict.fromkeys(tokenize(question)) if _WORDISH.search(w) and len(w) > 1]
    known = [w for w in words if w in knowledge]
    signals["first_share"] = sum(w in text for w in known) / len(known) if known else 0.0
    verdict = retrieval.verdict
    signals["first_focus"] = float(any(form in text for form in verdict.focus))
    signals["predicate"] = float(bool(verdict.predicate))
    signals["predicate_first"] = float(names_predicate(text, verdict.predicate))
    kind = kind_named(question)
    signals["fact_asked"] = float(kind is not None)
    stated = fact_stated(kind, (), [text]) if kind is not None else "yes"
    signals["fact_first"] = {"yes": 1.0, "loose": 0.5}.get(stated, 0.0)
    signals["tentative"] = float(verdict.tentative)
    signals["unheld"] = float(bool(verdict.unheld))
    return signals


@dataclass(frozen=True)
class Verifier:
    """A logistic model over standardised signals, and the probability a confident answer
    needs (below it: hedged). No weights: every answer passes."""

    embedder: str
    weights: dict[str, float] = field(default_factory=dict)
    means: dict[str, float] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.0
    fitted_on: str = ""

    def probability(self, signals: dict[str, float]) -> float:
        return logistic(signals, self.weights, self.means, self.scales, self.bias)

    def confirms(self, signals: dict[str, float]) -> bool:
        """Whether a confident answer stays confident."""
        return not self.weights or self.probability(signals) >= self.threshold

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Verifier:
        return cls(**json.loads(text))

    @classmethod
    def packaged(cls, embedder: str) -> Verifier:
        """The fit shipped for `embedder`, or one that confirms everything."""
        path = path_for(embedder)
        if path.is_file():
            return cls.from_json(path.read_text(encoding="utf-8"))
        return cls(embedder=embedder)


def path_for(embedder: str) -> Path:
    return CALIBRATION_DIR / f"{PREFIX}{embedder.replace('/', '__')}.json"
