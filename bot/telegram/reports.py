"""Telegram handlers for activity reports: card, 确认 / 修改 / 取消, photos, my reports, export."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from datetime import date
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import messages
from bot.accounts import Member, Role
from bot.conversation import Route, plan_text
from bot.reports.parsing import ParsedReport, parse_report
from bot.reports.rows import ReportRow
from bot.reports.service import EDITABLE, FIELD_NAMES, DraftView, FieldError
from bot.reports.views import card_text, ledger_rows_text, own_reports_text
from bot.telegram.common import CHANNEL, BotServices, TooLarge, download_bounded, reply, services
from bot.telegram.formatting import split_message

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# how long the parts of one album are gathered before its card is shown
ALBUM_WAIT_S = 1.0
REPORT_ACTIONS = frozenset({"ok", "no", "edit", "f", "fix", "fx", "del"})
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG")


def card_keyboard(draft: DraftView) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(messages.REPORT_BUTTON_EDIT, callback_data=f"rp:edit:{draft.id}"),
        InlineKeyboardButton(messages.REPORT_BUTTON_CANCEL, callback_data=f"rp:no:{draft.id}"),
    ]
    if not draft.missing:
        buttons.insert(
            0,
            InlineKeyboardButton(messages.REPORT_BUTTON_CONFIRM, callback_data=f"rp:ok:{draft.id}"),
        )
    return InlineKeyboardMarkup([buttons])


def fields_keyboard(target_id: int, *, prefix: str = "rp:f") -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(FIELD_NAMES[name], callback_data=f"{prefix}:{target_id}:{name}")
        for name in EDITABLE
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


async def show_card(update: Update, s: BotServices, draft: DraftView) -> None:
    if draft.missing:
        # The draft remembers which field the next message answers, across restarts.
        await asyncio.to_thread(s.reports.begin_edit, draft.id, draft.missing[0], owner=draft.owner)
    await reply(update, card_text(draft), reply_markup=card_keyboard(draft))


async def _secretary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Member | None:
    user = update.effective_user
    assert user is not None
    member = await asyncio.to_thread(services(context).accounts.member_at, CHANNEL, user.id)
    if member is None or member.role != Role.SECRETARY:
        return None
    return member


async def pending_field(
    context: ContextTypes.DEFAULT_TYPE, s: BotServices, member: Member | None
) -> bool:
    """Whether a secretary's next text answers a card's or a correction's question."""
    if member is None or member.role != Role.SECRETARY:
        return False
    if await asyncio.to_thread(s.reports.pending_correction, member.id) is not None:
        return True
    draft = await asyncio.to_thread(s.reports.open_draft, member.id)
    return draft is not None and draft.editing is not None


async def handle_report_text(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    member: Member,
    text: str,
    route: Route,
    parsed: ParsedReport | None,
) -> None:
    """A pending field's value, a plan (never logged) or a report (a card to confirm)."""
    s = services(context)
    if member.role != Role.SECRETARY:
        await reply(update, messages.REPORT_SECRETARY_ONLY)
        return
    if route == Route.FIELD:
        await _answer_field(update, context, s, member, text)
        return
    if route == Route.PLAN:
        assert parsed is not None
        markup = None
        if parsed.date is not None and parsed.date >= s.reports.today() and s.reminders:
            data = f"pl:{parsed.date.isoformat()}:{parsed.type or '活动'}"
            if len(data.encode()) <= 64:  # Telegram's limit on button data
                button = InlineKeyboardButton(messages.PLAN_REMIND_BUTTON, callback_data=data)
                markup = InlineKeyboardMarkup([[button]])
        await reply(update, plan_text(parsed), reply_markup=markup)
        return
    message = update.message
    sent_at = message.date if message is not None else None
    draft = await asyncio.to_thread(
        s.reports.start_draft, member, text, sent_at=sent_at, photos=_take_waiting_photos(context)
    )
    await show_card(update, s, draft)


async def _answer_field(
    update: Update, context: ContextTypes.DEFAULT_TYPE, s: BotServices, member: Member, text: str
) -> None:
    correcting = await asyncio.to_thread(s.reports.pending_correction, member.id)
    if correcting is not None:
        report_id, field_name = correcting
        try:
            row = await asyncio.to_thread(
                s.reports.correct_own, member.id, report_id, field_name, text
            )
        except FieldError as exc:  # asked again: the correction stays pending
            await reply(update, messages.REPORT_FIELD_ERRORS[exc.reason])
            return
        await asyncio.to_thread(s.reports.end_correction, member.id)
        if row is None:
            await reply(update, messages.REPORT_NOT_DELETABLE)
        else:
            await reply(
                update,
                messages.REPORT_CORRECTED.format(id=report_id, field=FIELD_NAMES[field_name]),
            )
            index_reports_soon(s)
        return
    open_draft = await asyncio.to_thread(s.reports.open_draft, member.id)
    if open_draft is None or not open_draft.editing:
        return
    try:
        updated = await asyncio.to_thread(
            s.reports.set_field, open_draft.id, open_draft.editing, text, owner=member.id
        )
    except FieldError as exc:
        await reply(update, messages.REPORT_FIELD_ERRORS[exc.reason])
        return
    if updated is not None:
        await show_card(update, s, updated)


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = " ".join(context.args or []).strip()
    if not text:
        await reply(update, messages.REPORT_USAGE)
        return
    member = await _secretary(update, context)
    if member is None:
        await reply(update, messages.REPORT_SECRETARY_ONLY)
        return
    parsed = parse_report(text, today=services(context).reports.today())
    route = Route.PLAN if parsed.plan else Route.REPORT
    await handle_report_text(update, context, member, text, route, parsed)


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, or a part of an album (up to 10 parts, arriving as concurrent updates). The
    captioned part waits ALBUM_WAIT_S while the others gather, then makes the draft with all of
    them, so the card counts them; an album with no caption is asked for its sentence once."""
    s = services(context)
    message = update.message
    assert message is not None and message.photo
    member = await _secretary(update, context)
    if member is None:
        await reply(update, messages.REPORT_SECRETARY_ONLY)
        return
    largest = message.photo[-1]
    photo = {"file_id": largest.file_id, "file_unique_id": largest.file_unique_id}
    group = message.media_group_id
    assert context.chat_data is not None
    if group and message.caption:
        await asyncio.sleep(ALBUM_WAIT_S)  # the album's other parts gather meanwhile
    lock: asyncio.Lock = context.chat_data.setdefault("album_lock", asyncio.Lock())
    async with lock:
        if group:
            attached = await asyncio.to_thread(s.reports.add_photos, member.id, group, [photo])
            if attached is not None:
                return
        if message.caption:
            earlier = context.chat_data.get("album_photos", {}).pop(group, []) if group else []
            draft = await asyncio.to_thread(
                s.reports.start_draft,
                member,
                message.caption,
                sent_at=message.date,
                photos=[*earlier, photo],
                media_group_id=group,
            )
            await show_card(update, s, draft)
            return
        if not group:
            context.chat_data.setdefault("loose_photos", []).append(photo)
            await reply(update, messages.REPORT_PHOTO_NEEDS_TEXT)
            return
        waiting = context.chat_data.setdefault("album_photos", {}).setdefault(group, [])
        waiting.append(photo)
        if len(waiting) > 1:
            return  # asked once per album
    await asyncio.sleep(2 * ALBUM_WAIT_S)  # a captioned part may still come and take them
    if group in context.chat_data.get("album_photos", {}):
        await reply(update, messages.REPORT_PHOTO_NEEDS_TEXT)


def _take_waiting_photos(context: ContextTypes.DEFAULT_TYPE) -> list[dict[str, str]]:
    """Photos sent without a caption, waiting for the sentence that describes them."""
    data = context.chat_data if context.chat_data is not None else {}
    photos: list[dict[str, str]] = list(data.pop("loose_photos", []))
    for album in data.pop("album_photos", {}).values():
        photos.extend(album)
    return photos


def _parse_report_button(data: str) -> tuple[str, int, str | None] | None:
    """rp:ACTION:ID[:FIELD] -> (action, id, field); None for anything malformed."""
    parts = data.split(":")
    if len(parts) not in (3, 4) or not parts[2].isdigit():
        return None
    action, field_name = parts[1], parts[3] if len(parts) == 4 else None
    needs_field = action in ("f", "fx")
    if action not in REPORT_ACTIONS or needs_field != (field_name in EDITABLE):
        return None
    return action, int(parts[2]), field_name


async def on_report_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    query = update.callback_query
    assert query is not None and query.data is not None
    parsed = _parse_report_button(query.data)
    member = await _secretary(update, context)
    if parsed is None or member is None:
        await query.answer(messages.TG_BUTTON_STALE)
        return
    action, draft_id, field_name = parsed
    owner = member.id
    if action == "ok":  # the row is committed first; every reply after it may wait its turn
        report, created = await asyncio.to_thread(s.reports.confirm, draft_id, member)
        await query.answer()
        if report is None:
            await query.edit_message_text(messages.REPORT_EXPIRED)
            return
        text = messages.REPORT_SAVED if created else messages.REPORT_ALREADY_SAVED
        await query.edit_message_text(text.format(id=report.id))
        if created:
            index_reports_soon(s)
            await _download_photos(context, s, report.id)
        return
    await query.answer()
    if action == "no":
        cancelled = await asyncio.to_thread(s.reports.cancel, draft_id, owner=owner)
        await query.edit_message_text(
            messages.REPORT_CANCELLED if cancelled else messages.REPORT_EXPIRED
        )
    elif action == "edit":
        draft = await asyncio.to_thread(s.reports.get_draft, draft_id)
        if draft is None or draft.owner != owner or draft.status != "open":
            await query.edit_message_text(messages.REPORT_EXPIRED)
            return
        await query.edit_message_reply_markup(fields_keyboard(draft_id))
    elif action == "f":
        assert field_name is not None
        edited = await asyncio.to_thread(s.reports.begin_edit, draft_id, field_name, owner=owner)
        if edited is None:
            await query.edit_message_text(messages.REPORT_EXPIRED)
            return
        hint = messages.REPORT_FIELD_HINTS.get(field_name, "")
        text = messages.REPORT_ASK_FIELD.format(field=FIELD_NAMES[field_name])
        await reply(update, text + (f"（{hint}）" if hint else ""))
    elif action == "fix":
        await query.edit_message_reply_markup(fields_keyboard(draft_id, prefix="rp:fx"))
    elif action == "fx":
        assert field_name is not None
        # correct_own checks the report's owner and age when the value arrives
        await asyncio.to_thread(s.reports.begin_correction, owner, draft_id, field_name)
        hint = messages.REPORT_FIELD_HINTS.get(field_name, "")
        text = messages.REPORT_ASK_FIELD.format(field=FIELD_NAMES[field_name])
        await reply(update, text + (f"（{hint}）" if hint else ""))
    elif action == "del":
        deleted = await asyncio.to_thread(s.reports.delete_own, owner, draft_id)
        text = messages.REPORT_DELETED if deleted else messages.REPORT_NOT_DELETABLE
        await reply(update, text.format(id=draft_id))


async def on_plan_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pl:YYYY-MM-DD:TYPE — remind this secretary on that afternoon to log the activity."""
    s = services(context)
    query = update.callback_query
    assert query is not None and query.data is not None
    _, _, rest = query.data.partition(":")
    day_text, _, what = rest.partition(":")
    member = await _secretary(update, context)
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        day = None
    if member is None or day is None or not what or s.reminders is None:
        await query.answer(messages.TG_BUTTON_STALE)
        return
    created = await asyncio.to_thread(s.reminders.remember_plan, member, day, what)
    when = f"{day.month}月{day.day}日"
    text = messages.PLAN_REMINDER_SET if created else messages.PLAN_REMINDER_NOT_SET
    await query.answer(text.format(when=when))
    if created:
        await query.edit_message_reply_markup(None)


def index_reports_soon(s: BotServices) -> None:
    """Index new and corrected reports in the background, after the reply has gone."""
    task = asyncio.get_running_loop().create_task(
        asyncio.to_thread(s.reports.index_pending), name="index-reports"
    )
    s.tasks.add(task)  # held until done; stop_deliveries waits for it on shutdown
    task.add_done_callback(s.tasks.discard)


async def _download_photos(
    context: ContextTypes.DEFAULT_TYPE, s: BotServices, report_id: int
) -> None:
    """Keep a copy of each photo under the data directory; the file_id is kept regardless."""
    rows = await asyncio.to_thread(s.reports.photos_of, report_id)
    for file_id, unique_id in rows:
        try:
            telegram_file = await context.bot.get_file(file_id)
            data = await download_bounded(telegram_file, MAX_PHOTO_BYTES)
        except TooLarge:
            log.warning("photo %s is over %d bytes; not kept", unique_id, MAX_PHOTO_BYTES)
            continue
        except Exception:  # a photo that cannot be fetched now stays referenced by file_id
            log.warning("could not download photo %s", unique_id, exc_info=True)
            continue
        if not data.startswith(_IMAGE_MAGIC):
            continue
        folder = s.media_dir / "reports" / str(report_id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{unique_id}.jpg"
        path.write_bytes(data)
        await asyncio.to_thread(s.reports.set_photo_path, unique_id, report_id, str(path))


async def myreports_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = await _secretary(update, context)
    if member is None:
        await reply(update, messages.REPORT_SECRETARY_ONLY)
        return
    rows = await asyncio.to_thread(services(context).reports.recent, member.id)
    if not rows:
        await reply(update, messages.MYREPORTS_EMPTY)
        return
    buttons = [
        [
            InlineKeyboardButton(
                messages.MYREPORTS_FIX.format(id=r.id), callback_data=f"rp:fix:{r.id}"
            ),
            InlineKeyboardButton(
                messages.MYREPORTS_DELETE.format(id=r.id), callback_data=f"rp:del:{r.id}"
            ),
        ]
        for r in rows[:5]
    ]
    await reply(update, own_reports_text(rows), reply_markup=InlineKeyboardMarkup(buttons))


async def _staff_month_rows(
    update: Update, context: ContextTypes.DEFAULT_TYPE, usage: str
) -> tuple[Member, str, list[ReportRow]] | None:
    """Staff only; the month from the command (default this month); its rows in their scope."""
    s = services(context)
    user = update.effective_user
    assert user is not None
    member = await asyncio.to_thread(s.accounts.member_at, CHANNEL, user.id)
    if member is None or member.role not in (Role.STAFF, Role.ADMIN):
        await reply(update, messages.TG_STAFF_ONLY)
        return None
    month = (context.args or [s.reports.today().strftime("%Y-%m")])[0]
    try:
        date.fromisoformat(f"{month}-01")
    except ValueError:
        await reply(update, usage)
        return None
    rows = await asyncio.to_thread(s.reports.query, member, month=month)
    return member, month, rows


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.reports.export import write_xlsx

    request = await _staff_month_rows(update, context, messages.EXPORT_USAGE)
    if request is None:
        return
    member, month, rows = request
    chat = update.effective_chat
    assert chat is not None
    scope = member.township or "全县"
    title = messages.LEDGER_TITLE.format(month=month, scope=scope)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"台账-{scope}-{month}.xlsx"
        await asyncio.to_thread(write_xlsx, rows, path, title=title)
        await chat.send_document(
            document=path.read_bytes(),
            filename=path.name,
            caption=messages.EXPORT_CAPTION.format(title=title, count=len(rows)),
        )


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.reports.chart import NoCJKFont, draw_monthly_chart

    request = await _staff_month_rows(update, context, messages.STATS_USAGE)
    if request is None:
        return
    member, month, rows = request
    chat = update.effective_chat
    assert chat is not None
    title = messages.CHART_TITLE.format(scope=member.township or "全县", month=month)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chart.png"
        try:
            await asyncio.to_thread(draw_monthly_chart, rows, path, title=title)
        except NoCJKFont:
            await reply(update, messages.NO_CJK_FONT)
            return
        await chat.send_photo(photo=path.read_bytes(), caption=title)


async def reports_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reports [YYYY-MM] [村] [乡镇] [类型]: the matching ledger rows, within the asker's scope."""
    from bot.reports.parsing import TYPE_NAMES

    s = services(context)
    user = update.effective_user
    assert user is not None
    member = await asyncio.to_thread(s.accounts.member_at, CHANNEL, user.id)
    if member is None:
        await reply(update, messages.TG_NOT_REGISTERED)
        return
    filters: dict[str, str] = {}
    for word in context.args or []:
        if len(word) == 7 and word[4] == "-" and word[:4].isdigit():
            filters["month"] = word
        elif word in TYPE_NAMES:
            filters["type"] = word
        elif word.endswith("村"):
            filters["village"] = word
        elif word.endswith(("镇", "乡", "街道")):
            filters["township"] = word
        else:
            await reply(update, messages.REPORTS_USAGE)
            return
    rows = await asyncio.to_thread(
        lambda: s.reports.query(
            member,
            month=filters.get("month"),
            village=filters.get("village"),
            township=filters.get("township"),
            type=filters.get("type"),
        )
    )
    if not rows:
        await reply(update, messages.REPORTS_EMPTY)
        return
    for part in split_message(ledger_rows_text(rows)):
        await reply(update, part)
