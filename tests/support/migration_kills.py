"""Killing schema upgrades at random moments, for the migration tests and bench/attacks.py."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.db.engine import make_engine, upgrade_schema
from bot.db.models import Base
from bot.db.schema import inspect_schema

ROOT = Path(__file__).resolve().parents[2]

# Rows written at revision 0004, before any later migration: each must survive every kill.
ROWS_0004 = [
    "INSERT INTO users (id, telegram_id, name, role, village, township, active, reachable, created_at) "
    "VALUES (1, 200, '张书记', 'secretary', '张家村', '城关镇', 1, 1, '2026-01-01 00:00:00')",
    "INSERT INTO invites (code, role, village, township, created_by, expires_at) "
    "VALUES ('ABCDEFGH', 'staff', NULL, '城关镇', 200, '2027-01-01 00:00:00')",
    "INSERT INTO reports (id, draft_id, reporter_id, village, township, activity_date, type, tags, "
    "theme, expected, attended, summary, deleted, created_at, updated_at) VALUES (1, 1, 200, '张家村', "
    "'城关镇', '2026-06-10', '主题党日', '[]', NULL, 32, 28, '开展主题党日', 0, "
    "'2026-06-10 00:00:00', '2026-06-10 00:00:00')",
    "INSERT INTO report_photos (id, report_id, file_id, file_unique_id, local_path) "
    "VALUES (1, 1, 'f1', 'u1', NULL)",
    "INSERT INTO report_photos (id, report_id, file_id, file_unique_id, local_path) "
    "VALUES (2, 1, 'f2', 'u2', NULL)",
]
COUNTED = ("users", "invites", "reports", "report_photos")


def pg_bool(sql: str, url: str) -> str:
    if url.startswith("postgresql"):
        return sql.replace(", 1, 1, '2026", ", true, true, '2026").replace(
            ", 0, '2026", ", false, '2026"
        )
    return sql


def child(url: str, target: str = "head") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.migration_child", url, target],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def started(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "start", line + process.stdout.read()


def kill_inside(url: str, rng: random.Random, window_s: float) -> None:
    """Start a migration and SIGKILL it at a random moment while it runs."""
    process = child(url)
    started(process)
    time.sleep(rng.uniform(0.0, window_s))
    process.kill()
    process.communicate(timeout=30)


def migration_seconds(url: str) -> float:
    """How long the slowed-down migration itself takes (start-up excluded)."""
    process = child(url)
    started(process)
    begun = time.monotonic()
    output, _ = process.communicate(timeout=120)
    assert "migrated" in output, output
    return time.monotonic() - begun


def reset(url: str, *, target: str | None, rows: bool) -> None:
    engine = make_engine(url)
    cascade = " CASCADE" if url.startswith("postgresql") else ""
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(text(f"DROP TABLE IF EXISTS {table.name}{cascade}"))
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    if target is not None:
        upgrade_schema(engine, target=target)
    if rows:
        with engine.begin() as connection:
            for sql in ROWS_0004:
                connection.execute(text(pg_bool(sql, url)))
    engine.dispose()


def assert_at_head(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            status = inspect_schema(connection)
            assert status.up_to_date, status
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"select count(*) from {table}")).scalar_one()
                for table in COUNTED
            }
    finally:
        engine.dispose()
