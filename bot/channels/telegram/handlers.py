"""Telegram handlers for every update: the guard (redeliveries, floods) and errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import messages
from bot.channels.telegram.common import reply, services, update_claims

log = logging.getLogger(__name__)


# -- every update ---------------------------------------------------------------------------------


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs first: drops redelivered updates and users who flood the bot."""
    s = services(context)
    if not await update_claims(context).submit(update.update_id):
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
