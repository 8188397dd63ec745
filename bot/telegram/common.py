"""What every Telegram handler shares: the services, the flood guard, replying."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.accounts import AccountService
from bot.broadcasting import BroadcastService
from bot.library import LibraryService
from bot.qa.service import QAService
from bot.reports.index import ReportIndex
from bot.reports.service import ReportService


class FloodGuard:
    """At most `limit` messages per user in `window_s` seconds; one warning per window."""

    def __init__(self, limit: int = 8, window_s: float = 30.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def allow(self, user_id: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        events = self._events.setdefault(user_id, deque())
        while events and now - events[0] > self.window_s:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def should_warn(self, user_id: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if now - self._warned.get(user_id, -1e9) > self.window_s:
            self._warned[user_id] = now
            return True
        return False


@dataclass
class BotServices:
    qa: QAService
    accounts: AccountService
    broadcasts: BroadcastService
    library: LibraryService
    reports: ReportService
    media_dir: Path
    report_index: ReportIndex | None = None
    public_qa: bool = False
    admin_chat_id: int | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    flood: FloodGuard = field(default_factory=FloodGuard)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    services: BotServices = context.bot_data["services"]
    return services


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    assert update.effective_chat is not None
    await update.effective_chat.send_message(text, **kwargs)
