"""Hit testing (命中测试): what a question finds in the knowledge base, with the dense, keyword
and fused score of each passage and the re-ranker's chance that put it in its place, and
whether it would be answered or refused and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.qa.answer import citation
from bot.qa.confidence import AnswerConfidence
from bot.qa.gate import GateDecision
from bot.qa.retriever import Retriever

REASONS = {
    "missing_document": "问题点名的文件不在知识库中",
    "missing_article": "该文件没有问题所问的条",
    "which_document": "问的是第几条，但没有说哪个文件",
    "not_found": "找到的段落不足以回答（拒答模型判断）",
}
# what the evidence check found missing (bot/qa/evidence.py)
MISSING = {
    "concept": "知识库里没有用到问题的核心概念",
    "fact": "提到该概念的条文都没有写明所问的内容（次数、期限、人数等）",
    "loose": "写明所问内容的条文没有提到该概念",
    "passage": "排在第一的条文几乎没有提到问题所问的概念",
    "quoted": "先引用的那一条没有提到问题的核心概念",
    "unstated": "引用的条文没有写明问题所问的内容",
    "report": "问的是规定（条件、标准、哪个文件），先引用的却是工作报告",
    "told": "这句话只是陈述，没有提出问题",
    "item": "问的是一份清单，先引用的条文只把所问的概念列为另一份清单中的一项",
    "verifier": "排在第一的条文不像是这个问题的答案（答案核验模型判断）",
}
DECISIONS = {
    GateDecision.ANSWER: "回答",
    GateDecision.LOW: "给出相关条文，并提示没有直接答案",
    GateDecision.REFUSE: "拒答",
}


@dataclass(frozen=True)
class Hit:
    citation: str
    heading: str
    text: str
    dense: float | None
    keyword: float | None
    fused: float
    # the re-ranker's chance that this is the passage asked for: what ordered the list
    chance: float | None = None


@dataclass(frozen=True)
class HitTest:
    question: str
    hits: list[Hit]
    refused: bool
    decision: str
    reason: str | None
    exact: bool = False
    probability: float | None = None
    refuse_below: float | None = None
    confident_above: float | None = None
    signals: dict[str, float] = field(default_factory=dict)
    # the evidence check: the question's focal concept and what the passages lack of it
    concept: str | None = None
    missing: str | None = None


def hit_test(
    retriever: Retriever, confidence_of: AnswerConfidence, question: str, k: int = 10
) -> HitTest:
    question = " ".join(question.split())
    retrieval = retriever.search(question, k=k)
    passages = retrieval.passages if retrieval.exact else retrieval.found
    hits = []
    for passage in passages:
        dense, keyword, fused = retrieval.scores.get(passage.chunk_id, (None, None, passage.score))
        hits.append(
            Hit(
                citation(passage),
                passage.heading,
                passage.text,
                dense,
                keyword,
                fused,
                passage.chance,
            )
        )
    gate = retriever.gate
    probability = None
    if retrieval.signals and gate.weights:
        probability = round(gate.probability(retrieval.signals), 4)
    missing = retrieval.verdict.missing or ""
    if retrieval.exact:
        decision = "按条文原文回答"
    elif retrieval.refused:
        decision = DECISIONS[GateDecision.REFUSE]
    else:
        # what the asker is told, not only what the gate said
        confidence, lowered_by = confidence_of.of(question, retrieval)
        decision = DECISIONS[GateDecision.LOW if confidence == "low" else GateDecision.ANSWER]
        missing = lowered_by or missing
    return HitTest(
        question=question,
        hits=hits,
        refused=retrieval.refused,
        decision=decision,
        reason=REASONS.get(retrieval.reason or "", retrieval.reason),
        exact=retrieval.exact,
        probability=probability,
        refuse_below=min(gate.refuse_below, gate.hedge_above) if gate.weights else None,
        confident_above=gate.confident_above if gate.weights else None,
        signals=dict(retrieval.signals),
        concept=retrieval.verdict.concept,
        missing=MISSING.get(missing),
    )
