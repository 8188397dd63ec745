"""The Q&A service every channel uses (terminal, Telegram, …); knows nothing of channels.

`ask(question, previous=…)` takes the conversation's previous answer as context, so "那第二条呢"
reads the article of the document last quoted, and "这条是哪个文件的" names it.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from bot import messages
from bot.qa.answer import Answer, citation, extractive_answer, refusal
from bot.qa.hits import HitTest, hit_test
from bot.qa.intents import Intent, classify
from bot.qa.llm import generate_grounded_answer
from bot.qa.retriever import Context, Passage, Retriever

MAX_QUESTION_CHARS = 500
LLM_PASSAGES = 4
# refusals decided by what the question names, not by how well the passages fit
NAMED_REFUSALS = frozenset({"missing_document", "missing_article", "which_document"})


class QAService:
    def __init__(self, retriever: Retriever, chat_model: BaseChatModel | None = None) -> None:
        self._retriever = retriever
        self._chat_model = chat_model

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
        if intent == Intent.WHICH_SOURCE:
            return self._source_of(question, previous)
        retrieval = self._retriever.search(question, context=context_of(previous))
        if retrieval.exact:
            return extractive_answer(question, retrieval.passages, exact=True)
        if retrieval.refused and retrieval.reason in NAMED_REFUSALS:
            return refusal(question, retrieval)
        if intent == Intent.TASK:
            return Answer(question, messages.TASK_DECLINED, refused=True, reason="task")
        if retrieval.refused:
            return refusal(question, retrieval)
        answer = extractive_answer(
            question, retrieval.passages, exact=False, confidence=retrieval.confidence
        )
        if self._chat_model is None or retrieval.confidence != "high":
            return answer
        return self._generated(question, retrieval.passages) or answer

    def hit_test(self, question: str, k: int = 10) -> HitTest:
        return hit_test(self._retriever, question, k)

    def full_text(self, chunk_id: str) -> list[Passage]:
        return self._retriever.section_of(chunk_id)

    def _source_of(self, question: str, previous: Answer | None) -> Answer:
        if previous is None or not previous.sources:
            return Answer(question, messages.SOURCE_NO_PREVIOUS, refused=True, reason="no_context")
        labels = list(dict.fromkeys(citation(p) for p in previous.sources[:3]))
        text = messages.SOURCE_OF_PREVIOUS.format(citations="、".join(labels))
        return Answer(question, text, refused=False, sources=previous.sources)

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
