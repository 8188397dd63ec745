"""Queries on the reminder outbox, its planned slots and users' mutes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.inserts import insert_ignoring_duplicates
from bot.db.models import ReminderMessage, ReminderMute, ReminderSlot, Report


def claim_slot(*, session: Session, key: str, now: datetime) -> bool:
    """Mark a slot planned; False if another tick (or process) already did."""
    row = {"key": key, "messages": 0, "planned_at": now}
    return insert_ignoring_duplicates(session=session, model=ReminderSlot, rows=[row]) == 1


def set_slot_messages(*, session: Session, key: str, messages: int) -> None:
    session.execute(update(ReminderSlot).where(ReminderSlot.key == key).values(messages=messages))


def list_slot_keys(*, session: Session, months: Iterable[str]) -> set[str]:
    clauses = [ReminderSlot.key.startswith(f"{month}/") for month in months]
    return set(session.scalars(select(ReminderSlot.key).where(or_(*clauses))).all())


def expire_pending(*, session: Session, now: datetime) -> int:
    result = session.execute(
        update(ReminderMessage)
        .where(ReminderMessage.status == "pending", ReminderMessage.expires_at < now)
        .values(status="skipped")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def release_stale_claims(*, session: Session, before: datetime) -> tuple[int, int]:
    """Claims of a process that died: rows that never left (claimed) go back to pending; rows
    that were on the wire (sending) may or may not have arrived and become uncertain."""
    released = session.execute(
        update(ReminderMessage)
        .where(ReminderMessage.status == "claimed", ReminderMessage.claimed_at < before)
        .values(status="pending", claimed_by=None)
    )
    abandoned = session.execute(
        update(ReminderMessage)
        .where(ReminderMessage.status == "sending", ReminderMessage.claimed_at < before)
        .values(status="uncertain")
    )
    return int(released.rowcount), int(abandoned.rowcount)  # type: ignore[attr-defined]


def claim_due_messages(
    *,
    session: Session,
    now: datetime,
    worker: str,
    limit: int,
    exclude: Iterable[int] = (),
    channel: str,
) -> Sequence[ReminderMessage]:
    """Switch up to `limit` due pending rows to claimed under this worker's name. Rows another
    process holds are skipped (PostgreSQL SKIP LOCKED); the conditional UPDATE makes a row
    claimable once even where row locks do not exist (SQLite serialises writers)."""
    stmt = (
        select(ReminderMessage.id)
        .where(
            ReminderMessage.status == "pending",
            ReminderMessage.due_at <= now,
            ReminderMessage.channel == channel,
        )
        .order_by(ReminderMessage.due_at, ReminderMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    excluded = list(exclude)
    if excluded:
        stmt = stmt.where(ReminderMessage.id.not_in(excluded))
    ids = list(session.scalars(stmt).all())
    if not ids:
        return []
    claimed = session.scalars(
        update(ReminderMessage)
        .where(ReminderMessage.id.in_(ids), ReminderMessage.status == "pending")
        .values(status="claimed", claimed_by=worker, claimed_at=now)
        .returning(ReminderMessage),
        execution_options={"synchronize_session": False},
    ).all()
    return sorted(claimed, key=lambda m: (m.due_at, m.id))


def mark_sending(*, session: Session, message_id: int, worker: str) -> bool:
    """The request is leaving now; False if this worker no longer holds the claim."""
    result = session.execute(
        update(ReminderMessage)
        .where(
            ReminderMessage.id == message_id,
            ReminderMessage.status == "claimed",
            ReminderMessage.claimed_by == worker,
        )
        .values(status="sending")
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_message_status(
    *,
    session: Session,
    message_id: int,
    status: str,
    worker: str | None = None,
    now: datetime | None = None,
    count_attempt: bool = True,
) -> None:
    """Record how a claimed row ended; only the claim's holder (when given) may."""
    values: dict[str, Any] = {"status": status, "sent_at": now}
    if count_attempt:
        values["attempts"] = ReminderMessage.attempts + 1
    if status == "pending":
        values["claimed_by"] = None
    conditions = [
        ReminderMessage.id == message_id,
        ReminderMessage.status.in_(("claimed", "sending")),
    ]
    if worker is not None:
        conditions.append(ReminderMessage.claimed_by == worker)
    session.execute(update(ReminderMessage).where(*conditions).values(**values))


def count_messages(*, session: Session, month: str) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(ReminderMessage.kind, ReminderMessage.status, func.count())
        .where(ReminderMessage.month == month)
        .group_by(ReminderMessage.kind, ReminderMessage.status)
    ).all()
    return {(kind, status): count for kind, status, count in rows}


def list_muted_kinds(*, session: Session, user_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = list(set(user_ids))
    if not ids:
        return set()
    rows = session.execute(
        select(ReminderMute.user_id, ReminderMute.kind).where(ReminderMute.user_id.in_(ids))
    ).all()
    return {(user_id, kind) for user_id, kind in rows}


def set_mute(*, session: Session, user_id: int, kind: str, muted: bool) -> None:
    if muted:
        insert_ignoring_duplicates(
            session=session, model=ReminderMute, rows=[{"user_id": user_id, "kind": kind}]
        )
    else:
        session.execute(
            delete(ReminderMute).where(ReminderMute.user_id == user_id, ReminderMute.kind == kind)
        )


def list_reported_branches(
    *, session: Session, start: date, end: date, activity_type: str
) -> set[tuple[str, str]]:
    """(township, village) of branches with a live report of the type (or tagged with it)
    dated within [start, end]."""
    rows = session.execute(
        select(Report.township, Report.village)
        .where(
            Report.deleted.is_(False),
            Report.activity_date >= start,
            Report.activity_date <= end,
            or_(Report.type == activity_type, Report.tags.contains(f'"{activity_type}"')),
        )
        .distinct()
    ).all()
    return {(township or "", village) for township, village in rows}
