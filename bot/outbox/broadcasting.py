"""Broadcast notices to users, exactly once per recipient across crashes and restarts.

Confirming a broadcast writes one delivery row per recipient before anything is sent; the
sender works through the pending rows and records each result as soon as the channel
answers, so a restart resumes with exactly the recipients not yet served.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from bot.db import broadcasts as db
from bot.db.models import Broadcast
from bot.people.accounts import ROLE_NAMES, AccountService, Member, Role

log = logging.getLogger(__name__)

# "retry": the channel asked to wait or the network failed; the row stays pending.
# "later": not sent, and not an attempt (the member's limit is reached, the channel broke);
# the row stays pending for the next round.
SendOutcome = Literal["sent", "unreachable", "failed", "retry", "later"]
# (the recipient's address on the channel, the text)
Sender = Callable[[str, str], Awaitable[SendOutcome]]
BATCH = 30
MAX_ATTEMPTS = 5


def row_status(outcome: SendOutcome, attempts: int) -> str:
    """What an outbox row becomes after a send: a retry is pending until its last attempt,
    "later" (the member's or the channel's limit) is pending without counting an attempt."""
    if outcome == "retry":
        return "failed" if attempts + 1 >= MAX_ATTEMPTS else "pending"
    if outcome == "later":
        return "pending"
    return outcome


# a claim older than this belongs to a worker that stopped; its rows are sent again
CLAIM_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class Audience:
    """all | role:<role> | township:<name>"""

    kind: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> Audience:
        text = text.strip()
        if text in ("", "all", "全体"):
            return cls("all")
        kind, _, value = text.partition(":")
        if kind == "role" and value in {r.value for r in Role}:
            return cls("role", value)
        if kind == "township" and value:
            return cls("township", value)
        raise ValueError(text)

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        """Who it reaches, as an admin reads it: 全体, 村党组织书记, 城关镇."""
        if self.kind == "role":
            return ROLE_NAMES.get(Role(self.value or ""), self.value or "")
        return self.value or "全体"

    def select(self, accounts: AccountService) -> list[Member]:
        if self.kind == "role":
            members = accounts.members(role=Role(self.value or ""))
        elif self.kind == "township":
            members = accounts.members(township=self.value)
        else:
            members = accounts.members()
        return [m for m in members if m.reachable and m.channel is not None]


@dataclass(frozen=True)
class Progress:
    broadcast_id: int
    pending: int
    sent: int
    unreachable: int
    failed: int

    @property
    def total(self) -> int:
        return self.pending + self.sent + self.unreachable + self.failed


class BroadcastService:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        accounts: AccountService,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions = session_factory
        self._accounts = accounts
        self._clock = clock
        # this process's name on the rows it claims
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    def draft(self, sender_id: int, text: str, audience: Audience) -> tuple[int, int]:
        """A draft and how many it would reach; nothing is sent until `confirm`."""
        recipients = len(audience.select(self._accounts))
        broadcast = Broadcast(
            sender_id=sender_id,
            text=text,
            audience=str(audience),
            status="draft",
            created_at=self._clock(),
        )
        with self._sessions() as session, session.begin():
            db.create_broadcast(session=session, broadcast=broadcast)
        return broadcast.id, recipients

    def confirm(self, broadcast_id: int) -> bool:
        """Write every recipient's delivery row and mark the broadcast sending — once, even when
        two taps on 确认 race: the status switch is a conditional UPDATE, the first statement
        of the transaction."""
        with self._sessions() as session, session.begin():
            if not db.switch_status(
                session=session, broadcast_id=broadcast_id, old="draft", new="sending"
            ):
                return False
            broadcast = db.get_broadcast(session=session, broadcast_id=broadcast_id)
            assert broadcast is not None
            members = Audience.parse(broadcast.audience).select(self._accounts)
            db.create_deliveries(
                session=session,
                broadcast_id=broadcast_id,
                recipients=[
                    (m.id, m.channel, m.external_id)
                    for m in members
                    if m.channel is not None and m.external_id is not None
                ],
            )
            return True

    def cancel(self, broadcast_id: int) -> bool:
        with self._sessions() as session, session.begin():
            return db.switch_status(
                session=session, broadcast_id=broadcast_id, old="draft", new="cancelled"
            )

    def unfinished(self) -> list[int]:
        with self._sessions() as session:
            return [b.id for b in db.list_broadcasts_by_status(session=session, status="sending")]

    def sender_of(self, broadcast_id: int) -> int | None:
        with self._sessions() as session:
            broadcast = db.get_broadcast(session=session, broadcast_id=broadcast_id)
            return broadcast.sender_id if broadcast else None

    def progress(self, broadcast_id: int) -> Progress:
        with self._sessions() as session:
            counts = db.count_deliveries(session=session, broadcast_id=broadcast_id)
        return Progress(
            broadcast_id,
            counts.get("pending", 0) + counts.get("claimed", 0),
            counts.get("sent", 0),
            counts.get("unreachable", 0),
            counts.get("failed", 0),
        )

    async def deliver(
        self,
        broadcast_id: int,
        send: Sender,
        *,
        on_progress: Callable[[Progress], Awaitable[None]] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        channel: str,
        claim_ttl: timedelta = CLAIM_TTL,
    ) -> Progress:
        """Send every pending delivery of a confirmed broadcast; safe to rerun after a crash and
        to run in several processes at once: each batch is claimed first, so a recipient gets
        the notice from one worker only.

        Each result is written the moment the channel answers, so a hard kill repeats at most
        the messages in flight (after `claim_ttl`; 0 for the holder of the channel's sending
        lease, which no other process can be sending under); `should_stop` ends the run
        between batches.
        """
        with self._sessions() as session:
            broadcast = db.get_broadcast(session=session, broadcast_id=broadcast_id)
            if broadcast is None or broadcast.status != "sending":
                return self.progress(broadcast_id)
            text = broadcast.text

        later: list[int] = []  # left for the next run, not claimed again in this one

        async def deliver_one(delivery_id: int, user_id: int, address: str, attempts: int) -> None:
            outcome = await send(address, text)
            status = row_status(outcome, attempts)
            if outcome == "later":
                later.append(delivery_id)
            with self._sessions() as session, session.begin():
                db.set_delivery_status(
                    session=session,
                    delivery_id=delivery_id,
                    status=status,
                    worker=self.worker,
                    now=self._clock() if outcome == "sent" else None,
                    count_attempt=outcome != "later",
                )
            if outcome == "unreachable":
                self._accounts.set_reachable(user_id, False)

        while not should_stop():
            now = self._clock()
            with self._sessions() as session, session.begin():
                batch = [
                    (d.id, d.user_id, d.external_id, d.attempts)
                    for d in db.claim_deliveries(
                        session=session,
                        broadcast_id=broadcast_id,
                        limit=BATCH,
                        worker=self.worker,
                        now=now,
                        stale_before=now - claim_ttl,
                        channel=channel,
                        exclude=later,
                    )
                ]
            if not batch:
                if self.progress(broadcast_id).pending == 0:  # every channel's part is done
                    with self._sessions() as session, session.begin():
                        finished = db.get_broadcast(session=session, broadcast_id=broadcast_id)
                        if finished is not None:
                            finished.status = "done"
                break
            await asyncio.gather(*(deliver_one(*row) for row in batch))
            if on_progress is not None:
                await on_progress(self.progress(broadcast_id))
        return self.progress(broadcast_id)
