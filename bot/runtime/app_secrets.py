"""Secrets the application makes for itself, kept in the database so every process shares them.

A webhook started without `--secret-token` gets one made here; every later start (and every
other worker on the same database) uses the same, so Telegram's header keeps matching.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.db import users as db

TELEGRAM_WEBHOOK = "telegram_webhook"


def get_or_create_secret(
    name: str, *, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
) -> str:
    with session_factory() as session, session.begin():
        existing = db.get_secret(session=session, name=name)
        if existing is not None:
            return existing
        # Telegram allows A-Z a-z 0-9 _ - in a webhook secret, up to 256 characters.
        candidate = secrets.token_urlsafe(32)
        if db.create_secret(session=session, name=name, value=candidate, now=clock()):
            return candidate
    with session_factory() as session:  # another process stored one first
        stored = db.get_secret(session=session, name=name)
        assert stored is not None
        return stored
