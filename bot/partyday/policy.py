"""When reminders go out: offsets from the Party day, quiet hours, how late is still useful."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# a planned activity's reminder goes out that afternoon, when it has usually happened
PLAN_REMINDER_AT = time(17, 0)


class ReminderKind(StrEnum):
    BEFORE = "before"  # days before the Party day
    DAY = "day"  # on the morning of the day
    FOLLOWUP = "followup"  # after the day, only to branches with no report
    SUMMARY = "summary"  # to staff: who has reported
    PLAN = "plan"  # on the day of an activity a secretary announced, asked for by them
    ORGLIFE = "orglife"  # 三会一课 items still due before a period ends (bot.orglife.reminders)
    ORGLIFE_SUMMARY = "orglife_summary"  # to staff who opted in: their scope's 三会一课 counts


@dataclass(frozen=True)
class Offset:
    """`days` from the Party day (negative: before) at local time `at`."""

    days: int
    at: time

    @classmethod
    def parse(cls, text: str) -> Offset:
        """'-3@09:00' -> three days before at 09:00."""
        match = re.fullmatch(r"\s*([+-]?\d{1,2})\s*@\s*(\d{1,2}):(\d{2})\s*", text)
        if not match:
            raise ValueError(f"“{text}”格式不对，应写成 天数@时:分，例如 -3@09:00")
        hour, minute = int(match.group(2)), int(match.group(3))
        if hour > 23 or minute > 59:
            raise ValueError(f"“{text}”里的时刻不存在")
        return cls(int(match.group(1)), time(hour, minute))

    @property
    def label(self) -> str:
        return f"{self.days:+d}"


def parse_offsets(text: str) -> tuple[Offset, ...]:
    offsets = tuple(Offset.parse(part) for part in text.split(",") if part.strip())
    if any(not -28 <= o.days <= 0 for o in offsets):
        raise ValueError("提醒只能在主题党日当天或之前 0 到 28 天")
    return offsets


def parse_clock_range(text: str) -> tuple[time, time]:
    """'21:00-08:00' -> (21:00, 08:00)."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if not match:
        raise ValueError(f"“{text}”格式不对，应写成 时:分-时:分，例如 21:00-08:00")
    a, b, c, d = (int(g) for g in match.groups())
    if a > 23 or c > 23 or b > 59 or d > 59:
        raise ValueError(f"“{text}”里的时刻不存在")
    return time(a, b), time(c, d)


FOLLOW_UP_RANGE = "回访提醒须在主题党日后 1 到 20 天，汇总在 0 到 20 天"


@dataclass(frozen=True)
class ReminderPolicy:
    before: tuple[Offset, ...] = (Offset(-3, time(9)), Offset(0, time(8)))
    followup: Offset = Offset(3, time(9))
    summary: Offset = Offset(3, time(9, 30))
    quiet_start: time = time(21)
    quiet_end: time = time(8)
    # a reminder the bot could not send by due time + grace (it was down) is recorded as skipped
    grace: timedelta = timedelta(hours=6)
    timezone: tzinfo = SHANGHAI

    def __post_init__(self) -> None:
        if not 1 <= self.followup.days <= 20 or not 0 <= self.summary.days <= 20:
            raise ValueError(FOLLOW_UP_RANGE)

    def slots(self) -> list[tuple[ReminderKind, Offset]]:
        kinds = [(ReminderKind.DAY if o.days == 0 else ReminderKind.BEFORE, o) for o in self.before]
        return [
            *kinds,
            (ReminderKind.FOLLOWUP, self.followup),
            (ReminderKind.SUMMARY, self.summary),
        ]

    def due_at(self, party_day: date, offset: Offset) -> datetime:
        """The local time the offset names, moved out of quiet hours to the morning after."""
        local = datetime.combine(party_day + timedelta(days=offset.days), offset.at, self.timezone)
        return self.after_quiet(local)

    def is_quiet(self, moment: datetime) -> bool:
        t = moment.astimezone(self.timezone).time()
        if self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start > self.quiet_end:  # spans midnight
            return t >= self.quiet_start or t < self.quiet_end
        return self.quiet_start <= t < self.quiet_end

    def after_quiet(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.timezone)
        if not self.is_quiet(local):
            return local
        end_day = local.date()
        if self.quiet_start > self.quiet_end and local.time() >= self.quiet_start:
            end_day += timedelta(days=1)
        return datetime.combine(end_day, self.quiet_end, self.timezone)
