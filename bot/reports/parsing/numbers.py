"""Numbers as secretaries write them: 28, 二十八, 廿八, 两千, 1万2千 — never a guess (二十多)."""

from __future__ import annotations

import re

from ingest.numerals import parse_number

CHINESE_DIGITS = "零〇一二三四五六七八九十百千万两廿卅"
# a run of digits is read from its start only: trying every start inside a long run is quadratic
NUM = rf"((?<!\d)\d+|[{CHINESE_DIGITS}]+)"
# 二十多人, 十几个, 三十来个, 五十左右: a rough figure is not a count
ROUGH_AFTER = re.compile(
    r"^(?:多|几|余|来|左右|上下|出头)|^\s*(?:人|个|名|位)\s*(?:左右|上下|出头)|"
    r"^\s*、\s*(?:\d|[一二三四五六七八九])\s*(?:人|个|名|位)"  # 二十五、六人
)
# 近30人, 约30人, 不到30人: a rough figure too
ROUGH_BEFORE = re.compile(r"(?:近|约|大约|大概|将近|接近|不到|不足|差不多|超过|至少|上百)\s*$")


def number(text: str) -> int | None:
    text = text.replace("廿", "二十").replace("卅", "三十")
    value = parse_number(text)
    return value if value is not None and value >= 0 else None
