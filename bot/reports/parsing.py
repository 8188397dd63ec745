"""Offline rules that turn a secretary's sentence or two into a structured activity record.

`parse_report("6月10日上午，张家村党支部开展“…”主题党日活动，应到党员32人，实到28人", today=…)`
gives the date, village, type (and other types named as tags), theme and attendance.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from ingest.numerals import parse_number

NUM = r"(\d{1,4}|[零〇一二三四五六七八九十百两]{1,5})"
CN_SMALL = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"

# (type, the words that name it), in the order used when nothing else decides
ACTIVITY_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("主题党日", ("主题党日", "党日活动")),
    ("组织生活会", ("组织生活会",)),
    ("民主评议党员", ("民主评议党员", "民主评议")),
    ("支部党员大会", ("支部党员大会", "党员大会", "支部大会")),
    ("支部委员会", ("支部委员会", "支委会", "支委扩大会")),
    ("党小组会", ("党小组会",)),
    ("党课", ("专题党课", "微党课", "党课")),
    ("志愿服务", ("志愿服务", "志愿活动")),
    ("集中学习", ("集中学习", "专题学习")),
)
TYPE_NAMES = (*(name for name, _ in ACTIVITY_TYPES), "其他")
_ACTIVITY_VERB = re.compile(r"召开|开展|组织|举行|举办|开了|讲|上了|进行|参加")
_VERB_REACH = 24

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(r"(\d{4})\s*年\s*" + CN_SMALL + r"\s*月\s*" + CN_SMALL + r"\s*[日号]")),
    ("md", re.compile(CN_SMALL + r"\s*月\s*" + CN_SMALL + r"\s*[日号]")),
    # 6.10 is a date; 3.5亩 or 1.5万元 is not
    (
        "dotted",
        re.compile(
            r"(?<![\d.])(\d{1,2})[.．](\d{1,2})(?![\d.]|\s*[亩元万米里吨斤%倍个人名公千克])"
        ),
    ),
    ("this_month", re.compile(r"(?:本月|这个月)\s*" + CN_SMALL + r"\s*[日号]")),
    ("day", re.compile(r"(?<![\d月])" + CN_SMALL + r"\s*号")),
    ("relative", re.compile(r"今天|今日|昨天|昨日|前天|大前天")),
    ("week", re.compile(r"(本|这|上)?\s*(?:周|星期|礼拜)([一二三四五六日天七])")),
)
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}

_VILLAGE = re.compile(
    r"(?:^|[，,。；;：:、\s“”\"]|上午|下午|晚上|中午|早上|今天|昨天|前天|[日号]|为|在|到|给|和|与|组织|帮助)"
    r"([\u4e00-\u9fff]{1,4}?村)"
)
# Words that end whatever came before a village's name ("昨天下午李庄村" -> "李庄村").
_BEFORE_NAME = (
    re.compile(r".*(?:上午|下午|中午|晚上|早上|今天|昨天|前天)"),
    # one-character words only when something precedes them: 和平村 is a name, 安排和村 is not
    re.compile(r".+(?:和|在|的|了|与|及|到|为|给)"),
    re.compile(r"^(?:在|的|了|到|为|给)"),
)
_NOT_VILLAGES = {
    "哪些村",
    "哪个村",
    "几个村",
    "全村",
    "本村",
    "该村",
    "各村",
    "每村",
    "我村",
    "村村",
    "一村",
    "两村",
    "行政村",
    "自然村",
}

_ATTENDANCE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("all", re.compile(NUM + r"\s*名支委(?:委员)?全部(?:参加|到会|出席)")),
    ("expected", re.compile(r"应(?:到|参会|参加|出席)(?:会)?(?:党员)?\s*" + NUM)),
    ("attended", re.compile(r"实(?:到|参会|参加|出席)(?:会)?(?:党员)?\s*" + NUM)),
    ("expected", re.compile(r"(?:全村|全支部|支部共有|共有)\s*" + NUM + r"\s*名?党员")),
    ("expected", re.compile(r"(?:全村|全支部)(?:共有)?党员\s*" + NUM)),
    ("attended", re.compile(r"有\s*" + NUM + r"\s*(?:人|名)(?:党员)?(?:参加|参会|到会|出席)")),
    (
        "attended",
        re.compile(
            r"(?:到会|参会|参加|参评|出席)(?:的)?党员(?:共计|共|计)?\s*" + NUM + r"\s*[人名]"
        ),
    ),
    ("attended", re.compile(r"党员(?:志愿者)?\s*" + NUM + r"\s*[人名](?:到|参加|参与|出席)")),
    ("attended", re.compile(r"(?<![应实预备])" + NUM + r"\s*(?:人|名党员)(?:参加|参会|到会|出席)")),
)

_THEME_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
_THEME_BOOK = re.compile(r"《([^》]{2,60})》")
_THEME_LEAD = re.compile(r"(?:题目|主题|题为|以|为题|党课|讲座)[是为：:]?\s*$")


@dataclass(frozen=True)
class ParsedReport:
    date: date | None
    village: str | None
    type: str | None
    tags: list[str] = field(default_factory=list)
    theme: str | None = None
    expected: int | None = None
    attended: int | None = None
    summary: str = ""

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


def parse_report(text: str, *, today: date) -> ParsedReport:
    text = " ".join(text.split())
    main_type, tags = find_types(text)
    expected, attended = find_attendance(text)
    return ParsedReport(
        date=find_date(text, today=today),
        village=find_village(text),
        type=main_type,
        tags=tags,
        theme=find_theme(text),
        expected=expected,
        attended=attended,
        summary=text[:300],
    )


# -- date -----------------------------------------------------------------------------------------


def find_date(text: str, *, today: date) -> date | None:
    """The first date the text names, resolved against the day it was sent."""
    found: list[tuple[int, date | None]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            found.append((match.start(), _resolve(kind, match, today)))
    found = [f for f in found if f[1] is not None] or found
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _resolve(kind: str, match: re.Match[str], today: date) -> date | None:
    try:
        if kind == "ymd":
            return date(int(match.group(1)), _n(match.group(2)), _n(match.group(3)))
        if kind in ("md", "dotted"):
            resolved = date(today.year, _n(match.group(1)), _n(match.group(2)))
            # a report sent in January about 28 December
            return (
                resolved
                if resolved <= today + timedelta(days=7)
                else resolved.replace(year=today.year - 1)
            )
        if kind in ("this_month", "day"):
            resolved = today.replace(day=_n(match.group(1)))
            if kind == "day" and resolved > today + timedelta(days=7):
                previous = today.replace(day=1) - timedelta(days=1)
                resolved = previous.replace(day=_n(match.group(1)))
            return resolved
        if kind == "relative":
            return today - timedelta(days=_RELATIVE_DAYS[match.group(0)])
        if kind == "week":
            monday = today - timedelta(days=today.weekday())
            if match.group(1) == "上":
                monday -= timedelta(days=7)
            return monday + timedelta(days=_WEEKDAYS[match.group(2)])
    except (ValueError, TypeError):
        return None
    return None


def _n(text: str) -> int:
    number = parse_number(text)
    if number is None:
        raise ValueError(text)
    return number


# -- village, type, theme, attendance -------------------------------------------------------------


def find_village(text: str) -> str | None:
    for match in _VILLAGE.finditer(text):
        name = match.group(1)
        for words in _BEFORE_NAME:
            name = words.sub("", name)
        if len(name) < 2:
            continue
        if name in _NOT_VILLAGES or name.endswith(("全村", "本村")):
            continue
        return name
    return None


def find_types(text: str) -> tuple[str | None, list[str]]:
    """The activity the text reports (the one a verb such as 召开/开展 introduces), and the rest."""
    mentions: list[tuple[int, str]] = []
    for name, words in ACTIVITY_TYPES:
        positions = [m.start() for word in words for m in re.finditer(re.escape(word), text)]
        if positions:
            mentions.append((min(positions), name))
    if not mentions:
        return None, []
    mentions.sort()
    main = None
    for verb in _ACTIVITY_VERB.finditer(text):
        reachable = [
            (position, name)
            for position, name in mentions
            if verb.end() <= position <= verb.end() + _VERB_REACH
            and not re.search(r"[，。；,;]", text[verb.end() : position])
        ]
        if reachable:
            main = reachable[0][1]
            break
    if main is None:
        main = mentions[0][1]
    return main, [name for _, name in mentions if name != main]


def find_theme(text: str) -> str | None:
    quoted = _THEME_QUOTE.search(text)
    if quoted:
        return quoted.group(1).strip()
    for book in _THEME_BOOK.finditer(text):
        before = text[max(0, book.start() - 6) : book.start()]
        after = text[book.end() : book.end() + 6]
        if _THEME_LEAD.search(before) or re.match(r"(?:主题党日|党课|专题)", after):
            return book.group(1).strip()
    return None


def find_attendance(text: str) -> tuple[int | None, int | None]:
    expected = attended = None
    for role, pattern in _ATTENDANCE:
        match = pattern.search(text)
        if not match:
            continue
        number = parse_number(match.group(1))
        if number is None:
            continue
        if role == "all":
            expected = expected if expected is not None else number
            attended = attended if attended is not None else number
        elif role == "expected" and expected is None:
            expected = number
        elif role == "attended" and attended is None:
            attended = number
    return expected, attended


_QUESTION = re.compile(
    r"[?？]|吗$|吗[。！!]?$|(?:什么|怎么|怎样|如何|哪些|哪个|多久|几次|是否|能否|可不可以|要不要)"
)


def looks_like_report(text: str, parsed: ParsedReport) -> bool:
    """A sentence that tells what a branch did, as opposed to a question about policy."""
    if _QUESTION.search(text):
        return False
    has_activity = parsed.type is not None
    has_fact = parsed.date is not None or parsed.attended is not None
    return has_activity and has_fact
