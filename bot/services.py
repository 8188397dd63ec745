"""The composition root for the channel-free services: the Telegram bot, the terminal chat,
the CLI and (later) the web and WeCom adapters all build them here, from one `Settings`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bot.accounts import AccountService, Member
from bot.app import KnowledgeBase
from bot.broadcasting import BroadcastService
from bot.conversation.core import Conversation
from bot.conversation.ledger import LedgerTurns
from bot.conversation.partyday import PartyDayTurns
from bot.conversation.reporting import ReportTurns
from bot.housekeeping import prune
from bot.library import LibraryService
from bot.logins import LoginService
from bot.media import MediaStore
from bot.orglife.rules import RULES_FILE_NAME
from bot.orglife.status import OrgLifeService
from bot.partyday.factory import make_partyday_services
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.qa.llm import make_chat_model_from_settings
from bot.qa.memory import AnswerMemory
from bot.qa.service import QAService
from bot.reports.index import ReportIndex
from bot.reports.indexer import BackgroundIndexer
from bot.reports.service import ReportService
from bot.settings import Settings


@dataclass
class CoreServices:
    qa: QAService
    answers: AnswerMemory
    accounts: AccountService
    broadcasts: BroadcastService
    library: LibraryService
    reports: ReportService
    report_index: ReportIndex
    calendar: CalendarService | None
    reminders: ReminderService | None
    housekeeping: Callable[[], Any]
    conversation: Conversation
    logins: LoginService
    orglife: OrgLifeService | None = None


def make_report_index(settings: Settings, knowledge_base: KnowledgeBase) -> ReportIndex:
    from bot.index.vectors import make_vector_store
    from bot.reports.index import COLLECTION

    return ReportIndex(
        vectors=make_vector_store(
            settings.chroma_dir, settings.collection(COLLECTION), server=settings.chroma_address
        ),
        embeddings=knowledge_base.embeddings,
    )


def build_conversation(
    *,
    qa: QAService,
    answers: AnswerMemory,
    accounts: AccountService,
    reports: ReportService,
    report_index: ReportIndex | None,
    reminders: ReminderService | None,
    media_dir: Path,
    public_qa: bool,
    calendar: CalendarService | None = None,
    web_link: Callable[[Member], str] | None = None,
    orglife: OrgLifeService | None = None,
) -> Conversation:
    """The conversation core over the services it routes to (tests build it from theirs)."""
    return Conversation(
        qa=qa,
        answers=answers,
        accounts=accounts,
        reports=reports,
        report_turns=ReportTurns(
            reports=reports,
            media=MediaStore(media_dir),
            indexer=BackgroundIndexer(reports.index_pending),
            reminders=reminders,
        ),
        ledger_turns=LedgerTurns(reports=reports, accounts=accounts, index=report_index),
        partyday_turns=PartyDayTurns(calendar=calendar, reminders=reminders, today=reports.today),
        public_qa=public_qa,
        web_link=web_link,
        orglife=orglife,
    )


def make_core_services(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    *,
    clock: Callable[[], datetime] | None = None,
) -> CoreServices:
    now = clock or (lambda: datetime.now(UTC))
    accounts = AccountService(
        session_factory=knowledge_base.sessions,
        clock=now,
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        timezone=settings.tz,
    )
    accounts.ensure_admins(settings.admin_ids)
    index = make_report_index(settings, knowledge_base)
    calendar, reminders = make_partyday_services(
        settings, knowledge_base, accounts=accounts, clock=now
    )
    qa = QAService(
        knowledge_base.retriever,
        make_chat_model_from_settings(settings),
        sessions=knowledge_base.sessions,
    )
    answers = AnswerMemory(session_factory=knowledge_base.sessions, clock=now)
    reports = ReportService(
        session_factory=knowledge_base.sessions,
        clock=now,
        timezone=settings.tz,
        index=index,
        earliest=settings.reports_earliest_date,
    )
    logins = LoginService(session_factory=knowledge_base.sessions, accounts=accounts, clock=now)
    web_link: Callable[[Member], str] | None = None
    if settings.web_public_url:
        base = settings.web_public_url.rstrip("/") + settings.web_root_path

        def password_link(member: Member) -> str:
            return f"{base}/password/{logins.make_link(member.id)}"

        web_link = password_link

    orglife = OrgLifeService(
        session_factory=knowledge_base.sessions,
        today=reports.today,
        rules_path=settings.knowledge_dir / RULES_FILE_NAME,
    )
    conversation = build_conversation(
        qa=qa,
        answers=answers,
        accounts=accounts,
        reports=reports,
        report_index=index,
        reminders=reminders,
        media_dir=settings.data_dir / "media",
        public_qa=settings.public_qa,
        calendar=calendar,
        web_link=web_link,
        orglife=orglife,
    )
    return CoreServices(
        qa=qa,
        answers=answers,
        accounts=accounts,
        broadcasts=BroadcastService(
            session_factory=knowledge_base.sessions, accounts=accounts, clock=now
        ),
        library=LibraryService(
            ingestor=knowledge_base.ingestor,
            session_factory=knowledge_base.sessions,
            knowledge_dir=settings.knowledge_dir,
            uploads_dir=settings.data_dir / "uploads",
            clock=now,
        ),
        reports=reports,
        report_index=index,
        calendar=calendar,
        reminders=reminders,
        housekeeping=partial(
            prune,
            session_factory=knowledge_base.sessions,
            clock=now,
            retention=timedelta(days=settings.retention_days),
            timezone=settings.tz,
            media_dir=settings.data_dir / "media",
        ),
        conversation=conversation,
        logins=logins,
        orglife=orglife,
    )
