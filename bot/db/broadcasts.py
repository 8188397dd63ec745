"""Queries on broadcasts and their per-recipient delivery rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Broadcast, BroadcastDelivery


def create_broadcast(*, session: Session, broadcast: Broadcast) -> Broadcast:
    session.add(broadcast)
    session.flush()
    return broadcast


def get_broadcast(*, session: Session, broadcast_id: int) -> Broadcast | None:
    return session.get(Broadcast, broadcast_id, with_for_update=True)


def switch_status(*, session: Session, broadcast_id: int, old: str, new: str) -> bool:
    """Atomically move a broadcast from `old` to `new`; False if it was not in `old`."""
    result = session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == old)
        .values(status=new)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def create_deliveries(
    *, session: Session, broadcast_id: int, recipients: Sequence[tuple[int, str, str]]
) -> None:
    """One pending row per (user id, channel, address); a user once."""
    unique = {user_id: (user_id, channel, address) for user_id, channel, address in recipients}
    session.add_all(
        BroadcastDelivery(
            broadcast_id=broadcast_id,
            user_id=user_id,
            channel=channel,
            external_id=address,
            status="pending",
            attempts=0,
        )
        for user_id, channel, address in unique.values()
    )


def claim_deliveries(
    *,
    session: Session,
    broadcast_id: int,
    limit: int,
    worker: str,
    now: datetime,
    stale_before: datetime,
    channel: str,
    exclude: Sequence[int] = (),
) -> Sequence[BroadcastDelivery]:
    """Switch up to `limit` pending rows (or rows a worker that stopped claimed before
    `stale_before`) to claimed by `worker`. Rows another process holds are skipped
    (PostgreSQL SKIP LOCKED); the conditional UPDATE makes a row claimable once even where row
    locks do not exist (SQLite serialises writers)."""
    claimable = or_(
        BroadcastDelivery.status == "pending",
        and_(BroadcastDelivery.status == "claimed", BroadcastDelivery.claimed_at < stale_before),
    )
    ids = list(
        session.scalars(
            select(BroadcastDelivery.id)
            .where(
                BroadcastDelivery.broadcast_id == broadcast_id,
                BroadcastDelivery.channel == channel,
                claimable,
                BroadcastDelivery.id.not_in(list(exclude)),
            )
            .order_by(BroadcastDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )
    if not ids:
        return []
    claimed = session.scalars(
        update(BroadcastDelivery)
        .where(BroadcastDelivery.id.in_(ids), claimable)
        .values(status="claimed", claimed_by=worker, claimed_at=now)
        .returning(BroadcastDelivery),
        execution_options={"synchronize_session": False},
    ).all()
    return sorted(claimed, key=lambda d: d.id)


def set_delivery_status(
    *,
    session: Session,
    delivery_id: int,
    status: str,
    worker: str,
    now: datetime | None = None,
    count_attempt: bool = True,
) -> None:
    """Record how a claimed row ended; only the claim's holder may."""
    values: dict[str, Any] = {
        "status": status,
        "sent_at": now,
        "claimed_by": None if status == "pending" else worker,
    }
    if count_attempt:
        values["attempts"] = BroadcastDelivery.attempts + 1
    session.execute(
        update(BroadcastDelivery)
        .where(BroadcastDelivery.id == delivery_id, BroadcastDelivery.claimed_by == worker)
        .values(**values)
    )


def count_deliveries(*, session: Session, broadcast_id: int) -> dict[str, int]:
    rows = session.execute(
        select(BroadcastDelivery.status, func.count())
        .where(BroadcastDelivery.broadcast_id == broadcast_id)
        .group_by(BroadcastDelivery.status)
    ).all()
    return {status: count for status, count in rows}


def list_broadcasts_by_status(*, session: Session, status: str) -> Sequence[Broadcast]:
    return session.scalars(
        select(Broadcast).where(Broadcast.status == status).order_by(Broadcast.id)
    ).all()
