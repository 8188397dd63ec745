"""Telegram handlers: parse the update, call a service, reply. Nothing else."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import messages
from bot.accounts import ROLE_NAMES, Member, RegistrationError, Role
from bot.broadcasting import Audience, Progress, SendOutcome
from bot.conversation import Route, help_text, route_text
from bot.invite_words import InviteWordsError, invite_scope, read_invite_words
from bot.qa.answer import Answer
from bot.reports.questions import answer_ledger_question, is_ledger_question
from bot.telegram.common import (
    CHANNEL,
    BotServices,
    TooLarge,
    download_bounded,
    reply,
    require_role,
    send_text,
    services,
    set_menu,
)
from bot.telegram.formatting import answer_keyboard, confirm_keyboard, place, split_message
from bot.telegram.reports import handle_report_text, pending_field

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 5.0


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


def _describe(member: Member) -> tuple[str, str]:
    return ROLE_NAMES[member.role], place(member.village, member.township)


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
        role, where = _describe(registered)
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
    role, where = _describe(member)
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


# -- users (admin) --------------------------------------------------------------------------------


async def invite_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Read the admin's words, show what the code would bind; the code is made on 生成."""
    if await require_role(update, context, Role.ADMIN) is None:
        return
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
        await query.answer(messages.TG_BUTTON_STALE)
        return
    await query.answer()
    if parts[1] == "no" or len(parts) != 5:
        await query.edit_message_text(messages.INVITE_CANCELLED)
        return
    try:
        request = read_invite_words([p for p in parts[2:] if p])
    except InviteWordsError:
        await query.edit_message_text(messages.TG_BUTTON_STALE)
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


async def users_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await require_role(update, context, Role.ADMIN) is None:
        return
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


async def setrole_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    admin = await require_role(update, context, Role.ADMIN)
    if admin is None:
        return
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


async def revoke_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    admin = await require_role(update, context, Role.ADMIN)
    if admin is None:
        return
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


async def restore_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    admin = await require_role(update, context, Role.ADMIN)
    if admin is None:
        return
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
    role, where = _describe(restored)
    await reply(
        update, messages.TG_RESTORED.format(telegram_id=telegram_id, role=role, place=where)
    )


# -- knowledge (admin) ----------------------------------------------------------------------------


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await require_role(update, context, Role.ADMIN) is None:
        return
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    s = services(context)
    name = s.library.safe_name(document.file_name or "upload")
    if not s.library.supported(name):
        await reply(update, messages.TG_UPLOAD_TYPE)
        return
    size = document.file_size or 0
    if size > s.max_upload_bytes:
        limit = s.max_upload_bytes // (1024 * 1024)
        await reply(update, messages.TG_UPLOAD_SIZE.format(size=size / 1024 / 1024, limit=limit))
        return
    await reply(update, messages.TG_UPLOAD_RECEIVED.format(name=name))
    limit = s.max_upload_bytes
    try:
        data = await download_bounded(await document.get_file(), limit)
    except TooLarge as exc:
        await reply(
            update,
            messages.TG_UPLOAD_SIZE.format(
                size=exc.size / 1024 / 1024, limit=limit // (1024 * 1024)
            ),
        )
        return
    result = await asyncio.to_thread(s.library.add_upload, name, data)
    outcome = result.outcome
    if outcome.status == "failed":
        reason = messages.ingest_reason(outcome.reason, outcome.detail)
        await reply(update, messages.TG_UPLOAD_FAILED.format(name=name, reason=reason))
    elif outcome.status == "unchanged":
        await reply(update, messages.TG_UPLOAD_UNCHANGED.format(title=outcome.title))
    else:
        text = messages.TG_UPLOAD_DONE.format(
            title=outcome.title, chunks=outcome.chunks, articles=outcome.articles
        )
        if result.saved_as:
            text += "\n" + messages.TG_UPLOAD_RENAMED.format(saved_as=result.saved_as)
        await reply(update, text)


async def docs_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await require_role(update, context, Role.ADMIN) is None:
        return
    documents = await asyncio.to_thread(services(context).library.documents)
    if not documents:
        await reply(update, messages.TG_DOCS_EMPTY)
        return
    lines = [
        messages.TG_DOCS_LINE.format(
            n=n,
            title=d.title,
            issued=d.issued.isoformat() if d.issued else "日期不详",
            source=d.source,
        )
        for n, d in enumerate(documents, start=1)
    ]
    for part in split_message("\n".join(lines)):
        await reply(update, part)


async def deldoc_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await require_role(update, context, Role.ADMIN) is None:
        return
    source = " ".join(context.args or []).strip()
    if not source:
        await reply(update, messages.TG_DELDOC_USAGE)
        return
    removed = await asyncio.to_thread(services(context).library.delete, source)
    text = messages.TG_DELDOC_DONE if removed else messages.TG_DELDOC_MISSING
    await reply(update, text.format(source=source))


# -- broadcasts (admin) ---------------------------------------------------------------------------


async def broadcast_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = await require_role(update, context, Role.ADMIN)
    if member is None:
        return
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
        or not parts[2].isdigit()
        or admin is None
        or admin.role != Role.ADMIN
    ):
        await query.answer(messages.TG_BUTTON_STALE)
        return
    action, broadcast_id = parts[1], int(parts[2])
    s = services(context)
    # only the admin who drafted it confirms or cancels it
    if await asyncio.to_thread(s.broadcasts.sender_of, broadcast_id) != admin.id:
        await query.answer(messages.TG_BUTTON_STALE)
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
    start_delivery(context.application, s, broadcast_id)


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Data no handler knows (an old release's buttons, or forged): answered, nothing else."""
    query = update.callback_query
    assert query is not None
    await query.answer(messages.TG_BUTTON_STALE)


def start_delivery(application: Any, s: BotServices, broadcast_id: int) -> None:
    # A plain task, not application.create_task: Application.stop() would wait for a whole
    # broadcast; instead `stop_deliveries` lets the batch in flight finish and the rest resume
    # after the restart from their delivery rows.
    task = asyncio.create_task(deliver_broadcast(application.bot, s, broadcast_id))
    s.tasks.add(task)
    task.add_done_callback(s.tasks.discard)


async def stop_deliveries(s: BotServices) -> None:
    s.stopping.set()
    await asyncio.gather(*s.tasks, return_exceptions=True)


async def deliver_broadcast(bot: Any, s: BotServices, broadcast_id: int) -> Progress:
    async def send(address: str, text: str) -> SendOutcome:
        return await send_text(bot, address, messages.TG_NOTICE_PREFIX + text)

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
        broadcast_id, send, on_progress=report, should_stop=s.stopping.is_set
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
