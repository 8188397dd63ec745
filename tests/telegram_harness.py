"""Running the real Application against the fake Bot API server inside a test."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.accounts import AccountService
from bot.app import KnowledgeBase
from bot.broadcasting import BroadcastService
from bot.index.vectors import make_vector_store
from bot.library import LibraryService
from bot.partyday.basis import find_basis
from bot.partyday.policy import ReminderPolicy
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.qa.memory import AnswerMemory
from bot.qa.service import QAService
from bot.reports.index import COLLECTION as REPORTS
from bot.reports.index import ReportIndex
from bot.reports.service import ReportService
from bot.services import build_conversation
from bot.telegram.application import build_application
from bot.telegram.common import BotServices
from tests.fake_telegram import TOKEN, FakeBotAPI

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASIS_QUERY = "党支部应当每月开展1次主题党日"


def make_services(
    kbase: KnowledgeBase, knowledge_dir: Path, data_dir: Path, **options: Any
) -> BotServices:
    clock = options.pop("clock", lambda: datetime.now(UTC))
    # the people, ledger and reminders may live in another database (PostgreSQL) than the
    # knowledge base
    sessions = options.pop("sessions", kbase.sessions)
    accounts = AccountService(session_factory=sessions, clock=clock)
    calendar = CalendarService(session_factory=sessions, clock=clock)
    reminders = ReminderService(
        session_factory=sessions,
        accounts=accounts,
        calendar=calendar,
        policy=options.pop("policy", ReminderPolicy()),
        clock=clock,
        basis=partial(find_basis, kbase.retriever, BASIS_QUERY),
    )
    index = ReportIndex(
        vectors=make_vector_store(data_dir / "chroma", REPORTS), embeddings=kbase.embeddings
    )
    qa = QAService(kbase.retriever, sessions=kbase.sessions)
    answers = AnswerMemory(session_factory=sessions, clock=clock)
    reports = ReportService(session_factory=sessions, clock=clock, timezone=SHANGHAI, index=index)
    conversation = build_conversation(
        qa=qa,
        answers=answers,
        accounts=accounts,
        reports=reports,
        report_index=index,
        reminders=reminders,
        media_dir=data_dir / "media",
        public_qa=options.get("public_qa", False),
        calendar=calendar,
    )
    return BotServices(
        qa=qa,
        answers=answers,
        accounts=accounts,
        broadcasts=BroadcastService(session_factory=sessions, accounts=accounts, clock=clock),
        library=LibraryService(
            ingestor=kbase.ingestor,
            session_factory=kbase.sessions,
            knowledge_dir=knowledge_dir,
            uploads_dir=data_dir / "uploads",
            clock=clock,
        ),
        reports=reports,
        report_index=index,
        conversation=conversation,
        calendar=calendar,
        reminders=reminders,
        **options,
    )


@contextlib.asynccontextmanager
async def running_bot(fake: FakeBotAPI, services: BotServices) -> AsyncIterator[Any]:
    async with running_bot_at(fake.base_url, fake.base_file_url, services) as application:
        yield application


@contextlib.asynccontextmanager
async def running_bot_at(
    base_url: str, base_file_url: str, services: BotServices
) -> AsyncIterator[Any]:
    """The bot polling a fake Bot API server that may live in another process."""
    application = build_application(
        token=TOKEN, services=services, base_url=base_url, base_file_url=base_file_url
    )
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()


async def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.02)
