"""What a refusal names: whose rule or figure the knowledge base lacks, as the question says it
and the knowledge base uses it. Nothing here decides whether to refuse.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from bot.qa.concept import Concept
from bot.qa.fact_kinds import FactKind, act_span
from bot.qa.vocabulary import question_words, word_class

_MODALS = ("才能", "不能", "可以", "能够", "应该", "需要", "必须")


def fact_owner(
    question: str,
    fact: FactKind,
    focal: Concept,
    known: Sequence[Concept],
    knowledge: Container[str],
) -> str:
    """Whose figure is missing: the thing the asking words count, said right after them in
    their clause (乡镇公务员一年有几天年休假: 年休假), when it is more specific than the focal
    concept (支委会有几名委员 stays 支委会); else the widest phrase around the focal concept
    that the knowledge base uses."""
    counted = _counted(question, fact, known)
    if counted is not None and counted.specificity > focal.specificity:
        return counted.word
    return widest_used(focal.word, question, knowledge)


# not fact_stated._counted: any kind asked names the thing (几天年休假), not only 几个 / 几次
def _counted(question: str, fact: FactKind, known: Sequence[Concept]) -> Concept | None:
    words = question_words(act_span(question, fact))
    if not words or words[0] in _MODALS or word_class(words[0]).startswith("v"):
        return None
    return next((c for c in known if c.word == words[0]), None)


def head_after(word: Concept, nouns: Sequence[Concept], question: str) -> bool:
    """Whether the word is said (first) right after a noun the knowledge base uses: the head
    of their phrase (农村低保: a kind of 低保), what a figure asked is of."""
    at = question.find(word.word)
    return at > 0 and any(question[:at].endswith(c.word) for c in nouns if c is not word)


def widest_used(word: str, question: str, knowledge: Container[str]) -> str:
    """The longest run of the question's words around `word`, said together, that the
    knowledge base uses: a refusal names 村务监督委员会, not 村务 (jieba's 村务 / 监督 / 委员会)."""
    spans, at = [], 0
    for token in question_words(question):
        start = question.find(token, at)
        if start >= 0:
            spans.append((start, start + len(token)))
            at = start + len(token)
    middle = next((i for i, (a, b) in enumerate(spans) if question[a:b] == word), None)
    if middle is None:
        return word
    best = word
    for low in range(middle, -1, -1):
        if low < middle and spans[low][1] != spans[low + 1][0]:
            break
        for high in range(middle, len(spans)):
            if high > middle and spans[high][0] != spans[high - 1][1]:
                break
            phrase = question[spans[low][0] : spans[high][1]]
            if len(phrase) > len(best) and phrase in knowledge:
                best = phrase
    return best
