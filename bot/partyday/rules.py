"""The rule that fixes a month's Party day, written the way a county writes it.

    每月10日 · 每月第一个星期五 · 每月最后一个星期五 · 每月第二个工作日 · 每月最后一个工作日

A fixed date or weekday that falls on a day off moves to the next working day (顺延, the
default), the previous one (提前) or stays (不调整); a move that would leave the month goes the
other way instead, so every month keeps exactly one Party day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.partyday.workdays import WorkdayCalendar
from ingest.numerals import parse_number


class HolidayShift(StrEnum):
    NEXT = "顺延"
    PREVIOUS = "提前"
    NONE = "不调整"


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ORDINAL = r"第\s*([一二三四五1-5])\s*个|最后一个|最后1个"
_FIXED = re.compile(r"^每月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]$")
_WEEKDAY = re.compile(rf"^每月\s*(?:{_ORDINAL})\s*(?:星期|周|礼拜)([一二三四五六日天])$")
_WORKDAY = re.compile(rf"^每月\s*(?:{_ORDINAL})\s*工作日$")


class RuleError(ValueError):
    """A rule the parser does not understand; the message shows the accepted forms."""


@dataclass(frozen=True)
class PartyDayRule:
    """kind: fixed (day = day of month) | weekday (weekday, nth; nth -1 = last) | workday."""

    text: str
    kind: str
    day: int = 0
    weekday: int = 0
    nth: int = 1
    shift: HolidayShift = HolidayShift.NEXT

    @classmethod
    def parse(cls, text: str, shift: str | HolidayShift = HolidayShift.NEXT) -> PartyDayRule:
        cleaned = re.sub(r"\s+", "", text)
        try:
            how = HolidayShift(shift)
        except ValueError as exc:
            raise RuleError(f"节假日处理只能是 顺延、提前 或 不调整，收到“{shift}”") from exc
        if match := _FIXED.match(cleaned):
            day = parse_number(match.group(1))
            if day is None or not 1 <= day <= 31:
                raise RuleError(f"日期超出范围：{text}")
            return cls(cleaned, "fixed", day=day, shift=how)
        if match := _WEEKDAY.match(cleaned):
            return cls(
                cleaned, "weekday", weekday=_WEEKDAYS[match.group(2)], nth=_nth(match), shift=how
            )
        if match := _WORKDAY.match(cleaned):
            return cls(cleaned, "workday", nth=_nth(match), shift=how)
        raise RuleError(
            f"看不懂规则“{text}”。可以写：每月10日、每月第一个星期五、每月最后一个星期五、"
            "每月第二个工作日、每月最后一个工作日"
        )

    def day_in(self, year: int, month: int, workdays: WorkdayCalendar) -> date:
        """The month's Party day, after the holiday rule."""
        planned = self.planned_in(year, month, workdays)
        return planned if self.kind == "workday" else _shift(planned, self.shift, workdays)

    def planned_in(self, year: int, month: int, workdays: WorkdayCalendar) -> date:
        """The day the rule names, before any holiday move."""
        last = calendar.monthrange(year, month)[1]
        days = [date(year, month, d) for d in range(1, last + 1)]
        if self.kind == "fixed":
            # 每月31日 in a 30-day month is its last day
            return days[min(self.day, last) - 1]
        if self.kind == "workday":
            candidates = [d for d in days if workdays.is_workday(d)] or days
        else:
            candidates = [d for d in days if d.weekday() == self.weekday]
        return candidates[-1] if self.nth == -1 else candidates[min(self.nth, len(candidates)) - 1]


def _nth(match: re.Match[str]) -> int:
    raw = match.group(1)
    if raw is None:
        return -1
    value = parse_number(raw)
    assert value is not None
    return value


def _shift(day: date, how: HolidayShift, workdays: WorkdayCalendar) -> date:
    if how == HolidayShift.NONE or workdays.is_workday(day):
        return day
    forward, backward = workdays.next_workday(day), workdays.previous_workday(day)
    first = forward if how == HolidayShift.NEXT else backward
    if first.month == day.month:
        return first
    other = backward if how == HolidayShift.NEXT else forward
    return other if other.month == day.month else day


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
