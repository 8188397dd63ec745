"""The Q&A service every channel uses (terminal, Telegram, …); knows nothing of channels.

`ask(question, previous=…)` takes the conversation's previous answer as context, so "那第二条呢"
reads the article of the document last quoted, and 这条出自哪, 下一条, 上一条, 还有吗 and 全文
are answered from it (bot/qa/followups.py).
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.qa.answer import (
    Answer,
    citation,
    extractive_answer,
    refusal,
    with_missing_named,
)
from bot.qa.confidence import AnswerConfidence
from bot.qa.followups import FOLLOW_UPS, FollowUps
from bot.qa.hits import HitTest, hit_test
from bot.qa.intents import Intent, classify
from bot.qa.llm import generate_grounded_answer
from bot.qa.outline import Outlines, asks_for_steps, listing_first, outlined_answer
from bot.qa.part_answer import part_answer
from bot.qa.retriever import Context, Passage, Retriever
from bot.qa.verifier import Verifier

MAX_QUESTION_CHARS = 500
LLM_PASSAGES = 4
# refusals decided by what the question names, not by how well the passages fit
NAMED_REFUSALS = frozenset({"missing_document", "missing_article", "which_document"})


class QAService:
    def __init__(
        self,
        retriever: Retriever,
        chat_model: BaseChatModel | None = None,
        *,
        sessions: sessionmaker[Session] | None = None,
        verifier: Verifier | None = None,
    ) -> None:
        """`sessions`: the knowledge base's database, for the structure of a document that
        procedure questions are answered with (without it they get quotes only). `verifier`:
        the check on confident answers; without one, the fit shipped for the embedder."""
        self._retriever = retriever
        self._chat_model = chat_model
        self._follow_ups = FollowUps(retriever)
        self._outlines = Outlines(sessions, retriever.vocabulary) if sessions is not None else None
        self._confidence = AnswerConfidence(retriever, verifier)

    def ask(self, question: str, previous: Answer | None = None) -> Answer:
        question = " ".join(question.split())
        if not question:
            return Answer(question, messages.EMPTY_QUESTION, refused=True, reason="empty")
        if len(question) > MAX_QUESTION_CHARS:
            text = messages.QUESTION_TOO_LONG.format(limit=MAX_QUESTION_CHARS)
            return Answer(question, text, refused=True, reason="too_long")
        intent = classify(question)
        if intent == Intent.SMALL_TALK:
            return Answer(question, messages.SELF_INTRODUCTION, refused=True, reason="small_talk")
        if intent in FOLLOW_UPS:
            return self._follow_ups.answer(intent, question, previous)
        retrieval = self._retriever.search(question, context=context_of(previous))
        if retrieval.exact and retrieval.part is not None:  # 党章第三章
            return part_answer(question, retrieval)
        if retrieval.exact:
            return extractive_answer(question, retrieval.passages, exact=True)
        if retrieval.refused and retrieval.reason in NAMED_REFUSALS:
            return refusal(question, retrieval)
        if intent == Intent.TASK:
            return Answer(question, messages.TASK_DECLINED, refused=True, reason="task")
        if retrieval.refused:
            return refusal(question, retrieval)
        confidence, lowered_by = self._confidence.of(question, retrieval)
        if self._outlines is not None and asks_for_steps(question):
            outline = self._outlines.outline(question, retrieval.passages)
            if outline is not None:
                return outlined_answer(
                    question,
                    outline,
                    retrieval.passages,
                    confidence=confidence,
                    lowered_by=lowered_by,
                )
            retrieval.passages = listing_first(question, retrieval.passages)
            # the passage quoted first may now be another
            confidence, lowered_by = self._confidence.of(question, retrieval)
        answer = extractive_answer(
            question,
            retrieval.passages,
            exact=False,
            confidence=confidence,
            lowered_by=lowered_by,
        )
        if confidence != "high":
            return with_missing_named(answer, retrieval.verdict)
        if self._chat_model is None:
            return answer
        return self._generated(question, retrieval.passages) or answer

    def hit_test(self, question: str, k: int = 10) -> HitTest:
        return hit_test(self._retriever, self._confidence, question, k)

    def full_text(self, chunk_id: str) -> list[Passage]:
        return self._retriever.section_of(chunk_id)

    def _generated(self, question: str, passages: list[Passage]) -> Answer | None:
        assert self._chat_model is not None
        grounding = passages[:LLM_PASSAGES]
        labels = [citation(p) for p in grounding]
        text = generate_grounded_answer(self._chat_model, question, grounding, labels)
        if text is None:
            return None
        sources = "\n".join(f"[{i}] {label}" for i, label in enumerate(labels, 1))
        body = f"{text}\n\n{sources}\n{messages.GENERATED_FOOTER}"
        return Answer(question, body, refused=False, sources=passages, generated=True)


def context_of(previous: Answer | None) -> Context | None:
    """The document (and article) the previous answer quoted first."""
    if previous is None or not previous.sources:
        return None
    first = previous.sources[0]
    return Context(document_id=first.document_id, title=first.title, article_no=first.article_no)
