"""A small county for the reminder tests: a calendar, secretaries, staff, a recording sender."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import ReminderMessage
from bot.outbox.broadcasting import SendOutcome
from bot.outbox.handoff import hand_off
from bot.partyday.planner import Basis
from bot.partyday.policy import ReminderPolicy
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService
from tests.support.fakes import Clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR_YAML = """
规则:
  - 规则: 每月10日
  - 乡镇: 河口镇
    规则: 每月第一个星期五
主题:
  - 月份: 2023-07
    主题: 庆祝党的生日
    规定动作: [重温入党誓词, 交纳党费]
"""
BASIS = Basis("《中国共产党党员教育管理工作条例》第十六条", "党支部应当每月开展1次主题党日，……")
# telegram id -> (role, village, township)
PEOPLE = {
    1: (Role.SECRETARY, "张家村", "城关镇"),
    2: (Role.SECRETARY, "李庄村", "城关镇"),
    5: (Role.SECRETARY, "河口村", "河口镇"),
    3: (Role.STAFF, None, "城关镇"),
    4: (Role.STAFF, None, None),
}


def local(text: str) -> datetime:
    """'2023-07-07 09:00' in Shanghai."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class RecordingSender:
    """Stands in for the channel: records every send, answers 'unreachable' for blocked ids."""

    clock: Clock
    blocked: set[int] = field(default_factory=set)
    sent: list[tuple[int, str, datetime]] = field(default_factory=list)
    delay_s: float = 0.0

    async def __call__(self, address: str, text: str) -> SendOutcome:
        telegram_id = int(address)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)  # the rate limiter's queue
        await hand_off()  # the request leaves, as the bot's rate limiter announces it
        if telegram_id in self.blocked:
            return "unreachable"
        self.sent.append((telegram_id, text, self.clock()))
        return "sent"

    def to(self, telegram_id: int) -> list[tuple[str, datetime]]:
        return [(text, at) for tid, text, at in self.sent if tid == telegram_id]


@dataclass
class County:
    sessions: sessionmaker[Session]
    clock: Clock
    accounts: AccountService
    calendar: CalendarService
    reminders: ReminderService
    reports: ReportService

    def service(
        self, *, sessions: sessionmaker[Session] | None = None, **kwargs
    ) -> ReminderService:
        """Another reminder service (a restarted or second process) on the same database."""
        chosen = sessions or self.sessions
        accounts = AccountService(session_factory=chosen, clock=self.clock)
        return ReminderService(
            session_factory=chosen,
            accounts=accounts,
            calendar=CalendarService(session_factory=chosen, clock=self.clock),
            policy=kwargs.pop("policy", self.reminders.policy),
            clock=self.clock,
            basis=lambda: BASIS,
            **kwargs,
        )

    def tick(self, sender: RecordingSender, service: ReminderService | None = None) -> None:
        asyncio.run((service or self.reminders).tick(sender, channel="telegram"))

    def walk(
        self, sender: RecordingSender, start: datetime, end: datetime, step: timedelta
    ) -> Iterator[datetime]:
        """Tick at every step from start to end, yielding the time before each tick."""
        self.clock.now = start
        while self.clock.now <= end:
            yield self.clock.now
            self.tick(sender)
            self.clock.now += step

    def report_party_day(self, telegram_id: int, text: str) -> None:
        member = self.accounts.member_at("telegram", telegram_id)
        assert member is not None
        draft = self.reports.start_draft(member, text)
        row, _ = self.reports.confirm(draft.id, member)
        assert row is not None

    def outbox(self) -> list[ReminderMessage]:
        with self.sessions() as session:
            return list(session.scalars(select(ReminderMessage).order_by(ReminderMessage.id)))


def make_county(
    sessions: sessionmaker[Session], tmp_path: Path, *, policy: ReminderPolicy | None = None
) -> County:
    clock = Clock(local("2023-07-01 00:00"))
    accounts = AccountService(session_factory=sessions, clock=clock)
    for telegram_id, (role, village, township) in PEOPLE.items():
        accounts.add(
            telegram_id,
            role,
            channel="telegram",
            name=f"用户{telegram_id}",
            village=village,
            township=township,
        )
    calendar = CalendarService(session_factory=sessions, clock=clock)
    path = tmp_path / "calendar.yaml"
    path.write_text(CALENDAR_YAML, encoding="utf-8")
    calendar.import_file(path)
    reminders = ReminderService(
        session_factory=sessions,
        accounts=accounts,
        calendar=calendar,
        policy=policy or ReminderPolicy(),
        clock=clock,
        basis=lambda: BASIS,
    )
    reports = ReportService(session_factory=sessions, clock=clock, timezone=SHANGHAI)
    return County(sessions, clock, accounts, calendar, reminders, reports)
