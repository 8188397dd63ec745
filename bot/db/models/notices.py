"""Notices sent to people: broadcasts and their deliveries, Party-day reminders and
mutes, 三会一课 reminder plans and summary opt-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base
from bot.db.types import AwareDateTime


class Broadcast(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(Integer)  # users.id
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(128))
    # draft -> sending -> done, or cancelled
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class BroadcastDelivery(Base):
    """One row per recipient, written before anything is sent: the resume point after a crash.
    The channel and address are the recipient's when the broadcast was confirmed."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "broadcast_id", "user_id", name="uq_broadcast_deliveries_broadcast_id_user_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    # pending -> claimed (by one worker) -> sent | unreachable | failed | pending (retry)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class ReminderSlot(Base):
    """One (month, kind, due time) whose messages have been written to the outbox."""

    __tablename__ = "reminder_slots"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    messages: Mapped[int]
    planned_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ReminderMessage(Base):
    """The outbox: one row per (month, reminder, recipient), written before anything is sent."""

    __tablename__ = "reminder_outbox"
    __table_args__ = (Index("ix_reminder_outbox_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # month/kind/recipient: the unique key that makes a second copy impossible
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7), index=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    # where it goes, as the recipient's address was when it was planned
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    village: Mapped[str | None] = mapped_column(String(64))
    township: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # pending -> sending -> sent | unreachable | failed | uncertain; or muted | done | skipped
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class ReminderMute(Base):
    __tablename__ = "reminder_mutes"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)


class OrgLifeReminderPlan(Base):
    """A branch reminded of its 三会一课 items due by a period's end, under one set of rules: the
    unique key that lets any number of processes plan the period once."""

    __tablename__ = "orglife_reminder_plans"
    __table_args__ = (
        UniqueConstraint(
            "township", "village", "period", "rule_set", name="uq_orglife_reminder_plans_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township: Mapped[str] = mapped_column(String(64))  # '' when none
    village: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))  # the month the periods end with, 2026-12
    rule_set: Mapped[str] = mapped_column(String(16))  # a digest of the rules in force
    due: Mapped[str] = mapped_column(Text)  # the kinds still due, "、"-joined
    planned_at: Mapped[datetime] = mapped_column(AwareDateTime())


class OrgLifeSummaryOptIn(Base):
    """A staff member who asked for the monthly 三会一课 summary of their scope."""

    __tablename__ = "orglife_summary_optins"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    since: Mapped[datetime] = mapped_column(AwareDateTime())
