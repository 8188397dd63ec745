"""Queries on web logins: passwords on web identities, failed attempts, one-time links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Identity, LoginAttempt, PasswordLink, WebSession

WEB = "web"


def get_web_identity(*, session: Session, login: str) -> Identity | None:
    return session.scalars(
        select(Identity).where(Identity.channel == WEB, Identity.external_id == login)
    ).first()


def get_web_identity_of(*, session: Session, user_id: int) -> Identity | None:
    return session.scalars(
        select(Identity).where(Identity.channel == WEB, Identity.user_id == user_id)
    ).first()


def add_web_identity(*, session: Session, user_id: int, login: str, now: datetime) -> Identity:
    identity = Identity(user_id=user_id, channel=WEB, external_id=login, last_seen=now)
    session.add(identity)
    return identity


def add_login_attempt(*, session: Session, login: str, address: str, now: datetime) -> None:
    session.add(LoginAttempt(login=login, address=address, at=now))


def count_login_attempts(
    *, session: Session, since: datetime, login: str | None = None, address: str | None = None
) -> int:
    """Failed logins since `since`: of one login name, from one address, or of a name from an
    address (both given)."""
    query = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since)
    if login is not None:
        query = query.where(LoginAttempt.login == login)
    if address is not None:
        query = query.where(LoginAttempt.address == address)
    return session.scalar(query) or 0


def clear_login_attempts(*, session: Session, login: str, address: str) -> None:
    """After a good login: that name's failures from that address (a guesser's stay counted)."""
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.login == login, LoginAttempt.address == address)
    )


def add_web_session(*, session: Session, web_session: WebSession) -> None:
    session.add(web_session)


def get_web_session(*, session: Session, token_hash: str) -> WebSession | None:
    return session.get(WebSession, token_hash)


def delete_web_session(*, session: Session, token_hash: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


def delete_web_sessions_of(*, session: Session, user_id: int) -> int:
    result = session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def create_password_link(*, session: Session, link: PasswordLink) -> None:
    session.add(link)


def get_password_link(*, session: Session, token_hash: str) -> PasswordLink | None:
    return session.get(PasswordLink, token_hash)


def delete_login_leftovers(*, session: Session, attempts_before: datetime, now: datetime) -> int:
    """Old failed attempts, links used or expired, and sessions past their end."""
    attempts = session.execute(delete(LoginAttempt).where(LoginAttempt.at < attempts_before))
    sessions = session.execute(delete(WebSession).where(WebSession.expires_at < now))
    links = session.execute(
        delete(PasswordLink).where(
            or_(PasswordLink.used_at.is_not(None), PasswordLink.expires_at < now)
        )
    )
    return sum(int(getattr(r, "rowcount", 0) or 0) for r in (attempts, links, sessions))


def count_web_passwords(*, session: Session) -> int:
    """Web logins that have a password: none, and nobody can sign in to the console."""
    query = select(func.count()).where(Identity.channel == WEB, Identity.password_hash.is_not(None))
    return session.scalar(query) or 0
