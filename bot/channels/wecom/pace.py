"""WeCom drops, without an error to the sender's user, what one app sends one member beyond 30
messages a minute or 1000 an hour. The outbox keeps notices inside those limits (WECOM_PACE);
the API client counts every message too (replies included): a message waits for its slot, and
one that would wait longer than a minute is refused."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.outbox.pace import MemberWindows, Pace

# WeCom counts messages per app and per member (发送应用消息 limits); a steady 20/s over the
# whole app stays well inside what a county sends
WECOM_PACE = Pace(per_second=20.0, per_member_per_minute=30, per_member_per_hour=1000)
MEMBER_LIMITS: tuple[tuple[float, int], ...] = WECOM_PACE.member_limits()
LONGEST_WAIT_S = 60.0


class MemberBusy(Exception):
    """This member has had as many messages as WeCom allows for now."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"member busy for {retry_after:.0f}s")
        self.retry_after = retry_after


@dataclass
class MemberPace(MemberWindows):
    limits: tuple[tuple[float, int], ...] = MEMBER_LIMITS
    sleep: Callable[[float], None] = time.sleep

    def take(self, member: str) -> None:
        """Wait for this member's next slot and take it; MemberBusy if that is over a minute."""
        while (wait := self.reserve(member)) > 0:
            if wait > LONGEST_WAIT_S:
                raise MemberBusy(wait)
            self.sleep(wait)
