"""Queries on the buttons offered to a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db.models import OfferedButton


def list_offered_buttons(
    *, session: Session, channel: str, address: str, since: datetime
) -> list[OfferedButton]:
    return list(
        session.scalars(
            select(OfferedButton).where(
                OfferedButton.channel == channel,
                OfferedButton.address == address,
                OfferedButton.offered_at >= since,
            )
        )
    )


def put_offered_buttons(
    *, session: Session, channel: str, address: str, actions: dict[str, str], now: datetime
) -> None:
    """One more turn of buttons; the newest offer of a label replaces the one before it."""
    last = session.scalar(
        select(func.max(OfferedButton.turn)).where(
            OfferedButton.channel == channel, OfferedButton.address == address
        )
    )
    turn = (last or 0) + 1
    for label, action in actions.items():
        found = session.get(OfferedButton, (channel, address, label))
        if found is None:
            session.add(
                OfferedButton(
                    channel=channel,
                    address=address,
                    label=label,
                    action=action,
                    turn=turn,
                    offered_at=now,
                )
            )
        else:
            found.action, found.turn, found.offered_at = action, turn, now


def delete_offered_buttons(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(OfferedButton).where(OfferedButton.offered_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
