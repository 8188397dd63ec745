"""Telegram's outlet for the outbox: send_text through the bot, 29 messages a second at most
(Telegram's broadcast ceiling is 30), by the holder of the bot token's sending lease."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.channels.telegram.common import CHANNEL, send_text
from bot.outbox import Outlet, Pace

TELEGRAM_PACE = Pace(per_second=29.0)


def telegram_outlet(bot: Any, *, may_send: Callable[[], bool], exclusive: bool) -> Outlet:
    return Outlet(
        channel=CHANNEL,
        send=partial(send_text, bot),
        pace=TELEGRAM_PACE,
        may_send=may_send,
        exclusive=exclusive,
    )
