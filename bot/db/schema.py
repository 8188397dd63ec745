"""Is the schema what its recorded revision says? Detecting and repairing a half-applied one.

Upgrades are atomic now, but a database migrated by an older partybot could be left with the
tables of a later revision while the recorded revision stayed old ("table … already exists"
at every start). The tables each revision has are learnt by migrating a scratch in-memory
database, so the check needs no list kept by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection, create_engine, inspect, text

from bot.db.revisions import alembic_config, current_revision, head_revision

LEFTOVER_PREFIX = "_alembic_tmp_"
VERSION_TABLE = "alembic_version"


class SchemaRepairError(RuntimeError):
    """The half-applied tables hold rows: dropping them could lose data."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(", ".join(tables))
        self.tables = tables


@dataclass(frozen=True)
class SchemaStatus:
    recorded: str | None
    head: str
    extra_tables: list[str]
    missing_tables: list[str]
    leftovers: list[str]

    @property
    def half_applied(self) -> bool:
        return bool(self.extra_tables or self.leftovers)

    @property
    def up_to_date(self) -> bool:
        return self.recorded == self.head and not self.half_applied and not self.missing_tables


@lru_cache(maxsize=1)
def tables_by_revision() -> dict[str | None, frozenset[str]]:
    """The tables the schema has at each revision, from migrating an in-memory database."""
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    found: dict[str | None, frozenset[str]] = {None: frozenset()}
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        for revision in revisions:
            command.upgrade(alembic_config(connection), revision)
            found[revision] = frozenset(inspect(connection).get_table_names()) - {VERSION_TABLE}
    engine.dispose()
    return found


def inspect_schema(connection: Connection) -> SchemaStatus:
    recorded = current_revision(connection)
    by_revision = tables_by_revision()
    present = set(inspect(connection).get_table_names()) - {VERSION_TABLE}
    expected = by_revision.get(recorded, frozenset())
    known = frozenset().union(*by_revision.values())
    leftovers = sorted(t for t in present if t.startswith(LEFTOVER_PREFIX))
    return SchemaStatus(
        recorded=recorded,
        head=head_revision(),
        extra_tables=sorted((present & known) - expected),
        missing_tables=sorted(expected - present),
        leftovers=leftovers,
    )


def repair_half_applied(connection: Connection) -> list[str]:
    """Drop what an interrupted old-style migration left behind, if it holds no rows.

    Returns the tables dropped; the caller then upgrades as usual. Raises SchemaRepairError
    when a half-applied table has rows (nothing is dropped then).
    """
    status = inspect_schema(connection)
    if not status.half_applied:
        return []
    holding_rows = [
        table
        for table in status.extra_tables
        if connection.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first() is not None
    ]
    if holding_rows:
        raise SchemaRepairError(holding_rows)
    dropped = [*status.leftovers, *status.extra_tables]
    cascade = " CASCADE" if connection.dialect.name == "postgresql" else ""
    for table in dropped:
        connection.execute(text(f'DROP TABLE "{table}"{cascade}'))
    return dropped
