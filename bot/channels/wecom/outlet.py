"""WeCom's outlet for the outbox: message/send with WeCom's answers mapped to outcomes, at
WeCom's pace (WECOM_PACE: per app and per member), by the holder of this app's sending lease."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx

from bot.channels.wecom import CHANNEL
from bot.channels.wecom.api import RATE_LIMITED, USER_GONE, WeComAPI, WeComError
from bot.channels.wecom.pace import WECOM_PACE, MemberBusy
from bot.outbox import Outlet
from bot.outbox.broadcasting import SendOutcome
from bot.outbox.handoff import hand_off

log = logging.getLogger(__name__)


def wecom_outlet(api: WeComAPI, may_send: Callable[[], bool]) -> Outlet:
    async def send(address: str, text: str) -> SendOutcome:
        """One notice; how it went, as the outbox's sources record it."""
        await hand_off()  # the source learns the request is leaving now
        message = {"msgtype": "text", "text": {"content": text}}
        try:
            await asyncio.to_thread(api.send, address, message)
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

    # only the lease holder sends for this app: rows a stopped sender had claimed are taken
    # over at once
    return Outlet(channel=CHANNEL, send=send, pace=WECOM_PACE, may_send=may_send, exclusive=True)
