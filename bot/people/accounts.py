"""Who may use the bot, and as what: roles, scopes, revocation; registration by invite code is
`AccountService.invites` (bot.people.invites)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.db import users as db
from bot.db.models import Feedback, User
from bot.ordering import branch_key
from bot.people.invites import InviteService
from bot.people.members import (
    ROLE_NAMES,
    Member,
    Role,
    access_of,
    place,
    record_role_change,
)

# Member, Role, ROLE_NAMES and place were defined here first; callers import them from here.
__all__ = [
    "DEFAULT_TIMEZONE",
    "ROLE_NAMES",
    "AccountService",
    "Member",
    "Role",
    "RoleChangeView",
    "UserEntry",
    "place",
]

DEFAULT_TIMEZONE = ZoneInfo("Asia/Shanghai")


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
        self.timezone = timezone
        # making, checking and using invite codes
        self.invites = InviteService(
            session_factory=session_factory, clock=clock, invite_ttl=invite_ttl
        )

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
            old = access_of(before)
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

    def set_role(self, user_id: int, role: Role, *, by: int | str = "cli") -> Member | None:
        with self._sessions() as session, session.begin():
            user = session.get(User, user_id)
            if user is None:
                return None
            old = access_of(user)
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
            old = access_of(user)
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
            old = access_of(user)
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
            old = access_of(user)
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
        record_role_change(session, user, action, actor, old, at=self._clock())

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
