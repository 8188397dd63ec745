"""The same storage code on PostgreSQL (127.0.0.1:5432, database `test`), one schema per test.

Skipped, with the reason shown, only where no PostgreSQL server answers; CI (.ci/run) sets
PARTYBOT_REQUIRE_POSTGRES=1 so there a missing server fails instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.accounts import AccountService, RegistrationError, Role
from bot.broadcasting import Audience, BroadcastService
from bot.db.engine import make_engine, make_session_factory, upgrade_schema

pytestmark = pytest.mark.postgres

SERVER_URL = os.environ.get(
    "PARTYBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def pg_sessions() -> Iterator:
    admin = make_engine(SERVER_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        if os.environ.get("PARTYBOT_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL at {SERVER_URL}: {exc.__class__.__name__}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f"create schema {schema}"))
    engine = make_engine(f"{SERVER_URL}?options=-csearch_path%3D{schema}")
    try:
        upgrade_schema(engine)
        upgrade_schema(engine)  # idempotent
        yield make_session_factory(engine)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"drop schema {schema} cascade"))
        admin.dispose()


def test_accounts_invites_and_update_dedupe_on_postgres(pg_sessions) -> None:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    accounts = AccountService(session_factory=pg_sessions, clock=lambda: now)
    invite = accounts.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
    member = accounts.register(7_000_000_001, invite.code.lower(), name="张书记")
    assert (member.role, member.village) == (Role.SECRETARY, "张家村")
    with pytest.raises(RegistrationError, match="used"):
        accounts.register(7_000_000_002, invite.code)
    late = AccountService(session_factory=pg_sessions, clock=lambda: now + timedelta(days=8))
    old = accounts.create_invite(Role.STAFF, township="城关镇")
    with pytest.raises(RegistrationError, match="expired"):
        late.register(7_000_000_003, old.code)
    assert accounts.claim_update(42) is True
    assert accounts.claim_update(42) is False
    assert accounts.claim_update(43) is True


def test_broadcast_rows_on_postgres(pg_sessions) -> None:
    import asyncio

    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=pg_sessions, clock=clock)
    for n in range(40):
        accounts.add(8_000_000_000 + n, Role.SECRETARY, village=f"{n}村", township="城关镇")
    broadcasts = BroadcastService(session_factory=pg_sessions, accounts=accounts, clock=clock)
    broadcast_id, count = broadcasts.draft(1, "通知", Audience.parse("township:城关镇"))
    assert count == 40
    assert broadcasts.confirm(broadcast_id) is True
    assert broadcasts.confirm(broadcast_id) is False
    sent: list[int] = []

    async def send(telegram_id: int, text: str) -> str:
        sent.append(telegram_id)
        return "unreachable" if telegram_id % 10 == 0 else "sent"

    progress = asyncio.run(broadcasts.deliver(broadcast_id, send))  # type: ignore[arg-type]
    assert (progress.sent, progress.unreachable, progress.pending) == (36, 4, 0)
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 40
    assert broadcasts.unfinished() == []
    assert accounts.member(8_000_000_000).reachable is False
