"""The Q&A service every channel uses (terminal, Telegram, …); knows nothing of channels."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from bot import messages
from bot.qa.answer import Answer, citation, extractive_answer
from bot.qa.llm import generate_grounded_answer
from bot.qa.retriever import Passage, Retriever

MAX_QUESTION_CHARS = 500
LLM_PASSAGES = 4


class QAService:
    def __init__(self, retriever: Retriever, chat_model: BaseChatModel | None = None) -> None:
        self._retriever = retriever
        self._chat_model = chat_model

    def ask(self, question: str) -> Answer:
        question = " ".join(question.split())
        if not question:
            return Answer(question, messages.EMPTY_QUESTION, refused=True)
        if len(question) > MAX_QUESTION_CHARS:
            text = messages.QUESTION_TOO_LONG.format(limit=MAX_QUESTION_CHARS)
            return Answer(question, text, refused=True)
        retrieval = self._retriever.search(question)
        answer = extractive_answer(question, retrieval.passages, exact=retrieval.exact)
        if answer.refused or retrieval.exact or self._chat_model is None:
            return answer
        return self._generated(question, retrieval.passages) or answer

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
