"""Queries on remembered answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.db.models import RememberedAnswer


def create_answer(*, session: Session, answer: RememberedAnswer) -> int:
    session.add(answer)
    session.flush()
    return answer.id


def get_answer(*, session: Session, answer_id: int, chat: str) -> RememberedAnswer | None:
    row = session.get(RememberedAnswer, answer_id)
    return row if row is not None and row.chat == chat else None


def delete_answers_before(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(RememberedAnswer).where(RememberedAnswer.created_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
