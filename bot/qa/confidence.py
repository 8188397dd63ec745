"""What the asker is told of an answer's confidence: the gate's, lowered by the evidence checks
and by the fitted verifier. The answer and the hit test read it from here alike."""

from __future__ import annotations

from bot.qa.answer import tier
from bot.qa.asked_thing import asked_thing_unheld
from bot.qa.clauses import asks_nothing
from bot.qa.concept_reading import concepts
from bot.qa.fact_kinds import report_answers_not
from bot.qa.fact_stated import unstated, unstated_anywhere
from bot.qa.list_item import only_an_item_asked
from bot.qa.retriever import Retrieval, Retriever
from bot.qa.verifier import Verifier, verifier_signals
from ingest.metadata import REPORT


class AnswerConfidence:
    def __init__(self, retriever: Retriever, verifier: Verifier | None = None) -> None:
        self._retriever = retriever
        # without one given, the verifier fitted for the index's embedder, read when first needed
        self._verifier = verifier

    def of(self, question: str, retrieval: Retrieval) -> tuple[str, str | None]:
        """The tier ("high" or lower) and, when a check lowered a high one, which: "quoted"
        (the passage quoted first misses the focus or predicate), "unstated" (the kind of fact
        asked, 至少要提几条 or 从哪个月开始, is not stated), "report" (a rule asked, 要啥条件 or
        哪个文件定的, or a norm of no county's work, 一般是什么级别, and a work report quoted
        first), "told" (a statement that asks nothing: 村里年轻人都走了), "item" (a list asked,
        and the passage quoted first names the focus only as an item of a list of something
        else) or "verifier"."""
        confidence = tier(retrieval)
        if confidence != retrieval.confidence:
            return confidence, "quoted"
        if confidence != "high":
            return confidence, None
        if asks_nothing(question):
            # 村里年轻人都走了: a statement; the passages found are near it, none answers it
            return "low", "told"
        passages = retrieval.passages
        if passages and only_an_item_asked(question, retrieval.verdict.focus, passages[0]):
            # 个人有关事项报告都要报哪些内容: an article listing misconduct, the report one item
            return "low", "item"
        if passages and passages[0].kind == REPORT and report_answers_not(question):
            # 软弱涣散村 按啥标准认定 哪个文件定的, 某类报告都要报啥: the report says what the
            # county did, never the rule or the norm asked for
            return "low", "report"
        retriever = self._retriever
        if unstated(question, retrieval.passages, retriever.vocabulary, retriever.knowledge):
            return "low", "unstated"
        if unstated_anywhere(question, passages):
            return "low", "unstated"
        if asked_thing_unheld(
            question, concepts(question, retriever.vocabulary, retriever.knowledge)
        ):
            # 上缴到哪个账户: the thing asked for is one the knowledge base never names
            return "low", "unstated"
        if retrieval.signals:
            gate = retriever.gate
            if self._verifier is None:
                self._verifier = Verifier.packaged(gate.embedder)
            if self._verifier.weights and not self._verifier.confirms(
                verifier_signals(question, retrieval, gate, retriever.knowledge)
            ):
                return "low", "verifier"
        return confidence, None
