"""What is due for a month: slots of (reminder, due time, recipients) and their texts.

Pure functions of the calendar, the policy and the people; the reminder service decides which
slots are due now and writes their messages to the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot import messages
from bot.partyday.policy import Offset, ReminderKind, ReminderPolicy
from bot.partyday.rules import month_key
from bot.partyday.service import COUNTY, Calendar, PartyDay, Scope
from bot.people.accounts import Member, Role

Branch = tuple[str, str]  # (township, village)
NAME_LIST_CHARS = 1200


@dataclass(frozen=True)
class Basis:
    """The article that requires a monthly Party day, as the knowledge base has it."""

    citation: str
    text: str


@dataclass
class Slot:
    """One reminder kind at one due time: the branches (or, for a summary, the township's
    staff) it goes to. Recipients are looked up only when the slot is written."""

    key: str
    kind: ReminderKind
    offset: Offset
    year: int
    month: int
    due_at: datetime
    party_day: PartyDay
    branches: set[Branch] = field(default_factory=set)
    scope: Scope = COUNTY  # whose branches a summary covers

    @property
    def month_key(self) -> str:
        return month_key(self.year, self.month)

    def message_key(self, telegram_id: int) -> str:
        return f"{self.month_key}/{self.kind}{self.offset.label}/{telegram_id}"

    def recipients(self, members: Sequence[Member]) -> list[Member]:
        if self.kind == ReminderKind.SUMMARY:
            return [
                m for m in members if m.role in STAFF_ROLES and (m.township or "") == self.scope[0]
            ]
        return [
            m
            for m in members
            if m.role == Role.SECRETARY and m.village and branch_of(m) in self.branches
        ]


STAFF_ROLES = (Role.STAFF, Role.ADMIN)


def branch_of(member: Member) -> Branch:
    return (member.township or "", member.village or "")


def month_slots(
    year: int,
    month: int,
    *,
    calendar: Calendar,
    policy: ReminderPolicy,
    branches: Iterable[Branch],
    staff_townships: Iterable[str],
) -> list[Slot]:
    """Every slot of the month, whatever its due time: branches grouped by their Party day
    (a handful of days for thousands of branches), summaries by the staff's township."""
    by_day: dict[PartyDay, set[Branch]] = {}
    for township, village in branches:
        day = calendar.party_day(year, month, village=village, township=township)
        if day is not None:
            by_day.setdefault(day, set()).add((township, village))
    summary_days = {}
    for township in set(staff_townships):
        day = calendar.party_day(year, month, township=township)
        if day is not None:
            summary_days[township] = day
    key_month = month_key(year, month)
    slots = []
    for kind, offset in policy.slots():
        prefix = f"{key_month}/{kind}{offset.label}"
        if kind == ReminderKind.SUMMARY:
            for township, day in summary_days.items():
                key = f"{prefix}/{day.day}/{'/'.join(day.scope)}/{township}"
                due = policy.due_at(day.day, offset)
                slots.append(Slot(key, kind, offset, year, month, due, day, scope=(township, "")))
            continue
        for day, members in by_day.items():
            key = f"{prefix}/{day.day}/{'/'.join(day.scope)}"
            due = policy.due_at(day.day, offset)
            slots.append(Slot(key, kind, offset, year, month, due, day, branches=members))
    return sorted(slots, key=lambda s: (s.due_at, s.key))


# -- texts ---------------------------------------------------------------------------------------


def reminder_text(slot: Slot, member: Member, *, calendar: Calendar, basis: Basis | None) -> str:
    day = slot.party_day
    fields = {
        "village": member.village or "",
        "date": short_date(day.day),
        "weekday": messages.WEEKDAY_NAMES[day.day.weekday()],
        "days": -slot.offset.days,
        "moved": moved_note(day),
        "example": messages.REMIND_EXAMPLE.format(month=day.day.month, day=day.day.day),
    }
    theme = calendar.theme(slot.year, slot.month)
    theme_line = (
        messages.REMIND_THEME.format(theme=theme.theme) if theme else messages.REMIND_NO_THEME
    )
    if slot.kind == ReminderKind.DAY:
        return messages.REMIND_DAY.format(theme=theme_line if theme else "", **fields)
    if slot.kind == ReminderKind.FOLLOWUP:
        return messages.REMIND_FOLLOWUP.format(**fields)
    tasks = ""
    if theme and theme.tasks:
        items = "\n".join(f"{n}. {task}" for n, task in enumerate(theme.tasks, start=1))
        tasks = messages.REMIND_TASKS.format(items=items)
    quote = messages.REMIND_BASIS.format(citation=basis.citation, text=basis.text) if basis else ""
    return messages.REMIND_BEFORE.format(theme=theme_line, tasks=tasks, basis=quote, **fields)


def summary_text(
    slot: Slot,
    *,
    branches: Iterable[Branch],
    reported: set[Branch],
    unreachable: Sequence[Member],
    today: date,
) -> str:
    township = slot.scope[0]
    mine = sorted({b for b in branches if not township or b[0] == township})
    done = [b for b in mine if b in reported]
    todo = [b for b in mine if b not in reported]
    by_township = ""
    if not township:
        lines = []
        for name in sorted({b[0] for b in mine}):
            total = sum(1 for b in mine if b[0] == name)
            finished = sum(1 for b in done if b[0] == name)
            label = name or "未注明乡镇"
            lines.append(
                messages.SUMMARY_TOWNSHIP_LINE.format(township=label, done=finished, total=total)
            )
        by_township = "\n".join(lines) + "\n" if len(lines) > 1 else ""
    people = [m for m in unreachable if not township or m.township == township]
    return messages.SUMMARY_TEXT.format(
        month=f"{slot.year}年{slot.month}月",
        scope=township or messages.SCOPE_COUNTY,
        date=short_date(today),
        total=len(mine),
        done=len(done),
        todo=len(todo),
        by_township=by_township,
        todo_names=_names(todo, with_township=not township),
        done_names=_names(done, with_township=not township),
        unreachable=messages.SUMMARY_UNREACHABLE.format(
            count=len(people), names=_names([branch_of(m) for m in people], with_township=True)
        )
        if people
        else "",
    )


def _names(branches: Sequence[Branch], *, with_township: bool) -> str:
    if not branches:
        return messages.SUMMARY_NONE
    shown: list[str] = []
    length = 0
    for township, village in branches:
        name = f"{township}{village}" if with_township else village
        if length + len(name) > NAME_LIST_CHARS:
            return "、".join(shown) + messages.SUMMARY_MORE.format(count=len(branches))
        shown.append(name)
        length += len(name) + 1
    return "、".join(shown)


def short_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def moved_note(day: PartyDay) -> str:
    if day.moved_from is None:
        return ""
    if day.holiday:
        return messages.REMIND_MOVED.format(planned=short_date(day.moved_from), holiday=day.holiday)
    return messages.REMIND_MOVED_PLAIN.format(planned=short_date(day.moved_from))
