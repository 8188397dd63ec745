"""Building the calendar and reminder services from the settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.accounts import AccountService
from bot.partyday.basis import find_basis
from bot.partyday.policy import reminder_policy_from_settings
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
