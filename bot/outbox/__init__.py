"""Messages the assistant sends on its own: broadcasts (broadcasting.py), the hand-off that
marks a request as gone (handoff.py), and the one outbox that delivers every notice through
each channel's outlet at its pace (loop.py, pace.py, broadcasts.py)."""

from bot.outbox.broadcasts import BroadcastSource
from bot.outbox.loop import Outbox, Outlet, Source
from bot.outbox.pace import Pace

__all__ = ["BroadcastSource", "Outbox", "Outlet", "Pace", "Source"]
