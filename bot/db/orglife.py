"""The ledger's SQL for the 三会一课 status: the kind, tags and day of every live report in a
span, narrow columns only."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Report


@dataclass(frozen=True)
class HeldFact:
    id: int
    township: str  # '' when none
    village: str
    activity_date: date
    kinds: frozenset[str]  # its type and its tags


def list_held_facts(
    *,
    session: Session,
    visible: ColumnElement[bool],
    start: date,
    end: date,
    kinds: Collection[str] = (),
) -> list[HeldFact]:
    """Live reports `visible` admits with an activity date in [start, end]; with `kinds`, only
    those of these types or with tags (a tag may name one of them)."""
    stmt = (
        select(Report.id, Report.township, Report.village, Report.activity_date, Report.type)
        .add_columns(Report.tags)
        .where(
            Report.deleted.is_(False),
            visible,
            Report.activity_date >= start,
            Report.activity_date <= end,
        )
        .order_by(Report.activity_date, Report.id)
    )
    if kinds:
        stmt = stmt.where(or_(Report.type.in_(sorted(kinds)), Report.tags != "[]"))
    facts = []
    for id_, township, village, day, kind, tags in session.execute(stmt):
        tagged: list[str] = []
        if tags and tags != "[]":
            with contextlib.suppress(ValueError):
                tagged = [str(t) for t in json.loads(tags)]
        facts.append(HeldFact(id_, township or "", village, day, frozenset({kind, *tagged})))
    return facts
