"""One person on several channels is one user: a member asks for a link code on a channel they
are registered on and sends it from another; that identity then reaches the same user (role,
scope, reports, reminder settings), never a second one. An admin may attach an identity
directly (`partybot users link`). Two users are never merged: an identity that already belongs
to someone is refused."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import links as db
from bot.db.models import Identity, LinkCode, RoleChange, User
from bot.db.users import add_role_change, count_invite_attempts, get_invite
from bot.people.accounts import Member
from bot.people.invites import CODE_ALPHABET, CODE_LENGTH, GUESS_WINDOW, GUESSES_PER_CHAT

log = logging.getLogger(__name__)

LINK_TTL = timedelta(minutes=10)


class LinkError(Exception):
    """reason: used | expired | revoked | taken | yours | no_user | throttled"""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


class IdentityLinks:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        ttl: timedelta = LINK_TTL,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self.ttl = ttl

    def issue(self, user_id: int) -> IssuedCode:
        """A new one-time code for an active user (earlier ones stay valid until they expire)."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise LinkError("revoked")
            code = _new_code(session)
            link = LinkCode(code=code, user_id=user_id, created_at=now, expires_at=now + self.ttl)
            db.create_link_code(session=session, link_code=link)
        return IssuedCode(code, link.expires_at)

    def knows(self, code: str) -> bool:
        """Whether a code is a link code (live, spent or expired): an invite is not."""
        with self._sessions() as session:
            return session.get(LinkCode, code.strip().upper()) is not None

    def redeem(self, code: str, *, channel: str, external_id: str, chat: str) -> Member | None:
        """Attach (channel, external_id) to the user who asked for the code, and spend it.
        None when the code is not a link code (the caller reads it as an invite, which counts
        a wrong guess); a chat over the invites' guessing limit is refused before any lookup."""
        code, now = code.strip().upper(), self._clock()
        try:
            with self._sessions() as session, session.begin():
                since = now - GUESS_WINDOW
                if count_invite_attempts(session=session, since=since, chat=chat[:64]) >= (
                    GUESSES_PER_CHAT
                ):
                    raise LinkError("throttled")
                link = db.get_link_code(session=session, code=code)
                if link is None:
                    return None
                user = session.get(User, link.user_id)
                _refuse_taken(session, user, channel, external_id)
                if link.used_at is not None:
                    raise LinkError("used")
                if link.expires_at <= now:
                    raise LinkError("expired")
                assert user is not None  # the code's row goes with its user
                if not user.active:
                    raise LinkError("revoked")
                link.used_at = now
                return self._attach(session, user, channel, external_id, f"link:{code}")
        except IntegrityError:  # the same identity registered or linked at the same moment
            raise LinkError("taken") from None

    def attach(self, user_id: int, *, channel: str, external_id: str, by: str = "cli") -> Member:
        """The admin's path: attach an identity to an existing, active user."""
        try:
            with self._sessions() as session, session.begin():
                user = session.get(User, user_id)
                if user is None:
                    raise LinkError("no_user")
                _refuse_taken(session, user, channel, external_id)
                if not user.active:
                    raise LinkError("revoked")
                return self._attach(session, user, channel, external_id, by)
        except IntegrityError:
            raise LinkError("taken") from None

    def _attach(
        self, session: Session, user: User, channel: str, external_id: str, actor: str
    ) -> Member:
        now = self._clock()
        user.identities.append(Identity(channel=channel, external_id=external_id, last_seen=now))
        user.reachable = True
        session.flush()
        role, scope = user.role, " ".join(p for p in (user.township, user.village) if p) or None
        add_role_change(
            session=session,
            change=RoleChange(
                user_id=user.id,
                at=now,
                actor=actor[:64],
                action=f"link:{channel}"[:16],
                old_role=role,
                new_role=role,
                old_scope=scope,
                new_scope=scope,
            ),
        )
        log.info("user %s linked %s:%s (%s)", user.id, channel, external_id, actor)
        return Member.of(user)


def _refuse_taken(session: Session, user: User | None, channel: str, external_id: str) -> None:
    """An identity that is someone's already (revoked or not) is never moved or merged."""
    found = db.get_identity(session=session, channel=channel, external_id=external_id)
    if found is not None:
        raise LinkError("yours" if user is not None and found.user_id == user.id else "taken")


def _new_code(session: Session) -> str:
    """A code in the invites' alphabet that is neither an invite nor another link code."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if get_invite(session=session, code=code) is None and session.get(LinkCode, code) is None:
            return code
