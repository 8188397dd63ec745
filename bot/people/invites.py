"""Invite codes and registration by them: making a code, checking one (wrong guesses limited per
chat), and registering its user with the role and scope the code binds."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db import users as db
from bot.db.models import Invite
from bot.people.members import Member, Role, access_of, record_role_change

# No 0/O/1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# Wrong invite codes tolerated per chat (a web registration's chat is its address) within the
# window. There is no limit over everyone together: it let fifty wrong codes from one guesser
# block every registration on every channel. A code is one of 31^8 (8.5e11), so a guesser with
# a thousand chats, five tries an hour each, needs millions of years per outstanding code.
GUESS_WINDOW = timedelta(hours=1)
GUESSES_PER_CHAT = 5


class RegistrationError(Exception):
    """reason: unknown | used | expired | withdrawn | revoked | throttled"""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InviteService:
    """The invite codes of one database, reached as `AccountService.invites`."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        invite_ttl: timedelta = timedelta(days=7),
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._invite_ttl = invite_ttl

    def create_invite(
        self,
        role: Role,
        *,
        village: str | None = None,
        township: str | None = None,
        created_by: int | None = None,
    ) -> Invite:
        if role == Role.SECRETARY and not village:
            raise ValueError("a secretary invite needs a village")
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        invite = Invite(
            code=code,
            role=role,
            village=village,
            township=township,
            created_by=created_by,
            expires_at=self._clock() + self._invite_ttl,
        )
        with self._sessions() as session, session.begin():
            db.create_invite(session=session, invite=invite)
        return invite

    def register(
        self,
        external_id: str | int,
        code: str,
        *,
        channel: str,
        name: str = "",
        chat: str | None = None,
    ) -> Member:
        """Use a one-time invite. Every wrong code counts against the chat, in the database, so
        guessing is slow whatever restarts."""
        chat = chat or f"{channel}:{external_id}"
        code = self.check_invite(code, chat=chat)
        return self._register(channel, str(external_id), code, name=name, now=self._clock())

    def check_invite(self, code: str, *, chat: str) -> str:
        """The code, normalised, if it may be used now; else RegistrationError (a wrong code is
        counted against the chat; a chat over its limit is refused before the code is read)."""
        code, chat = code.strip().upper(), chat[:64]
        now = self._clock()
        with self._sessions() as session, session.begin():
            since = now - GUESS_WINDOW
            if (
                db.count_invite_attempts(session=session, since=since, chat=chat)
                >= GUESSES_PER_CHAT
            ):
                raise RegistrationError("throttled")
            invite = db.get_invite(session=session, code=code)
            if invite is None:
                db.add_invite_attempt(session=session, chat=chat, now=now)
                reason: str | None = "unknown"
            elif invite.used_by is not None:
                reason = "used"
            elif invite.withdrawn_at is not None:
                reason = "withdrawn"
            elif invite.expires_at <= now:
                reason = "expired"
            else:
                reason = None
        if reason is not None:
            raise RegistrationError(reason)
        return code

    def _register(
        self, channel: str, external_id: str, code: str, *, name: str, now: datetime
    ) -> Member:
        with self._sessions() as session, session.begin():
            invite = db.get_invite(session=session, code=code)
            if invite is None:
                raise RegistrationError("unknown")
            if invite.used_by is not None:
                raise RegistrationError("used")
            if invite.withdrawn_at is not None:
                raise RegistrationError("withdrawn")
            if invite.expires_at <= now:
                raise RegistrationError("expired")
            existing = db.get_user_at(session=session, channel=channel, external_id=external_id)
            if existing is not None and not existing.active:
                raise RegistrationError("revoked")  # until an admin restores them
            old = access_of(existing)
            user = db.upsert_user(
                session=session,
                channel=channel,
                external_id=external_id,
                role=invite.role,
                now=now,
                name=name,
                village=invite.village,
                township=invite.township,
            )
            session.flush()
            invite.used_by, invite.used_at = user.id, now
            record_role_change(session, user, "register", f"invite:{code}", old, at=self._clock())
            if old[0] == Role.ADMIN and invite.role != Role.ADMIN:
                db.withdraw_invites(session=session, created_by=user.id, now=now)
            return Member.of(user)
