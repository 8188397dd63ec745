"""The 主题党日 calendar: rules, overrides, local days and monthly themes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base
from bot.db.types import AwareDateTime


class CalendarRule(Base):
    """How a scope fixes its monthly Party day; '' township/village means any (the county)."""

    __tablename__ = "calendar_rules"
    __table_args__ = (UniqueConstraint("township", "village"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township: Mapped[str] = mapped_column(String(64), default="")
    village: Mapped[str] = mapped_column(String(64), default="")
    rule: Mapped[str] = mapped_column(String(64))
    shift: Mapped[str] = mapped_column(String(8))


class CalendarOverride(Base):
    """An admin's fixed Party day for one month in one scope, beating the rule."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (UniqueConstraint("township", "village", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township: Mapped[str] = mapped_column(String(64), default="")
    village: Mapped[str] = mapped_column(String(64), default="")
    month: Mapped[str] = mapped_column(String(7))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class CalendarDay(Base):
    """A local holiday or working day that the public-holiday package does not know."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")


class MonthlyTheme(Base):
    __tablename__ = "monthly_themes"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    theme: Mapped[str] = mapped_column(String(256))
    tasks: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of 规定动作
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
