"""Telegram handlers for broadcasts: /broadcast, preview and 确认; the outbox delivers them."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import messages
from bot.accounts import Member, Role
from bot.broadcasting import Audience
from bot.conversation.turns import button_number
from bot.telegram.common import CHANNEL, reply, requires, services
from bot.telegram.formatting import confirm_keyboard

# -- broadcasts (admin) ---------------------------------------------------------------------------


@requires(Role.ADMIN)
async def broadcast_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member
) -> None:
    args = context.args or []
    try:
        audience = Audience.parse(args[0])
        text = " ".join(args[1:]).strip()
        if not text:
            raise ValueError("no text")
    except (IndexError, ValueError):
        await reply(update, messages.TG_BROADCAST_USAGE)
        return
    s = services(context)
    broadcast_id, count = await asyncio.to_thread(s.broadcasts.draft, member.id, text, audience)
    preview = messages.TG_BROADCAST_PREVIEW.format(count=count, audience=audience, text=text)
    await reply(update, preview, reply_markup=confirm_keyboard(broadcast_id))


async def on_broadcast_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    admin = await asyncio.to_thread(
        services(context).accounts.member_at, CHANNEL, query.from_user.id
    )
    if (
        len(parts) != 3
        or parts[1] not in ("ok", "no")
        or button_number(parts[2]) is None
        or admin is None
        or admin.role != Role.ADMIN
    ):
        await query.answer(messages.BUTTON_STALE)
        return
    action, broadcast_id = parts[1], int(parts[2])  # ASCII digits, checked above
    s = services(context)
    # only the admin who drafted it confirms or cancels it
    if await asyncio.to_thread(s.broadcasts.sender_of, broadcast_id) != admin.id:
        await query.answer(messages.BUTTON_STALE)
        return
    await query.answer()
    if action == "no":
        cancelled = await asyncio.to_thread(s.broadcasts.cancel, broadcast_id)
        text = messages.TG_BROADCAST_CANCELLED if cancelled else messages.TG_BROADCAST_ALREADY
        await query.edit_message_text(text)
        return
    if not await asyncio.to_thread(s.broadcasts.confirm, broadcast_id):
        await query.edit_message_text(messages.TG_BROADCAST_ALREADY)
        return
    await query.edit_message_text(messages.TG_BROADCAST_STARTED)
    if s.outbox is not None:  # delivered by the outbox (bot/outbox), from now
        s.outbox.wake()
