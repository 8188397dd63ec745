"""Reminders and broadcasts to DingTalk members: the outlet the one outbox (bot/outbox)
sends through. The robot writes into each member's single chat with it (oToMessages/batchSend,
one member a call so each row's outcome is its own); the pace is data the outbox keeps to."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from bot.channels.dingtalk import CHANNEL
from bot.channels.dingtalk.api import DingTalkAPI, DingTalkError
from bot.outbox import Outlet, Pace
from bot.outbox.broadcasting import SendOutcome
from bot.outbox.handoff import hand_off

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DingTalkPace:
    """DingTalk's limits on the server API, as its docs give them: every API of an app is
    served at 20 calls a second on the standard edition (40 professional, 60 exclusive; over
    it calls queue or are refused with HTTP 429); batchSend takes at most 20 users a call."""

    calls_per_second: float = 10.0  # half the standard edition's 20: replies share the app
    users_per_call: int = 20
    # after a refusal for speed, the pause before the next call
    pause_after_limit_s: float = 1.0


PACE = DingTalkPace()


@dataclass
class DingTalkOutlet:
    api: DingTalkAPI
    pace: DingTalkPace = PACE
    channel: str = CHANNEL

    async def send(self, address: str, text: str) -> SendOutcome:
        """One notice to one member (their DingTalk userId); how it went, as the outbox
        records it. The outbox paces the calls; the request leaves right after the hand-off."""
        await hand_off()
        try:
            outcome = await asyncio.to_thread(self.api.send_text, [address], text)
        except DingTalkError as exc:
            if exc.rate_limited:
                await asyncio.sleep(self.pace.pause_after_limit_s)
                return "retry"
            log.warning("DingTalk refused a notice: %s %s", exc.status, exc.code)
            return "failed"
        except httpx.HTTPError:
            return "retry"
        if address in outcome.invalid:
            return "unreachable"
        if address in outcome.flow_controlled:
            return "retry"
        return "sent"


def dingtalk_outlet(api: DingTalkAPI, may_send: Callable[[], bool]) -> Outlet:
    """The outlet the one outbox sends reminders and broadcasts to DingTalk members through:
    one call a turn at the pace above, by the holder of this app's sending lease."""
    sender = DingTalkOutlet(api=api)
    return Outlet(
        channel=CHANNEL,
        send=sender.send,
        pace=Pace(per_second=PACE.calls_per_second),
        may_send=may_send,
        exclusive=True,
    )
