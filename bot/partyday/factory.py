"""Building the calendar and reminder services from the settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot.accounts import AccountService
from bot.partyday.basis import find_basis
from bot.partyday.policy import (
    Offset,
    ReminderPolicy,
    parse_clock_range,
    parse_offsets,
)
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService

if TYPE_CHECKING:
    from bot.app import KnowledgeBase
    from bot.settings import Settings


def make_partyday_services(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    *,
    accounts: AccountService,
    clock: Callable[[], datetime],
) -> tuple[CalendarService, ReminderService]:
    calendar = CalendarService(session_factory=knowledge_base.sessions, clock=clock)
    reminders = ReminderService(
        session_factory=knowledge_base.sessions,
        accounts=accounts,
        calendar=calendar,
        policy=reminder_policy_from_settings(settings),
        clock=clock,
        basis=partial(find_basis, knowledge_base.retriever, settings.party_day_basis_query),
    )
    return calendar, reminders


def reminder_policy_from_settings(settings: Settings) -> ReminderPolicy:
    quiet_start, quiet_end = parse_clock_range(settings.quiet_hours)
    return ReminderPolicy(
        before=parse_offsets(settings.reminder_offsets),
        followup=Offset.parse(settings.followup_after),
        summary=Offset.parse(settings.staff_summary_after),
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        grace=timedelta(hours=settings.reminder_grace_hours),
        timezone=settings.tz,
    )
