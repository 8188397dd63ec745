"""Which kept photo files rows still name: a report's, a photo waiting for its sentence, an open
draft's. A file no row names is an orphan the housekeeping removes."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import ReportDraft, ReportPhoto, WaitingPhoto


def _draft_paths(photos_json: str | None) -> list[str]:
    try:
        photos = json.loads(photos_json or "[]")
    except ValueError:
        return []
    return [p["path"] for p in photos if isinstance(p, dict) and isinstance(p.get("path"), str)]


def list_unattached_photo_paths(*, session: Session, user_id: int, since: datetime) -> list[str]:
    """The user's photos on no report: waiting for a sentence, on their open card, or on a card
    cancelled or left to expire since `since` (its files stay until the sweep)."""
    waiting = session.scalars(
        select(WaitingPhoto.path).where(
            WaitingPhoto.user_id == user_id, WaitingPhoto.path.is_not(None)
        )
    ).all()
    drafts = session.scalars(
        select(ReportDraft.photos).where(
            ReportDraft.user_id == user_id,
            ReportDraft.status != "confirmed",
            ReportDraft.updated_at >= since,
        )
    ).all()
    return [p for p in waiting if p] + [p for d in drafts for p in _draft_paths(d)]


def list_named_photo_paths(*, session: Session) -> set[str]:
    """Every photo path a report, a waiting photo or an open draft names."""
    named = {p for p in session.scalars(select(ReportPhoto.path)) if p}
    named |= {p for p in session.scalars(select(WaitingPhoto.path)) if p}
    for photos in session.scalars(select(ReportDraft.photos).where(ReportDraft.status == "open")):
        named.update(_draft_paths(photos))
    return named
