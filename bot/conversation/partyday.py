"""The Party-day calendar in conversation: /calendar (the days and themes for one's branch) and
/mute with its buttons (which reminders one gets). Setting days and themes is the admin's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot import messages
from bot.conversation.turns import Button, Reply
from bot.months import year_month
from bot.partyday.policy import ReminderKind
from bot.partyday.reminders import ReminderService
from bot.partyday.rules import shift_month
from bot.partyday.service import CalendarService
from bot.partyday.views import calendar_text
from bot.people.accounts import Member, Role

SECRETARY_KINDS = (
    ReminderKind.BEFORE,
    ReminderKind.DAY,
    ReminderKind.FOLLOWUP,
    ReminderKind.ORGLIFE,
)
STAFF_KINDS = (ReminderKind.SUMMARY,)


class PartyDayTurns:
    def __init__(
        self,
        *,
        calendar: CalendarService | None,
        reminders: ReminderService | None,
        today: Callable[[], date],
    ) -> None:
        self._calendar = calendar
        self._reminders = reminders
        self._today = today

    def calendar(self, member: Member, args: str) -> list[Reply]:
        if self._calendar is None:
            return [Reply(messages.CALENDAR_OFF)]
        today = self._today()
        try:
            if args.strip():
                months = [year_month(args.strip(), today=today)]
            else:
                months = [shift_month(today.year, today.month, d) for d in range(3)]
        except ValueError:
            return [Reply(messages.CALENDAR_USAGE)]
        text = calendar_text(
            self._calendar.load(),
            months,
            township=member.township,
            village=member.village,
            show_rules=member.role == Role.ADMIN,
        )
        return [Reply(text)]

    def mute_menu(self, member: Member) -> list[Reply]:
        if self._reminders is None:
            return [Reply(messages.CALENDAR_OFF)]
        muted = self._reminders.muted_kinds(member.id)
        return [Reply(messages.MUTE_STATUS, buttons=_mute_buttons(_kinds(member), muted))]

    def mute_press(self, member: Member, action: str) -> list[Reply]:
        """mute:KIND switches that kind of reminder off or back on."""
        try:
            kind = ReminderKind(action.partition(":")[2])
        except ValueError:
            kind = None
        if self._reminders is None or kind is None or kind not in _kinds(member):
            return [Reply(messages.BUTTON_STALE, notice=True)]
        muted = self._reminders.muted_kinds(member.id)
        now_muted = kind not in muted
        self._reminders.set_muted(member.id, kind, now_muted)
        state = messages.MUTE_ON if now_muted else messages.MUTE_OFF
        muted = muted | {kind.value} if now_muted else muted - {kind.value}
        name = messages.REMINDER_KIND_NAMES[kind]
        return [
            Reply(messages.MUTE_CHANGED.format(name=name, state=state), notice=True),
            Reply(buttons=_mute_buttons(_kinds(member), muted), replace=True),
        ]


def _kinds(member: Member) -> tuple[ReminderKind, ...]:
    return SECRETARY_KINDS if member.role == Role.SECRETARY else STAFF_KINDS


def _mute_buttons(
    kinds: tuple[ReminderKind, ...], muted: set[str]
) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (
            Button(
                messages.MUTE_BUTTON.format(
                    mark="🔕" if kind in muted else "✅", name=messages.REMINDER_KIND_NAMES[kind]
                ),
                f"mute:{kind}",
            ),
        )
        for kind in kinds
    )
