"""The one outbox of a process: every source of notices (reminders, broadcasts, …) sent through
every channel's outlet by one loop, at each channel's pace, by the holder of that channel's
sending lease only.

A round asks each source, for each outlet, to send what it has for that channel (its `tick`);
the outlets run side by side, so a slow or broken channel holds back no other. Rows are the
record: a source or outlet that fails leaves its rows pending for the next round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from bot.outbox.broadcasting import CLAIM_TTL, Sender, SendOutcome
from bot.outbox.handoff import HandoffRefused
from bot.outbox.pace import Pace, Pacer

log = logging.getLogger(__name__)


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Outlet:
    """What a channel supplies: its name, how to send one text to one address there, its pace
    as data, and whether this process holds its sending lease now (renewed by asking)."""

    channel: str
    send: Sender
    pace: Pace = field(default_factory=Pace)
    may_send: Callable[[], bool] = _always
    # may_send is a lease no other process sends under: rows another sender claimed and left
    # are taken over at once instead of after the claim's time-out
    exclusive: bool = False


class Source(Protocol):
    """Anything with rows to send: sends what is due for `channel` through `send`, a batch at a
    time, until done or `should_stop()` (asked between batches)."""

    def tick(
        self, send: Sender, *, channel: str, should_stop: Callable[[], bool]
    ) -> Awaitable[object]: ...


class Outbox:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.outlets: dict[str, Outlet] = {}
        self.sources: list[Source] = []
        self.rounds = 0
        self._clock = clock
        self._pacers: dict[str, Pacer] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    def add_outlet(self, outlet: Outlet) -> None:
        self.outlets[outlet.channel] = outlet
        self._pacers[outlet.channel] = Pacer(outlet.pace, clock=self._clock)

    def add_source(self, source: Source) -> None:
        self.sources.append(source)

    @property
    def running(self) -> bool:
        return self._loop is not None

    def claim_ttl(self, channel: str) -> timedelta:
        outlet = self.outlets.get(channel)
        return timedelta(0) if outlet is not None and outlet.exclusive else CLAIM_TTL

    def paced(self, outlet: Outlet) -> Sender:
        """`outlet.send` inside the outlet's pace: a member over their limit is left for a later
        round; an outlet that raises leaves the row for a later round too."""
        pacer = self._pacers[outlet.channel]

        async def send(address: str, text: str) -> SendOutcome:
            if pacer.members.reserve(address) > 0:
                return "later"
            await pacer.take_turn()
            try:
                return await outlet.send(address, text)
            except (HandoffRefused, asyncio.CancelledError):
                raise
            except Exception:
                log.exception("the %s outlet failed; the message waits", outlet.channel)
                return "later"

        return send

    async def notify(self, channel: str, address: str, text: str) -> bool:
        """A best-effort note (not a row) through a channel's outlet, if this process is its
        sender now."""
        outlet = self.outlets.get(channel)
        if outlet is None:
            return False
        try:
            if not await asyncio.to_thread(outlet.may_send):
                return False
            return await self.paced(outlet)(address, text) == "sent"
        except Exception:  # the rows are the record; a note is a courtesy
            log.warning("could not send a note through %s", channel, exc_info=True)
            return False

    async def run_once(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """One round: every source through every outlet whose lease this process holds."""
        outlets = list(self.outlets.values())
        await asyncio.gather(*(self._run_outlet(outlet, should_stop) for outlet in outlets))
        self.rounds += 1

    async def _run_outlet(self, outlet: Outlet, should_stop: Callable[[], bool]) -> None:
        try:
            if not await asyncio.to_thread(outlet.may_send):
                return
        except Exception:
            log.exception("could not ask for the %s sending lease", outlet.channel)
            return

        def stop() -> bool:
            # between batches: stopping, or the sending lease lost (renewed by asking)
            return should_stop() or not outlet.may_send()

        send = self.paced(outlet)
        for source in list(self.sources):
            if should_stop():
                return
            try:
                await source.tick(send, channel=outlet.channel, should_stop=stop)
            except Exception:  # its rows stay pending (or claimed, until the claim expires)
                log.exception("%s failed on %s", type(source).__name__, outlet.channel)

    async def keep_sending(self, every_s: float, stopping: asyncio.Event) -> None:
        """Rounds until `stopping` is set: one, then wait `every_s` or until `wake()`. One loop
        per outbox: a second caller returns at once."""
        if self._loop is not None:
            log.warning("the outbox already runs in another loop")
            return
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        try:
            while not stopping.is_set():
                self._wake.clear()
                try:
                    await self.run_once(should_stop=stopping.is_set)
                except Exception:  # retried by the next round; rows stay pending
                    log.exception("outbox round failed")
                await _first_of(stopping, self._wake, timeout=every_s)
        finally:
            self._loop = self._wake = None

    def wake(self) -> None:
        """Start a round now (a broadcast was just confirmed); safe from any thread, and a no-op
        while no loop runs (the first round of the next one sends it)."""
        loop, event = self._loop, self._wake
        if loop is None or event is None:
            return
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if current is loop:
            event.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(event.set)


async def _first_of(*events: asyncio.Event, timeout: float) -> None:
    """Wait until one of `events` is set, or `timeout` seconds."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
