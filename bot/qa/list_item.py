"""Whether a passage lists what a list question asks for, or names the thing asked about only
as one item of a list of something else: 个人有关事项报告都要报哪些内容 is not answered by an
article listing misconduct whose first item is 违反个人有关事项报告规定. Nothing here names a
topic; only how lists are written (（一）… items) and how a list is asked (哪些, 哪几)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.qa.clauses import FIGURE_CLAUSE_BREAKS, asks
from bot.qa.passages import Passage

# a list asked: 有哪些内容, 哪几个方面
LIST_ASKED = re.compile(r"哪些|哪几")
# an enumerated item's line: （一）, （二）…
_ITEM = re.compile(r"^\s*（[一二三四五六七八九十]+）")
_SENTENCE_END = re.compile(r"[。；！？]")
# an item that lists the parts of the thing it names (坚持农业农村优先发展，在干部配备上优先考虑，
# 在要素配置上优先满足，在资金投入上…) says what was asked in itself: at least this many parts
# after it in its sentence
ITEM_PARTS = 3
_PART_BREAKS = re.compile(r"[，、]")
# the kind of item a list asks for: the two characters after its asking words (哪些内容: 内容)
_ITEM_KIND = re.compile(r"(?:哪些|哪几[个种类项条]?)([\u4e00-\u9fff]{2})")


def only_an_item_asked(question: str, focus: Sequence[str], first: Passage) -> bool:
    """A list asked (都要报哪些内容) whose focus the passage quoted first names only as an item
    of a list of something else, and whose kind of item (内容) it never names."""
    text = first.heading + first.text
    return list_asked(question) and only_an_item(focus, text) and kind_unnamed(question, text)


def list_asked(question: str) -> bool:
    """Whether a clause that asks asks for a list (有哪些, 哪几个)."""
    return any(
        asks(clause) and LIST_ASKED.search(clause)
        for clause in FIGURE_CLAUSE_BREAKS.split(question)
    )


def only_an_item(focus: Sequence[str], passage: str) -> bool:
    """Whether the passage names the focus only inside enumerated items, none of which lists
    parts of it: the list is of something else, the focus one of its items."""
    lines = passage.split("\n")
    items = [line for line in lines if _ITEM.match(line)]
    if not items or any(form in line for line in lines if not _ITEM.match(line) for form in focus):
        return False
    naming = [line for line in items if any(form in line for form in focus)]
    return bool(naming) and not any(_lists_parts(line, focus) for line in naming)


def kind_unnamed(question: str, passage: str) -> bool:
    """Whether the kind of item the list asks for (内容, 方面, 处分) is not named by the
    passage: a list of misconduct says no 内容 of a report; asked with no kind (有哪些), True."""
    found = _ITEM_KIND.search(question)
    return found is None or found.group(1) not in passage


def _lists_parts(item: str, focus: Sequence[str]) -> bool:
    for form in focus:
        at = item.find(form)
        if at < 0:
            continue
        rest = _SENTENCE_END.split(item[at + len(form) :], maxsplit=1)[0]
        if len(_PART_BREAKS.findall(rest)) + 1 >= ITEM_PARTS:
            return True
    return False
