"""Queries on the 三会一课 reminder plans and the staff summary opt-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.inserts import insert_ignoring_duplicates
from bot.db.models import OrgLifeReminderPlan, OrgLifeSummaryOptIn


def insert_plans(*, session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Plans not written yet (branch, period, rule set); how many were new."""
    return insert_ignoring_duplicates(session=session, model=OrgLifeReminderPlan, rows=rows)


def list_planned_branches(*, session: Session, period: str) -> set[tuple[str, str]]:
    rows = session.execute(
        select(OrgLifeReminderPlan.township, OrgLifeReminderPlan.village)
        .where(OrgLifeReminderPlan.period == period)
        .distinct()
    ).all()
    return {(township, village) for township, village in rows}


def set_summary_optin(*, session: Session, user_id: int, on: bool, now: datetime) -> None:
    if on:
        insert_ignoring_duplicates(
            session=session, model=OrgLifeSummaryOptIn, rows=[{"user_id": user_id, "since": now}]
        )
    else:
        session.execute(delete(OrgLifeSummaryOptIn).where(OrgLifeSummaryOptIn.user_id == user_id))


def list_summary_optins(*, session: Session) -> set[int]:
    return set(session.scalars(select(OrgLifeSummaryOptIn.user_id)).all())


def delete_plans(*, session: Session, before: datetime, months_before: str) -> int:
    """Plans of settled periods, kept as long as their outbox rows."""
    result = session.execute(
        delete(OrgLifeReminderPlan).where(
            OrgLifeReminderPlan.period < months_before, OrgLifeReminderPlan.planned_at < before
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
