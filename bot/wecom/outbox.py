"""Reminders and broadcasts to WeCom users: the same outboxes as every channel (rows claimed,
each sent once), sent by the one process holding this app's sending lease, at a steady pace
under WeCom's limits."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from bot import messages
from bot.accounts import AccountService
from bot.broadcasting import BroadcastService, SendOutcome
from bot.handoff import hand_off
from bot.orglife.reminders import OrgLifeReminders
from bot.partyday.reminders import ReminderService
from bot.wecom import CHANNEL
from bot.wecom.api import RATE_LIMITED, USER_GONE, WeComAPI, WeComError
from bot.wecom.pace import MemberBusy

log = logging.getLogger(__name__)

# WeCom counts messages per app and per member (30 a minute to one member); a steady 20/s
# stays well inside what a county sends
MESSAGES_PER_SECOND = 20.0


@dataclass
class WeComOutbox:
    api: WeComAPI
    accounts: AccountService
    broadcasts: BroadcastService
    reminders: ReminderService | None
    may_send: Callable[[], bool]
    orglife_reminders: OrgLifeReminders | None = None  # ticked with `reminders`
    rate: float = MESSAGES_PER_SECOND
    _next_slot: float = field(default=0.0, init=False)
    _pace: asyncio.Lock | None = field(default=None, init=False)
    _pace_loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)

    async def send(self, address: str, text: str) -> SendOutcome:
        """One notice, paced; how it went, as the outboxes record it."""
        loop = asyncio.get_running_loop()
        if self._pace is None or self._pace_loop is not loop:  # a lock belongs to one loop
            self._pace, self._pace_loop = asyncio.Lock(), loop
        async with self._pace:
            wait = self._next_slot - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_slot = max(time.monotonic(), self._next_slot) + 1 / self.rate
        await hand_off()  # the outbox learns the request is leaving now
        message = {"msgtype": "text", "text": {"content": messages.NOTICE_PREFIX + text}}
        try:
            await asyncio.to_thread(self.api.send, address, message)
        except WeComError as exc:
            if exc.errcode in USER_GONE:
                return "unreachable"
            if exc.errcode in RATE_LIMITED:
                await asyncio.sleep(1.0)
                return "retry"
            log.warning("WeCom refused a notice: %s", exc.errcode)
            return "failed"
        except (httpx.HTTPError, MemberBusy):
            return "retry"
        return "sent"

    async def run_once(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Due reminders, then unfinished broadcasts, if this process is the sender."""
        if not await asyncio.to_thread(self.may_send):
            return

        def stop() -> bool:
            return should_stop() or not self.may_send()

        if self.reminders is not None:
            await self.reminders.tick(self.send, should_stop=stop, channel=CHANNEL)
        if self.orglife_reminders is not None:  # until the one outbox loop (bot/outbox.py)
            await self.orglife_reminders.tick(self.send, should_stop=stop, channel=CHANNEL)
        for broadcast_id in await asyncio.to_thread(self.broadcasts.unfinished):
            # only the lease holder sends for this app: rows a stopped sender had claimed are
            # taken over at once
            await self.broadcasts.deliver(
                broadcast_id, self.send, should_stop=stop, channel=CHANNEL, claim_ttl=timedelta(0)
            )


async def keep_sending(outbox: WeComOutbox, every_s: float, stopping: asyncio.Event) -> None:
    """The sending loop of a WeCom process: one round, then wait `every_s`, until stopped."""
    while not stopping.is_set():
        try:
            await outbox.run_once(should_stop=stopping.is_set)
        except Exception:  # a round that failed is retried by the next one; rows stay pending
            log.exception("WeCom outbox round failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=every_s)
