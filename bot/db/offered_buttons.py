"""Queries on the buttons last offered to a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import OfferedButton


def get_offered_action(
    *, session: Session, channel: str, address: str, label: str, since: datetime
) -> str | None:
    return session.scalar(
        select(OfferedButton.action).where(
            OfferedButton.channel == channel,
            OfferedButton.address == address,
            OfferedButton.label == label,
            OfferedButton.offered_at >= since,
        )
    )


def put_offered_buttons(
    *, session: Session, channel: str, address: str, actions: dict[str, str], now: datetime
) -> None:
    """The newest offer of a label replaces the one before it."""
    for label, action in actions.items():
        found = session.get(OfferedButton, (channel, address, label))
        if found is None:
            session.add(
                OfferedButton(
                    channel=channel, address=address, label=label, action=action, offered_at=now
                )
            )
        else:
            found.action, found.offered_at = action, now


def delete_offered_buttons(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(OfferedButton).where(OfferedButton.offered_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
