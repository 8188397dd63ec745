"""`partybot doctor` for the AI bot: its settings, and whether WeCom's WebSocket address can be
reached from here. It opens the connection but does not subscribe — a subscription would
displace the running bot's connection."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.channels.wecom_aibot import messages
from bot.settings import Settings

PROBE_TIMEOUT_S = 8.0


def aibot_doctor_lines(settings: Settings, line: Any) -> list[str]:
    if settings.wecom_aibot_missing:
        line("企业微信智能机器人", "只配置了一部分")
        return [
            messages.DOCTOR_HALF_CONFIGURED.format(missing="、".join(settings.wecom_aibot_missing))
        ]
    if not settings.wecom_aibot_configured:
        line("企业微信智能机器人", "未配置")
        return []
    if not asyncio.run(_reachable(settings.wecom_aibot_url)):
        line("企业微信智能机器人", "连不上")
        return [messages.DOCTOR_UNREACHABLE.format(url=settings.wecom_aibot_url)]
    line("企业微信智能机器人", messages.DOCTOR_REACHABLE.format(bot_id=settings.wecom_aibot_id))
    return []


async def _reachable(url: str) -> bool:
    import websockets

    try:
        async with websockets.connect(url, open_timeout=PROBE_TIMEOUT_S, ping_interval=None):
            return True
    except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
        return False
