"""Queries on unanswered questions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import UnansweredQuestion


def create_unanswered(*, session: Session, question: UnansweredQuestion) -> None:
    session.add(question)


def list_unanswered(*, session: Session, since: datetime) -> Sequence[UnansweredQuestion]:
    return session.scalars(
        select(UnansweredQuestion)
        .where(UnansweredQuestion.created_at >= since)
        .order_by(UnansweredQuestion.id)
    ).all()
