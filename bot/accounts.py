"""Who may use the bot, and as what: registration by invite code, roles, revocation."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.db import users as db
from bot.db.models import Feedback, Invite, User

# No 0/O/1/I/L: codes are read aloud and typed on phones.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
DEFAULT_TIMEZONE = ZoneInfo("Asia/Shanghai")


class Role(StrEnum):
    SECRETARY = "secretary"
    STAFF = "staff"
    ADMIN = "admin"


ROLE_NAMES = {Role.SECRETARY: "村党组织书记", Role.STAFF: "组织部门工作人员", Role.ADMIN: "管理员"}


class RegistrationError(Exception):
    """reason: unknown | used | expired"""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Member:
    telegram_id: int
    name: str
    role: Role
    village: str | None
    township: str | None
    reachable: bool

    @classmethod
    def of(cls, user: User) -> Member:
        return cls(
            user.telegram_id,
            user.name,
            Role(user.role),
            user.village,
            user.township,
            user.reachable,
        )


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

    def member(self, telegram_id: int) -> Member | None:
        with self._sessions() as session:
            user = db.get_user(session=session, telegram_id=telegram_id)
            return Member.of(user) if user is not None and user.active else None

    def add(
        self,
        telegram_id: int,
        role: Role,
        *,
        name: str = "",
        village: str | None = None,
        township: str | None = None,
    ) -> Member:
        with self._sessions() as session, session.begin():
            user = db.upsert_user(
                session=session,
                telegram_id=telegram_id,
                role=role,
                now=self._clock(),
                name=name,
                village=village,
                township=township,
            )
            return Member.of(user)

    def ensure_admins(self, telegram_ids: Sequence[int]) -> None:
        for telegram_id in telegram_ids:
            current = self.member(telegram_id)
            if current is None or current.role != Role.ADMIN:
                self.add(telegram_id, Role.ADMIN, name=current.name if current else "")

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
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
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

    def register(self, telegram_id: int, code: str, *, name: str = "") -> Member:
        code = code.strip().upper()
        now = self._clock()
        with self._sessions() as session, session.begin():
            invite = db.get_invite(session=session, code=code)
            if invite is None:
                raise RegistrationError("unknown")
            if invite.used_by is not None and invite.used_by != telegram_id:
                raise RegistrationError("used")
            if invite.expires_at <= now:
                raise RegistrationError("expired")
            invite.used_by, invite.used_at = telegram_id, now
            user = db.upsert_user(
                session=session,
                telegram_id=telegram_id,
                role=invite.role,
                now=now,
                name=name,
                village=invite.village,
                township=invite.township,
            )
            return Member.of(user)

    def set_role(self, telegram_id: int, role: Role) -> Member | None:
        with self._sessions() as session, session.begin():
            user = db.get_user(session=session, telegram_id=telegram_id)
            if user is None:
                return None
            user.role = role
            return Member.of(user)

    def revoke(self, telegram_id: int) -> bool:
        with self._sessions() as session, session.begin():
            user = db.get_user(session=session, telegram_id=telegram_id)
            if user is None or not user.active:
                return False
            user.active = False
            return True

    def members(self, *, role: Role | None = None, township: str | None = None) -> list[Member]:
        with self._sessions() as session:
            rows = db.list_users(session=session, role=role, township=township)
            return [Member.of(u) for u in rows]

    def set_reachable(self, telegram_id: int, reachable: bool) -> None:
        with self._sessions() as session, session.begin():
            db.set_reachable(session=session, telegram_id=telegram_id, reachable=reachable)

    def record_feedback(
        self, telegram_id: int, question: str, sources: list[str], *, helpful: bool
    ) -> None:
        feedback = Feedback(
            telegram_id=telegram_id,
            question=question,
            sources=json.dumps(sources, ensure_ascii=False),
            helpful=helpful,
            created_at=self._clock(),
        )
        with self._sessions() as session, session.begin():
            db.create_feedback(session=session, feedback=feedback)

    def claim_update(self, update_id: int) -> bool:
        """True the first time an update id is seen; False for a redelivery."""
        with self._sessions() as session, session.begin():
            return db.claim_update(session=session, update_id=update_id, now=self._clock())
