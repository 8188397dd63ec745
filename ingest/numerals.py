"""Chinese numerals as they appear in article labels (第二十二条) and questions (第22条)."""

from __future__ import annotations

import cn2an

CHINESE_DIGITS = "零〇一二三四五六七八九十百千两"


def parse_number(text: str) -> int | None:
    """'二十二' -> 22, '22' -> 22, anything else -> None."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def article_label(number: int) -> str:
    return f"第{cn2an.an2cn(number)}条"
