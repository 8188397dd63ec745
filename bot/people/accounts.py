"""Who may use the bot, and as what: registration by invite code, roles, revocation."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.db import users as db
from bot.db.models import Feedback, Invite, RoleChange, User
from bot.ordering import branch_key

# No 0/O/1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
DEFAULT_TIMEZONE = ZoneInfo("Asia/Shanghai")
# Wrong invite codes tolerated per chat (a web registration's chat is its address) within the
# window. There is no limit over everyone together: it let fifty wrong codes from one guesser
# block every registration on every channel. A code is one of 31^8 (8.5e11), so a guesser with
# a thousand chats, five tries an hour each, needs millions of years per outstanding code.
GUESS_WINDOW = timedelta(hours=1)
GUESSES_PER_CHAT = 5


class Role(StrEnum):
    SECRETARY = "secretary"
    STAFF = "staff"
    ADMIN = "admin"


ROLE_NAMES = {Role.SECRETARY: "村党组织书记", Role.STAFF: "组织部门工作人员", Role.ADMIN: "管理员"}


def place(village: str | None, township: str | None) -> str:
    """ "，城关镇 张家村" as replies name where someone works ("" for the county)."""
    parts = [p for p in (township, village) if p]
    return "，" + " ".join(parts) if parts else ""


class RegistrationError(Exception):
    """reason: unknown | used | expired | withdrawn | revoked | throttled"""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Member:
    """A user as the services see them: the internal id, role and scope, and the address the
    channels reach them at (their most recently seen identity)."""

    id: int
    name: str
    role: Role
    village: str | None
    township: str | None
    reachable: bool
    channel: str | None = None
    external_id: str | None = None

    @classmethod
    def of(cls, user: User) -> Member:
        return cls._of(user.id, user, primary_identity(user.identities))

    @classmethod
    def of_rows(cls, rows: Sequence[db.MemberRow]) -> Member:
        """From a user's rows, one per identity (db.list_member_rows_at)."""
        return cls._of(rows[0].user_id, rows[0], primary_identity(rows))

    @classmethod
    def _of(cls, user_id: int, user: User | db.MemberRow, address: Address | None) -> Member:
        return cls(
            user_id,
            user.name,
            Role(user.role),
            user.village,
            user.township,
            user.reachable,
            address.channel if address else None,
            address.external_id if address else None,
        )


# channels that cannot be sent to: a web login is only there while its page is open
UNREACHABLE_CHANNELS = frozenset({"web"})


class Address(Protocol):
    """An identity as primary_identity reads it (an Identity, or a db.MemberRow)."""

    @property
    def id(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def external_id(self) -> str: ...
    @property
    def last_seen(self) -> datetime | None: ...


AddressT = TypeVar("AddressT", bound=Address)


def primary_identity(identities: Iterable[AddressT]) -> AddressT | None:
    """The identity messages go to: the one seen last (then the newest), never a web login."""
    addresses = [i for i in identities if i.channel not in UNREACHABLE_CHANNELS]
    if not addresses:
        return None
    return max(
        addresses,
        key=lambda i: (i.last_seen is not None, i.last_seen or datetime.min, i.id),
    )


def _scope(village: str | None, township: str | None) -> str | None:
    return " ".join(p for p in (township, village) if p) or None


@dataclass(frozen=True)
class UserEntry:
    member: Member
    active: bool
    identities: tuple[tuple[str, str], ...]
    created_at: datetime


@dataclass(frozen=True)
class RoleChangeView:
    at: datetime
    actor: str
    action: str
    old_role: str | None
    new_role: str | None
    old_scope: str | None
    new_scope: str | None


class AccountService:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        invite_ttl: timedelta = timedelta(days=7),
        timezone: tzinfo = DEFAULT_TIMEZONE,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._invite_ttl = invite_ttl
        self.timezone = timezone

    def member(self, user_id: int) -> Member | None:
        with self._sessions() as session:
            user = session.get(User, user_id)
            return Member.of(user) if user is not None and user.active else None

    def member_at(self, channel: str, external_id: str | int) -> Member | None:
        """The active user a channel's sender is, or None."""
        with self._sessions() as session:
            rows = db.list_member_rows_at(
                session=session, channel=channel, external_id=str(external_id)
            )
        return Member.of_rows(rows) if rows and rows[0].active else None

    def user_id_at(self, channel: str, external_id: str | int) -> int | None:
        """The user a channel's id belongs to, revoked or not (for /restore)."""
        with self._sessions() as session:
            user = db.get_user_at(session=session, channel=channel, external_id=str(external_id))
            return user.id if user is not None else None

    def add(
        self,
        external_id: str | int,
        role: Role,
        *,
        channel: str,
        name: str = "",
        village: str | None = None,
        township: str | None = None,
        by: int | str = "cli",
    ) -> Member:
        """Add a user or set one's role and scope directly (the command line, ADMIN_IDS)."""
        with self._sessions() as session, session.begin():
            before = db.get_user_at(session=session, channel=channel, external_id=str(external_id))
            old = _state(before)
            user = db.upsert_user(
                session=session,
                channel=channel,
                external_id=str(external_id),
                role=role,
                now=self._clock(),
                name=name,
                village=village,
                township=township,
            )
            session.flush()
            self._audit(session, user, "add", str(by), old)
            return Member.of(user)

    def ensure_admins(self, external_ids: Sequence[int | str], *, channel: str) -> None:
        for external_id in external_ids:
            current = self.member_at(channel, external_id)
            if current is None or current.role != Role.ADMIN:
                name = current.name if current else ""
                self.add(external_id, Role.ADMIN, channel=channel, name=name, by="ADMIN_IDS")

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
            old = _state(existing)
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
            self._audit(session, user, "register", f"invite:{code}", old)
            if old[0] == Role.ADMIN and invite.role != Role.ADMIN:
                db.withdraw_invites(session=session, created_by=user.id, now=now)
            return Member.of(user)

    def set_role(self, user_id: int, role: Role, *, by: int | str = "cli") -> Member | None:
        with self._sessions() as session, session.begin():
            user = session.get(User, user_id)
            if user is None:
                return None
            old = _state(user)
            user.role = role
            self._audit(session, user, "set_role", str(by), old)
            if old[0] == Role.ADMIN and role != Role.ADMIN:
                db.withdraw_invites(session=session, created_by=user.id, now=self._clock())
            return Member.of(user)

    def set_access(
        self,
        user_id: int,
        role: Role,
        *,
        village: str | None,
        township: str | None,
        by: int | str,
    ) -> Member | None:
        """Role and scope together (the web console's user page); audited like the rest."""
        if role == Role.SECRETARY and not village:
            raise ValueError("a secretary needs a village")
        with self._sessions() as session, session.begin():
            user = session.get(User, user_id)
            if user is None:
                return None
            old = _state(user)
            user.role, user.village, user.township = role, village or None, township or None
            self._audit(session, user, "set_access", str(by), old)
            if old[0] == Role.ADMIN and role != Role.ADMIN:
                db.withdraw_invites(session=session, created_by=user.id, now=self._clock())
            return Member.of(user)

    def directory(self) -> list[UserEntry]:
        """Everyone, revoked users included, with every channel identity (the users page)."""
        with self._sessions() as session:
            return [
                UserEntry(
                    Member.of(u),
                    u.active,
                    tuple((i.channel, i.external_id) for i in u.identities),
                    u.created_at,
                )
                for u in db.list_users(session=session, active_only=False)
            ]

    def revoke(self, user_id: int, *, by: int | str = "cli") -> bool:
        with self._sessions() as session, session.begin():
            user = session.get(User, user_id)
            if user is None or not user.active:
                return False
            old = _state(user)
            user.active = False
            self._audit(session, user, "revoke", str(by), old)
            db.withdraw_invites(session=session, created_by=user.id, now=self._clock())
            return True

    def restore(self, user_id: int, *, by: int | str = "cli") -> Member | None:
        """An admin gives a revoked user their access back, with the role they had."""
        with self._sessions() as session, session.begin():
            user = session.get(User, user_id)
            if user is None or user.active:
                return None
            old = _state(user)
            user.active = True
            self._audit(session, user, "restore", str(by), old)
            return Member.of(user)

    def role_history(self, user_id: int) -> list[RoleChangeView]:
        with self._sessions() as session:
            return [
                RoleChangeView(
                    c.at, c.actor, c.action, c.old_role, c.new_role, c.old_scope, c.new_scope
                )
                for c in db.list_role_changes(session=session, user_id=user_id)
            ]

    def _audit(
        self,
        session: Session,
        user: User,
        action: str,
        actor: str,
        old: tuple[str | None, str | None],
    ) -> None:
        new_role = user.role if user.active else None
        db.add_role_change(
            session=session,
            change=RoleChange(
                user_id=user.id,
                at=self._clock(),
                actor=actor,
                action=action,
                old_role=old[0],
                new_role=new_role,
                old_scope=old[1],
                new_scope=_scope(user.village, user.township) if user.active else None,
            ),
        )

    def members(self, *, role: Role | None = None, township: str | None = None) -> list[Member]:
        with self._sessions() as session:
            rows = db.list_users(session=session, role=role, township=township)
            return [Member.of(u) for u in rows]

    def branches(self, *, township: str | None = None) -> list[tuple[str | None, str]]:
        """The registered branches (乡镇, 村), each once, in a fixed order: what a summary lists
        whether or not it reported."""
        secretaries = self.members(role=Role.SECRETARY, township=township)
        found = {(m.township, m.village) for m in secretaries if m.village}
        return sorted(found, key=branch_key)

    def names(self) -> dict[int, str]:
        """Internal id -> name, for the 上报人 column."""
        return {m.id: m.name for m in self.members() if m.name}

    def set_reachable(self, user_id: int, reachable: bool) -> None:
        with self._sessions() as session, session.begin():
            user = session.get(User, user_id)
            if user is not None:
                user.reachable = reachable

    def record_feedback(
        self, user_id: int | None, question: str, sources: list[str], *, helpful: bool
    ) -> None:
        feedback = Feedback(
            user_id=user_id,
            question=question,
            sources=json.dumps(sources, ensure_ascii=False),
            helpful=helpful,
            created_at=self._clock(),
        )
        with self._sessions() as session, session.begin():
            db.create_feedback(session=session, feedback=feedback)

    def claim_update(self, update_id: int | str, *, channel: str) -> bool:
        """True the first time a channel's update id is seen; False for a redelivery."""
        return self.claim_updates([update_id], channel=channel)[0]

    def claim_updates(self, update_ids: Sequence[int | str], *, channel: str) -> list[bool]:
        """claim_update for many ids in one statement (a burst of updates, batched)."""
        with self._sessions() as session, session.begin():
            return db.claim_updates(
                session=session,
                channel=channel,
                update_ids=[str(u) for u in update_ids],
                now=self._clock(),
            )


def _state(user: User | None) -> tuple[str | None, str | None]:
    """(role, scope) of a user as the audit trail records it; None for no access."""
    if user is None or not user.active:
        return None, None
    return user.role, _scope(user.village, user.township)
