"""Telegram handlers for questions: private texts routed by bot.conversation, groups, /ask,
the answer's buttons (查看原文, 👍/👎)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import messages
from bot.conversation import Route, help_text, route_text
from bot.qa.answer import Answer
from bot.reports.questions import answer_ledger_question, is_ledger_question
from bot.telegram.common import (
    CHANNEL,
    reply,
    services,
)
from bot.telegram.formatting import answer_keyboard, split_message
from bot.telegram.reports import handle_report_text, pending_field

log = logging.getLogger(__name__)


# -- questions ------------------------------------------------------------------------------------


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Routed by bot.conversation: a pending field, help, a plan or report, else a question."""
    assert update.message is not None and update.message.text is not None
    assert update.effective_user is not None
    s = services(context)
    text = update.message.text
    member = await asyncio.to_thread(s.accounts.member_at, CHANNEL, update.effective_user.id)
    pending = await pending_field(context, s, member)
    route, parsed = route_text(text, member=member, pending_field=pending, today=s.reports.today())
    if route == Route.HELP:
        await reply(update, help_text(member))
    elif route in (Route.FIELD, Route.PLAN, Route.REPORT):
        assert member is not None
        await handle_report_text(update, context, member, text, route, parsed)
    else:
        await answer_question(update, context, text)


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None and message.text is not None
    mention = f"@{context.bot.username}"
    replied = message.reply_to_message
    to_bot = (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    )
    if mention not in message.text and not to_bot:
        return
    await answer_question(update, context, message.text.replace(mention, " "))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = " ".join(context.args or [])
    if not question.strip():
        await reply(update, messages.TG_ASK_USAGE)
        return
    await answer_question(update, context, question)


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str
) -> None:
    s = services(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    member = await asyncio.to_thread(s.accounts.member_at, CHANNEL, user.id)
    if member is None and not s.public_qa:
        await reply(update, messages.TG_NOT_REGISTERED)
        return
    await chat.send_action(ChatAction.TYPING)
    if member is not None and is_ledger_question(question, today=s.reports.today()):
        ledger = await asyncio.to_thread(
            answer_ledger_question, s.reports, member, question, s.report_index
        )
        if chat.type != ChatType.PRIVATE:  # the ledger never goes to a group's members
            try:
                for part in split_message(ledger.text):
                    await context.bot.send_message(user.id, part)
            except TelegramError:
                await reply(update, messages.LEDGER_PRIVATE_FIRST)
                return
            await reply(update, messages.LEDGER_SENT_PRIVATELY)
            return
        for part in split_message(ledger.text):
            await reply(update, part)
        return
    assert context.chat_data is not None
    previous: Answer | None = context.chat_data.get("last_answer")
    answer = await asyncio.to_thread(s.qa.ask, question, previous)
    if answer.sources:  # what "那第二条呢" refers to next
        context.chat_data["last_answer"] = answer
    key = str(await asyncio.to_thread(s.answers.remember, _chat_key(update), answer))
    parts = split_message(answer.text)
    for number, part in enumerate(parts, start=1):
        markup = answer_keyboard(key, len(answer.sources)) if number == len(parts) else None
        await reply(update, part, reply_markup=markup)


def _chat_key(update: Update) -> str:
    assert update.effective_chat is not None
    return f"{CHANNEL}:{update.effective_chat.id}"


async def on_answer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    kind, _, rest = query.data.partition(":")
    s = services(context)
    if kind == "fb" and rest[:2] not in ("1:", "0:"):
        await query.answer(messages.TG_BUTTON_STALE)
        return
    key = rest if kind == "src" else rest.partition(":")[2]
    recalled = (
        await asyncio.to_thread(s.answers.recall, _chat_key(update), int(key))
        if key.isdigit()
        else None
    )
    if recalled is None or (kind == "src" and not recalled.sources):
        await query.answer(messages.TG_FEEDBACK_EXPIRED)
        return
    if kind == "src":
        await query.answer()
        chunk_id, cited = recalled.sources[0]
        section = await asyncio.to_thread(s.qa.full_text, chunk_id)
        body = "\n".join(p.text for p in section) if section else messages.TG_SOURCE_MISSING
        for part in split_message(f"{cited}\n\n{body}"):
            await reply(update, part)
        return
    await asyncio.to_thread(
        s.accounts.record_feedback,
        await asyncio.to_thread(s.accounts.user_id_at, CHANNEL, query.from_user.id),
        recalled.question,
        [cited for _, cited in recalled.sources],
        helpful=rest.startswith("1:"),
    )
    await query.answer(messages.TG_FEEDBACK_THANKS)
