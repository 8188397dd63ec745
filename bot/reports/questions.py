"""Questions about the ledger: “六月份哪些村开展了志愿服务？”, “张家村今年开了几次主题党日？”.

The month, village and activity type a question names become filters on the confirmed
reports, always within what the asker may see (a secretary: their own village).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot import messages
from bot.accounts import Member
from bot.reports.index import ReportIndex
from bot.reports.parsing import find_types, find_village
from bot.reports.parsing.plans import says_it_happened
from bot.reports.rows import ReportRow
from bot.reports.service import ReportService
from bot.reports.views import ledger_answer_line
from ingest.numerals import parse_number

_ABOUT_LEDGER = re.compile(
    r"哪些村|哪几个村|几次|多少次|开展了|开过|开了|搞了|搞过|有没有|情况|台账|记录"
)
_QUESTION = re.compile(r"[?？]|哪些|几次|多少|有没有|吗")
_MONTH = re.compile(r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:份)?")
MAX_LISTED = 20


@dataclass(frozen=True)
class LedgerFilters:
    start: date | None
    end: date | None
    village: str | None
    type: str | None
    label: str

    @property
    def any(self) -> bool:
        return bool(self.start or self.village or self.type)


def ledger_filters(question: str, *, today: date) -> LedgerFilters:
    start = end = None
    label = ""
    if "上个月" in question or "上月" in question:
        end = today.replace(day=1) - date.resolution
        start = end.replace(day=1)
        label = f"{start.month}月"
    elif "本月" in question or "这个月" in question:
        start, end = today.replace(day=1), today
        label = f"{today.month}月"
    elif match := _MONTH.search(question):
        month = parse_number(match.group(1))
        if month and 1 <= month <= 12:
            year = today.year if month <= today.month else today.year - 1
            start = date(year, month, 1)
            end = (date(year + month // 12, month % 12 + 1, 1)) - date.resolution
            label = f"{month}月"
    elif "今年" in question:
        start, end = date(today.year, 1, 1), today
        label = "今年"
    elif "去年" in question:
        start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        label = "去年"
    main_type, _ = find_types(question, infer=False)  # a question filters by the kinds it names
    return LedgerFilters(start, end, find_village(question), main_type, label)


_WHICH_VILLAGES = re.compile(r"哪些村|哪个村|哪几个村")
_ANY_ACTIVITY = re.compile(r"活动|会议|开会|次会|三会一课|组织生活")
_OWN_BRANCH = re.compile(r"我们村|我村|本村|咱村|咱们村|我们支部|本支部")


def is_ledger_question(question: str, *, today: date) -> bool:
    """A question about what branches did, rather than about policy."""
    if not _QUESTION.search(question):
        return False
    if _WHICH_VILLAGES.search(question):
        return True
    if not _ABOUT_LEDGER.search(question):
        return False
    filters = ledger_filters(question, today=today)
    if filters.type is not None and (filters.start is not None or filters.village is not None):
        return True
    # “我们村这个月开了几次活动”: no kind named, but what a branch did in a period (开了, not 要开)
    about_activity = filters.type is not None or _ANY_ACTIVITY.search(question) is not None
    whose = filters.start is not None or _OWN_BRANCH.search(question) is not None
    return about_activity and whose and says_it_happened(question)


@dataclass(frozen=True)
class LedgerAnswer:
    text: str
    reports: list[ReportRow]


def answer_ledger_question(
    reports: ReportService, viewer: Member, question: str, index: ReportIndex | None = None
) -> LedgerAnswer:
    """Named month/village/type: filter the ledger. Otherwise: the reports closest in meaning."""
    filters = ledger_filters(question, today=reports.today())
    if not filters.any and index is not None:
        similar = reports.rows_by_ids(viewer, index.search(question, viewer))
        if not similar:
            return LedgerAnswer(messages.LEDGER_NOTHING_SIMILAR, [])
        lines = [ledger_answer_line(n, r) for n, r in enumerate(similar, start=1)]
        return LedgerAnswer(messages.LEDGER_SIMILAR + "\n" + "\n".join(lines), similar)
    rows = reports.query(
        viewer, start=filters.start, end=filters.end, village=filters.village, type=filters.type
    )
    scope = "".join(x for x in (filters.label, filters.village or "") if x)
    what = filters.type or "活动"
    if not rows:
        return LedgerAnswer(f"台账中没有找到{scope}开展{what}的记录。", [])
    villages = sorted({r.village for r in rows})
    head = (
        f"{scope}共有 {len(rows)} 条{what}记录"
        + (f"，涉及 {len(villages)} 个村：{'、'.join(villages)}" if not filters.village else "")
        + "。"
    )
    lines = [ledger_answer_line(n, r) for n, r in enumerate(rows[:MAX_LISTED], start=1)]
    more = (
        f"\n……另有 {len(rows) - MAX_LISTED} 条，可用 /export 导出完整台账。"
        if len(rows) > MAX_LISTED
        else ""
    )
    return LedgerAnswer(head + "\n" + "\n".join(lines) + more, rows)
