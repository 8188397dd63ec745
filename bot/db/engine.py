"""Engine and session factories; schema upgrades through Alembic, atomic and one at a time.

Every upgrade runs in one transaction: PostgreSQL has transactional DDL, and on SQLite the
migration connection is switched out of pysqlite's own transaction handling (which commits
before each CREATE TABLE) and begins with BEGIN IMMEDIATE, which is also the lock that makes a
second process wait. A kill at any point leaves the schema as it was before the upgrade.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from bot.db.revisions import alembic_config, current_revision, head_revision

if TYPE_CHECKING:
    from bot.settings import Settings

# Any constant: the key of the PostgreSQL advisory lock held while migrating.
_PG_MIGRATION_LOCK = 727_384_001
# How long a second process waits for another's migration on SQLite, in seconds.
SQLITE_MIGRATION_WAIT_S = 600


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def upgrade_schema(engine: Engine, *, target: str = "head") -> None:
    """Bring the database to `target` (idempotent, atomic, one process at a time)."""
    with engine.connect() as connection:
        if target == "head" and current_revision(connection) == head_revision():
            return  # the common case: nothing to do, and no lock taken
    from alembic import command

    from bot.db.schema import repair_half_applied

    with migration_connection(engine) as connection:
        repair_half_applied(connection)
        command.upgrade(alembic_config(connection), target)
        if connection.dialect.name == "sqlite":
            _check_foreign_keys(connection)


@contextlib.contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that holds the migration lock until it commits."""
    own: Engine | None = None
    if engine.dialect.name == "sqlite":
        # A separate engine whose driver leaves transactions to us; foreign keys off, as batch
        # migrations copy and drop tables (a cascade would empty their children).
        engine = own = create_engine(engine.url, connect_args={"timeout": SQLITE_MIGRATION_WAIT_S})
        event.listen(engine, "connect", _sqlite_migration_pragmas)
        event.listen(engine, "begin", _begin_immediate)
    try:
        with engine.connect() as connection, connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            yield connection
    finally:
        if own is not None:
            own.dispose()


def _sqlite_migration_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # pysqlite must not commit before DDL
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows whose foreign keys point nowhere: {broken[:5]}")


def make_engine_from_settings(settings: Settings) -> Engine:
    return make_engine(settings.sqlalchemy_url)
