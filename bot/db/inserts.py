"""Writes that tolerate rows another transaction (or process) wrote first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session


def insert_ignoring_duplicates(
    *, session: Session, model: type[Any], rows: Sequence[dict[str, Any]]
) -> int:
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL; how many rows were new."""
    key = next(iter(model.__table__.primary_key.columns))
    return len(insert_new_rows(session=session, model=model, rows=rows, returning=key.name))


def insert_new_rows(
    *, session: Session, model: type[Any], rows: Sequence[dict[str, Any]], returning: str
) -> list[Any]:
    """INSERT … ON CONFLICT DO NOTHING; the column `returning` of each row that was new."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    else:
        raise NotImplementedError(f"no ON CONFLICT for {dialect}")
    if not rows:
        return []
    # RETURNING, not rowcount: psycopg reports -1 for a multi-row INSERT. Passed as
    # executemany parameters, SQLAlchemy batches them ("insertmanyvalues") with one cached
    # compiled statement instead of compiling a 500-row VALUES clause each time.
    statement = insert(model).on_conflict_do_nothing().returning(model.__table__.c[returning])
    return list(session.scalars(statement, list(rows)).all())
