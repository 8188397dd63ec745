"""Follow-ups on the chat's previous answer, the same in every channel: 这条出自哪 names its
sources, 下一条 / 上一条 read the neighbouring article of the document it quoted first, 还有吗
quotes the next passages its question found, 全文 shows the whole article."""

from __future__ import annotations

from dataclasses import replace

from bot import messages
from bot.qa.answer import (
    MAX_QUOTED,
    Answer,
    citation,
    extractive_answer,
    quoted_blocks,
    refusal,
)
from bot.qa.intents import Intent
from bot.qa.retriever import Context, Retriever

FOLLOW_UPS = frozenset(
    {
        Intent.WHICH_SOURCE,
        Intent.NEXT_ARTICLE,
        Intent.PREVIOUS_ARTICLE,
        Intent.MORE,
        Intent.FULL_TEXT,
    }
)
# how many passages 还有吗 looks through, in all, before it says there are no more
MORE_DEPTH = 12


class FollowUps:
    def __init__(self, retriever: Retriever) -> None:
        self._retriever = retriever

    def answer(self, intent: Intent, question: str, previous: Answer | None) -> Answer:
        if previous is None:
            return Answer(question, messages.SOURCE_NO_PREVIOUS, refused=True, reason="no_context")
        if not previous.sources:
            text = messages.FOLLOW_UP_AFTER_REFUSAL
            return Answer(question, text, refused=True, reason="no_context")
        if intent == Intent.WHICH_SOURCE:
            return self._source_of(question, previous)
        if intent == Intent.NEXT_ARTICLE:
            return self._neighbour(question, previous, 1)
        if intent == Intent.PREVIOUS_ARTICLE:
            return self._neighbour(question, previous, -1)
        if intent == Intent.MORE:
            return self._more(question, previous)
        return self._full_text(question, previous)

    @staticmethod
    def _source_of(question: str, previous: Answer) -> Answer:
        shown = previous.sources[: max(previous.shown, 1)]
        labels = list(dict.fromkeys(citation(p) for p in shown[:MAX_QUOTED]))
        text = messages.SOURCE_OF_PREVIOUS.format(citations="、".join(labels))
        return _kept(text, previous)

    def _neighbour(self, question: str, previous: Answer, step: int) -> Answer:
        first = previous.sources[0]
        if first.article_no is None or first.document_id is None:
            text = messages.FOLLOW_UP_NOT_ARTICLE
            return Answer(question, text, refused=True, reason="no_article")
        number = first.article_no + step
        if number < 1:
            text = messages.FOLLOW_UP_FIRST_ARTICLE.format(title=first.title)
            return Answer(question, text, refused=True, reason="past_the_end")
        context = Context(document_id=first.document_id, title=first.title, article_no=number)
        retrieval = self._retriever.search(f"第{number}条", context=context)
        asked = f"《{first.title}》第{number}条"
        if not retrieval.exact:  # past the document's end: not a gap in the knowledge base
            # asked as 下一条, so the answer before stays what the next follow-up refers to
            return replace(refusal(asked, retrieval), question=question, reason="past_the_end")
        return extractive_answer(asked, retrieval.passages, exact=True)

    def _more(self, question: str, previous: Answer) -> Answer:
        """The passages the previous question found that were not quoted yet, best first."""
        original = previous.question
        shown = previous.sources[: previous.shown]
        seen = {p.chunk_id for p in shown}
        retrieval = self._retriever.search(original, k=MORE_DEPTH)
        found = [] if retrieval.refused or retrieval.exact else retrieval.passages
        fresh = [p for p in found if p.chunk_id not in seen][:MAX_QUOTED]
        if not fresh:
            return _kept(messages.FOLLOW_UP_NO_MORE, previous)
        start = len(shown) + 1
        text = messages.FOLLOW_UP_MORE_HEADER + "\n\n" + quoted_blocks(fresh, original, start=start)
        rest = [p for p in previous.sources[previous.shown :] if p.chunk_id not in seen]
        sources = fresh + shown + [p for p in rest if p not in fresh]
        return Answer(
            original,
            text,
            refused=False,
            sources=sources,
            confidence="low",
            shown=len(fresh) + len(shown),
        )

    def _full_text(self, question: str, previous: Answer) -> Answer:
        first = previous.sources[0]
        section = self._retriever.section_of(first.chunk_id)
        body = "\n".join(p.text for p in section) if section else messages.SOURCE_MISSING
        return _kept(f"{citation(first)}\n\n{body}", previous)


def _kept(text: str, previous: Answer) -> Answer:
    """An answer about the previous one: it stays what later follow-ups refer to."""
    return Answer(
        previous.question,
        text,
        refused=False,
        sources=list(previous.sources),
        confidence=previous.confidence,
        shown=previous.shown,
    )
