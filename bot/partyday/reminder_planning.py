"""Planning Party-day reminders: which slots are due, and for each one, in a single transaction,
the slot marked planned and one outbox row per recipient written under a unique key
(month/kind/recipient), so two processes planning the same slot write it once. Also a
secretary's announced activity (remember_plan) and a month's preview."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.db import reminders as db
from bot.db import users as users_db
from bot.db.inserts import insert_ignoring_duplicates
from bot.db.models import ReminderMessage
from bot.partyday.planner import (
    STAFF_ROLES,
    Basis,
    Branch,
    Slot,
    branch_of,
    month_slots,
    reminder_text,
    summary_text,
)
from bot.partyday.policy import PLAN_REMINDER_AT, ReminderKind, ReminderPolicy
from bot.partyday.rules import last_day, month_key, shift_month
from bot.partyday.service import Calendar, CalendarService
from bot.people.accounts import AccountService, Member, Role

log = logging.getLogger(__name__)

PARTY_DAY_TYPE = "主题党日"


@dataclass(frozen=True)
class PlannedMessage:
    key: str
    kind: ReminderKind
    month: str
    user_id: int
    channel: str
    external_id: str
    name: str
    village: str | None
    township: str | None
    due_at: datetime
    expires_at: datetime
    text: str
    status: str  # pending | muted | unreachable


class ReminderPlanner:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        accounts: AccountService,
        calendar: CalendarService,
        policy: ReminderPolicy,
        clock: Callable[[], datetime],
        basis: Callable[[], Basis | None],
    ) -> None:
        self._sessions = session_factory
        self._accounts = accounts
        self._calendar = calendar
        self.policy = policy
        self._clock = clock
        self._basis = basis

    def plan_due(self) -> int:
        """Write the outbox rows of every slot that is due and not planned yet."""
        now = self._clock()
        local = now.astimezone(self.policy.timezone)
        # a Party day early in next month has its reminders in this one; a late one's follow-up
        # falls in the next
        months = [shift_month(local.year, local.month, delta) for delta in (-1, 0, 1)]
        calendar = self._calendar.load()
        if not calendar.has_rules():
            return 0
        with self._sessions() as session:
            branches = users_db.list_branches(session=session)
            staff_townships = users_db.list_staff_townships(session=session)
            planned = db.list_slot_keys(session=session, months=[month_key(*m) for m in months])
        due = [
            slot
            for year, month in months
            for slot in month_slots(
                year,
                month,
                calendar=calendar,
                policy=self.policy,
                branches=branches,
                staff_townships=staff_townships,
            )
            if slot.due_at <= now and slot.key not in planned
        ]
        if not due:
            return 0
        members = self._accounts.members()
        basis = self._basis() if any(s.kind == ReminderKind.BEFORE for s in due) else None
        written = 0
        for slot in due:
            written += self._write_slot(slot, calendar, members, basis, now)
        return written

    def _write_slot(
        self,
        slot: Slot,
        calendar: Calendar,
        members: Sequence[Member],
        basis: Basis | None,
        now: datetime,
    ) -> int:
        with self._sessions() as session, session.begin():
            # First statement of the transaction: a second process blocks here until the first
            # commits, then finds the slot taken and writes nothing.
            if not db.claim_slot(session=session, key=slot.key, now=now):
                return 0
            messages = self._messages(session, slot, calendar, members, basis)
            rows = [outbox_row(m) for m in messages]
            written = insert_ignoring_duplicates(session=session, model=ReminderMessage, rows=rows)
            db.set_slot_messages(session=session, key=slot.key, messages=written)
        log.info("planned %s: %d messages", slot.key, written)
        return written

    def _messages(
        self,
        session: Session,
        slot: Slot,
        calendar: Calendar,
        members: Sequence[Member],
        basis: Basis | None,
    ) -> list[PlannedMessage]:
        recipients = slot.recipients(members)
        reported: set[Branch] = set()
        if slot.kind in (ReminderKind.FOLLOWUP, ReminderKind.SUMMARY):
            reported = reported_branches(session, slot.year, slot.month)
        if slot.kind == ReminderKind.FOLLOWUP:
            recipients = [m for m in recipients if branch_of(m) not in reported]
        recipients = [m for m in recipients if m.channel and m.external_id]  # reachable somehow
        muted = db.list_muted_kinds(session=session, user_ids=[m.id for m in recipients])
        if slot.kind == ReminderKind.SUMMARY:
            secretaries = [m for m in members if m.role == Role.SECRETARY and m.village]
            text = summary_text(
                slot,
                branches=[branch_of(m) for m in secretaries],
                reported=reported,
                unreachable=[m for m in secretaries if not m.reachable],
                today=slot.due_at.astimezone(self.policy.timezone).date(),
            )
        result = []
        for member in recipients:
            if slot.kind != ReminderKind.SUMMARY:
                text = reminder_text(slot, member, calendar=calendar, basis=basis)
            if (member.id, slot.kind.value) in muted:
                status = "muted"
            elif not member.reachable:
                status = "unreachable"
            else:
                status = "pending"
            result.append(
                PlannedMessage(
                    key=slot.message_key(member.id),
                    kind=slot.kind,
                    month=slot.month_key,
                    user_id=member.id,
                    channel=member.channel or "",
                    external_id=member.external_id or "",
                    name=member.name,
                    village=member.village,
                    township=member.township,
                    due_at=slot.due_at,
                    expires_at=slot.due_at + self.policy.grace,
                    text=text,
                    status=status,
                )
            )
        return result

    def remember_plan(self, member: Member, day: date, what: str) -> bool:
        """Remind the secretary on the afternoon of `day` to log the activity they announced.
        Written once, however often asked (the key is the plan); sent by the same outbox as
        every reminder. False when there is nothing to write (past, or no address)."""
        now = self._clock()
        due = datetime.combine(day, PLAN_REMINDER_AT, self.policy.timezone)
        if due <= now or member.channel is None or member.external_id is None:
            return False
        text = messages.PLAN_REMINDER.format(when=f"{day.month}月{day.day}日", what=what)
        row = outbox_row(
            PlannedMessage(
                key=f"plan/{member.id}/{day.isoformat()}/{what}",
                kind=ReminderKind.PLAN,
                month=month_key(day.year, day.month),
                user_id=member.id,
                channel=member.channel,
                external_id=member.external_id,
                name=member.name,
                village=member.village,
                township=member.township,
                due_at=due,
                expires_at=due + self.policy.grace,
                text=text,
                status="pending",
            )
        )
        with self._sessions() as session, session.begin():
            written = insert_ignoring_duplicates(session=session, model=ReminderMessage, rows=[row])
        return written == 1

    def preview(self, year: int, month: int) -> list[PlannedMessage]:
        """Everything the month's slots would send, to whom and when, without writing."""
        calendar = self._calendar.load()
        members = self._accounts.members()
        basis = self._basis()
        branches = {branch_of(m) for m in members if m.role == Role.SECRETARY and m.village}
        townships = {m.township or "" for m in members if m.role in STAFF_ROLES}
        slots = month_slots(
            year,
            month,
            calendar=calendar,
            policy=self.policy,
            branches=branches,
            staff_townships=townships,
        )
        with self._sessions() as session:
            return [
                message
                for slot in slots
                for message in self._messages(session, slot, calendar, members, basis)
            ]


def reported_branches(session: Session, year: int, month: int) -> set[Branch]:
    """The branches that reported their Party day of the month."""
    return db.list_reported_branches(
        session=session,
        start=date(year, month, 1),
        end=last_day(year, month),
        activity_type=PARTY_DAY_TYPE,
    )


def outbox_row(message: PlannedMessage) -> dict[str, Any]:
    return {
        "key": message.key,
        "kind": message.kind.value,
        "month": message.month,
        "user_id": message.user_id,
        "channel": message.channel,
        "external_id": message.external_id,
        "village": message.village,
        "township": message.township,
        "text": message.text,
        "due_at": message.due_at,
        "expires_at": message.expires_at,
        "status": message.status,
        "attempts": 0,
    }
