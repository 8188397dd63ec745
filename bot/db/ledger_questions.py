"""The ledger's SQL for questions about it: narrow columns only, so a count over 10,000 reports
never loads 10,000 reports with their photos."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Report


@dataclass(frozen=True)
class ReportFact:
    """What an answer about the ledger says of one report."""

    id: int
    township: str | None
    village: str
    activity_date: date
    type: str
    theme: str | None
    expected: int | None
    attended: int | None


def list_report_facts(
    *,
    session: Session,
    visible: ColumnElement[bool],
    start: date | None = None,
    end: date | None = None,
    types: Collection[str] = (),
    branches: Collection[tuple[str, str]] = (),
) -> list[ReportFact]:
    """Live reports `visible` admits, in [start, end], of `types` (any when empty), of
    `branches` ((township or '', village); any when empty), by date."""
    stmt = select(
        Report.id,
        Report.township,
        Report.village,
        Report.activity_date,
        Report.type,
        Report.theme,
        Report.expected,
        Report.attended,
    ).where(Report.deleted.is_(False), visible)
    if start is not None:
        stmt = stmt.where(Report.activity_date >= start)
    if end is not None:
        stmt = stmt.where(Report.activity_date <= end)
    if types:
        stmt = stmt.where(Report.type.in_(sorted(types)))
    if branches:
        township = func.coalesce(Report.township, "")
        stmt = stmt.where(
            or_(*(and_(township == t, Report.village == v) for t, v in sorted(branches)))
        )
    stmt = stmt.order_by(Report.activity_date, Report.id)
    return [ReportFact(*row) for row in session.execute(stmt)]


def list_reporting_branches(
    *, session: Session, visible: ColumnElement[bool]
) -> Sequence[tuple[str, str]]:
    """(township or '', village) of every branch with a live report `visible` admits."""
    township = func.coalesce(Report.township, "")
    stmt = select(township, Report.village).where(Report.deleted.is_(False), visible).distinct()
    return [(t, v) for t, v in session.execute(stmt)]
