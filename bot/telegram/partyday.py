"""Telegram side of the Party-day calendar: /calendar, /settheme, /setday, /mute, the tick."""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import messages
from bot.accounts import Member, Role
from bot.partyday.calendar_file import parse_day, split_tasks
from bot.partyday.policy import ReminderKind
from bot.partyday.rules import month_key, parse_month, shift_month
from bot.partyday.views import calendar_text
from bot.telegram.common import CHANNEL, reply, requires, send_text, services
from bot.telegram.formatting import split_message

log = logging.getLogger(__name__)

SECRETARY_KINDS = (ReminderKind.BEFORE, ReminderKind.DAY, ReminderKind.FOLLOWUP)
STAFF_KINDS = (ReminderKind.SUMMARY,)
CANCEL_WORDS = {"取消", "cancel", "-"}


async def _member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Member | None:
    user = update.effective_user
    assert user is not None
    member = await asyncio.to_thread(services(context).accounts.member_at, CHANNEL, user.id)
    if member is None:
        await reply(update, messages.TG_NOT_REGISTERED)
    return member


async def calendar_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = await _member(update, context)
    s = services(context)
    if member is None or s.calendar is None:
        return
    today = s.reports.today()
    try:
        if context.args:
            months = [parse_month(context.args[0], today=today)]
        else:
            months = [shift_month(today.year, today.month, d) for d in range(3)]
    except ValueError:
        await reply(update, messages.CALENDAR_USAGE)
        return
    calendar = await asyncio.to_thread(s.calendar.load)
    text = calendar_text(
        calendar,
        months,
        township=member.township,
        village=member.village,
        show_rules=member.role == Role.ADMIN,
    )
    for part in split_message(text):
        await reply(update, part)


@requires(Role.ADMIN)
async def settheme_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member
) -> None:
    s = services(context)
    if s.calendar is None:
        return
    args = context.args or []
    try:
        month = month_key(*parse_month(args[0], today=s.reports.today()))
        theme, _, tasks = " ".join(args[1:]).partition("|")
        if not theme.strip():
            raise ValueError("no theme")
    except (IndexError, ValueError):
        await reply(update, messages.SETTHEME_USAGE)
        return
    task_list = split_tasks(tasks)
    await asyncio.to_thread(s.calendar.set_theme, month, theme.strip(), task_list)
    await reply(
        update,
        messages.SETTHEME_DONE.format(month=month, theme=theme.strip(), tasks=len(task_list)),
    )


@requires(Role.ADMIN)
async def setday_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member
) -> None:
    s = services(context)
    if s.calendar is None:
        return
    args = context.args or []
    try:
        year, month = parse_month(args[0], today=s.reports.today())
        raw_day = args[1]
        township = args[2] if len(args) > 2 else ""
        village = args[3] if len(args) > 3 else ""
        day = None if raw_day in CANCEL_WORDS else parse_day(raw_day)
    except (IndexError, ValueError):
        await reply(update, messages.SETDAY_USAGE)
        return
    key = month_key(year, month)
    scope = (township + village) or messages.SCOPE_COUNTY
    if day is not None and (day.year, day.month) != (year, month):
        await reply(update, messages.SETDAY_WRONG_MONTH.format(date=day, month=key))
        return
    if day is None:
        cleared = await asyncio.to_thread(
            s.calendar.clear_override, key, township=township, village=village
        )
        if not cleared:
            await reply(update, messages.SETDAY_NOTHING.format(scope=scope, month=key))
            return
        calendar = await asyncio.to_thread(s.calendar.load)
        now_day = calendar.party_day(year, month, village=village, township=township)
        text = messages.SETDAY_CLEARED.format(
            scope=scope, month=key, date=now_day.day if now_day else "未设置规则"
        )
        await reply(update, text)
        return
    await asyncio.to_thread(
        s.calendar.set_override,
        key,
        day,
        township=township,
        village=village,
        note=f"管理员调整（{member.name or member.id}）",
    )
    weekday = messages.WEEKDAY_NAMES[day.weekday()]
    await reply(
        update, messages.SETDAY_DONE.format(scope=scope, month=key, date=day, weekday=weekday)
    )


def _kinds(member: Member) -> tuple[ReminderKind, ...]:
    return SECRETARY_KINDS if member.role == Role.SECRETARY else STAFF_KINDS


def _mute_keyboard(kinds: tuple[ReminderKind, ...], muted: set[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    messages.MUTE_BUTTON.format(
                        mark="🔕" if kind in muted else "✅",
                        name=messages.REMINDER_KIND_NAMES[kind],
                    ),
                    callback_data=f"mute:{kind}",
                )
            ]
            for kind in kinds
        ]
    )


async def mute_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = await _member(update, context)
    s = services(context)
    if member is None or s.reminders is None:
        return
    muted = await asyncio.to_thread(s.reminders.muted_kinds, member.id)
    await reply(update, messages.MUTE_STATUS, reply_markup=_mute_keyboard(_kinds(member), muted))


async def on_mute_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    member = await asyncio.to_thread(s.accounts.member_at, CHANNEL, query.from_user.id)
    try:
        kind = ReminderKind(query.data.partition(":")[2])
    except ValueError:
        kind = None
    if member is None or s.reminders is None or kind not in _kinds(member):
        await query.answer()
        return
    muted = await asyncio.to_thread(s.reminders.muted_kinds, member.id)
    now_muted = kind not in muted
    await asyncio.to_thread(s.reminders.set_muted, member.id, kind, now_muted)
    name = messages.REMINDER_KIND_NAMES[kind]
    state = messages.MUTE_ON if now_muted else messages.MUTE_OFF
    await query.answer(messages.MUTE_CHANGED.format(name=name, state=state))
    muted = muted | {kind.value} if now_muted else muted - {kind.value}
    await query.edit_message_reply_markup(_mute_keyboard(_kinds(member), muted))


async def reminder_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    application = context.application
    try:
        if s.reminders is not None and await asyncio.to_thread(s.may_send):
            result = await s.reminders.tick(
                partial(send_text, context.bot),
                should_stop=lambda: (
                    not application.running or s.stopping.is_set() or not s.may_send()
                ),
            )
            if result.planned or result.sent or result.failed or result.unreachable:
                log.info("reminder tick: %s", result)
    finally:
        # The next tick is scheduled when this one ends, so ticks never overlap: sending 2,000
        # reminders at 29/s takes longer than the interval.
        if application.running and not s.stopping.is_set() and s.reminder_tick_s:
            schedule_reminders(application, s.reminder_tick_s, first=s.reminder_tick_s)


def schedule_reminders(application: Any, interval_s: float, *, first: float | None = None) -> None:
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    delay = min(interval_s, 5.0) if first is None else first
    application.job_queue.run_once(reminder_tick, when=delay, name="reminders")
