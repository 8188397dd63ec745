"""One sender per bot token: the lease, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.runtime.leases import LeaseService, sender_lease
from tests.conftest import pg_schema_url


def _check(url: str) -> None:
    engine = make_engine(url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    now = [datetime(2026, 11, 24, tzinfo=UTC)]
    first, second = (LeaseService(session_factory=sessions, clock=lambda: now[0]) for _ in range(2))
    name = sender_lease("telegram", "123456:SECRET")
    assert "SECRET" not in name
    assert first.hold(name) and not second.hold(name)
    now[0] += timedelta(seconds=50)
    assert first.hold(name)  # renewed while it sends
    now[0] += timedelta(seconds=50)
    assert not second.hold(name)
    now[0] += timedelta(seconds=61)  # the holder stopped renewing: it died
    assert second.hold(name) and not first.hold(name)
    engine.dispose()


def test_one_holder_at_a_time_on_sqlite(tmp_path) -> None:
    _check(f"sqlite:///{tmp_path / 'l.db'}")


@pytest.mark.postgres
def test_one_holder_at_a_time_on_postgres() -> None:
    with pg_schema_url("lease") as url:
        _check(url)
