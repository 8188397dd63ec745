"""Days named by the lunar calendar, as villages date their meetings: 正月初八, 腊月二十三,
十月初一, and the festivals 春节, 元宵, 端午, 中秋, 重阳, 小年, 除夕."""

from __future__ import annotations

import re
from datetime import date, timedelta

from lunardate import LunarDate

from bot.reports.parsing.numbers import number

_MONTHS = {"正": 1, "冬": 11, "腊": 12}
_DAY = (
    r"(初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|"
    r"廿[一二三四五六七八九]|三十)"
)
# a month that only the lunar calendar names (正月, 腊月), or a day only it names (初八)
LUNAR = re.compile(
    rf"(?:(?P<named>[正冬腊])月{_DAY}|(?P<month>十[一二]|[一二三四五六七八九十])月(?P<early>初[一二三四五六七八九十]))"
)
_FESTIVALS = {
    "春节": (1, 1),
    "大年初一": (1, 1),
    "元宵节": (1, 15),
    "元宵": (1, 15),
    "端午节": (5, 5),
    "端午": (5, 5),
    "中秋节": (8, 15),
    "中秋": (8, 15),
    "重阳节": (9, 9),
    "重阳": (9, 9),
    "小年": (12, 23),
    "除夕": (12, 30),
}
FESTIVAL = re.compile(
    "(?P<festival>"
    + "|".join(sorted(_FESTIVALS, key=len, reverse=True))
    + r")(?!期间|前后|假期|前夕|以来|以前|之前|之后|前|后|节前|节后|快到)"
)
# how far ahead a day said without a year may lie (an announcement), as for 6月10日
AHEAD = timedelta(days=60)


def resolve_lunar(match: re.Match[str], *, today: date) -> date | None:
    said = match.groupdict()
    month: int | None
    day: int | None
    if said.get("festival"):
        month, day = _FESTIVALS[said["festival"]]
    elif said.get("named"):
        month, day = _MONTHS[said["named"]], _day(match.group(2))
    else:
        month, day = _month(said["month"]), _day(said["early"])
    if not month or not day:
        return None
    latest = None
    for year in (today.year - 2, today.year - 1, today.year, today.year + 1):
        solar = _solar(year, month, day)
        if solar is None and day == 30:  # 除夕 in a year whose twelfth month has 29 days
            solar = _solar(year, month, 29)
        if solar is not None and solar <= today + AHEAD:
            latest = solar if latest is None or solar > latest else latest
    return latest


def _solar(year: int, month: int, day: int) -> date | None:
    try:
        return LunarDate(year, month, day).to_solar_date()
    except ValueError:
        return None


def _day(said: str) -> int | None:
    return number(said.removeprefix("初").replace("廿", "二十"))


def _month(said: str) -> int | None:
    return number(said)
