"""Running the real Application against the fake Bot API server inside a test."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.channels.telegram.application import build_application, make_bot_services
from bot.channels.telegram.common import BotServices
from bot.partyday.policy import ReminderPolicy
from bot.services import KnowledgeBase, make_core_services
from bot.settings import Settings
from tests.support.fake_telegram import TOKEN, FakeBotAPI

BASIS_QUERY = "党支部应当每月开展1次主题党日"


def make_services(
    kbase: KnowledgeBase, knowledge_dir: Path, data_dir: Path, **options: Any
) -> BotServices:
    """The Telegram adapter's services over the composition root's core; `sessions` puts the
    people, ledger and reminders in another database (PostgreSQL) than the knowledge base;
    `reminder_tick_s`: the outbox's rounds, with reminders (None: broadcasts only, a round a
    minute and at each confirmation)."""
    tick_s = options.pop("reminder_tick_s", None)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        knowledge_dir=knowledge_dir,
        party_day_basis_query=BASIS_QUERY,
        public_qa=options.get("public_qa", False),
        llm_base_url=None,
        llm_model=None,
        chroma_server=None,
        database_url=None,
        admin_ids=[],
        timezone="Asia/Shanghai",
        web_public_url=None,
        reminders_enabled=tick_s is not None,
    )
    core = make_core_services(
        settings,
        kbase,
        clock=options.pop("clock", lambda: datetime.now(UTC)),
        sessions=options.pop("sessions", None),
        policy=options.pop("policy", ReminderPolicy()),
    )
    # the adapter's services as `partybot run` builds them, then what the test asks for
    services = make_bot_services(settings, core)
    return replace(services, outbox_every_s=tick_s or 60.0, **options)


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


async def settled(fake: FakeBotAPI, application: Any, timeout: float = 15.0) -> None:
    """Until the bot has fetched every update the fake holds and each handler has returned: a
    reply that has not come by then will not come (the handlers send before they return)."""
    await wait_until(fake.all_fetched, timeout)
    await asyncio.wait_for(application.update_queue.join(), timeout)
