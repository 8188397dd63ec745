"""Offline rules that turn a secretary's sentence or two into a structured activity record.

`parse_report("6月10日上午，张家村党支部开展“…”主题党日活动，应到党员32人，实到28人", today=…)`
gives the date, village, type (and other types named as tags), theme, attendance, place and
host, and whether it is a plan rather than a record. Calibrated on the tuning half of
reports_dev2 (bench.report_parsing reports the held half).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from bot.reports.parsing.activities import (
    date_from_before,
    split_activities,
    starts_with_time_of_day,
)
from bot.reports.parsing.attendance import find_attendance
from bot.reports.parsing.dates import find_date
from bot.reports.parsing.kinds import TYPE_NAMES, find_theme, find_types, fix_slips
from bot.reports.parsing.minutes import (
    count_listed_present,
    count_signed_in,
    find_absent,
    find_decisions,
    find_host,
    find_place,
    find_recorder,
    find_topics,
)
from bot.reports.parsing.places import find_township, find_village
from bot.reports.parsing.plans import is_plan, says_it_happened

__all__ = [
    "TYPE_NAMES",
    "ParsedReport",
    "find_attendance",
    "find_date",
    "find_types",
    "find_village",
    "looks_like_report",
    "parse_activities",
    "parse_report",
]

# full-width digits and the ideographic space, as phones type them: 应到党员２７名
_WIDE = str.maketrans("０１２３４５６７８９\u3000", "0123456789 ")
# no village branch has more members than this: a larger count is a year or a slip (实到 2024)
MAX_COUNT = 500
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
    recorder: str | None = None
    absent: int | None = None
    absent_reasons: str | None = None
    topics: str | None = None
    decisions: str | None = None

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("township")
        data["date"] = self.date.isoformat() if self.date else None
        return data


def parse_report(text: str, *, today: date, villages: Collection[str] = ()) -> ParsedReport:
    """`villages`: the registered branches' names, read as a gazetteer."""
    text = text.translate(_WIDE)
    original = " ".join(text.split())
    theme = find_theme(text)  # before emoji are dropped: they sometimes frame the theme
    as_typed = _EMOJI.sub(" ", text)  # names and places as typed: the slip fixer made 何志远 志愿
    text = fix_slips(as_typed)
    flat = " ".join(text.split())
    lined = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    main_type, tags = find_types(flat)
    expected, attended = _plausible(*find_attendance(text))
    listed = False
    if attended is None:
        attended = count_signed_in(text)
    if attended is None:
        attended = count_listed_present(text)
        listed = attended is not None
        if listed and expected == attended and "应" not in text:
            expected = None  # 参加的党员有：甲、乙…一共8个: the total of those listed
    absent, absent_reasons = find_absent(text)
    if listed and expected is None and absent is not None:  # 出席：甲、乙… 缺席：丙（出差）
        expected = attended + absent if attended is not None else None
    if expected is not None and attended is not None and attended <= expected:
        if absent is not None and attended + absent > expected:
            absent = None  # 应到30 实到28 请假3: one of them is wrong, the card asks
        else:
            absent = expected - attended  # the counts decide: 请假3人 may leave one unexplained
    elif absent is not None and expected is not None and absent > expected:
        absent = None
    activity_date = find_date(lined, today=today, happened=says_it_happened(flat))
    return ParsedReport(
        date=activity_date,
        village=find_village(lined, known=villages),
        type=main_type,
        tags=tags,
        theme=theme,
        expected=expected,
        attended=attended,
        summary=original[:300],
        plan=is_plan(flat, activity_date=activity_date, today=today),
        place=find_place(as_typed),
        host=find_host(as_typed),
        township=find_township(flat),
        recorder=find_recorder(as_typed),
        absent=absent,
        absent_reasons=absent_reasons if absent else None,
        topics=find_topics(text),
        decisions=find_decisions(text),
    )


def _plausible(expected: int | None, attended: int | None) -> tuple[int | None, int | None]:
    """Counts a branch can have. More came than were expected is left to validation: the card
    shows both and asks for the one who came."""
    if expected is not None and not 0 < expected <= MAX_COUNT:
        expected = None
    if attended is not None and not 0 <= attended <= MAX_COUNT:
        attended = None
    return expected, attended


_QUESTION = re.compile(
    r"[?？]|吗$|吗[。！!]?$|呢[。]?$|(?:什么|怎么|怎样|如何|哪些|哪个|哪几|哪一|哪里|哪儿|多久|几次|几步|"
    r"是否|能否|可不可以|要不要|为什么|为啥|啥|咋)|"
    r"([\u4e00-\u9fff])不\1"  # 定不定, 算不算, 行不行: asking, even without a question mark
)


def parse_activities(
    text: str, *, today: date, villages: Collection[str] = ()
) -> list[ParsedReport]:
    """Each activity the message tells of, in order, without the ones it only announces; a
    message that only announces gives its one plan."""
    whole = parse_report(text, today=today, villages=villages)
    segments = split_activities(text, today=today)
    if len(segments) < 2:
        return [_same_day(whole, text, today=today)]
    done: list[ParsedReport] = []
    previous: date | None = None
    for n, segment in enumerate(segments):
        parsed = parse_report(segment, today=today, villages=villages)
        if parsed.date is None:
            inherited = date_from_before(segment, previous) if n else None
            parsed = (
                replace(parsed, date=inherited)
                if inherited
                else _same_day(parsed, segment, today=today)
            )
            if parsed.date is not None and parsed.date > today:
                parsed = replace(parsed, plan=True)
        previous = parsed.date or previous
        if parsed.plan or parsed.type is None or _own_errand(parsed, segment):
            continue
        done.append(
            replace(
                parsed,
                village=parsed.village or whole.village,
                township=parsed.township or whole.township,
            )
        )
    return done or [whole]


def _own_errand(parsed: ParsedReport, segment: str) -> bool:
    """上午到三户脱贫户家里走访 in a 第一书记's diary: a deed of no named kind, with no member and
    no count in it, is the writer's own work beside the branch's activity, not one of them."""
    return parsed.type == "其他" and parsed.attended is None and "党员" not in segment


def _same_day(parsed: ParsedReport, text: str, *, today: date) -> ParsedReport:
    """上午的支委会开完了: a time of day alone, of something done, is the day it was sent."""
    if (
        parsed.date is None
        and not parsed.plan
        and starts_with_time_of_day(text)
        and says_it_happened(" ".join(text.split()))
    ):
        return replace(parsed, date=today)
    return parsed


def looks_like_report(text: str, parsed: ParsedReport) -> bool:
    """A sentence that tells what a branch did or plans to do (“下周准备组织党员去敬老院”: the plan
    is the fact), as opposed to a question about policy."""
    if _QUESTION.search(text):
        return False
    has_activity = parsed.type is not None
    has_fact = parsed.date is not None or parsed.attended is not None or parsed.plan
    return has_activity and has_fact
