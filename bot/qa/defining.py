"""What a thing is, or what a regulation is for: the article saying so quoted first.

党的纪律说白了到底是个啥 is answered by 党章's article that opens 「党的纪律是…」, but the
re-ranker put 「党的纪律主要包括…」 first: both name the concept, only one says what it is.
国家当初为啥要专门立一部村委会组织法 立法目的是啥 is answered by the law's purpose article
(「第一条 为了…，制定本法」). When a question asks what its focal concept is, in the same
clause (是个啥, 是什么, 算哪类, 啥地位, 属于什么), the first of the passages about to be quoted
whose article opens by saying what that concept is (「第N条 X是…」 or 「X为…」) goes first; when
it asks a regulation's purpose (目的是啥, 为啥要立), the first of them that is a purpose article
does. Nothing else moves, and the refusal decision never reads this order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.qa.clauses import CLAUSE_BREAKS

T = TypeVar("T")

WINDOW = 5  # only among the passages quoted
# (not 程序是什么, 条件是啥: a procedure or a condition asked, not what the concept is)
WHAT_ASKED = re.compile(
    r"(?<!程序)(?<!流程)(?<!步骤)(?<!条件)(?<!标准)(?<!内容)(?<!要求)(?<!手续)(?<!时间)"
    r"是(?:个|一个)?(?:什么|啥)(?!时候|时间|条件|标准|程序|流程|步骤|手续|内容|样|意思)"
    r"|算(?:个|是)?(?:啥|什么|哪类|哪种|哪一类)(?!问题|违纪|处分)"
    r"|(?:啥|什么)(?:地位|性质)"
    r"|属于(?:啥|什么|哪)"
)
PURPOSE_ASKED = re.compile(r"(?:目的|宗旨)是(?:啥|什么)|为(?:啥|什么)要?(?:专门)?(?:立|制定|出台)")
_ARTICLE_OPENING = r"^\s*第[一二三四五六七八九十百零]+条[\s　]*"
_PURPOSE_ARTICLE = re.compile(_ARTICLE_OPENING + r"为了[^。]*制定本")


def concept_asked(question: str, focal: Sequence[str]) -> bool:
    """Whether a clause of the question asks what its focal concept is (either form)."""
    return any(
        WHAT_ASKED.search(clause) and any(form in clause for form in focal)
        for clause in CLAUSE_BREAKS.split(question)
    )


def defines(text: str, forms: Sequence[str]) -> bool:
    """Whether the article opens by saying what one of `forms` is (「第二条 党员教育管理是…」;
    a few characters may come before it, 党员 before 教育管理; 为了 is no copula)."""
    return any(
        re.search(_ARTICLE_OPENING + rf"[^。；\n，]{{0,4}}{re.escape(form)}(?:是|为)(?!了)", text)
        for form in forms
        if form
    )


def states_purpose(text: str) -> bool:
    """Whether the article is a regulation's purpose article (「第一条 为了…，制定本法」)."""
    return _PURPOSE_ARTICLE.search(text) is not None


def definition_first(
    question: str, focal: Sequence[str], ranked: Sequence[T], text_of: Callable[[T], str]
) -> list[T]:
    """`ranked` with the passage answering what is asked of the concept's definition or the
    regulation's purpose moved first (from within the first WINDOW), else as it was."""
    ranked = list(ranked)
    if PURPOSE_ASKED.search(question):
        found = next((r for r in ranked[:WINDOW] if states_purpose(text_of(r))), None)
    elif focal and concept_asked(question, focal):
        found = next((r for r in ranked[:WINDOW] if defines(text_of(r), focal)), None)
    else:
        found = None
    if found is None or found is ranked[0]:
        return ranked
    return [found, *(r for r in ranked if r is not found)]
