"""Which days are working days: Chinese public holidays and adjusted working days (调休).

`chinesecalendar` carries the State Council's schedule up to the year it was released for; a
year it does not know yet falls back to Monday–Friday, and local entries (an admin's list of
extra holidays or working days) override both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

from bot.messages import HOLIDAY_NAMES


class WorkdayCalendar:
    def __init__(self, local_days: Mapping[date, bool] | None = None) -> None:
        # date -> True (a working day) / False (a day off), set by an admin
        self._local = dict(local_days or {})

    def is_workday(self, day: date) -> bool:
        if day in self._local:
            return self._local[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The public holiday `day` belongs to, if the package knows the year."""
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        if not on_holiday or not name:
            return None
        return HOLIDAY_NAMES.get(str(name), str(name))

    @staticmethod
    def knows_year(year: int) -> bool:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def next_workday(self, day: date) -> date:
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def previous_workday(self, day: date) -> date:
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day
