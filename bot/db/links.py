"""Queries on link codes and on the identities they attach to a user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import Identity, LinkCode


def create_link_code(*, session: Session, link_code: LinkCode) -> LinkCode:
    session.add(link_code)
    return link_code


def get_link_code(*, session: Session, code: str) -> LinkCode | None:
    return session.get(LinkCode, code, with_for_update=True)


def get_identity(*, session: Session, channel: str, external_id: str) -> Identity | None:
    return session.scalars(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    ).first()


def add_identity(
    *, session: Session, user_id: int, channel: str, external_id: str, now: datetime
) -> Identity:
    identity = Identity(user_id=user_id, channel=channel, external_id=external_id, last_seen=now)
    session.add(identity)
    return identity


def delete_link_codes(*, session: Session, before: datetime) -> int:
    """Codes that expired before `before`, spent or not (housekeeping)."""
    result = session.execute(delete(LinkCode).where(LinkCode.expires_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
