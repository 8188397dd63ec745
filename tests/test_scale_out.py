"""Several bot processes on one database: each recipient of a broadcast gets it once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.accounts import AccountService, Role
from bot.broadcasting import Audience, BroadcastService
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from tests.conftest import pg_schema_url

RECIPIENTS = 300


def _broadcast_from_three_workers(url: str, tmp_path: Path) -> tuple[Counter[str], set[str]]:
    engine = make_engine(url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    for n in range(RECIPIENTS):
        accounts.add(9_000_000_000 + n, Role.SECRETARY, village=f"{n}村", township="城关镇")
    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
    broadcast_id, _ = broadcasts.draft(1, "通知", Audience.parse("all"))
    assert broadcasts.confirm(broadcast_id)
    log = tmp_path / "sent.log"
    command = [sys.executable, "-m", "tests.broadcast_worker", url, str(broadcast_id), str(log)]
    workers = [subprocess.Popen(command, cwd=Path(__file__).parent.parent) for _ in range(3)]
    assert all(worker.wait(timeout=120) == 0 for worker in workers)
    lines = log.read_text().splitlines()
    progress = broadcasts.progress(broadcast_id)
    assert progress.pending == 0 and progress.sent == RECIPIENTS
    assert broadcasts.unfinished() == []
    engine.dispose()
    return Counter(line.split()[0] for line in lines), {line.split()[1] for line in lines}


def test_three_workers_send_a_broadcast_once_each_on_sqlite(tmp_path: Path) -> None:
    sent, workers = _broadcast_from_three_workers(f"sqlite:///{tmp_path / 'b.db'}", tmp_path)
    assert len(sent) == RECIPIENTS and set(sent.values()) == {1}
    assert len(workers) >= 2  # they really shared the work


@pytest.mark.postgres
def test_three_workers_send_a_broadcast_once_each_on_postgres(tmp_path: Path) -> None:
    with pg_schema_url("scale") as url:
        sent, workers = _broadcast_from_three_workers(url, tmp_path)
    assert len(sent) == RECIPIENTS and set(sent.values()) == {1}
    assert len(workers) >= 2
