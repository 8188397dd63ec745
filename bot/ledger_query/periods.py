"""The period a ledger question names, as calendar days in the county's time zone.

A day (昨天, 12月3号, 上个月10号), a week (这礼拜, 上周 — Monday to Sunday), part of a month
(月初/上旬 1–10, 中旬 11–20, 月底/下旬 21–end), a month (本月, 上个月, 11月份, 2025年12月), a
quarter (本季度, 上季度, 第三季度), a half-year (上半年, 下半年) or a year (今年, 去年, 2025年).
A month or day named without a year is the latest one not after today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.numerals import parse_number

_NUM = r"[0-9]{1,2}|[一二两三四五六七八九十]{1,3}"
_YEAR = r"(?:(20[0-9]{2})年|(今年|去年|前年))"
_MONTH_WORDS = {
    "本月": 0,
    "这个月": 0,
    "这月": 0,
    "当月": 0,
    "上个月": -1,
    "上月": -1,
    "上一个月": -1,
}
_MONTH_REF = r"本月|这个月|这月|当月|上一?个月|上月"
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3}
_WEEK_WORDS = {
    "这周": 0,
    "本周": 0,
    "这礼拜": 0,
    "这个礼拜": 0,
    "这星期": 0,
    "这个星期": 0,
    "上周": -1,
    "上个礼拜": -1,
    "上礼拜": -1,
    "上星期": -1,
    "上个星期": -1,
}
_PART = r"月初|上旬|中旬|月底|月末|下旬|初|底|末"
_DAY = re.compile(rf"(?:{_YEAR})?(?:({_MONTH_REF})|({_NUM})\s*月)?({_NUM})\s*[日号](?!常|子)")
_MONTH_PART = re.compile(rf"(?:{_YEAR})?(?:({_MONTH_REF})|({_NUM})\s*月份?)\s*({_PART})")
_MONTH = re.compile(rf"(?:{_YEAR})?(?:({_MONTH_REF})|({_NUM})\s*月份?)")
_QUARTER = re.compile(rf"(?:{_YEAR})?(?:(本|这个?|上个?|上一)季度|(?:第)?([一二三四1-4])\s*季度)")
_RECENT = re.compile(rf"(?:最近|近|过去)(?:的)?({_NUM})?\s*(?:个)?(天|日|周|星期|礼拜|月)")
_RECENT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7}
_HALF = re.compile(rf"(?:{_YEAR})?([上下])半年")
_YEAR_ALONE = re.compile(_YEAR)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str  # how the answer names it: 11月, 本季度（10月1日至12月6日）

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _year(match: re.Match[str], today: date, group: int = 1) -> int | None:
    digits, word = match.group(group), match.group(group + 1)
    if digits:
        return int(digits)
    if word:
        return today.year + {"今年": 0, "去年": -1, "前年": -2}[word]
    return None


def _month_start(year: int | None, ref: str | None, number: str | None, today: date) -> date | None:
    """The first day of the month named by 上个月 or 11月 (latest not after today)."""
    if ref:
        first = today.replace(day=1)
        for _ in range(-_MONTH_WORDS[ref]):
            first = (first - timedelta(days=1)).replace(day=1)
        return first
    month = parse_number(number) if number else None
    if month is None or not 1 <= month <= 12:
        return None
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    return date(year, month, 1)


def _span(start: date, end: date, today: date) -> tuple[date, date]:
    return start, min(end, today) if start <= today else end


def _label(start: date, end: date, today: date) -> str:
    year = "" if start.year == today.year else f"{start.year}年"
    if start == end:
        return f"{year}{start.month}月{start.day}日"
    if start.day == 1 and end == month_end(start):
        return f"{year}{start.month}月"
    if start.day == 1 and end == today and start.month == today.month:
        return f"{year}{start.month}月（截至{end.day}日）"
    to_year = "" if end.year == today.year else f"{end.year}年"
    return f"{year}{start.month}月{start.day}日至{to_year}{end.month}月{end.day}日"


def find_period(text: str, *, today: date) -> Period | None:
    for finder in (_recent, _day, _week, _month_part, _quarter, _half, _month, _whole_year):
        found = finder(text, today)
        if found is not None:
            start, end = found
            return Period(start, end, _name(start, end, today, finder))
    return None


def _name(start: date, end: date, today: date, finder: object) -> str:
    """今年, 上半年, 第四季度（10月1日至12月6日）, 本周（…）, 11月下旬（…）, 11月, 12月3日."""
    year = "" if start.year == today.year else f"{start.year}年"
    dates = _label(start, end, today)
    if finder is _whole_year:
        return year or "今年"
    if finder is _half:
        return f"{year}{'上' if start.month == 1 else '下'}半年"
    if finder is _quarter:
        return f"{year}第{'一二三四'[(start.month - 1) // 3]}季度（{dates}）"
    if finder is _recent:
        return f"最近（{dates}）"
    if finder is _week:
        monday = today - timedelta(days=today.weekday())
        return f"{'本周' if start == monday else '上周'}（{dates}）"
    if finder is _month_part:
        part = {1: "上旬", 11: "中旬", 21: "下旬"}[start.day]
        return f"{year}{start.month}月{part}（{dates}）"
    return dates


def _day(text: str, today: date) -> tuple[date, date] | None:
    for word, offset in sorted(_RELATIVE_DAYS.items(), key=lambda w: -len(w[0])):
        if word in text:
            day = today + timedelta(days=offset)
            return day, day
    for match in _DAY.finditer(text):
        day_number = parse_number(match.group(5))
        if day_number is None or not 1 <= day_number <= 31:
            continue
        year = _year(match, today)
        if match.group(3) or match.group(4):
            first = _month_start(year, match.group(3), match.group(4), today)
        else:
            first = today.replace(day=1)
            if day_number > today.day:  # 25号 said on the 6th: last month's
                first = (first - timedelta(days=1)).replace(day=1)
        if first is None or day_number > month_end(first).day:
            continue
        day = first.replace(day=day_number)
        if year is None and day > today and not match.group(3):
            day = day.replace(year=day.year - 1)
        return day, day
    return None


def _recent(text: str, today: date) -> tuple[date, date] | None:
    """最近一周, 近三个月, 过去30天: that many days or months back to today."""
    match = _RECENT.search(text)
    if not match:
        return None
    count = parse_number(match.group(1)) if match.group(1) else 1
    if count is None or not 1 <= count <= 366:
        return None
    unit = match.group(2)
    if unit == "月":
        first = today.replace(day=1)
        for _ in range(count - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        start = min(first, today - timedelta(days=30 * count - 1))
        return start, today
    return today - timedelta(days=_RECENT_DAYS[unit] * count - 1), today


def _week(text: str, today: date) -> tuple[date, date] | None:
    for word, offset in sorted(_WEEK_WORDS.items(), key=lambda w: -len(w[0])):
        if word in text:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
            return _span(monday, monday + timedelta(days=6), today)
    return None


def _month_part(text: str, today: date) -> tuple[date, date] | None:
    match = _MONTH_PART.search(text)
    if not match:
        return None
    first = _month_start(_year(match, today), match.group(3), match.group(4), today)
    if first is None:
        return None
    part = match.group(5)
    if part in ("月初", "上旬", "初"):
        return _span(first, first.replace(day=10), today)
    if part == "中旬":
        return _span(first.replace(day=11), first.replace(day=20), today)
    return _span(first.replace(day=21), month_end(first), today)


def _quarter(text: str, today: date) -> tuple[date, date] | None:
    match = _QUARTER.search(text)
    if not match:
        return None
    year = _year(match, today) or today.year
    current = (today.month - 1) // 3 + 1
    if match.group(3):
        quarter = current if match.group(3).startswith(("本", "这")) else current - 1
        if quarter == 0:
            quarter, year = 4, year - 1
    else:
        quarter = int(parse_number(match.group(4)) or 0)
        if not 1 <= quarter <= 4:
            return None
    first = date(year, 3 * quarter - 2, 1)
    if first > today and _year(match, today) is None:  # 第四季度 said in March: last year's
        first = first.replace(year=year - 1)
        year -= 1
    return _span(first, month_end(date(year, 3 * quarter, 1)), today)


def _half(text: str, today: date) -> tuple[date, date] | None:
    match = _HALF.search(text)
    if not match:
        return None
    year = _year(match, today) or today.year
    if match.group(3) == "上":
        return _span(date(year, 1, 1), date(year, 6, 30), today)
    return _span(date(year, 7, 1), date(year, 12, 31), today)


def _month(text: str, today: date) -> tuple[date, date] | None:
    for match in _MONTH.finditer(text):
        first = _month_start(_year(match, today), match.group(3), match.group(4), today)
        if first is not None:
            return _span(first, month_end(first), today)
    return None


def _whole_year(text: str, today: date) -> tuple[date, date] | None:
    match = _YEAR_ALONE.search(text)
    year = _year(match, today) if match else None
    if year is None:
        return None
    return _span(date(year, 1, 1), date(year, 12, 31), today)
