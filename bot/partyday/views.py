"""The calendar and a month's reminder plan as Chinese text, for the bot and the CLI."""

from __future__ import annotations

from collections.abc import Sequence

from bot import messages
from bot.partyday.planner import moved_note, short_date
from bot.partyday.policy import ReminderKind
from bot.partyday.reminder_planning import PlannedMessage
from bot.partyday.rules import month_key
from bot.partyday.service import Calendar
from bot.partyday.workdays import WorkdayCalendar


def calendar_text(
    calendar: Calendar,
    months: Sequence[tuple[int, int]],
    *,
    township: str | None = None,
    village: str | None = None,
    show_rules: bool = False,
) -> str:
    """The Party days and themes of `months` for one scope; with show_rules (admins), every
    rule and the overrides in those months as well."""
    if not calendar.has_rules():
        return messages.CALENDAR_NO_RULES if show_rules else messages.CALENDAR_NOT_SET
    lines = []
    for year, month in months:
        day = calendar.party_day(year, month, village=village, township=township)
        theme = calendar.theme(year, month)
        tasks = "\n　规定动作：" + "、".join(theme.tasks) if theme and theme.tasks else ""
        if day is None:
            continue
        lines.append(
            messages.CALENDAR_MONTH.format(
                month=f"{year}年{month}月",
                date=short_date(day.day),
                weekday=messages.WEEKDAY_NAMES[day.day.weekday()],
                moved=moved_note(day),
                basis=f"（{day.basis}）",
                theme=theme.theme if theme else "尚未发布",
                tasks=tasks,
            )
        )
    if show_rules:
        lines.append(messages.CALENDAR_RULES_HEADER)
        for (township_name, village_name), rule in sorted(calendar.rules.items()):
            scope = township_name + village_name or messages.SCOPE_COUNTY
            lines.append(f"　{scope}：{rule.text}（{rule.shift.value}）")
        keys = {month_key(y, m) for y, m in months}
        for entry in sorted(calendar.overrides.values(), key=lambda o: (o.month, o.township)):
            if entry.month in keys:
                scope = entry.township + entry.village or messages.SCOPE_COUNTY
                note = f"（{entry.note}）" if entry.note else ""
                lines.append(f"　{scope} {entry.month} 调整为 {short_date(entry.day)}{note}")
    unknown = sorted({y for y, _ in months if not WorkdayCalendar.knows_year(y)})
    if unknown:
        lines.append(messages.CALENDAR_UNKNOWN_YEAR.format(years="、".join(map(str, unknown))))
    return "\n".join(lines)


def preview_text(year: int, month: int, planned: Sequence[PlannedMessage]) -> str:
    if not planned:
        return messages.PREVIEW_NO_CALENDAR
    lines = [messages.PREVIEW_HEADER.format(month=month_key(year, month), count=len(planned))]
    for message in planned:
        who = message.name or f"用户{message.user_id}"
        place = "".join(p for p in (message.township, message.village) if p)
        lines.append(
            messages.PREVIEW_LINE.format(
                due=f"{message.due_at:%Y-%m-%d %H:%M}",
                kind=messages.REMINDER_KIND_NAMES[message.kind],
                who=f"{who}（{place}）" if place else who,
                status=messages.PREVIEW_STATUS.get(message.status, ""),
            )
        )
    if any(m.kind == ReminderKind.FOLLOWUP for m in planned):
        lines.append(messages.PREVIEW_FOLLOWUP_NOTE)
    lines.append("")
    lines.append(messages.PREVIEW_TEXTS)
    seen = set()
    for message in planned:
        if message.kind not in seen:
            seen.add(message.kind)
            name = messages.REMINDER_KIND_NAMES[message.kind]
            lines.append(f"—— {name} ——\n{message.text}\n")
    return "\n".join(lines)


def status_text(month: str, counts: dict[tuple[str, str], int]) -> str:
    if not counts:
        return messages.STATUS_EMPTY.format(month=month)
    lines = [messages.STATUS_HEADER.format(month=month)]
    for kind in ReminderKind:
        mine = {status: n for (k, status), n in counts.items() if k == kind}
        if mine:
            parts = "，".join(
                f"{messages.STATUS_NAMES.get(status, status)} {n}"
                for status, n in sorted(mine.items())
            )
            lines.append(
                messages.STATUS_LINE.format(kind=messages.REMINDER_KIND_NAMES[kind], counts=parts)
            )
    return "\n".join(lines)
