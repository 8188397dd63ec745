"""A second (and third) bot process delivering the same broadcast, for tests: every address it
sends to is appended to a log file shared with the other workers.

    python -m tests.support.broadcast_worker DATABASE_URL BROADCAST_ID LOG_FILE GO_FILE

Each worker says it is ready (GO_FILE.ready-PID) and waits for GO_FILE to exist, so that they
all start sending together.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime

from bot.db.engine import make_engine, make_session_factory
from bot.outbox.broadcasting import BroadcastService
from bot.people.accounts import AccountService


def main() -> None:
    url, broadcast_id, log, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    sessions = make_session_factory(make_engine(url))
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)

    async def send(address: str, text: str) -> str:
        await asyncio.sleep(0.02)  # a network round trip: the workers overlap
        descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, f"{address} {os.getpid()}\n".encode())
        finally:
            os.close(descriptor)
        return "sent"

    with open(f"{go}.ready-{os.getpid()}", "w"):
        pass
    deadline = time.monotonic() + 60
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.01)
    asyncio.run(broadcasts.deliver(broadcast_id, send, channel="telegram"))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
