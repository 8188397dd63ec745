"""Telegram handlers for admins managing users: /invite (with its preview), /users, /setrole,
/revoke, /restore."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import messages
from bot.accounts import ROLE_NAMES, Member, Role, place
from bot.invite_words import InviteWordsError, invite_scope, read_invite_words
from bot.telegram.common import (
    CHANNEL,
    describe,
    reply,
    requires,
    services,
)
from bot.telegram.formatting import split_message

log = logging.getLogger(__name__)


# -- users (admin) --------------------------------------------------------------------------------


@requires(Role.ADMIN)
async def invite_command(update: Update, context: ContextTypes.DEFAULT_TYPE, admin: Member) -> None:
    """Read the admin's words, show what the code would bind; the code is made on 生成."""
    try:
        request = read_invite_words(context.args or [])
    except InviteWordsError as exc:
        problem = messages.INVITE_WORD_ERRORS[exc.reason].format(word=exc.word)
        await reply(update, problem + "\n\n" + messages.TG_INVITE_USAGE)
        return
    data = ":".join(("iv", "ok", request.role, request.township or "", request.village or ""))
    if len(data.encode()) > 64:  # Telegram's limit on button data
        await reply(update, messages.INVITE_NAMES_TOO_LONG)
        return
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(messages.INVITE_BUTTON_CREATE, callback_data=data),
                InlineKeyboardButton(messages.INVITE_BUTTON_CANCEL, callback_data="iv:no"),
            ]
        ]
    )
    text = messages.INVITE_PREVIEW.format(
        role=ROLE_NAMES[request.role], scope=invite_scope(request)
    )
    await reply(update, text, reply_markup=buttons)


async def on_invite_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    assert update.effective_user is not None
    member = await asyncio.to_thread(
        services(context).accounts.member_at, CHANNEL, update.effective_user.id
    )
    parts = query.data.split(":")
    if member is None or member.role != Role.ADMIN or parts[1] not in ("ok", "no"):
        await query.answer(messages.BUTTON_STALE)
        return
    await query.answer()
    if parts[1] == "no" or len(parts) != 5:
        await query.edit_message_text(messages.INVITE_CANCELLED)
        return
    try:
        request = read_invite_words([p for p in parts[2:] if p])
    except InviteWordsError:
        await query.edit_message_text(messages.BUTTON_STALE)
        return
    invite = await asyncio.to_thread(
        services(context).accounts.create_invite,
        request.role,
        village=request.village,
        township=request.township,
        created_by=member.id,
    )
    expires = invite.expires_at.astimezone(services(context).accounts.timezone)
    text = messages.TG_INVITE_CREATED.format(
        code=invite.code,
        role=ROLE_NAMES[request.role],
        place="（" + invite_scope(request) + "）",
        expires=f"{expires:%Y-%m-%d %H:%M}",
    )
    await query.edit_message_text(text)


@requires(Role.ADMIN)
async def users_command(update: Update, context: ContextTypes.DEFAULT_TYPE, admin: Member) -> None:
    township = context.args[0] if context.args else None
    members = await asyncio.to_thread(services(context).accounts.members, township=township)
    if not members:
        await reply(update, messages.TG_USERS_EMPTY)
        return
    lines = [
        messages.TG_USERS_LINE.format(
            telegram_id=m.external_id or "-",
            name=m.name or "-",
            role=ROLE_NAMES[m.role],
            place=place(m.village, m.township),
            unreachable="" if m.reachable else "（无法送达）",
        )
        for m in members
    ]
    for part in split_message("\n".join(lines)):
        await reply(update, part)


@requires(Role.ADMIN)
async def setrole_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, admin: Member
) -> None:
    try:
        telegram_id, role = int((context.args or [])[0]), Role((context.args or [])[1])
    except (IndexError, ValueError):
        await reply(update, messages.TG_SETROLE_USAGE)
        return
    user_id = await asyncio.to_thread(services(context).accounts.user_id_at, CHANNEL, telegram_id)
    changed = (
        await asyncio.to_thread(services(context).accounts.set_role, user_id, role, by=admin.id)
        if user_id is not None
        else None
    )
    if changed is None:
        await reply(update, messages.TG_USER_NOT_FOUND)
        return
    await reply(
        update, messages.TG_ROLE_CHANGED.format(telegram_id=telegram_id, role=ROLE_NAMES[role])
    )


@requires(Role.ADMIN)
async def revoke_command(update: Update, context: ContextTypes.DEFAULT_TYPE, admin: Member) -> None:
    try:
        telegram_id = int((context.args or [])[0])
    except (IndexError, ValueError):
        await reply(update, messages.TG_REVOKE_USAGE)
        return
    user_id = await asyncio.to_thread(services(context).accounts.user_id_at, CHANNEL, telegram_id)
    revoked = user_id is not None and await asyncio.to_thread(
        services(context).accounts.revoke, user_id, by=admin.id
    )
    text = messages.TG_REVOKED if revoked else messages.TG_USER_NOT_FOUND
    await reply(update, text.format(telegram_id=telegram_id))


@requires(Role.ADMIN)
async def restore_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, admin: Member
) -> None:
    try:
        telegram_id = int((context.args or [])[0])
    except (IndexError, ValueError):
        await reply(update, messages.TG_RESTORE_USAGE)
        return
    user_id = await asyncio.to_thread(services(context).accounts.user_id_at, CHANNEL, telegram_id)
    restored = (
        await asyncio.to_thread(services(context).accounts.restore, user_id, by=admin.id)
        if user_id is not None
        else None
    )
    if restored is None:
        await reply(update, messages.TG_NOT_REVOKED.format(telegram_id=telegram_id))
        return
    role, where = describe(restored)
    await reply(
        update, messages.TG_RESTORED.format(telegram_id=telegram_id, role=role, place=where)
    )
