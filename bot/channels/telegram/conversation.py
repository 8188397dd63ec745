"""Telegram as a channel of the conversation core: an update becomes an Incoming, the core's
replies become messages, edits, toasts, documents and photos. Nothing is decided here but how
Telegram shows things (and how long an album's parts take to arrive)."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import messages
from bot.channels.telegram.common import CHANNEL, TooLarge, download_bounded, services, set_menu
from bot.channels.telegram.formatting import split_message
from bot.conversation.turns import (
    AlbumSettled,
    Button,
    Command,
    Document,
    Incoming,
    Photo,
    Press,
    Reply,
    Text,
    Unsupported,
    Who,
)

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# how long the parts of one album are gathered before its card is shown
ALBUM_WAIT_S = 1.0
# Telegram shows at most 200 characters of a callback query's answer
TOAST_MAX_CHARS = 200


def who_of(update: Update) -> Who:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    return Who(
        channel=CHANNEL,
        external_id=str(user.id),
        chat=str(chat.id),
        private=chat.type == ChatType.PRIVATE,
        name=user.full_name,
    )


async def converse(update: Update, context: ContextTypes.DEFAULT_TYPE, incoming: Incoming) -> None:
    """Hand the core one incoming message and show what it says back."""
    s = services(context)
    replies = await asyncio.to_thread(s.conversation.handle, who_of(update), incoming)
    await render(update, context, replies)


# -- updates → incoming ---------------------------------------------------------------------------


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None and message.text is not None
    await message.chat.send_action(ChatAction.TYPING)  # an answer may take a moment
    await converse(update, context, Text(message.text, sent_at=message.date))


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group the assistant answers only when @-mentioned or replied to."""
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
    assert update.effective_chat is not None
    await update.effective_chat.send_action(ChatAction.TYPING)
    text = message.text.replace(mention, " ")
    await converse(update, context, Text(text, sent_at=message.date))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command the core knows, and any the bot does not (the core answers with help)."""
    message = update.message
    assert message is not None and message.text is not None
    head, _, rest = message.text.partition(" ")
    name = head[1:].split("@")[0].lower()
    await converse(update, context, Command(name, rest.strip(), sent_at=message.date))


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await converse(update, context, Press(query.data or ""))


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, or one part of an album (up to 10 parts, arriving as concurrent updates). The
    captioned part waits ALBUM_WAIT_S for the others; an uncaptioned part tells the core, after
    a longer wait, that the album has arrived (the core then asks for its sentence once)."""
    message = update.message
    assert message is not None and message.photo
    largest = message.photo[-1]
    data: bytes | None = None
    try:
        data = await download_bounded(await largest.get_file(), MAX_PHOTO_BYTES)
    except TooLarge:
        log.warning("photo %s is over %d bytes; not kept", largest.file_unique_id, MAX_PHOTO_BYTES)
    except TelegramError:  # the photo still counts; only its copy is missing
        log.warning("could not download photo %s", largest.file_unique_id, exc_info=True)
    album = message.media_group_id
    caption = message.caption or ""
    if album and caption:
        await asyncio.sleep(ALBUM_WAIT_S)  # the album's other parts gather meanwhile
    photo = Photo(
        ref=f"{CHANNEL}:{largest.file_unique_id}",
        data=data,
        caption=caption,
        album=album,
        sent_at=message.date,
    )
    await converse(update, context, photo)
    if album and not caption:
        await asyncio.sleep(2 * ALBUM_WAIT_S)  # a captioned part may still come and take it
        await converse(update, context, AlbumSettled(album))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file, fetched up to the upload limit (counted as it arrives: Telegram's declared size
    is not trusted); over it, the core is told the size and nothing is fetched."""
    message = update.message
    assert message is not None and message.document is not None
    document = message.document
    data: bytes | None = None
    size = document.file_size or 0
    try:
        data = await download_bounded(await document.get_file(), services(context).max_upload_bytes)
    except TooLarge as exc:
        size = exc.size
    except TelegramError:  # the core asks for the file again
        log.warning("could not download document %s", document.file_unique_id, exc_info=True)
        size = 0
    await converse(update, context, Document(document.file_name or "upload", data, size))


async def on_unsupported_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    kind = "voice" if message is not None and message.voice else "media"
    await converse(update, context, Unsupported(kind))


# -- replies → Telegram ---------------------------------------------------------------------------


async def render(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    query = update.callback_query
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    if query is not None:
        await query.answer(toast_of(replies))
    for reply in replies:
        if reply.notice:
            continue
        if reply.menu is not None:
            await set_menu(context.bot, user.id, reply.menu)
        markup = keyboard(reply.buttons)
        if reply.replace and query is not None:
            if reply.text:
                await query.edit_message_text(reply.text, reply_markup=markup)
            else:
                await query.edit_message_reply_markup(markup)
            continue
        target = chat.id
        if reply.private and chat.type != ChatType.PRIVATE:
            target = user.id
        try:
            await _send(context, target, reply, markup)
        except TelegramError:
            if target == chat.id:
                raise
            # the person never opened a private chat with the bot: say how, send nothing else
            await chat.send_message(messages.LEDGER_PRIVATE_FIRST)
            return


def toast_of(replies: list[Reply]) -> str | None:
    """A press is acknowledged once: with the core's notice, else with the text that replaces
    the pressed message, else silently. Toasts are not paced, so the person sees "已记入台账" at
    once even while the card's edit waits its turn under the 29 messages a second."""
    notice = next((r.text for r in replies if r.notice), None)
    if notice is not None:
        return notice
    replacing = next((r.text for r in replies if r.replace and r.text), None)
    if replacing is not None and len(replacing) <= TOAST_MAX_CHARS:
        return replacing
    return None


async def _send(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    reply: Reply,
    markup: InlineKeyboardMarkup | None,
) -> None:
    bot = context.bot
    attachment = reply.attachment
    if attachment is not None and attachment.kind == "document":
        await bot.send_document(
            chat_id, document=attachment.data, filename=attachment.name, caption=reply.text
        )
        return
    if attachment is not None:
        await bot.send_photo(chat_id, photo=attachment.data, caption=reply.text)
        return
    parts = split_message(reply.text)
    for number, part in enumerate(parts, start=1):
        await bot.send_message(chat_id, part, reply_markup=markup if number == len(parts) else None)


def keyboard(buttons: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.action) for b in row] for row in buttons]
    )
