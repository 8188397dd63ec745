"""One outbox for every notice a process sends (see bot/outbox/loop.py)."""

from bot.outbox.broadcasts import BroadcastSource
from bot.outbox.loop import Outbox, Outlet, Source
from bot.outbox.pace import Pace

__all__ = ["BroadcastSource", "Outbox", "Outlet", "Pace", "Source"]
