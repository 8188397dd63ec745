"""Web logins for the same users as the chat: a password on a user's web identity (argon2),
failed logins counted in the database to slow guessing, one-time links the bot sends to set a
password, and invite codes that register web-only users."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import logins as db
from bot.db import users as users_db
from bot.db.models import Identity, PasswordLink, User, WebSession
from bot.people.accounts import AccountService, Member
from bot.people.invites import RegistrationError

WEB = db.WEB
MIN_PASSWORD = 8
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
# failed logins tolerated per login name from one address, and per address, within the window:
# a guesser slows only themselves, the real user from their own address still gets in
THROTTLE_WINDOW = timedelta(minutes=15)
FAILURES_PER_LOGIN = 5
FAILURES_PER_ADDRESS = 20
LINK_TTL = timedelta(hours=24)


class LoginError(Exception):
    """reason: wrong | throttled | weak | bad_login | taken | link | unknown | used | expired |
    withdrawn | revoked"""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebUser:
    """A logged-in person: the member and their web login."""

    member: Member
    login: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginService:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        accounts: AccountService,
        clock: Callable[[], datetime],
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._sessions = session_factory
        self._accounts = accounts
        self._clock = clock
        self._hasher = hasher or PasswordHasher()
        # each argon2 hash holds 64 MiB while it runs: fifty logins at once held over 1 GiB
        # (bench.web_load); as many at a time as there are cores costs no throughput
        self._hashing = threading.BoundedSemaphore(os.cpu_count() or 1)
        # verified against when the login is unknown, so both cases take as long
        self._dummy = self._hasher.hash(secrets.token_hex(8))

    def _check_password(self, password: str) -> None:
        if len(password) < MIN_PASSWORD or (password.isdigit() and len(set(password)) < 3):
            raise LoginError("weak")

    def set_password(self, login: str, password: str) -> bool:
        """`partybot users passwd`: False when no user has this web login."""
        self._check_password(password)
        with self._sessions() as session, session.begin():
            identity = db.get_web_identity(session=session, login=login)
            if identity is None:
                return False
            self._store(identity, password)
            db.delete_web_sessions_of(session=session, user_id=identity.user_id)
            return True

    def _store(self, identity: Identity, password: str, *, new: bool = True) -> None:
        """The password's hash; a new password (not the same one re-hashed) ends the sessions
        begun before it."""
        with self._hashing:
            identity.password_hash = self._hasher.hash(password)
        if new:
            identity.password_set_at = self._clock()

    def authenticate(self, login: str, password: str, *, address: str) -> WebUser:
        now = self._clock()
        since = now - THROTTLE_WINDOW
        with self._sessions() as session, session.begin():
            if (
                db.count_login_attempts(session=session, since=since, login=login, address=address)
                >= FAILURES_PER_LOGIN
                or db.count_login_attempts(session=session, since=since, address=address)
                >= FAILURES_PER_ADDRESS
            ):
                raise LoginError("throttled")
            identity = db.get_web_identity(session=session, login=login)
            hashed = identity.password_hash if identity is not None else None
            if hashed is None or not self._verify(hashed, password):
                if hashed is None:
                    self._verify(self._dummy, password)
                # recorded, and committed when the block ends, before the error is raised
                db.add_login_attempt(session=session, login=login[:128], address=address, now=now)
                identity = None
            else:
                assert identity is not None
                if not identity.user.active:
                    raise LoginError("revoked")
                if self._hasher.check_needs_rehash(hashed):
                    self._store(identity, password, new=False)
                db.clear_login_attempts(session=session, login=login, address=address)
                identity.last_seen = now
                user = WebUser(Member.of(identity.user), login)
        if identity is None:
            raise LoginError("wrong")
        return user

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            with self._hashing:
                return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def start_session(self, user: WebUser, *, lasts: timedelta) -> str:
        """A new session for a browser: the token its cookie carries (only the hash is kept)."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with self._sessions() as session, session.begin():
            db.add_web_session(
                session=session,
                web_session=WebSession(
                    token_hash=_token_hash(token),
                    user_id=user.member.id,
                    created_at=now,
                    expires_at=now + lasts,
                ),
            )
        return token

    def end_session(self, token: str) -> None:
        with self._sessions() as session, session.begin():
            db.delete_web_session(session=session, token_hash=_token_hash(token))

    def session_user(self, token: str) -> WebUser | None:
        """The person a session cookie names: the session not ended or past its time, the user
        active, the password the same as when it began."""
        with self._sessions() as session:
            found = db.get_web_session(session=session, token_hash=_token_hash(token))
            if found is None or found.expires_at <= self._clock():
                return None
            user = session.get(User, found.user_id)
            identity = db.get_web_identity_of(session=session, user_id=found.user_id)
            if user is None or not user.active or identity is None:
                return None
            if identity.password_hash is None:
                return None
            if identity.password_set_at is not None and identity.password_set_at > found.created_at:
                return None
            return WebUser(Member.of(user), identity.external_id)

    def make_link(self, user_id: int) -> str:
        """A one-time token for the page where this user sets their web login and password."""
        token = secrets.token_urlsafe(24)
        with self._sessions() as session, session.begin():
            db.create_password_link(
                session=session,
                link=PasswordLink(
                    token_hash=_token_hash(token),
                    user_id=user_id,
                    expires_at=self._clock() + LINK_TTL,
                ),
            )
        return token

    def link_login(self, token: str) -> tuple[Member, str | None]:
        """Whose link this is, and the web login they already have (None: they choose one)."""
        with self._sessions() as session:
            link = self._valid_link(session, token)
            identity = db.get_web_identity_of(session=session, user_id=link.user_id)
            user = session.get(User, link.user_id)
            assert user is not None
            return Member.of(user), identity.external_id if identity else None

    def use_link(self, token: str, login: str, password: str) -> WebUser:
        self._check_password(password)
        now = self._clock()
        with self._sessions() as session, session.begin():
            link = self._valid_link(session, token)
            identity = db.get_web_identity_of(session=session, user_id=link.user_id)
            if identity is None:
                identity = self._new_identity(session, link.user_id, login, now)
            self._store(identity, password)
            db.delete_web_sessions_of(session=session, user_id=link.user_id)
            link.used_at = now
            session.flush()
            return WebUser(Member.of(identity.user), identity.external_id)

    def _valid_link(self, session: Session, token: str) -> PasswordLink:
        link = db.get_password_link(session=session, token_hash=_token_hash(token))
        if link is None:
            raise LoginError("link")
        if link.used_at is not None:
            raise LoginError("used")
        if link.expires_at <= self._clock():
            raise LoginError("expired")
        user = session.get(User, link.user_id)
        if user is None or not user.active:
            raise LoginError("revoked")
        return link

    def _new_identity(self, session: Session, user_id: int, login: str, now: datetime) -> Identity:
        if not LOGIN_PATTERN.match(login):
            raise LoginError("bad_login")
        if users_db.get_user_at(session=session, channel=WEB, external_id=login) is not None:
            raise LoginError("taken")
        identity = db.add_web_identity(session=session, user_id=user_id, login=login, now=now)
        session.flush()
        session.refresh(identity)
        return identity

    def register(self, login: str, password: str, code: str, *, name: str, address: str) -> WebUser:
        """A web-only user from an invite code (the same codes as the chat's /start CODE)."""
        self._check_password(password)
        if not LOGIN_PATTERN.match(login):
            raise LoginError("bad_login")
        chat = f"web-address:{address}"
        try:
            # the code first, throttled per address: whether a name is taken is told only to
            # someone holding a valid invite
            self._accounts.invites.check_invite(code, chat=chat)
            if self._accounts.member_at(WEB, login) is not None:
                raise LoginError("taken")
            member = self._accounts.invites.register(login, code, channel=WEB, name=name, chat=chat)
        except RegistrationError as exc:
            reason = "code_throttled" if exc.reason == "throttled" else exc.reason
            raise LoginError(reason) from exc
        with self._sessions() as session, session.begin():
            identity = db.get_web_identity(session=session, login=login)
            assert identity is not None
            self._store(identity, password)
            session.flush()
            return WebUser(member, login)
