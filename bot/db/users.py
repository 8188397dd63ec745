"""Queries on users, invites, feedback and processed updates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.inserts import insert_new_rows
from bot.db.models import (
    AppSecret,
    Feedback,
    Identity,
    Invite,
    InviteAttempt,
    ProcessedUpdate,
    RoleChange,
    User,
)


def get_user_at(*, session: Session, channel: str, external_id: str) -> User | None:
    return session.scalars(
        select(User)
        .join(Identity, Identity.user_id == User.id)
        .where(Identity.channel == channel, Identity.external_id == external_id)
    ).first()


class MemberRow(NamedTuple):
    """A user's columns with one identity's: what a turn needs to know who is speaking."""

    user_id: int
    name: str
    role: str
    village: str | None
    township: str | None
    active: bool
    reachable: bool
    id: int  # the identity's
    channel: str
    external_id: str
    last_seen: datetime | None


_USERS, _IDENTITIES = User.__table__.c, Identity.__table__.c


def _member_rows_query() -> Select[Any]:
    owner = (
        select(_IDENTITIES.user_id)
        .where(
            _IDENTITIES.channel == bindparam("channel"),
            _IDENTITIES.external_id == bindparam("external_id"),
        )
        .scalar_subquery()
    )
    return (
        select(
            _USERS.id,
            _USERS.name,
            _USERS.role,
            _USERS.village,
            _USERS.township,
            _USERS.active,
            _USERS.reachable,
            _IDENTITIES.id,
            _IDENTITIES.channel,
            _IDENTITIES.external_id,
            _IDENTITIES.last_seen,
        )
        .join_from(User.__table__, Identity.__table__, _IDENTITIES.user_id == _USERS.id)
        .where(_USERS.id == owner)
    )


_MEMBER_ROWS = _member_rows_query()


def list_member_rows_at(*, session: Session, channel: str, external_id: str) -> list[MemberRow]:
    """The user behind (channel, external_id), one row per identity of theirs (none when
    unknown). Every turn of every channel starts here, so it is one plain query built once
    (a third of the cost of loading User with its identities, half of building it each time)."""
    rows = session.execute(_MEMBER_ROWS, {"channel": channel, "external_id": external_id})
    return [MemberRow(*row) for row in rows]


def upsert_user(
    *,
    session: Session,
    channel: str,
    external_id: str,
    role: str,
    now: datetime,
    name: str = "",
    village: str | None = None,
    township: str | None = None,
) -> User:
    """The user behind (channel, external_id), created with that identity if new; given this
    role and scope, active and reachable."""
    user = get_user_at(session=session, channel=channel, external_id=external_id)
    if user is None:
        user = User(created_at=now, role=role, name=name)
        user.identities.append(Identity(channel=channel, external_id=external_id, last_seen=now))
        session.add(user)
    user.role, user.village, user.township = role, village, township
    user.name = name or user.name
    user.active = True
    user.reachable = True
    return user


def list_users(
    *,
    session: Session,
    role: str | None = None,
    township: str | None = None,
    active_only: bool = True,
) -> Sequence[User]:
    stmt = select(User).order_by(User.township, User.village, User.id)
    if role:
        stmt = stmt.where(User.role == role)
    if township:
        stmt = stmt.where(User.township == township)
    if active_only:
        stmt = stmt.where(User.active.is_(True))
    return session.scalars(stmt).all()


def create_invite(*, session: Session, invite: Invite) -> Invite:
    session.add(invite)
    return invite


def get_invite(*, session: Session, code: str) -> Invite | None:
    return session.get(Invite, code, with_for_update=True)


def create_feedback(*, session: Session, feedback: Feedback) -> None:
    session.add(feedback)


def claim_updates(
    *, session: Session, channel: str, update_ids: Sequence[str], now: datetime
) -> list[bool]:
    """Record a channel's update ids, one statement for all; per id, False when it was recorded
    before (a redelivery) or earlier in the same list."""
    # ON CONFLICT, not a savepoint around an ORM add: every update on every channel begins
    # here, and the savepoint and flush cost three times the work of the plain statement
    distinct = list(dict.fromkeys(update_ids))
    rows = [{"channel": channel, "update_id": u, "processed_at": now} for u in distinct]
    new = set(
        insert_new_rows(session=session, model=ProcessedUpdate, rows=rows, returning="update_id")
    )
    claimed = []
    for update_id in update_ids:
        claimed.append(update_id in new)
        new.discard(update_id)  # the same id twice in one batch is handled once
    return claimed


def list_branches(*, session: Session) -> set[tuple[str, str]]:
    """(township, village) of every branch with an active secretary; '' for no township."""
    rows = session.execute(
        select(User.township, User.village)
        .where(User.role == "secretary", User.active.is_(True), User.village.is_not(None))
        .distinct()
    ).all()
    return {(township or "", village) for township, village in rows if village}


def list_staff_townships(*, session: Session) -> set[str]:
    """The townships of active staff and admins; '' for the county-wide ones."""
    rows = session.scalars(
        select(User.township)
        .where(User.role.in_(("staff", "admin")), User.active.is_(True))
        .distinct()
    ).all()
    return {township or "" for township in rows}


def withdraw_invites(*, session: Session, created_by: int, now: datetime) -> int:
    """Withdraw the unused invites one person made (they lost the role that made them)."""
    result = session.execute(
        update(Invite)
        .where(
            Invite.created_by == created_by,
            Invite.used_by.is_(None),
            Invite.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def add_role_change(*, session: Session, change: RoleChange) -> None:
    session.add(change)


def list_role_changes(*, session: Session, user_id: int) -> Sequence[RoleChange]:
    return session.scalars(
        select(RoleChange).where(RoleChange.user_id == user_id).order_by(RoleChange.id)
    ).all()


def add_invite_attempt(*, session: Session, chat: str, now: datetime) -> None:
    session.add(InviteAttempt(chat=chat, at=now))


def count_invite_attempts(*, session: Session, since: datetime, chat: str | None = None) -> int:
    stmt = select(func.count()).select_from(InviteAttempt).where(InviteAttempt.at >= since)
    if chat is not None:
        stmt = stmt.where(InviteAttempt.chat == chat)
    return session.scalar(stmt) or 0


def get_secret(*, session: Session, name: str) -> str | None:
    row = session.get(AppSecret, name)
    return row.value if row else None


def create_secret(*, session: Session, name: str, value: str, now: datetime) -> bool:
    """Store a secret unless one of that name exists; False when another process was first."""
    try:
        with session.begin_nested():
            session.add(AppSecret(name=name, value=value, created_at=now))
    except IntegrityError:
        return False
    return True
