"""What every `partybot` command shares: its settings and knowledge base (`Cli`), the accounts of
the configured database, and a month read the way users write it."""

from __future__ import annotations

import sys
from functools import cached_property
from typing import TYPE_CHECKING

from bot import messages
from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.people.accounts import AccountService
    from bot.services import CoreServices, KnowledgeBase


class Cli:
    """One command's settings, and its knowledge base opened at most once (model, indexes)."""

    def __init__(self, settings: Settings, *, ingest_only: bool = False) -> None:
        self.settings = settings
        self.ingest_only = ingest_only  # nothing else runs: the encoder may use every core

    @cached_property
    def knowledge_base(self) -> KnowledgeBase:
        from bot.services import make_knowledge_base_from_settings

        return make_knowledge_base_from_settings(self.settings, ingest_only=self.ingest_only)

    @cached_property
    def core(self) -> CoreServices:
        """The channel-free services, built once: every channel of `partybot start` shares them."""
        from bot.services import make_core_services

        return make_core_services(self.settings, self.knowledge_base)


def open_accounts(settings: Settings) -> tuple[AccountService, sessionmaker[Session]]:
    """The accounts of the configured database, its schema brought up to date first."""
    from datetime import UTC, datetime, timedelta

    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.people.accounts import AccountService

    engine = make_engine(settings.sqlalchemy_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    accounts = AccountService(
        session_factory=sessions,
        clock=lambda: datetime.now(UTC),
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        timezone=settings.tz,
    )
    return accounts, sessions


def read_month(cli: Cli, text: str) -> str | None:
    """YYYY-MM for any way a month is written (bot/months.py); None after saying how."""
    from datetime import datetime

    from bot.months import BadMonth, parse_month

    try:
        return parse_month(text, today=datetime.now(cli.settings.tz).date())
    except BadMonth:
        print(messages.CLI_BAD_MONTH.format(month=text), file=sys.stderr)
        return None
