"""What every Telegram handler shares: the services, the flood guard, replying, downloading."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeChat, File, Update
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ContextTypes

from bot import messages
from bot.conversation.core import Conversation
from bot.outbox import Outbox
from bot.outbox.broadcasting import BroadcastService, SendOutcome
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Role
from bot.qa.library import LibraryService
from bot.qa.memory import AnswerMemory
from bot.qa.service import QAService
from bot.reports.index import ReportIndex
from bot.reports.service import ReportService
from bot.runtime.batching import AsyncBatcher

log = logging.getLogger(__name__)

# how Telegram users are known in the channel-neutral identity table
CHANNEL = "telegram"


class FloodGuard:
    """At most `limit` messages per user in `window_s` seconds; one warning per window."""

    def __init__(self, limit: int = 8, window_s: float = 30.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}
        self._albums: dict[int, deque[str]] = {}

    def allow(self, user_id: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        events = self._events.setdefault(user_id, deque())
        while events and now - events[0] > self.window_s:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def first_of_album(self, user_id: int, media_group_id: str) -> bool:
        """True for the first part of an album seen from this user; the rest ride on it."""
        albums = self._albums.setdefault(user_id, deque(maxlen=20))
        if media_group_id in albums:
            return False
        albums.append(media_group_id)
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
    answers: AnswerMemory
    accounts: AccountService
    broadcasts: BroadcastService
    library: LibraryService
    reports: ReportService
    conversation: Conversation
    report_index: ReportIndex | None = None
    public_qa: bool = False
    admin_chat_id: int | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    calendar: CalendarService | None = None
    reminders: ReminderService | None = None
    # the process's outbox (bot/outbox): this channel adds its outlet and runs the loop
    outbox: Outbox | None = None
    # seconds between the outbox's rounds (a confirmed broadcast wakes it at once)
    outbox_every_s: float = 60.0
    # prunes old rows once a day when set (see bot/runtime/housekeeping.py)
    housekeeping: Callable[[], object] | None = None
    flood: FloodGuard = field(default_factory=FloodGuard)
    # whether this process is the one sending through the bot token now (a lease in the
    # database, renewed while it sends); always, with one process
    may_send: Callable[[], bool] = lambda: True
    # may_send is a lease: rows another sender claimed can be taken over at once
    exclusive_sender: bool = False
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    outbox_task: asyncio.Task[None] | None = None


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    services: BotServices = context.bot_data["services"]
    return services


def update_claims(context: ContextTypes.DEFAULT_TYPE) -> AsyncBatcher[int, bool]:
    """Claims of update ids, one statement for the updates of one pass of the event loop."""
    claims: AsyncBatcher[int, bool] | None = context.bot_data.get("update_claims")
    if claims is None:
        accounts = services(context).accounts
        claims = AsyncBatcher(functools.partial(accounts.claim_updates, channel=CHANNEL))
        context.bot_data["update_claims"] = claims
    return claims


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    assert update.effective_chat is not None
    await update.effective_chat.send_message(text, **kwargs)


async def send_text(bot: Bot, chat_id: int | str, text: str) -> SendOutcome:
    """Send one notice through the bot's rate-limited path and say how it went."""
    try:
        await bot.send_message(int(chat_id), text)
    except Forbidden:
        return "unreachable"
    except BadRequest as exc:
        return "unreachable" if "chat not found" in exc.message.lower() else "failed"
    except RetryAfter as exc:
        await asyncio.sleep(_seconds(exc.retry_after))
        return "retry"
    except (TimedOut, NetworkError):
        return "retry"
    return "sent"


def _seconds(value: Any) -> float:
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


class TooLarge(Exception):
    """A download that passed `limit` bytes; `size` is how far it got."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


async def download_bounded(telegram_file: File, limit: int) -> bytes:
    """The file's bytes, counted as they arrive: the size Telegram declares is not trusted."""
    import httpx

    if (telegram_file.file_size or 0) > limit:
        raise TooLarge(telegram_file.file_size or 0)
    url = telegram_file.file_path
    if not url or not url.startswith(("http://", "https://")):  # a local Bot API server
        data = bytes(await telegram_file.download_as_bytearray())
        if len(data) > limit:
            raise TooLarge(len(data))
        return data
    received = bytearray()
    async with httpx.AsyncClient(timeout=60) as client, client.stream("GET", url) as response:
        response.raise_for_status()
        async for block in response.aiter_bytes():
            received += block
            if len(received) > limit:
                raise TooLarge(len(received))
    return bytes(received)


async def set_menu(bot: Bot, chat_id: int, role: Role) -> None:
    """The command menu for this chat: what this role can use, nothing else."""
    commands = dict(messages.TG_COMMANDS)
    if role == Role.SECRETARY:
        commands |= messages.TG_COMMANDS_SECRETARY
    else:
        commands |= messages.TG_COMMANDS_STAFF
    if role == Role.ADMIN:
        commands |= messages.TG_COMMANDS_ADMIN
    try:
        await bot.set_my_commands(
            [BotCommand(name, text) for name, text in commands.items()],
            scope=BotCommandScopeChat(chat_id),
        )
    except TelegramError:  # a menu is a convenience: never fail the reply over it
        log.warning("could not set the command menu for chat %s", chat_id)
