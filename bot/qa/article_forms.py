"""How an article is asked for when typed on a phone: 党章第55条, 党章 第 55 条, 党章55, 党章第
五十五, 党章第５５条, 党章五十五条讲的啥, 党章第31、32条, 党章第31至33条, 党章地55条 (第 by its
sound), 党章第55跳 (条 by its sound), 党章第55款 (款 for 条 where no 条 is asked), and 55条
alone. Only the number and where it stands are read here; the name before it is the
catalog's (bot/qa/documents.py)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import cn2an

from ingest.numerals import parse_number

NUMERAL = r"[零〇一二三四五六七八九十百千两\d]+"
# the financial forms of the numerals (壹佰零贰), read as the common ones
_FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
_LIST = r"(?:、|和|与|及|以及|跟|至|到|-|—|~|～)"
_RANGE = frozenset("至到-—~～")
# 第 typed by its sound (地, 弟) counts only after a document's name
_REFERENCE = re.compile(
    rf"(?P<di>[第地弟])?(?P<numbers>{NUMERAL}(?:条?{_LIST}第?{NUMERAL})*)"
    r"(?P<unit>条(?![例件款])|跳|tiao|款|项)?"
)
ARTICLE_UNITS = frozenset({"条", "跳", "tiao"})
# what may follow a number typed after a name without 条 (党章55, 村组法14讲的啥, 党章2 念下)
_AFTER_BARE = re.compile(
    r"$|[，。？！?!,.;；、]|讲|说|写|是|有|内容|原文|全文|规定|呢|吗|啥|什么|咋|怎么|发|给|看|那"
    r"|念|读|翻|查|找|调|贴|复制"
)
# a message that asks for an article alone: (那)55条(讲的啥)
_OPENER = re.compile(
    r"^(?:那|那么|好|嗯|请|麻烦|帮我|给我|我想|我要)?(?:看|看看|查|查查|查一下|说说|讲讲|发|来|问|问问)?"
    r"(?:一下)?$"
)
_ABOUT_ONLY = re.compile(
    r"^(?:都|主要)?(?:讲的|说的|写的|规定的|讲了|说了|写了|规定了|包括)?(?:是|有)?(?:些)?"
    r"(?:啥|什么|哪些|哪几条)?(?:意思|内容)?(?:内容|原文|全文)?(?:呢|吗|吧|啊|呀)?[？?。！!]*$"
)
# a part of a document asked for whole: 党章第三章, 细则附则, 党章总纲 (讲的啥)
_PART = re.compile(
    rf"^(?P<before>.*?)(?P<part>第(?P<number>{NUMERAL})[章编]|总纲|总则|附则)(?P<after>.*)$"
)
# what stands between a name and its number: 党章的55条, 党章里面第55条, 纪律处分条例，102条
_BETWEEN = re.compile(r"(?:的|里面|里头|里|中|之|上|-|—|－|，|,|：|:|、)+$")
MAX_ARTICLES = 5
FIRST_YEAR = 1900  # 党章2022: an edition, not an article


@dataclass(frozen=True)
class Reference:
    numbers: tuple[int, ...]
    before: str  # the text before it, what stands between it and a name removed
    after: str
    sounded: bool  # 第 typed by its sound (地)
    unit: str | None  # 条 (or its slips), 款, 项, or None: a bare number
    said_di: bool  # 第 typed

    @property
    def of_article(self) -> bool:
        return self.unit in ARTICLE_UNITS

    @property
    def bare(self) -> bool:
        """A number after a name without 条 (党章55, 党章第五十五款): an article only there."""
        if self.unit is None:
            first = self.numbers[0]
            return bool(_AFTER_BARE.match(self.after)) and (self.said_di or first < FIRST_YEAR)
        return self.said_di and self.unit in ("款", "项")

    @property
    def alone(self) -> bool:
        """55条 or 那五十五条呢: the whole message asks for the article."""
        return asks_alone(self.before) and bool(_ABOUT_ONLY.match(self.after))


def part_asked(text: str) -> tuple[str, str] | None:
    """(what stands before it, the part) when the message asks for a chapter whole: 第三章 (as
    its heading numbers it), 总纲, 附则."""
    found = _PART.match(text)
    if found is None or not _ABOUT_ONLY.match(found.group("after")):
        return None
    part = found.group("part")
    if found.group("number"):
        number = parse_number(found.group("number"))
        if number is None or number <= 0:
            return None
        part = f"第{cn2an.an2cn(number)}{part[-1]}"
    return _BETWEEN.sub("", found.group("before")), part


def asks_alone(before: str) -> bool:
    """Nothing but the words that open a request stands before what is asked (那, 看看)."""
    return bool(_OPENER.match(before))


def normalized(text: str) -> str:
    """Without spaces, with the common digits and numerals: 党 章 第 ５５ 条 → 党章第55条."""
    text = "".join(text.split()).translate(_FINANCIAL)
    return "".join(unicodedata.normalize("NFKC", c) if c.isdigit() else c for c in text)


def references(text: str) -> Iterator[Reference]:
    """Every number in `text` that may name articles, in order."""
    for match in _REFERENCE.finditer(text):
        written, unit, end = match.group("numbers"), match.group("unit"), match.end()
        if unit not in ARTICLE_UNITS and "条" in written:
            # 第10条和二十大: the list went on past the article asked
            written, unit = written[: written.index("条")], "条"
            end = match.start("numbers") + len(written) + 1
        numbers = _numbers(written)
        if not numbers:
            continue
        di = match.group("di") or ""
        if unit is None and "条" in text[end:]:
            continue  # 第三章第十条: the number asked is the article's
        yield Reference(
            numbers,
            _BETWEEN.sub("", text[: match.start()]),
            text[end:],
            sounded=di not in ("", "第"),
            unit=unit,
            said_di=bool(di),
        )


def _numbers(written: str) -> tuple[int, ...]:
    """31、32 → (31, 32); 31至33 → (31, 32, 33); at most MAX_ARTICLES of them."""
    parts = re.split(rf"条?({_LIST})第?", written)
    first = parse_number(parts[0])
    if first is None:
        return ()
    numbers = [first]
    for separator, part in zip(parts[1::2], parts[2::2], strict=True):
        number = parse_number(part)
        if number is None:
            break
        if separator in _RANGE and number > numbers[-1]:
            numbers += range(numbers[-1] + 1, number + 1)
        elif number not in numbers:
            numbers.append(number)
    return tuple(numbers[:MAX_ARTICLES])
