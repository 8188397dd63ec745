"""Confirmed broadcasts as a source of the outbox: each unfinished one delivered on the channel
asked for, with notes on its progress to the admin who sent it, through that admin's own
channel (every few seconds, and once at the end)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import partial

from bot import messages
from bot.outbox.broadcasting import BroadcastService, Progress, Sender, SendOutcome
from bot.outbox.loop import Outbox
from bot.people.accounts import AccountService

PROGRESS_EVERY_S = 5.0


class BroadcastSource:
    def __init__(
        self,
        broadcasts: BroadcastService,
        accounts: AccountService,
        outbox: Outbox,
        *,
        progress_every_s: float = PROGRESS_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._broadcasts = broadcasts
        self._accounts = accounts
        self._outbox = outbox
        self._every_s = progress_every_s
        self._clock = clock
        self._noted_at: dict[int, float] = {}
        self._finished: set[int] = set()  # its last note sent by this process

    async def tick(self, send: Sender, *, channel: str, should_stop: Callable[[], bool]) -> None:
        async def notice(address: str, text: str) -> SendOutcome:
            return await send(address, messages.NOTICE_PREFIX + text)

        for broadcast_id in await asyncio.to_thread(self._broadcasts.unfinished):
            if should_stop():
                return
            self._noted_at.setdefault(broadcast_id, self._clock())
            progress = await self._broadcasts.deliver(
                broadcast_id,
                notice,
                channel=channel,
                on_progress=partial(self._report, broadcast_id),
                should_stop=should_stop,
                claim_ttl=self._outbox.claim_ttl(channel),
            )
            if progress.pending == 0 and broadcast_id not in self._finished:
                self._finished.add(broadcast_id)
                self._noted_at.pop(broadcast_id, None)
                await self._note(broadcast_id, messages.BROADCAST_DONE.format(**_counts(progress)))

    async def _report(self, broadcast_id: int, progress: Progress) -> None:
        if self._clock() - self._noted_at.get(broadcast_id, 0.0) < self._every_s:
            return
        self._noted_at[broadcast_id] = self._clock()
        await self._note(broadcast_id, messages.BROADCAST_PROGRESS.format(**_counts(progress)))

    async def _note(self, broadcast_id: int, text: str) -> None:
        sender_id = await asyncio.to_thread(self._broadcasts.sender_of, broadcast_id)
        admin = await asyncio.to_thread(self._accounts.member, sender_id) if sender_id else None
        if admin is None or admin.channel is None or admin.external_id is None:
            return  # an admin of the web console only: the page shows the progress
        await self._outbox.notify(admin.channel, admin.external_id, text)


def _counts(progress: Progress) -> dict[str, int]:
    return {
        "sent": progress.sent,
        "total": progress.total,
        "unreachable": progress.unreachable,
        "failed": progress.failed,
    }
