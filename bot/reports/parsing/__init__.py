"""Offline rules that turn a secretary's sentence or two into a structured activity record.

`parse_report("6月10日上午，张家村党支部开展“…”主题党日活动，应到党员32人，实到28人", today=…)`
gives the date, village, type (and other types named as tags), theme, attendance, place and
host, and whether it is a plan rather than a record. Calibrated on the tuning half of
reports_dev2 (bench.report_parsing reports the held half).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import date

from bot.reports.parsing.attendance import find_attendance
from bot.reports.parsing.dates import find_date
from bot.reports.parsing.kinds import TYPE_NAMES, find_theme, find_types, fix_slips
from bot.reports.parsing.places import find_host, find_place, find_township, find_village
from bot.reports.parsing.plans import is_plan, says_it_happened

__all__ = [
    "TYPE_NAMES",
    "ParsedReport",
    "find_attendance",
    "find_date",
    "find_types",
    "find_village",
    "looks_like_report",
    "parse_report",
]

_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")


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
    plan: bool = False
    place: str | None = None
    host: str | None = None
    township: str | None = None

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("township")
        data["date"] = self.date.isoformat() if self.date else None
        return data


def parse_report(text: str, *, today: date, villages: Collection[str] = ()) -> ParsedReport:
    """`villages`: the registered branches' names, read as a gazetteer."""
    original = " ".join(text.split())
    theme = find_theme(text)  # before emoji are dropped: they sometimes frame the theme
    text = fix_slips(_EMOJI.sub(" ", text))
    flat = " ".join(text.split())
    main_type, tags = find_types(flat)
    expected, attended = find_attendance(text)
    activity_date = find_date(flat, today=today, happened=says_it_happened(flat))
    return ParsedReport(
        date=activity_date,
        village=find_village(flat, known=villages),
        type=main_type,
        tags=tags,
        theme=theme,
        expected=expected,
        attended=attended,
        summary=original[:300],
        plan=is_plan(flat, activity_date=activity_date, today=today),
        place=find_place(flat),
        host=find_host(flat),
        township=find_township(flat),
    )


_QUESTION = re.compile(
    r"[?？]|吗$|吗[。！!]?$|(?:什么|怎么|怎样|如何|哪些|哪个|多久|几次|是否|能否|可不可以|要不要)|"
    r"([\u4e00-\u9fff])不\1"  # 定不定, 算不算, 行不行: asking, even without a question mark
)


def looks_like_report(text: str, parsed: ParsedReport) -> bool:
    """A sentence that tells what a branch did or plans to do (“下周准备组织党员去敬老院”: the plan
    is the fact), as opposed to a question about policy."""
    if _QUESTION.search(text):
        return False
    has_activity = parsed.type is not None
    has_fact = parsed.date is not None or parsed.attended is not None or parsed.plan
    return has_activity and has_fact
