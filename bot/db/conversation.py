"""Queries on conversation state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.db.models import ConversationState


def get_state(*, session: Session, user_id: int) -> ConversationState | None:
    return session.get(ConversationState, user_id)


def set_state(*, session: Session, user_id: int, pending: str, payload: str, now: datetime) -> None:
    state = session.get(ConversationState, user_id)
    if state is None:
        session.add(
            ConversationState(user_id=user_id, pending=pending, payload=payload, updated_at=now)
        )
    else:
        state.pending, state.payload, state.updated_at = pending, payload, now


def clear_state(*, session: Session, user_id: int) -> None:
    session.execute(delete(ConversationState).where(ConversationState.user_id == user_id))
