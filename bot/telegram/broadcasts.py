"""Telegram's delivery of broadcasts, paced, with progress notes to the admin who sent them.
(/broadcast, its preview and 确认 are the conversation core's.)"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

from bot import messages
from bot.broadcasting import CLAIM_TTL, Progress, SendOutcome
from bot.telegram.common import CHANNEL, BotServices, send_text

PROGRESS_EVERY_S = 5.0

log = logging.getLogger(__name__)


def start_delivery(application: Any, s: BotServices, broadcast_id: int) -> None:
    if broadcast_id in s.delivering:
        return
    # A plain task, not application.create_task: Application.stop() would wait for a whole
    # broadcast; instead `stop_deliveries` lets the batch in flight finish and the rest resume
    # after the restart from their delivery rows.
    task = asyncio.create_task(deliver_broadcast(application.bot, s, broadcast_id))
    s.tasks.add(task)
    task.add_done_callback(s.tasks.discard)


async def stop_deliveries(s: BotServices) -> None:
    s.stopping.set()
    await asyncio.gather(*s.tasks, return_exceptions=True)


async def resume_deliveries(application: Any, s: BotServices) -> None:
    """The sending process picks up every broadcast not finished: confirmed in another
    process, or left by a restart."""
    if not await asyncio.to_thread(s.may_send):
        return
    for broadcast_id in await asyncio.to_thread(s.broadcasts.unfinished):
        if broadcast_id not in s.delivering:
            log.info("resuming broadcast %s", broadcast_id)
            start_delivery(application, s, broadcast_id)


async def deliver_broadcast(bot: Any, s: BotServices, broadcast_id: int) -> Progress:
    if not await asyncio.to_thread(s.may_send):  # the sending process resumes it
        return await asyncio.to_thread(s.broadcasts.progress, broadcast_id)
    s.delivering.add(broadcast_id)
    try:
        return await _deliver(bot, s, broadcast_id)
    finally:
        s.delivering.discard(broadcast_id)


async def _deliver(bot: Any, s: BotServices, broadcast_id: int) -> Progress:
    async def send(address: str, text: str) -> SendOutcome:
        return await send_text(bot, address, messages.NOTICE_PREFIX + text)

    sender_id = await asyncio.to_thread(s.broadcasts.sender_of, broadcast_id)
    admin = await asyncio.to_thread(s.accounts.member, sender_id) if sender_id else None
    sender = (
        int(admin.external_id) if admin and admin.channel == CHANNEL and admin.external_id else None
    )
    last_report = time.monotonic()

    async def report(progress: Progress) -> None:
        nonlocal last_report
        if sender is None or time.monotonic() - last_report < PROGRESS_EVERY_S:
            return
        last_report = time.monotonic()
        await _notify(bot, sender, messages.TG_BROADCAST_PROGRESS.format(**_counts(progress)))

    progress = await s.broadcasts.deliver(
        broadcast_id,
        send,
        channel=CHANNEL,
        on_progress=report,
        # between batches: stopping, or the sending lease lost (renewed by asking)
        should_stop=lambda: s.stopping.is_set() or not s.may_send(),
        claim_ttl=timedelta(0) if s.exclusive_sender else CLAIM_TTL,
    )
    if sender is not None and progress.pending == 0:
        await _notify(bot, sender, messages.TG_BROADCAST_DONE.format(**_counts(progress)))
    return progress


def _counts(progress: Progress) -> dict[str, int]:
    return {
        "sent": progress.sent,
        "total": progress.total,
        "unreachable": progress.unreachable,
        "failed": progress.failed,
    }


async def _notify(bot: Any, chat_id: int, text: str) -> None:
    try:
        await bot.send_message(chat_id, text)
    except Exception:  # progress notes are best effort; the delivery rows are the record
        log.warning("could not send a progress note to %s", chat_id, exc_info=True)
