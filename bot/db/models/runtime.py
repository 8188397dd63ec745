"""Process plumbing: the app's own secrets, leases, handled updates, and what a user's
next message answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base
from bot.db.types import AwareDateTime


class AppSecret(Base):
    """Secrets the application makes for itself (a webhook's token), shared by its processes."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class Lease(Base):
    """A job only one process may do at a time (sending through one bot token at its pace):
    held by `holder` until `expires_at`, renewed while it works."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ProcessedUpdate(Base):
    """A channel's message ids already handled, so a redelivered one is handled once."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class ConversationState(Base):
    """What a user's next message answers, when it is not a report card's field: today, the
    field of a confirmed report being corrected ("correct", {"report_id", "field"})."""

    __tablename__ = "conversation_state"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pending: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())


class OfferedButton(Base):
    """The buttons offered to one person on one channel, by label: on a channel that shows
    buttons as reply words, the label typed back presses the newest button with it. `turn`
    numbers the person's replies that offered buttons (the newest card is read first)."""

    __tablename__ = "offered_buttons"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    address: Mapped[str] = mapped_column(String(128), primary_key=True)
    label: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(64))
    turn: Mapped[int] = mapped_column(Integer)
    offered_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
