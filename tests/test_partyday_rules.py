"""Party-day rules: month boundaries, short months, holidays, adjusted working days, quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.months import year_month
from bot.partyday.policy import Offset, ReminderPolicy, parse_clock_range, parse_offsets
from bot.partyday.rules import HolidayShift, PartyDayRule, RuleError, shift_month
from bot.partyday.workdays import WorkdayCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
WORKDAYS = WorkdayCalendar()


def day_of(rule: str, year: int, month: int, shift: str = "顺延", workdays=WORKDAYS) -> date:
    return PartyDayRule.parse(rule, shift).day_in(year, month, workdays)


@pytest.mark.parametrize(
    ("rule", "year", "month", "expected"),
    [
        ("每月10日", 2023, 7, date(2023, 7, 10)),  # a Monday
        ("每月 10 号", 2023, 6, date(2023, 6, 12)),  # Saturday the 10th -> Monday
        ("每月十日", 2023, 6, date(2023, 6, 12)),
        ("每月第一个星期五", 2023, 7, date(2023, 7, 7)),
        ("每月第1个周五", 2023, 7, date(2023, 7, 7)),
        ("每月最后一个星期五", 2023, 6, date(2023, 6, 30)),
        ("每月第二个工作日", 2023, 7, date(2023, 7, 4)),
        ("每月最后一个工作日", 2023, 7, date(2023, 7, 31)),
        ("每月最后一个工作日", 2023, 12, date(2023, 12, 29)),  # 30th/31st are a weekend
    ],
)
def test_rules_as_counties_write_them(rule: str, year: int, month: int, expected: date) -> None:
    assert day_of(rule, year, month) == expected


def test_short_months_use_their_last_day() -> None:
    assert day_of("每月31日", 2024, 2, "不调整") == date(2024, 2, 29)  # leap year
    assert day_of("每月31日", 2023, 2, "不调整") == date(2023, 2, 28)
    assert day_of("每月31日", 2023, 4, "不调整") == date(2023, 4, 30)
    # February 2026 has four Fridays: the "fifth" is the last one
    assert day_of("每月第五个星期五", 2026, 2) == date(2026, 2, 27)


def test_public_holidays_move_the_day_to_the_next_working_day() -> None:
    # 2026-10-01..07 is the National Day holiday
    assert day_of("每月1日", 2026, 10) == date(2026, 10, 8)
    assert day_of("每月第一个星期五", 2026, 10) == date(2026, 10, 8)
    rule = PartyDayRule.parse("每月1日")
    assert rule.planned_in(2026, 10, WORKDAYS) == date(2026, 10, 1)
    assert WORKDAYS.holiday_name(date(2026, 10, 1)) == "国庆节"
    # 提前: the working day before, when that is still in the month
    assert day_of("每月第一个星期五", 2026, 10, "提前") == date(2026, 10, 8)
    assert day_of("每月12日", 2023, 8, "提前") == date(2023, 8, 11)  # Saturday -> Friday


def test_adjusted_working_days_count_as_working_days() -> None:
    # Saturday 2026-10-10 and Sunday 2026-01-04 are 调休 working days
    assert day_of("每月10日", 2026, 10) == date(2026, 10, 10)
    assert day_of("每月2日", 2026, 1) == date(2026, 1, 4)  # New Year holiday, then Sunday 4th
    # the last working day of February 2026 is Saturday the 28th (调休)
    assert day_of("每月最后一个工作日", 2026, 2) == date(2026, 2, 28)


def test_a_move_never_leaves_the_month() -> None:
    # 2023-09-29 is Mid-autumn; the next working day is 7 October, so it goes back to the 28th
    assert day_of("每月29日", 2023, 9) == date(2023, 9, 28)
    # 提前 from 1 October would leave the month: it goes forward instead
    assert day_of("每月1日", 2026, 10, "提前") == date(2026, 10, 8)
    assert day_of("每月1日", 2026, 10, "不调整") == date(2026, 10, 1)


def test_a_year_the_package_does_not_know_falls_back_to_weekends() -> None:
    year = next(y for y in range(2026, 2100) if not WorkdayCalendar.knows_year(y))
    planned = date(year, 1, 10)
    expected = planned
    while expected.weekday() >= 5:
        expected += timedelta(days=1)
    assert day_of("每月10日", year, 1) == expected


def test_local_days_override_the_package() -> None:
    workdays = WorkdayCalendar({date(2023, 7, 10): False, date(2023, 7, 15): True})
    assert day_of("每月10日", 2023, 7, workdays=workdays) == date(2023, 7, 11)
    assert day_of("每月15日", 2023, 7, workdays=workdays) == date(2023, 7, 15)  # a Saturday


@pytest.mark.parametrize("text", ["每周五", "每月32日", "每月第六个星期五", "月底", ""])
def test_unknown_rules_say_what_is_accepted(text: str) -> None:
    with pytest.raises(RuleError, match=r"每月第一个星期五|超出范围"):
        PartyDayRule.parse(text)


def test_unknown_holiday_handling_is_refused() -> None:
    with pytest.raises(RuleError, match="顺延"):
        PartyDayRule.parse("每月10日", "随便")
    assert PartyDayRule.parse("每月10日").shift == HolidayShift.NEXT


def test_months() -> None:
    assert year_month("2023-07") == (2023, 7)
    assert year_month("2023年7月") == (2023, 7)
    assert year_month("202307") == (2023, 7)
    with pytest.raises(ValueError):
        year_month("2023-13")
    assert shift_month(2023, 12, 1) == (2024, 1)
    assert shift_month(2023, 1, -1) == (2022, 12)


def test_policy_due_times_are_local_whatever_the_server_zone() -> None:
    policy = ReminderPolicy()
    due = policy.due_at(date(2023, 7, 10), Offset(-3, time(9)))
    assert due.astimezone(UTC) == datetime(2023, 7, 7, 1, 0, tzinfo=UTC)
    assert due.tzinfo is not None


def test_quiet_hours_hold_messages_until_morning() -> None:
    policy = ReminderPolicy()
    late = datetime(2023, 7, 7, 22, 30, tzinfo=SHANGHAI)
    early = datetime(2023, 7, 8, 6, 0, tzinfo=SHANGHAI)
    assert policy.is_quiet(late) and policy.is_quiet(early)
    assert not policy.is_quiet(datetime(2023, 7, 8, 8, 0, tzinfo=SHANGHAI))
    assert policy.after_quiet(late) == datetime(2023, 7, 8, 8, 0, tzinfo=SHANGHAI)
    assert policy.after_quiet(early) == datetime(2023, 7, 8, 8, 0, tzinfo=SHANGHAI)
    # a reminder configured for 07:00 goes at 08:00
    assert policy.due_at(date(2023, 7, 10), Offset(0, time(7))) == datetime(
        2023, 7, 10, 8, 0, tzinfo=SHANGHAI
    )
    # the same instant written in UTC is just as quiet
    assert policy.is_quiet(datetime(2023, 7, 7, 14, 30, tzinfo=UTC))


def test_offsets_and_quiet_hours_parse_or_refuse() -> None:
    assert parse_offsets("-3@09:00,0@08:00") == (Offset(-3, time(9)), Offset(0, time(8)))
    assert parse_clock_range("21:00-08:00") == (time(21), time(8))
    for bad in ("3@09:00", "-3@25:00", "-3 9am"):
        with pytest.raises(ValueError):
            parse_offsets(bad)
    with pytest.raises(ValueError):
        parse_clock_range("21-8")
