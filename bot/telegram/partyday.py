"""Telegram side of the Party-day calendar: the tick that sends reminders. (/calendar, /mute and
the admin's /settheme and /setday are the conversation core's.)"""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Any

from telegram.ext import ContextTypes

from bot.telegram.common import CHANNEL, send_text, services

log = logging.getLogger(__name__)


async def reminder_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    application = context.application
    try:
        if s.reminders is not None and await asyncio.to_thread(s.may_send):
            result = await s.reminders.tick(
                partial(send_text, context.bot),
                channel=CHANNEL,
                should_stop=lambda: (
                    not application.running or s.stopping.is_set() or not s.may_send()
                ),
            )
            if result.planned or result.sent or result.failed or result.unreachable:
                log.info("reminder tick: %s", result)
            if s.orglife_reminders is not None:  # until the one outbox loop (bot/outbox.py)
                await s.orglife_reminders.tick(
                    partial(send_text, context.bot),
                    channel=CHANNEL,
                    should_stop=lambda: (
                        not application.running or s.stopping.is_set() or not s.may_send()
                    ),
                )
    finally:
        # The next tick is scheduled when this one ends, so ticks never overlap: sending 2,000
        # reminders at 29/s takes longer than the interval.
        if application.running and not s.stopping.is_set() and s.reminder_tick_s:
            schedule_reminders(application, s.reminder_tick_s, first=s.reminder_tick_s)


def schedule_reminders(application: Any, interval_s: float, *, first: float | None = None) -> None:
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    delay = min(interval_s, 5.0) if first is None else first
    application.job_queue.run_once(reminder_tick, when=delay, name="reminders")
