"""Telegram side of the Party-day calendar: the admin's /settheme and /setday. (/calendar and
/mute are the conversation core's; the outbox sends the reminders.)"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import messages
from bot.accounts import Member, Role
from bot.months import year_month
from bot.partyday.calendar_file import parse_day, split_tasks
from bot.partyday.rules import month_key
from bot.telegram.common import reply, requires, services

CANCEL_WORDS = {"取消", "cancel", "-"}


@requires(Role.ADMIN)
async def settheme_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member
) -> None:
    s = services(context)
    if s.calendar is None:
        return
    args = context.args or []
    try:
        month = month_key(*year_month(args[0], today=s.reports.today()))
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
        year, month = year_month(args[0], today=s.reports.today())
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
