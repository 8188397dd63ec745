"""The body of rules a question asks under: 党纪上咋说 asks the Party's discipline rules, 法律上
有没有 the state's laws — an article of another kind of document does not answer it.

村干部明明能救人却躲起来了 党纪咋说 is answered by the discipline regulation's article on
能救而不救, but the village committee law's articles on its members came first: they name 村干部
more often. When a question says which rules it asks under — Party discipline (党纪, 违纪) or the
law (法律上, 按法律) — and the passage about to be quoted first is from no document of that kind,
the first of the quoted five that is goes first. The kind is read from the document's title
(a Party rule's opens 中国共产党; a law's ends in 法), never from a list of documents. Nothing
else moves, and the refusal decision never reads this order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.qa.doc_names import kind_of

T = TypeVar("T")

WINDOW = 5  # only among the passages quoted

DISCIPLINE_ASKED = re.compile(r"党纪|违纪|违反纪律|纪律上")
LAW_ASKED = re.compile(
    r"法律上|按法律|依照法律|法律(?:咋|怎么|有没有|规定|允许|管不管|提)|国家法律|违法不|违法吗"
)


def _discipline(title: str) -> bool:
    """A Party rule (党章, a 条例, a 细则), not a state law: Party discipline is laid down in
    all of them, not only in the one whose name says 纪律."""
    return title.startswith("中国共产党") or kind_of(title) == "章程"


def _law(title: str) -> bool:
    return kind_of(title) == "法"


def source_asked(question: str) -> Callable[[str], bool] | None:
    """Which documents' titles are of the kind of rules the question asks under, or None."""
    if DISCIPLINE_ASKED.search(question):
        return _discipline
    if LAW_ASKED.search(question):
        return _law
    return None


def source_first(question: str, ranked: Sequence[T], title_of: Callable[[T], str]) -> list[T]:
    """`ranked` with the first of the quoted five from a document of the kind of rules asked
    moved first, when the first is of another kind; else as it was."""
    ranked = list(ranked)
    of_kind = source_asked(question)
    if of_kind is None or not ranked or of_kind(title_of(ranked[0])):
        return ranked
    found = next((r for r in ranked[:WINDOW] if of_kind(title_of(r))), None)
    if found is None:
        return ranked
    return [found, *(r for r in ranked if r is not found)]
