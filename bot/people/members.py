"""A user as the services see them: their role, where they work, the address the channels reach
them at; and the audit trail of who gave them which role and scope."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from bot.db import users as db
from bot.db.models import RoleChange, User


class Role(StrEnum):
    SECRETARY = "secretary"
    STAFF = "staff"
    ADMIN = "admin"


ROLE_NAMES = {Role.SECRETARY: "村党组织书记", Role.STAFF: "组织部门工作人员", Role.ADMIN: "管理员"}


def place(village: str | None, township: str | None) -> str:
    """ "，城关镇 张家村" as replies name where someone works ("" for the county)."""
    parts = [p for p in (township, village) if p]
    return "，" + " ".join(parts) if parts else ""


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


def access_of(user: User | None) -> tuple[str | None, str | None]:
    """(role, scope) of a user as the audit trail records it; None for no access."""
    if user is None or not user.active:
        return None, None
    return user.role, _scope(user.village, user.township)


def record_role_change(
    session: Session,
    user: User,
    action: str,
    actor: str,
    old: tuple[str | None, str | None],
    *,
    at: datetime,
) -> None:
    """Audit a change of the user's access from `old` (access_of before it) to what it is now."""
    new_role = user.role if user.active else None
    db.add_role_change(
        session=session,
        change=RoleChange(
            user_id=user.id,
            at=at,
            actor=actor,
            action=action,
            old_role=old[0],
            new_role=new_role,
            old_scope=old[1],
            new_scope=_scope(user.village, user.township) if user.active else None,
        ),
    )
