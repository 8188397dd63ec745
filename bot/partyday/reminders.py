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
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.db import reminders as db
from bot.outbox.broadcasting import SendOutcome
from bot.partyday.planner import Basis
from bot.partyday.policy import ReminderKind, ReminderPolicy
from bot.partyday.reminder_delivery import BATCH, Delivery, ReminderDelivery, Sender, TickResult
from bot.partyday.reminder_planning import PlannedMessage, ReminderPlanner
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Member


class ReminderService:
    """The Party-day reminders: planned by bot.partyday.reminder_planning, delivered by
    bot.partyday.reminder_delivery, both through the one outbox table."""

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
        self.policy = policy
        self._planner = ReminderPlanner(
            session_factory=session_factory,
            accounts=accounts,
            calendar=calendar,
            policy=policy,
            clock=clock,
            basis=basis,
        )
        self._delivery = ReminderDelivery(
            session_factory=session_factory,
            accounts=accounts,
            policy=policy,
            clock=clock,
            worker=worker or uuid.uuid4().hex[:12],
        )

    @property
    def worker(self) -> str:
        return self._delivery.worker

    # -- planning ---------------------------------------------------------------------------------

    def plan_due(self) -> int:
        """Write the outbox rows of every slot that is due and not planned yet."""
        return self._planner.plan_due()

    def remember_plan(self, member: Member, day: date, what: str) -> bool:
        """Remind the secretary on the afternoon of `day` to log the activity they announced
        (ReminderPlanner.remember_plan)."""
        return self._planner.remember_plan(member, day, what)

    def preview(self, year: int, month: int) -> list[PlannedMessage]:
        """Everything the month's slots would send, to whom and when, without writing."""
        return self._planner.preview(year, month)

    # -- sending ----------------------------------------------------------------------------------

    def claim_due(
        self, limit: int = BATCH, exclude: Sequence[int] = (), *, channel: str
    ) -> list[Delivery]:
        return self._delivery.claim_due(limit, exclude, channel=channel)

    def record(
        self, message_id: int, user_id: int, outcome: SendOutcome, attempts: int = 0
    ) -> None:
        self._delivery.record(message_id, user_id, outcome, attempts)

    def mark_sending(self, message_id: int) -> bool:
        return self._delivery.mark_sending(message_id)

    async def deliver_due(
        self,
        send: Sender,
        *,
        should_stop: Callable[[], bool] = lambda: False,
        channel: str,
    ) -> TickResult:
        return await self._delivery.deliver_due(send, should_stop=should_stop, channel=channel)

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
