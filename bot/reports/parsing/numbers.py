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


# voice input's sound-alikes of 应到 and 实到 before a count: 应道党员三十四人，时到二十九人
_HEARD_EXPECTED = re.compile(rf"应(?:道|倒)(?=\s*(?:党员)?\s*{NUM})")
_HEARD_CAME = re.compile(rf"(?:(?<=[，,。；;\s])|^)(?:时|是|石)(?:到|道)(?=\s*(?:党员)?\s*{NUM})")


# 实到人数写错了，应该是33人: the corrected count is the role's
_CORRECTED = re.compile(
    r"((?:实到|应到)(?:人数)?)[^，,。；;\d]{0,6}?(?:写错了|打错了|错了|有误)\s*[，,]?\s*(?:应该是|应为|应是)"
)


def corrected_roles(text: str) -> set[str]:
    """The roles whose count the text corrects (实到人数写错了，应该是33人): the later stands."""
    return {
        "expected" if m.group(1).startswith("应") else "attended" for m in _CORRECTED.finditer(text)
    }


# 实到：三十 二人: a number a phone split with a space
_SPLIT_NUMBER = re.compile(r"([十百])\s+([一二三四五六七八九])(?=\s*(?:个人|人|名|个|位))")


def as_meant(text: str) -> str:
    """The words before a count as meant: voice slips of 应到/实到, a corrected count's role,
    a number split by a space."""
    text = _SPLIT_NUMBER.sub(r"\1\2", text)
    text = _CORRECTED.sub(r"\1", _HEARD_EXPECTED.sub("应到", text))
    return _HEARD_CAME.sub("实到", text) if "应到" in text else text
