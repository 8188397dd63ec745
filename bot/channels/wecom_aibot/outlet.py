"""Reminders and broadcasts to members through the AI bot: pushed over the connection
(aibot_send_msg to the member's UserID as the chat), for the one outbox to drive. Only the
process holding the connection can push; elsewhere a row waits ("retry")."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.channels.wecom.api import RATE_LIMITED, USER_GONE
from bot.channels.wecom.pace import MEMBER_LIMITS, WECOM_PACE
from bot.channels.wecom.render import text_pieces
from bot.channels.wecom_aibot import CHANNEL, protocol
from bot.channels.wecom_aibot.connection import (
    AckError,
    AibotConnection,
    ConnectionLost,
    NotConnected,
)
from bot.outbox import Outlet, Pace
from bot.outbox.broadcasting import SendOutcome

log = logging.getLogger(__name__)

# Pacing as data for the outbox. WeCom's AI-bot page names no push limits that we could find;
# the app's (30 a minute and 1,000 an hour per member) are assumed, and 20 a second overall.
PER_SECOND = 20.0
PER_MEMBER = MEMBER_LIMITS  # ((60 s, 30), (3600 s, 1000))
CONNECT_WAIT_S = 5.0


@dataclass
class AibotOutlet:
    connection: AibotConnection
    channel: str = CHANNEL
    connect_wait_s: float = CONNECT_WAIT_S

    async def send(self, address: str, text: str) -> SendOutcome:
        """One text to one member (a long one in several messages). The outbox may run on
        another event loop (another thread) than the connection: the push is then made on the
        connection's loop."""
        loop = self.connection.loop
        if loop is not None and loop is not asyncio.get_running_loop():
            if loop.is_closed():
                return "retry"
            pushed = asyncio.run_coroutine_threadsafe(self._push(address, text), loop)
            return await asyncio.wrap_future(pushed)
        return await self._push(address, text)

    async def _push(self, address: str, text: str) -> SendOutcome:
        try:
            for piece in text_pieces(text, protocol.MARKDOWN_LIMIT_BYTES):
                body = protocol.markdown_body(address, piece)
                await self.connection.request(protocol.SEND, body, wait_s=self.connect_wait_s)
        except (NotConnected, ConnectionLost, TimeoutError):
            return "retry"
        except AckError as exc:
            if exc.errcode in RATE_LIMITED:
                return "retry"
            if exc.errcode in USER_GONE:
                return "unreachable"
            log.warning("WeCom AI bot refused a push (%s)", exc.errcode)
            return "failed"
        return "sent"


def aibot_outlet(connection: AibotConnection, may_send: Callable[[], bool]) -> Outlet:
    """The one outbox's outlet over the connection, at the pace above, by the lease holder."""
    pace = Pace(
        per_second=PER_SECOND,
        per_member_per_minute=WECOM_PACE.per_member_per_minute,
        per_member_per_hour=WECOM_PACE.per_member_per_hour,
    )
    sender = AibotOutlet(connection)
    return Outlet(channel=CHANNEL, send=sender.send, pace=pace, may_send=may_send, exclusive=True)
