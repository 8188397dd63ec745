"""The same storage code on PostgreSQL (127.0.0.1:5432, database `test`), one schema per test.

The `pg_sessions` fixture (tests/conftest.py) skips, with the reason shown,, only where no PostgreSQL server answers; CI (.ci/run) sets
PARTYBOT_REQUIRE_POSTGRES=1 so there a missing server fails instead of skipping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox.broadcasting import Audience, BroadcastService
from bot.people.accounts import AccountService, Role
from bot.people.invites import RegistrationError

pytestmark = pytest.mark.postgres


def test_accounts_invites_and_update_dedupe_on_postgres(pg_sessions) -> None:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    accounts = AccountService(session_factory=pg_sessions, clock=lambda: now)
    invite = accounts.invites.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
    member = accounts.invites.register(
        7_000_000_001, invite.code.lower(), channel="telegram", name="张书记"
    )
    assert (member.role, member.village) == (Role.SECRETARY, "张家村")
    with pytest.raises(RegistrationError, match="used"):
        accounts.invites.register(7_000_000_002, invite.code, channel="telegram")
    late = AccountService(session_factory=pg_sessions, clock=lambda: now + timedelta(days=8))
    old = accounts.invites.create_invite(Role.STAFF, township="城关镇")
    with pytest.raises(RegistrationError, match="expired"):
        late.invites.register(7_000_000_003, old.code, channel="telegram")
    assert accounts.claim_update(42, channel="telegram") is True
    assert accounts.claim_update(42, channel="telegram") is False
    assert accounts.claim_update(43, channel="telegram") is True


def test_broadcast_rows_on_postgres(pg_sessions) -> None:
    import asyncio

    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=pg_sessions, clock=clock)
    for n in range(40):
        accounts.add(
            8_000_000_000 + n,
            Role.SECRETARY,
            channel="telegram",
            village=f"{n}村",
            township="城关镇",
        )
    broadcasts = BroadcastService(session_factory=pg_sessions, accounts=accounts, clock=clock)
    broadcast_id, count = broadcasts.draft(1, "通知", Audience.parse("township:城关镇"))
    assert count == 40
    assert broadcasts.confirm(broadcast_id) is True
    assert broadcasts.confirm(broadcast_id) is False
    sent: list[int] = []

    async def send(address: str, text: str) -> str:
        telegram_id = int(address)
        sent.append(telegram_id)
        return "unreachable" if telegram_id % 10 == 0 else "sent"

    progress = asyncio.run(broadcasts.deliver(broadcast_id, send, channel="telegram"))  # type: ignore[arg-type]
    assert (progress.sent, progress.unreachable, progress.pending) == (36, 4, 0)
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 40
    assert broadcasts.unfinished() == []
    assert accounts.member_at("telegram", 8_000_000_000).reachable is False
