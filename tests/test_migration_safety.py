"""Schema upgrades are atomic and one at a time: a SIGKILL anywhere leaves a database that the
next start upgrades, rows intact; a half-applied schema left by an older release is repaired."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.engine import head_revision, make_engine, upgrade_schema
from bot.db.schema import SchemaRepairError, inspect_schema, repair_half_applied
from tests.conftest import pg_schema_url
from tests.support.migration_kills import (
    ROOT,
    assert_at_head,
    child,
    counts,
    kill_inside,
    migration_seconds,
    reset,
)

KILLS = int(os.environ.get("PARTYBOT_MIGRATION_KILLS", "6"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    with pg_schema_url("m") as url:
        yield url


def test_kills_during_an_upgrade_lose_no_rows_and_the_next_start_finishes(
    database_url: str,
) -> None:
    rng = random.Random(20261124)
    reset(database_url, target="0004", rows=True)
    window = migration_seconds(database_url)
    expected = counts(database_url)
    for _ in range(KILLS):
        reset(database_url, target="0004", rows=True)
        kill_inside(database_url, rng, window)
        engine = make_engine(database_url)
        with engine.connect() as connection:
            status = inspect_schema(connection)
        assert not status.half_applied, status  # all or nothing
        assert status.recorded in ("0004", head_revision())
        assert counts(database_url) == expected
        upgrade_schema(engine)  # the next start
        engine.dispose()
        assert_at_head(database_url)
        assert counts(database_url) == expected


def test_kills_while_creating_a_fresh_database(database_url: str) -> None:
    rng = random.Random(7)
    reset(database_url, target=None, rows=False)
    window = migration_seconds(database_url)
    for _ in range(KILLS):
        reset(database_url, target=None, rows=False)
        kill_inside(database_url, rng, window)
        engine = make_engine(database_url)
        with engine.connect() as connection:
            status = inspect_schema(connection)
        assert not status.half_applied, status
        upgrade_schema(engine)
        engine.dispose()
        assert_at_head(database_url)


def test_two_processes_starting_together_migrate_once(database_url: str) -> None:
    first, second = child(database_url), child(database_url)
    outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert all("migrated" in out for out in outputs), outputs
    assert_at_head(database_url)


def test_a_half_applied_schema_from_an_older_release_is_repaired(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_schema(engine, target="0003")
    # what the old, non-atomic migration left after a kill: 0004's first tables, version 0003
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE calendar_rules (id INTEGER PRIMARY KEY)"))
        connection.execute(text("CREATE TABLE calendar_days (day DATE PRIMARY KEY)"))
    with engine.connect() as connection:
        status = inspect_schema(connection)
    assert status.half_applied and status.extra_tables == ["calendar_days", "calendar_rules"]
    assert status.recorded == "0003"
    upgrade_schema(engine)  # the automatic check at start repairs it
    assert_at_head(database_url)

    # a half-applied table that holds rows is not dropped: the repair refuses, losing nothing
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('0004')"))
        connection.execute(text("INSERT INTO app_secrets VALUES ('x', 'y', '2026-01-01 00:00:00')"))
    with engine.begin() as connection, pytest.raises(SchemaRepairError) as caught:
        repair_half_applied(connection)
    assert caught.value.tables == ["app_secrets"]
    engine.dispose()


def test_head_is_the_newest_revision() -> None:
    assert (
        head_revision()
        == sorted(
            p.name.split("_")[0] for p in (ROOT / "bot" / "migrations" / "versions").glob("0*.py")
        )[-1]
    )


def test_db_status_and_repair_commands(tmp_path: Path, monkeypatch, capsys) -> None:
    from bot.cli import main

    monkeypatch.setenv("PARTYBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = f"sqlite:///{(tmp_path / 'data' / 'partybot.db').resolve()}"
    engine = make_engine(url)
    upgrade_schema(engine, target="0003")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE calendar_rules (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    assert main(["db", "status"]) == 1
    assert "半成品表：calendar_rules" in capsys.readouterr().out
    assert main(["db", "repair"]) == 0
    out = capsys.readouterr().out
    assert "已清理升级中断留下的表：calendar_rules" in out and "已是最新版本" in out
    assert_at_head(url)
