"""A channel's sending limits as data, and the counters that keep the outbox inside them."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pace:
    """How fast one channel may be sent to: messages a second over the whole channel, and per
    member a minute and an hour (None: no such limit)."""

    per_second: float | None = None
    per_member_per_minute: int | None = None
    per_member_per_hour: int | None = None

    def member_limits(self) -> tuple[tuple[float, int], ...]:
        """(window in seconds, messages allowed in it) for each per-member limit."""
        limits = ((60.0, self.per_member_per_minute), (3600.0, self.per_member_per_hour))
        return tuple((window, allowed) for window, allowed in limits if allowed is not None)


@dataclass
class MemberWindows:
    """Messages sent to each member inside sliding windows; thread-safe."""

    limits: tuple[tuple[float, int], ...]
    clock: Callable[[], float] = time.monotonic
    _sent: dict[str, deque[float]] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _calls: int = field(default=0, init=False)

    def reserve(self, member: str) -> float:
        """0 and the slot taken, or how many seconds until this member has a free slot."""
        if not self.limits:
            return 0.0
        longest = max(window for window, _ in self.limits)
        with self._lock:
            now = self.clock()
            self._calls += 1
            if self._calls % 1000 == 0:  # members not written to for the longest window
                stale = [m for m, times in self._sent.items() if now - times[-1] >= longest]
                for name in stale:
                    del self._sent[name]
            sent = self._sent.setdefault(member, deque())
            while sent and now - sent[0] >= longest:
                sent.popleft()
            wait = 0.0
            for window, allowed in self.limits:
                inside = [t for t in sent if now - t < window]
                if len(inside) >= allowed:
                    wait = max(wait, inside[-allowed] + window - now)
            if wait == 0.0:
                sent.append(now)
            elif not sent:
                del self._sent[member]
            return wait


class Pacer:
    """One channel's pace: one message every 1/per_second seconds, in turn, with no burst even
    after the event loop stalled (each turn is measured from when the last one really went);
    and the per-member windows, on `clock` (tests move it)."""

    def __init__(self, pace: Pace, clock: Callable[[], float] = time.monotonic) -> None:
        self.pace = pace
        self.members = MemberWindows(pace.member_limits(), clock=clock)
        self._next_turn = 0.0
        self._turns: asyncio.Lock | None = None
        self._turns_loop: asyncio.AbstractEventLoop | None = None

    async def take_turn(self) -> None:
        if not self.pace.per_second:
            return
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns_loop is not loop:  # a lock belongs to one loop
            self._turns, self._turns_loop = asyncio.Lock(), loop
        async with self._turns:
            wait = self._next_turn - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_turn = max(time.monotonic(), self._next_turn) + 1 / self.pace.per_second
