"""The ledger's SQL for the 三会一课 status: the kind, tags and day of every live report in a
span, narrow columns only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
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
    *, session: Session, visible: ColumnElement[bool], start: date, end: date
) -> list[HeldFact]:
    """Live reports `visible` admits with an activity date in [start, end]."""
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
    facts = []
    for id_, township, village, day, kind, tags in session.execute(stmt):
        try:
            tagged = [str(t) for t in json.loads(tags or "[]")]
        except ValueError:
            tagged = []
        facts.append(HeldFact(id_, township or "", village, day, frozenset({kind, *tagged})))
    return facts
