"""Queries on the Party-day calendar: rules, overrides, local days, monthly themes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import CalendarDay, CalendarOverride, CalendarRule, MonthlyTheme


def list_rules(*, session: Session) -> Sequence[CalendarRule]:
    return session.scalars(
        select(CalendarRule).order_by(CalendarRule.township, CalendarRule.village)
    ).all()


def replace_rules(*, session: Session, rules: Sequence[CalendarRule]) -> None:
    session.execute(delete(CalendarRule))
    session.add_all(rules)


def list_overrides(*, session: Session) -> Sequence[CalendarOverride]:
    return session.scalars(select(CalendarOverride).order_by(CalendarOverride.month)).all()


def upsert_override(
    *, session: Session, township: str, village: str, month: str, day: date, note: str
) -> None:
    existing = session.scalars(
        select(CalendarOverride).where(
            CalendarOverride.township == township,
            CalendarOverride.village == village,
            CalendarOverride.month == month,
        )
    ).one_or_none()
    if existing is None:
        session.add(
            CalendarOverride(township=township, village=village, month=month, day=day, note=note)
        )
    else:
        existing.day, existing.note = day, note


def delete_override(*, session: Session, township: str, village: str, month: str) -> bool:
    result = session.execute(
        delete(CalendarOverride).where(
            CalendarOverride.township == township,
            CalendarOverride.village == village,
            CalendarOverride.month == month,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def list_days(*, session: Session) -> Sequence[CalendarDay]:
    return session.scalars(select(CalendarDay).order_by(CalendarDay.day)).all()


def upsert_day(*, session: Session, day: date, workday: bool, note: str) -> None:
    session.merge(CalendarDay(day=day, workday=workday, note=note))


def list_themes(*, session: Session) -> Sequence[MonthlyTheme]:
    return session.scalars(select(MonthlyTheme).order_by(MonthlyTheme.month)).all()


def upsert_theme(*, session: Session, theme: MonthlyTheme) -> None:
    session.merge(theme)
