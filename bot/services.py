"""The composition root: every channel-free service is built here, once per process, from one
`Settings`; `partybot start` hands the same `CoreServices` to every channel it runs (Telegram,
WeCom, the web console, the terminal chat), and the tests and benchmarks build through it too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.conversation.core import DEFAULT_MAX_UPLOAD_BYTES, Conversation
from bot.conversation.ledger import LedgerTurns
from bot.conversation.linking import LinkTurns
from bot.conversation.partyday import PartyDayTurns
from bot.conversation.reporting import ReportTurns
from bot.conversation.typed_buttons import TypedButtons
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.index.embeddings import NamedEmbeddings, make_embeddings_from_settings
from bot.index.ingestor import Ingestor
from bot.index.vectors import COLLECTION, VectorStore, make_vector_store
from bot.orglife.reminders import OrgLifeReminders
from bot.orglife.rules import RULES_FILE_NAME
from bot.orglife.status import OrgLifeService
from bot.outbox import BroadcastSource, Outbox
from bot.outbox.broadcasting import BroadcastService
from bot.partyday.basis import find_basis
from bot.partyday.policy import Offset, ReminderPolicy, parse_clock_range, parse_offsets
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Member
from bot.people.linking import IdentityLinks
from bot.people.logins import LoginService
from bot.qa.library import LibraryService
from bot.qa.llm import make_chat_model_from_settings
from bot.qa.memory import AnswerMemory
from bot.qa.retriever import Retriever
from bot.qa.service import QAService
from bot.qa.vocabulary import Vocabulary, load_vocabulary
from bot.reports.index import COLLECTION as REPORTS_COLLECTION
from bot.reports.index import ReportIndex
from bot.reports.indexer import BackgroundIndexer
from bot.reports.media import MediaStore
from bot.reports.service import ReportService
from bot.runtime.housekeeping import prune
from bot.runtime.leases import LeaseService
from bot.settings import Settings


@dataclass
class KnowledgeBase:
    engine: Engine
    sessions: sessionmaker[Session]
    vectors: VectorStore
    embeddings: NamedEmbeddings
    ingestor: Ingestor
    retriever: Retriever


def make_knowledge_base(
    *,
    database_url: str,
    chroma_dir: Path,
    keyword_dir: Path,
    knowledge_dir: Path,
    embeddings: NamedEmbeddings,
    vocabulary: Vocabulary | None = None,
    chroma_server: str | None = None,
    collection: str = COLLECTION,
) -> KnowledgeBase:
    engine = make_engine(database_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    vectors = make_vector_store(chroma_dir, collection, server=chroma_server)
    ingestor = Ingestor(
        session_factory=sessions,
        vectors=vectors,
        keyword_dir=keyword_dir,
        embeddings=embeddings,
        knowledge_dir=knowledge_dir,
    )
    retriever = Retriever(
        session_factory=sessions,
        vectors=vectors,
        keyword_dir=keyword_dir,
        embeddings=embeddings,
        vocabulary=vocabulary if vocabulary is not None else load_vocabulary(knowledge_dir),
    )
    return KnowledgeBase(engine, sessions, vectors, embeddings, ingestor, retriever)


def make_knowledge_base_from_settings(
    settings: Settings, embeddings: NamedEmbeddings | None = None, *, ingest_only: bool = False
) -> KnowledgeBase:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_knowledge_base(
        database_url=settings.sqlalchemy_url,
        chroma_dir=settings.chroma_dir,
        keyword_dir=settings.keyword_index_dir,
        knowledge_dir=settings.knowledge_dir,
        embeddings=embeddings or make_embeddings_from_settings(settings, ingest_only=ingest_only),
        chroma_server=settings.chroma_address,
        collection=settings.collection(COLLECTION),
    )


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


def make_partyday_services(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    *,
    accounts: AccountService,
    clock: Callable[[], datetime],
    sessions: sessionmaker[Session] | None = None,
    policy: ReminderPolicy | None = None,
) -> tuple[CalendarService, ReminderService]:
    sessions = sessions or knowledge_base.sessions
    calendar = CalendarService(session_factory=sessions, clock=clock)
    reminders = ReminderService(
        session_factory=sessions,
        accounts=accounts,
        calendar=calendar,
        policy=policy or reminder_policy_from_settings(settings),
        clock=clock,
        basis=partial(find_basis, knowledge_base.retriever, settings.party_day_basis_query),
    )
    return calendar, reminders


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
    # every notice this process sends: the channels add their outlets, one of them runs it
    outbox: Outbox
    # which process sends for a channel, and other one-process jobs
    leases: LeaseService
    orglife: OrgLifeService | None = None
    # a source for the outbox loop, ticked like `reminders`
    orglife_reminders: OrgLifeReminders | None = None


def make_report_index(settings: Settings, knowledge_base: KnowledgeBase) -> ReportIndex:
    return ReportIndex(
        vectors=make_vector_store(
            settings.chroma_dir,
            settings.collection(REPORTS_COLLECTION),
            server=settings.chroma_address,
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
    links: IdentityLinks,
    typed_buttons: TypedButtons,
    web_link: Callable[[Member], str] | None = None,
    orglife: OrgLifeService | None = None,
    broadcasts: BroadcastService | None = None,
    library: LibraryService | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    orglife_reminders: OrgLifeReminders | None = None,
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
        link_turns=LinkTurns(links),
        typed_buttons=typed_buttons,
        public_qa=public_qa,
        web_link=web_link,
        orglife=orglife,
        broadcasts=broadcasts,
        library=library,
        calendar=calendar,
        max_upload_bytes=max_upload_bytes,
        orglife_reminders=orglife_reminders,
    )


def make_core_services(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    *,
    clock: Callable[[], datetime] | None = None,
    sessions: sessionmaker[Session] | None = None,
    policy: ReminderPolicy | None = None,
) -> CoreServices:
    """Everything behind the channels, built once: call it once per process and hand the result
    to every channel. `sessions` puts the people, the ledger and the reminders in another
    database than the knowledge base; `policy` replaces the reminder policy of the settings."""
    now = clock or (lambda: datetime.now(UTC))
    sessions = sessions or knowledge_base.sessions
    accounts = AccountService(
        session_factory=sessions,
        clock=now,
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        timezone=settings.tz,
    )
    accounts.ensure_admins(settings.admin_ids, channel="telegram")
    index = make_report_index(settings, knowledge_base)
    calendar, reminders = make_partyday_services(
        settings, knowledge_base, accounts=accounts, clock=now, sessions=sessions, policy=policy
    )
    qa = QAService(
        knowledge_base.retriever,
        make_chat_model_from_settings(settings),
        sessions=knowledge_base.sessions,
    )
    answers = AnswerMemory(session_factory=sessions, clock=now)
    reports = ReportService(
        session_factory=sessions,
        clock=now,
        timezone=settings.tz,
        index=index,
        earliest=settings.reports_earliest_date,
    )
    logins = LoginService(session_factory=sessions, accounts=accounts, clock=now)
    web_link: Callable[[Member], str] | None = None
    if settings.web_public_url:
        base = settings.web_public_url.rstrip("/") + settings.web_root_path

        def password_link(member: Member) -> str:
            return f"{base}/password/{logins.make_link(member.id)}"

        web_link = password_link

    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=now)
    outbox = Outbox()
    outbox.add_source(BroadcastSource(broadcasts, accounts, outbox))
    if settings.reminders_enabled:
        outbox.add_source(reminders)
    orglife = OrgLifeService(
        session_factory=sessions,
        today=reports.today,
        rules_path=settings.knowledge_dir / RULES_FILE_NAME,
    )
    library = LibraryService(
        ingestor=knowledge_base.ingestor,
        session_factory=knowledge_base.sessions,
        knowledge_dir=settings.knowledge_dir,
        uploads_dir=settings.data_dir / "uploads",
        clock=now,
    )
    orglife_reminders = OrgLifeReminders(
        session_factory=sessions,
        accounts=accounts,
        orglife=orglife,
        outbox=reminders,
        days=settings.orglife_remind_days,
        clock=now,
    )
    if settings.reminders_enabled:
        outbox.add_source(orglife_reminders)
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
        links=IdentityLinks(session_factory=sessions, clock=now),
        typed_buttons=TypedButtons(session_factory=sessions, clock=now),
        web_link=web_link,
        orglife=orglife,
        broadcasts=broadcasts,
        library=library,
        max_upload_bytes=settings.max_upload_mb * 1024 * 1024,
        orglife_reminders=orglife_reminders,
    )
    conversation.wake_outbox = outbox.wake  # a confirmed broadcast starts at once
    return CoreServices(
        qa=qa,
        answers=answers,
        accounts=accounts,
        broadcasts=broadcasts,
        library=library,
        reports=reports,
        report_index=index,
        calendar=calendar,
        reminders=reminders,
        housekeeping=partial(
            prune,
            session_factory=sessions,
            clock=now,
            retention=timedelta(days=settings.retention_days),
            timezone=settings.tz,
            media_dir=settings.data_dir / "media",
        ),
        conversation=conversation,
        logins=logins,
        outbox=outbox,
        orglife=orglife,
        orglife_reminders=orglife_reminders,
        leases=LeaseService(session_factory=sessions, clock=now),
    )
