"""Delivering planned Party-day reminders: claiming due rows (pending → claimed, one process per
row), sending them through the channel's rate-limited path, marking each one sending at the
moment its request leaves (bot.outbox.handoff), and recording each outcome as the channel
answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from bot.db import reminders as db
from bot.outbox.broadcasting import SendOutcome, row_status
from bot.outbox.handoff import HandoffRefused, handing_off
from bot.partyday.planner import Branch
from bot.partyday.policy import ReminderKind, ReminderPolicy
from bot.partyday.reminder_planning import reported_branches
from bot.people.accounts import AccountService

BATCH = 30
# A claim older than this belongs to a process that died (a live one holds a row for seconds:
# the rate limiter's queue, or a flood wait).
CLAIM_LEASE = timedelta(minutes=5)
# (the recipient's address on the channel, the text)
Sender = Callable[[str, str], Awaitable[SendOutcome]]


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


class ReminderDelivery:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        accounts: AccountService,
        policy: ReminderPolicy,
        clock: Callable[[], datetime],
        worker: str,
    ) -> None:
        self._sessions = session_factory
        self._accounts = accounts
        self.policy = policy
        self._clock = clock
        self.worker = worker

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
                        reported[message.month] = reported_branches(session, year, month)
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
        status = row_status(outcome, attempts)
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

    def mark_sending(self, message_id: int) -> bool:
        with self._sessions() as session, session.begin():
            return db.mark_sending(session=session, message_id=message_id, worker=self.worker)
