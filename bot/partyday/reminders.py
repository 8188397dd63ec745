"""Party-day reminders, follow-ups and staff summaries, each sent once across restarts.

A tick (about once a minute, from any number of bot processes sharing the database):

1. works out, from the calendar, which slots are due and not yet planned; for each one, in a
   single transaction, marks the slot planned and writes one outbox row per recipient under a
   unique key (month/kind/recipient). Two processes planning the same slot write it once.
2. claims due rows (pending → claimed, one process per row), sends them through the bot's
   rate-limited path, marks each one sending at the moment its request leaves (bot.outbox.handoff),
   and records each result as soon as the channel answers.

A row past its grace period is recorded as skipped instead of sent late. After a process dies,
its claimed rows (still waiting in the rate limiter) go back to pending and are sent by whoever
ticks next; a row it left "sending" was on the wire and may have arrived, so it is recorded as
uncertain and never resent: nagging a branch twice is worse than the rare message lost with
the request in flight.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.db import reminders as db
from bot.db import users as users_db
from bot.db.inserts import insert_ignoring_duplicates
from bot.db.models import ReminderMessage
from bot.outbox.broadcasting import MAX_ATTEMPTS, SendOutcome
from bot.outbox.handoff import HandoffRefused, handing_off
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
BATCH = 30
# A claim older than this belongs to a process that died (a live one holds a row for seconds:
# the rate limiter's queue, or a flood wait).
CLAIM_LEASE = timedelta(minutes=5)
# (the recipient's address on the channel, the text)
Sender = Callable[[str, str], Awaitable[SendOutcome]]


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


@dataclass(frozen=True)
class Delivery:
    id: int
    user_id: int
    external_id: str
    text: str
    attempts: int = 0


@dataclass
class TickResult:
    planned: int = 0
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    retried: int = 0
    deferred: int = 0


class ReminderService:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        accounts: AccountService,
        calendar: CalendarService,
        policy: ReminderPolicy,
        clock: Callable[[], datetime],
        basis: Callable[[], Basis | None] = lambda: None,
        worker: str | None = None,
    ) -> None:
        self._sessions = session_factory
        self._accounts = accounts
        self._calendar = calendar
        self.policy = policy
        self._clock = clock
        self._basis = basis
        self.worker = worker or uuid.uuid4().hex[:12]

    # -- planning ---------------------------------------------------------------------------------

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
            rows = [_row(m) for m in messages]
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
            reported = self._reported(session, slot.year, slot.month)
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

    def _reported(self, session: Session, year: int, month: int) -> set[Branch]:
        return db.list_reported_branches(
            session=session,
            start=date(year, month, 1),
            end=last_day(year, month),
            activity_type=PARTY_DAY_TYPE,
        )

    # -- sending ----------------------------------------------------------------------------------

    def claim_due(
        self, limit: int = BATCH, exclude: Sequence[int] = (), *, channel: str
    ) -> list[Delivery]:
        """Claim due rows for this worker; rows muted or already reported since planning are
        settled here instead of sent. Nothing is claimed during quiet hours."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            db.expire_pending(session=session, now=now)
            db.release_stale_claims(session=session, before=now - CLAIM_LEASE)
            if self.policy.is_quiet(now):
                return []
            claimed = db.claim_due_messages(
                session=session,
                now=now,
                worker=self.worker,
                limit=limit,
                exclude=exclude,
                channel=channel,
            )
            if not claimed:
                return []
            muted = db.list_muted_kinds(session=session, user_ids=[m.user_id for m in claimed])
            reported: dict[str, set[Branch]] = {}
            deliveries = []
            for message in claimed:
                settled = None
                if (message.user_id, message.kind) in muted:
                    settled = "muted"
                elif message.kind == ReminderKind.FOLLOWUP:
                    if message.month not in reported:
                        year, month = (int(p) for p in message.month.split("-"))
                        reported[message.month] = self._reported(session, year, month)
                    branch = (message.township or "", message.village or "")
                    if branch in reported[message.month]:
                        settled = "done"
                if settled is None:
                    deliveries.append(
                        Delivery(
                            message.id,
                            message.user_id,
                            message.external_id,
                            message.text,
                            message.attempts,
                        )
                    )
                else:
                    db.set_message_status(
                        session=session,
                        message_id=message.id,
                        status=settled,
                        worker=self.worker,
                        count_attempt=False,
                    )
            return deliveries

    def record(
        self, message_id: int, user_id: int, outcome: SendOutcome, attempts: int = 0
    ) -> None:
        status: str = outcome
        if outcome == "retry":
            status = "failed" if attempts + 1 >= MAX_ATTEMPTS else "pending"
        elif outcome == "later":
            status = "pending"
        with self._sessions() as session, session.begin():
            db.set_message_status(
                session=session,
                message_id=message_id,
                status=status,
                worker=self.worker,
                now=self._clock() if outcome == "sent" else None,
                count_attempt=outcome != "later",
            )
        if outcome == "unreachable":
            self._accounts.set_reachable(user_id, False)

    async def deliver_due(
        self,
        send: Sender,
        *,
        should_stop: Callable[[], bool] = lambda: False,
        channel: str,
    ) -> TickResult:
        """Send every due row, a batch at a time; a row the channel asked to retry waits for
        the next tick. `should_stop` ends the run between batches, losing nothing."""
        result = TickResult()
        retry: list[int] = []

        async def one(delivery: Delivery) -> None:
            async def leaving() -> bool:
                return await asyncio.to_thread(self.mark_sending, delivery.id)

            try:
                with handing_off(leaving):
                    outcome = await send(delivery.external_id, delivery.text)
            except HandoffRefused:
                return  # another process took the row back after our lease ran out
            await asyncio.to_thread(
                self.record, delivery.id, delivery.user_id, outcome, delivery.attempts
            )
            if outcome == "sent":
                result.sent += 1
            elif outcome == "unreachable":
                result.unreachable += 1
            elif outcome == "failed":
                result.failed += 1
            elif outcome == "later":
                result.deferred += 1
                retry.append(delivery.id)
            else:
                result.retried += 1
                retry.append(delivery.id)

        while not should_stop():
            batch = await asyncio.to_thread(
                partial(self.claim_due, BATCH, list(retry), channel=channel)
            )
            if not batch:
                break
            await asyncio.gather(*(one(d) for d in batch))
        return result

    async def tick(
        self,
        send: Sender,
        *,
        should_stop: Callable[[], bool] = lambda: False,
        channel: str,
    ) -> TickResult:
        planned = await asyncio.to_thread(self.plan_due)
        result = await self.deliver_due(send, should_stop=should_stop, channel=channel)
        result.planned = planned
        return result

    def mark_sending(self, message_id: int) -> bool:
        with self._sessions() as session, session.begin():
            return db.mark_sending(session=session, message_id=message_id, worker=self.worker)

    # -- planned activities ---------------------------------------------------------------------

    def remember_plan(self, member: Member, day: date, what: str) -> bool:
        """Remind the secretary on the afternoon of `day` to log the activity they announced.
        Written once, however often asked (the key is the plan); sent by the same outbox as
        every reminder. False when there is nothing to write (past, or no address)."""
        now = self._clock()
        due = datetime.combine(day, PLAN_REMINDER_AT, self.policy.timezone)
        if due <= now or member.channel is None or member.external_id is None:
            return False
        text = messages.PLAN_REMINDER.format(when=f"{day.month}月{day.day}日", what=what)
        row = _row(
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

    # -- users and staff --------------------------------------------------------------------------

    def muted_kinds(self, user_id: int) -> set[str]:
        with self._sessions() as session:
            rows = db.list_muted_kinds(session=session, user_ids=[user_id])
        return {kind for _, kind in rows}

    def set_muted(self, user_id: int, kind: ReminderKind, muted: bool) -> None:
        with self._sessions() as session, session.begin():
            db.set_mute(session=session, user_id=user_id, kind=kind.value, muted=muted)

    def month_counts(self, month: str) -> dict[tuple[str, str], int]:
        with self._sessions() as session:
            return db.count_messages(session=session, month=month)

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


def _row(message: PlannedMessage) -> dict[str, Any]:
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
