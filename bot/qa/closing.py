"""What a named document says of itself: the closing article that answers it quoted first.

机关党建那个条例 修订后啥时候开始执行 is answered by the regulation's own 「本条例自发布之日起
施行」, 村委会组织法的实施办法该谁来定 by the law's 「…根据本法…制定实施办法」: the document
named is what is asked about, not the source of a rule about something else. Searched like any
question, such an article scores low (it shares the document's name with every article), and
the re-ranker, which weighs how much of the question a passage carries, puts it far down. When a
question naming a document asks when the document takes effect, who interprets it, or who makes
the rules implementing it, the document's article saying so goes first — among the whole
document, not only the passages found. Nothing else moves, and the refusal decision never reads
this order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from bot.db.knowledge import ChunkRow
from bot.qa.clauses import CLAUSE_BREAKS
from bot.qa.rerank import Candidate

T = TypeVar("T")

_WHEN = r"(?:啥|什么|哪个?)(?:时候|时间|日子|年|月)|哪(?:一)?天|何时|几号|多会儿?"
_EFFECT = r"(?:开始|正式|才|就|起)?(?:施行|实行|执行|生效|实施|起效|管用)"
# 啥时候开始执行, 从哪天起施行, 施行日期是哪天
EFFECT_ASKED = re.compile(
    rf"(?:{_WHEN})(?:起|开始)?{_EFFECT}|从(?:{_WHEN})起|(?:施行|生效|实施)(?:的)?(?:时间|日期|日子)"
)
# what may come before the time asked in its clause: the document itself (…条例, 本法), or how
# it is pointed at (修订后, 新的, 这个); not another subject (处分决定什么时候生效)
_DOCUMENT_BEFORE = re.compile(
    r"(?:^|(?:条例|法|细则|章程|党章|规定|办法|规则|准则)的?|修订后?|修改后?|出台后?|发布后?|颁布后?|"
    r"新的|新版|新修订的|这个|这部|这本|该|它)(?:到底|究竟|具体|是|又)?$"
)
INTERPRET_ASKED = re.compile(
    r"解释.{0,4}(?:谁|哪个|哪家|哪级|哪一级|什么部门|啥部门)"
    r"|(?:谁|哪个部门|哪家|哪级|哪一级|什么部门|啥部门).{0,4}(?:来|负责|有权)?解释"
)
# rules made to implement the document: 实施办法, 实施细则, 细的规定, 配套办法 (not the bare
# 细则, which names 发展党员工作细则 itself)
RULES_ASKED = re.compile(
    r"实施(?:办法|细则|规定|意见)|具体(?:办法|规定)|细的规定|细化(?:的)?(?:规定|办法)?"
    r"|配套(?:的)?(?:办法|规定|制度)|单项(?:实施)?规定|补充规定"
)

_ARTICLE = r"^\s*第[一二三四五六七八九十百零]+条"
EFFECT_ARTICLE = re.compile(_ARTICLE + r"[^。]*自[^。]{0,20}起施行")
INTERPRET_ARTICLE = re.compile(_ARTICLE + r"[^。]*负责解释")
RULES_ARTICLE = re.compile(_ARTICLE + r"[^。]*根据本(?:法|条例|细则|章程|规定|办法)[^。]*制定")


_KIND = re.compile(r"条例|法|细则|章程|党章|规定|办法|规则|准则")


def names_a_kind(question: str) -> bool:
    """Whether the question speaks of a document by its kind (这个条例, 那部法): with no
    document named, the one the passages found come from is meant."""
    return _KIND.search(question) is not None


def _effect_asked(question: str) -> bool:
    for clause in CLAUSE_BREAKS.split(question):
        for match in EFFECT_ASKED.finditer(clause):
            if _DOCUMENT_BEFORE.search(clause[: match.start()]):
                return True
    return False


def provision_asked(question: str) -> re.Pattern[str] | None:
    """The form of the closing article that answers what `question` asks of its document —
    when it takes effect, who interprets it, who makes its implementing rules — or None."""
    if _effect_asked(question):
        return EFFECT_ARTICLE
    if any(INTERPRET_ASKED.search(clause) for clause in CLAUSE_BREAKS.split(question)):
        return INTERPRET_ARTICLE
    if RULES_ASKED.search(question):
        return RULES_ARTICLE
    return None


def provision_first(
    ranked: Sequence[T],
    article: re.Pattern[str],
    document: Iterable[T],
    text_of: Callable[[T], str],
    same: Callable[[T, T], bool],
) -> list[T]:
    """`ranked` with the article of form `article` of `document` (its passages in order) first:
    the best-ranked one, else the first in the document; `ranked` as it was if it has none."""
    ranked = list(ranked)
    articles = [d for d in document if article.search(text_of(d))]
    if not articles:
        return ranked
    found = next((r for r in ranked if any(same(r, d) for d in articles)), articles[0])
    return [found, *(r for r in ranked if not same(r, found))]


Ranked = tuple[Candidate, float | None]


def closing_first(
    question: str,
    ranked: list[Ranked],
    named: bool,
    document_of: Callable[[str], Mapping[str, ChunkRow]],
) -> list[Ranked]:
    """`ranked` (the re-ranker's order) with the closing article asked for first, taken from
    the document named (`named`), else — when the question speaks of a document by its kind —
    from the first passage's; `document_of(chunk id)` gives that document's passages."""
    provision = provision_asked(question)
    if provision is None or not ranked or not (named or names_a_kind(question)):
        return ranked
    rows = sorted(document_of(ranked[0][0].chunk_id).values(), key=lambda r: r.article_no or 0)
    return provision_first(
        ranked,
        provision,
        [(Candidate(r.id, r.heading, r.text, 0.0, None, None), None) for r in rows],
        lambda r: r[0].text,
        lambda a, b: a[0].chunk_id == b[0].chunk_id,
    )
