"""Telegram handlers for every update and for newcomers: the guard, errors, /start, /help,
unknown commands and buttons, media the bot cannot read. Parse, call, reply."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import messages
from bot.accounts import RegistrationError
from bot.conversation import help_text
from bot.telegram.common import (
    CHANNEL,
    describe,
    reply,
    services,
    set_menu,
)

log = logging.getLogger(__name__)


# -- every update ---------------------------------------------------------------------------------


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs first: drops redelivered updates and users who flood the bot."""
    s = services(context)
    if not await asyncio.to_thread(s.accounts.claim_update, update.update_id):
        log.info("update %s already handled; skipping the redelivery", update.update_id)
        raise ApplicationHandlerStop
    user = update.effective_user
    pressed = update.callback_query is not None
    album = update.message.media_group_id if update.message is not None else None
    counted = update.message is not None or pressed
    if album and user is not None and not s.flood.first_of_album(user.id, album):
        counted = False  # an album of up to 10 photos is one message to the flood guard
    if user is not None and counted and not s.flood.allow(user.id):
        # A flooding press is dropped unanswered: answering each would be an API call per press.
        if not pressed and s.flood.should_warn(user.id):
            await reply(update, messages.TG_FLOOD)
        raise ApplicationHandlerStop


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await update.effective_chat.send_message(messages.TG_ERROR)
        except Exception:  # the apology must never raise in the error handler
            log.warning("could not send the apology", exc_info=True)
    admin_chat = services(context).admin_chat_id
    if admin_chat is not None:
        try:
            text = messages.TG_ADMIN_ERROR.format(error=type(context.error).__name__)
            await context.bot.send_message(admin_chat, text)
        except Exception:
            log.warning("could not notify the admin chat", exc_info=True)


# -- registration ---------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    user = update.effective_user
    assert user is not None
    if context.args:
        try:
            registered = await asyncio.to_thread(
                s.accounts.register,
                user.id,
                context.args[0],
                name=user.full_name,
                chat=f"telegram:{update.effective_chat.id if update.effective_chat else user.id}",
            )
        except RegistrationError as exc:
            await reply(update, messages.TG_REGISTRATION_ERRORS[exc.reason])
            return
        role, where = describe(registered)
        first_use = messages.TG_REGISTERED.format(role=role, place=where)
        await reply(update, first_use + "\n\n" + help_text(registered))
        await set_menu(context.bot, user.id, registered.role)
        return
    member = await asyncio.to_thread(s.accounts.member_at, CHANNEL, user.id)
    if member is None:
        text = messages.TG_START_GUEST + ("\n" + messages.TG_GUEST_PUBLIC if s.public_qa else "")
        await reply(update, text)
        return
    if not member.reachable:  # they unblocked the bot and pressed Start again
        await asyncio.to_thread(s.accounts.set_reachable, member.id, True)
    role, where = describe(member)
    name = member.name or user.full_name
    await reply(update, messages.TG_START_REGISTERED.format(name=name, role=role, place=where))
    await set_menu(context.bot, user.id, member.role)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    member = await asyncio.to_thread(
        services(context).accounts.member_at, CHANNEL, update.effective_user.id
    )
    await reply(update, help_text(member))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    assert update.effective_user is not None
    command = update.message.text.split()[0].split("@")[0]
    member = await asyncio.to_thread(
        services(context).accounts.member_at, CHANNEL, update.effective_user.id
    )
    await reply(update, messages.UNKNOWN_COMMAND.format(command=command) + "\n" + help_text(member))


async def on_unsupported_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, messages.MEDIA_UNSUPPORTED)


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Data no handler knows (an old release's buttons, or forged): answered, nothing else."""
    query = update.callback_query
    assert query is not None
    await query.answer(messages.TG_BUTTON_STALE)
