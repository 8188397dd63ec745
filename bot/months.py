"""One reading of a month for every command and chat command: 2023-06, 2023-6, 2023/6,
2023.6, 202306, 2023年6月, 二〇二三年六月, 6月 / 六月 (this year), 本月, 上月/上个月, 下月."""

from __future__ import annotations

import re
from datetime import date

from ingest.numerals import parse_number

_NUMERIC = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$|^(\d{4})(\d{2})$")
_CHINESE = re.compile(
    r"^(?:([〇零一二三四五六七八九\d]{4})年)?([一二三四五六七八九十\d]{1,3})月(?:份)?$"
)
_RELATIVE = {"本月": 0, "这个月": 0, "当月": 0, "上月": -1, "上个月": -1, "下月": 1, "下个月": 1}
_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


class BadMonth(ValueError):
    """Not a month this parser reads; the message says how to write one."""


def parse_month(text: str, *, today: date | None) -> str:
    """The month as YYYY-MM; BadMonth for anything else (13月, 2023-00, words). Without
    `today` (a calendar file) the year must be written."""
    raw = text.strip().replace(" ", "")
    if raw in _RELATIVE:
        if today is None:
            raise BadMonth(text)
        index = today.year * 12 + today.month - 1 + _RELATIVE[raw]
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    year: int | None
    numeric = _NUMERIC.match(raw)
    if numeric:
        year = int(numeric.group(1) or numeric.group(3))
        month = int(numeric.group(2) or numeric.group(4))
    else:
        chinese = _CHINESE.match(raw)
        if chinese is None:
            raise BadMonth(text)
        year_text = chinese.group(1)
        if year_text:
            year = int("".join(_DIGITS.get(c, c) for c in year_text))
        elif today is not None:
            year = today.year
        else:
            raise BadMonth(text)
        parsed = parse_number(chinese.group(2))
        if parsed is None:
            raise BadMonth(text)
        month = int(parsed)
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        raise BadMonth(text)
    return f"{year:04d}-{month:02d}"


def year_month(text: str, *, today: date | None = None) -> tuple[int, int]:
    key = parse_month(text, today=today)
    return int(key[:4]), int(key[5:])
