"""The HTTP client the bot's requests to Telegram go through."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.request import HTTPXRequest

# Requests to Telegram in flight at once: the 29 messages a second plus callback answers of a
# burst, a round trip of up to 200 ms (bench.telegram_load reports --round-trip).
REQUEST_SLOTS = 32


class BoundedHTTPXRequest(HTTPXRequest):
    """HTTPXRequest that lets at most `slots` requests into httpx at a time, over as many
    connections.

    httpcore 1.0's pool walks every connection (polling each idle socket) and every queued
    request whenever a request starts or ends. python-telegram-bot's pool of 256 under a burst
    of 400 updates made that walk half of the event loop's CPU (bench.telegram_load reports);
    requests beyond the slots wait here, where waiting costs nothing, instead of in the pool's
    queue, where they are walked and time out after pool_timeout.
    """

    def __init__(self, slots: int = REQUEST_SLOTS, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=slots, **kwargs)
        self._slots = asyncio.Semaphore(slots)

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        async with self._slots:
            return await super().do_request(*args, **kwargs)
