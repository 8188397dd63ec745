"""WeCom drops, without an error to the sender's user, what one app sends one member beyond 30
messages a minute or 1000 an hour. Counting here keeps every message inside those limits: a
message waits for its slot, and one that would wait longer than a minute is refused."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# (window in seconds, messages allowed in it), per member, from WeCom's 发送应用消息 limits
MEMBER_LIMITS: tuple[tuple[float, int], ...] = ((60.0, 30), (3600.0, 1000))
LONGEST_WAIT_S = 60.0


class MemberBusy(Exception):
    """This member has had as many messages as WeCom allows for now."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"member busy for {retry_after:.0f}s")
        self.retry_after = retry_after


@dataclass
class MemberPace:
    limits: tuple[tuple[float, int], ...] = MEMBER_LIMITS
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _sent: dict[str, deque[float]] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _calls: int = field(default=0, init=False)

    def reserve(self, member: str) -> float:
        """0 and the slot taken, or how many seconds until this member has a free slot."""
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

    def take(self, member: str) -> None:
        """Wait for this member's next slot and take it; MemberBusy if that is over a minute."""
        while (wait := self.reserve(member)) > 0:
            if wait > LONGEST_WAIT_S:
                raise MemberBusy(wait)
            self.sleep(wait)
