"""Queries on leases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Lease


def hold_lease(*, session: Session, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take or renew the lease: True when `holder` has it until `until`. A lease another
    holder let expire is taken over; a live one is not."""
    result = session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at < now))
        .values(holder=holder, expires_at=until)
    )
    if getattr(result, "rowcount", 0):
        return True
    if session.get(Lease, name) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Lease(name=name, holder=holder, expires_at=until))
    except IntegrityError:  # another process created it first
        return False
    return True
