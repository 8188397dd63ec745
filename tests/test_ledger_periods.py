"""The periods a ledger question names, at month, quarter and year boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ledger_query.periods import find_period

NEW_YEAR = date(2027, 1, 1)  # a Friday
END_OF_MARCH = date(2026, 3, 31)  # a Tuesday, the last day of a quarter


@pytest.mark.parametrize(
    ("words", "today", "start", "end"),
    [
        ("上个月", NEW_YEAR, date(2026, 12, 1), date(2026, 12, 31)),
        ("这个月", NEW_YEAR, date(2027, 1, 1), date(2027, 1, 1)),
        ("本季度", NEW_YEAR, date(2027, 1, 1), date(2027, 1, 1)),
        ("上季度", NEW_YEAR, date(2026, 10, 1), date(2026, 12, 31)),
        ("今年", NEW_YEAR, date(2027, 1, 1), date(2027, 1, 1)),
        ("去年", NEW_YEAR, date(2026, 1, 1), date(2026, 12, 31)),
        ("上半年", NEW_YEAR, date(2027, 1, 1), date(2027, 1, 1)),
        ("去年下半年", NEW_YEAR, date(2026, 7, 1), date(2026, 12, 31)),
        ("这礼拜", NEW_YEAR, date(2026, 12, 28), date(2027, 1, 1)),
        ("上周", NEW_YEAR, date(2026, 12, 21), date(2026, 12, 27)),
        ("上个月底", NEW_YEAR, date(2026, 12, 21), date(2026, 12, 31)),
        ("上个月10号", NEW_YEAR, date(2026, 12, 10), date(2026, 12, 10)),
        ("12月3号", NEW_YEAR, date(2026, 12, 3), date(2026, 12, 3)),
        ("十一月份", NEW_YEAR, date(2026, 11, 1), date(2026, 11, 30)),
        ("昨天", NEW_YEAR, date(2026, 12, 31), date(2026, 12, 31)),
        ("上个月底", END_OF_MARCH, date(2026, 2, 21), date(2026, 2, 28)),
        ("本季度", END_OF_MARCH, date(2026, 1, 1), date(2026, 3, 31)),
        ("第四季度", END_OF_MARCH, date(2025, 10, 1), date(2025, 12, 31)),
        ("第一季度", END_OF_MARCH, date(2026, 1, 1), date(2026, 3, 31)),
        ("上个月中旬", END_OF_MARCH, date(2026, 2, 11), date(2026, 2, 20)),
        ("2025年12月", END_OF_MARCH, date(2025, 12, 1), date(2025, 12, 31)),
        ("25号", date(2026, 3, 6), date(2026, 2, 25), date(2026, 2, 25)),
    ],
)
def test_periods(words: str, today: date, start: date, end: date) -> None:
    period = find_period(f"{words}哪些村开了主题党日", today=today)
    assert period is not None
    assert (period.start, period.end) == (start, end)


def test_labels_say_the_dates_a_word_stands_for() -> None:
    week = find_period("这礼拜", today=NEW_YEAR)
    assert week is not None and week.label == "本周（2026年12月28日至1月1日）"
    quarter = find_period("上季度", today=NEW_YEAR)
    assert quarter is not None and quarter.label.startswith("2026年第四季度")
    assert find_period("主题党日多久开展一次", today=NEW_YEAR) is None
    # 30号 said on 6 March is no day of February: no day is read rather than a wrong one
    assert find_period("30号开了哪些会", today=date(2026, 3, 6)) is None
