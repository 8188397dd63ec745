"""Users and how they are reached: channel identities, invites and the guessing limits,
link codes, role changes, web passwords, logins and sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.models.base import Base
from bot.db.types import AwareDateTime


class User(Base):
    """Someone who may use the assistant: a village secretary, county/township staff, an admin.

    Reached through one or more channel identities (Telegram, the terminal, the web, WeCom).
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))
    village: Mapped[str | None] = mapped_column(String(64))
    township: Mapped[str | None] = mapped_column(String(64), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # False once the channel said the user blocked the bot or never started it.
    reachable: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())

    identities: Mapped[list[Identity]] = relationship(
        back_populates="user", lazy="selectin", order_by="Identity.id"
    )


class Identity(Base):
    """A user as one channel knows them: (telegram, "12345"), (web, "wang"), (wecom, "ZhangSan")."""

    __tablename__ = "identities"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_identities_channel_external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    last_seen: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # a web identity's password (argon2), and when it was set; sessions made before it end
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_set_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    user: Mapped[User] = relationship(back_populates="identities")


class Invite(Base):
    """A one-time code that binds its user's role, village and township."""

    __tablename__ = "invites"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    village: Mapped[str | None] = mapped_column(String(64))
    township: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(Integer)  # users.id
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    used_by: Mapped[int | None] = mapped_column(Integer)  # users.id
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    # Set when the admin who made it lost the role: nobody may use it afterwards.
    withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class LinkCode(Base):
    """A one-time code a member asks for on one channel and sends from another, so that second
    identity becomes theirs too (valid minutes, not days: it is a key to their account)."""

    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class RoleChange(Base):
    """The audit trail of who gave whom which role and scope, and when."""

    __tablename__ = "role_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    # "user:ID" of the admin, "cli", "ADMIN_IDS", "invite:CODE" or "link:CODE"
    actor: Mapped[str] = mapped_column(String(64))
    # add | register | set_role | set_access | revoke | restore | link:CHANNEL
    action: Mapped[str] = mapped_column(String(16))
    old_role: Mapped[str | None] = mapped_column(String(16))
    new_role: Mapped[str | None] = mapped_column(String(16))
    old_scope: Mapped[str | None] = mapped_column(String(160))
    new_scope: Mapped[str | None] = mapped_column(String(160))


class InviteAttempt(Base):
    """A wrong invite code, kept (for an hour or so) to limit guessing per chat and overall."""

    __tablename__ = "invite_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class LoginAttempt(Base):
    """A failed web login, kept a while to slow password guessing per name and per address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(128))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class PasswordLink(Base):
    """A one-time link the bot sends so a user can set a web password; only its hash is kept."""

    __tablename__ = "password_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class WebSession(Base):
    """A logged-in browser, known by the hash of its cookie's token: 退出, a new password or a
    revocation ends it here, so a copied cookie stops working at once."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
