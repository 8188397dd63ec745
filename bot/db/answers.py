"""Queries on remembered answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import RememberedAnswer


def create_answer(*, session: Session, answer: RememberedAnswer) -> int:
    session.add(answer)
    session.flush()
    return answer.id


def get_answer(*, session: Session, answer_id: int, chat: str) -> RememberedAnswer | None:
    row = session.get(RememberedAnswer, answer_id)
    return row if row is not None and row.chat == chat else None


def get_recent_answers(
    *, session: Session, chat: str, since: datetime, limit: int
) -> list[RememberedAnswer]:
    """The chat's newest answers since `since`, newest first."""
    return list(
        session.scalars(
            select(RememberedAnswer)
            .where(RememberedAnswer.chat == chat, RememberedAnswer.created_at >= since)
            .order_by(RememberedAnswer.id.desc())
            .limit(limit)
        )
    )


def delete_answers_before(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(RememberedAnswer).where(RememberedAnswer.created_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
