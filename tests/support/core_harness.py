"""The conversation core over a test knowledge base, as the tests and benchmarks build it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.conversation.core import Conversation
from bot.conversation.typed_buttons import TypedButtons
from bot.outbox.broadcasting import BroadcastService
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService
from bot.people.linking import IdentityLinks
from bot.qa.library import LibraryService
from bot.qa.memory import AnswerMemory
from bot.qa.service import QAService
from bot.reports.index import ReportIndex
from bot.reports.service import ReportService
from bot.services import KnowledgeBase, build_conversation


def conversation_over(
    kbase: KnowledgeBase,
    *,
    clock: Callable[[], datetime],
    accounts: AccountService,
    reports: ReportService,
    media_dir: Path,
    report_index: ReportIndex | None = None,
    reminders: ReminderService | None = None,
    calendar: CalendarService | None = None,
    broadcasts: BroadcastService | None = None,
    library: LibraryService | None = None,
    max_upload_bytes: int = 20 * 1024 * 1024,
) -> Conversation:
    """The core answering from kbase (never publicly), with the services a test gives it."""
    return build_conversation(
        qa=QAService(kbase.retriever, sessions=kbase.sessions),
        answers=AnswerMemory(session_factory=kbase.sessions, clock=clock),
        accounts=accounts,
        reports=reports,
        report_index=report_index,
        reminders=reminders,
        media_dir=media_dir,
        public_qa=False,
        calendar=calendar,
        broadcasts=broadcasts,
        library=library,
        max_upload_bytes=max_upload_bytes,
        links=IdentityLinks(session_factory=reports.session_factory, clock=clock),
        typed_buttons=TypedButtons(session_factory=reports.session_factory, clock=clock),
    )
