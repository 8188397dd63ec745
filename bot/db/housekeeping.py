"""Deleting rows whose work is done and whose use as a guard has passed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import (
    Broadcast,
    BroadcastDelivery,
    InviteAttempt,
    ProcessedUpdate,
    ReminderMessage,
    ReminderSlot,
    ReportDraft,
)

# Outbox states nothing will ever change again.
FINISHED_REMINDERS = ("sent", "unreachable", "failed", "uncertain", "muted", "done", "skipped")


def _count(result: object) -> int:
    return int(result.rowcount)  # type: ignore[attr-defined]


def delete_processed_updates(*, session: Session, before: datetime) -> int:
    return _count(
        session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))
    )


def delete_finished_reminders(*, session: Session, before: datetime, months_before: str) -> int:
    """Finished outbox rows of months the planner no longer looks at (it looks one back)."""
    return _count(
        session.execute(
            delete(ReminderMessage).where(
                ReminderMessage.month < months_before,
                ReminderMessage.due_at < before,
                ReminderMessage.status.in_(FINISHED_REMINDERS),
            )
        )
    )


def delete_planned_slots(*, session: Session, before: datetime, months_before: str) -> int:
    """Slot keys start with their month ('2023-07/…'); those before `months_before` go."""
    return _count(
        session.execute(
            delete(ReminderSlot).where(
                ReminderSlot.key < f"{months_before}/", ReminderSlot.planned_at < before
            )
        )
    )


def delete_finished_deliveries(*, session: Session, before: datetime) -> int:
    """Delivery rows of broadcasts that finished (or were cancelled) before `before`."""
    finished = select(Broadcast.id).where(
        Broadcast.status.in_(("done", "cancelled")), Broadcast.created_at < before
    )
    return _count(
        session.execute(
            delete(BroadcastDelivery).where(BroadcastDelivery.broadcast_id.in_(finished))
        )
    )


def delete_closed_drafts(*, session: Session, before: datetime) -> int:
    """Confirmed, cancelled and expired drafts (a report keeps its draft id, unique, itself)."""
    return _count(
        session.execute(
            delete(ReportDraft).where(ReportDraft.status != "open", ReportDraft.updated_at < before)
        )
    )


def delete_invite_attempts(*, session: Session, before: datetime) -> int:
    return _count(session.execute(delete(InviteAttempt).where(InviteAttempt.at < before)))
