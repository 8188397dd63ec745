"""The one fixed order for places: by pinyin (as a county's lists of 乡镇 and 村 are printed),
never by how much a place did."""

from __future__ import annotations

from datetime import date
from functools import lru_cache


@lru_cache(maxsize=4096)
def place_key(name: str | None) -> tuple[str, str]:
    from pypinyin import lazy_pinyin

    text = name or ""
    return " ".join(lazy_pinyin(text)), text


def branch_key(branch: tuple[str | None, str]) -> tuple[tuple[str, str], tuple[str, str]]:
    """(乡镇, 村) in pinyin order, 乡镇 first."""
    return place_key(branch[0]), place_key(branch[1])


def ledger_key(
    township: str | None, village: str, activity_date: date, report_id: int
) -> tuple[object, ...]:
    """A 台账 as staff read it: by 乡镇, then 村, then date (the id keeps equal days stable)."""
    return branch_key((township, village)), activity_date, report_id
