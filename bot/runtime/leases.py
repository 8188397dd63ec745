"""Jobs only one process may do at a time, whatever number of workers share the database:
today, sending through one bot token (its messages are paced per process, so two senders
would together exceed the channel's limit)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db import leases as db

LEASE_TTL = timedelta(seconds=60)


class LeaseService:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        ttl: timedelta = LEASE_TTL,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._ttl = ttl
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    def hold(self, name: str) -> bool:
        """Take or renew `name` for this process; False while another process holds it."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            return db.hold_lease(
                session=session, name=name, holder=self.holder, now=now, until=now + self._ttl
            )


def sender_lease(channel: str, token: str) -> str:
    """The lease a bot token's sender holds: named by the bot's id, never by the secret."""
    return f"send:{channel}:{token.split(':', 1)[0]}"
