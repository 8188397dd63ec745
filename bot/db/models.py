"""Typed SQLAlchemy models. Schema changes go through an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.db.types import AwareDateTime


class Base(DeclarativeBase):
    pass


class KnowledgeDocument(Base):
    """One indexed file: its current version only (the file's content hash)."""

    __tablename__ = "knowledge_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(1024), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(512))
    title_key: Mapped[str] = mapped_column(String(512), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    issued: Mapped[date | None]
    chunk_count: Mapped[int]
    article_count: Mapped[int]
    ingested_at: Mapped[datetime] = mapped_column(AwareDateTime())

    chunks: Mapped[list[KnowledgeChunk]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class KnowledgeChunk(Base):
    """A retrievable passage; its vector lives in Chroma under the same id."""

    __tablename__ = "knowledge_chunks"
    __table_args__ = (Index("ix_knowledge_chunks_doc_article", "document_id", "article_no"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_documents.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(String(64))
    article_no: Mapped[int | None]
    part: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[KnowledgeDocument] = relationship(back_populates="chunks")


class IndexState(Base):
    """Facts about the index as a whole: which embedder built it, its version counter."""

    __tablename__ = "index_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


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


class AppSecret(Base):
    """Secrets the application makes for itself (a webhook's token), shared by its processes."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class Lease(Base):
    """A job only one process may do at a time (sending through one bot token at its pace):
    held by `holder` until `expires_at`, renewed while it works."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())


class Feedback(Base):
    """👍 / 👎 on an answer, with the question and the sources it showed."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: someone who never registered (public Q&A)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    question: Mapped[str] = mapped_column(Text)
    sources: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ProcessedUpdate(Base):
    """A channel's message ids already handled, so a redelivered one is handled once."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class Broadcast(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(Integer)  # users.id
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(128))
    # draft -> sending -> done, or cancelled
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class BroadcastDelivery(Base):
    """One row per recipient, written before anything is sent: the resume point after a crash.
    The channel and address are the recipient's when the broadcast was confirmed."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "broadcast_id", "user_id", name="uq_broadcast_deliveries_broadcast_id_user_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    # pending -> claimed (by one worker) -> sent | unreachable | failed | pending (retry)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class ReportDraft(Base):
    """A parsed report waiting for the secretary's 确认; survives restarts, expires if left."""

    __tablename__ = "report_drafts"
    __table_args__ = (
        UniqueConstraint("user_id", "submission", name="uq_report_drafts_user_id_submission"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    text: Mapped[str] = mapped_column(Text)
    fields: Mapped[str] = mapped_column(Text)  # JSON of the parsed fields, as edited
    photos: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of photo dicts
    media_group_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # open -> confirmed | cancelled | expired
    status: Mapped[str] = mapped_column(String(16))
    editing: Mapped[str | None] = mapped_column(String(32))
    report_id: Mapped[int | None] = mapped_column(Integer)
    # the idempotency token of the form or request that sent it: a retried post finds this
    # draft instead of making a second (one per user and token)
    submission: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())


class Report(Base):
    """One confirmed branch activity in the ledger (台账)."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The draft it was confirmed from: unique, so a retried 确认 can never store it twice.
    draft_id: Mapped[int] = mapped_column(Integer, unique=True)
    reporter_id: Mapped[int] = mapped_column(Integer, index=True)  # users.id
    village: Mapped[str] = mapped_column(String(64), index=True)
    township: Mapped[str | None] = mapped_column(String(64), index=True)
    activity_date: Mapped[date] = mapped_column(Date, index=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    tags: Mapped[str] = mapped_column(Text, default="[]")
    theme: Mapped[str | None] = mapped_column(String(256))
    expected: Mapped[int | None]
    attended: Mapped[int | None]
    place: Mapped[str | None] = mapped_column(String(128))  # 活动地点
    host: Mapped[str | None] = mapped_column(String(64))  # 主持人
    recorder: Mapped[str | None] = mapped_column(String(64))  # 记录人
    absent: Mapped[int | None]  # 缺席人数
    absent_reasons: Mapped[str | None] = mapped_column(String(128))  # 缺席原因, in brief
    topics: Mapped[str | None] = mapped_column(String(128))  # 议题, in brief
    decisions: Mapped[str | None] = mapped_column(String(128))  # 决议, in brief
    summary: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(default=False)
    # False until the report is in the reports' vector collection (indexed after the reply)
    indexed: Mapped[bool] = mapped_column(default=False, server_default=true(), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())

    photos: Mapped[list[ReportPhoto]] = relationship(
        back_populates="report", cascade="all, delete-orphan", passive_deletes=True
    )


class ReportPhoto(Base):
    __tablename__ = "report_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # the channel's reference ("telegram:<file_unique_id>"), opaque to everything but its adapter
    ref: Mapped[str] = mapped_column(String(256))
    # the copy in the media folder; None when the channel could not hand it over
    path: Mapped[str | None] = mapped_column(String(1024))

    report: Mapped[Report] = relationship(back_populates="photos")


class ReportRevision(Base):
    """One confirmed change of a stored report's field: who changed it, when, from and to
    what (values as text, as shown). The record's history on the web ledger."""

    __tablename__ = "report_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(Integer)  # users.id of who confirmed the change
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # how it was asked for: a 更正 message, a field button, a deletion
    source: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(AwareDateTime())


class WaitingPhoto(Base):
    """A photo sent before the sentence that describes it (or a part of an album whose caption
    has not arrived): taken by the user's next report."""

    __tablename__ = "waiting_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    ref: Mapped[str] = mapped_column(String(256))
    path: Mapped[str | None] = mapped_column(String(1024))
    album: Mapped[str | None] = mapped_column(String(64))
    # the user has been asked for the sentence (once per album)
    asked: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class RememberedAnswer(Base):
    """An answer given in a chat: its question and the passages it quoted (JSON list of
    {chunk_id, citation}), for 查看原文 and 👍/👎 after any restart."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "telegram:<chat id>": a button is honoured only in the chat the answer was given in
    chat: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    sources: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class UnansweredQuestion(Base):
    """A question the knowledge base could not answer well: refused, answered only with related
    passages, or marked 没用. Who asked is not kept, only their role and channel."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    # not_found | missing_document | missing_article | low | unhelpful
    reason: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))  # a Role value, or "guest"
    channel: Mapped[str] = mapped_column(String(16))
    # the document a refusal named, or the nearest one found
    topic: Mapped[str] = mapped_column(String(512))
    # JSON list of the nearest documents' titles, best first
    nearest: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class ConversationState(Base):
    """What a user's next message answers, when it is not a report card's field: today, the
    field of a confirmed report being corrected ("correct", {"report_id", "field"})."""

    __tablename__ = "conversation_state"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pending: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())


class CalendarRule(Base):
    """How a scope fixes its monthly Party day; '' township/village means any (the county)."""

    __tablename__ = "calendar_rules"
    __table_args__ = (UniqueConstraint("township", "village"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township: Mapped[str] = mapped_column(String(64), default="")
    village: Mapped[str] = mapped_column(String(64), default="")
    rule: Mapped[str] = mapped_column(String(64))
    shift: Mapped[str] = mapped_column(String(8))


class CalendarOverride(Base):
    """An admin's fixed Party day for one month in one scope, beating the rule."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (UniqueConstraint("township", "village", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township: Mapped[str] = mapped_column(String(64), default="")
    village: Mapped[str] = mapped_column(String(64), default="")
    month: Mapped[str] = mapped_column(String(7))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class CalendarDay(Base):
    """A local holiday or working day that the public-holiday package does not know."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")


class MonthlyTheme(Base):
    __tablename__ = "monthly_themes"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    theme: Mapped[str] = mapped_column(String(256))
    tasks: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of 规定动作
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ReminderSlot(Base):
    """One (month, kind, due time) whose messages have been written to the outbox."""

    __tablename__ = "reminder_slots"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    messages: Mapped[int]
    planned_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ReminderMessage(Base):
    """The outbox: one row per (month, reminder, recipient), written before anything is sent."""

    __tablename__ = "reminder_outbox"
    __table_args__ = (Index("ix_reminder_outbox_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # month/kind/recipient: the unique key that makes a second copy impossible
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7), index=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    # where it goes, as the recipient's address was when it was planned
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    village: Mapped[str | None] = mapped_column(String(64))
    township: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # pending -> sending -> sent | unreachable | failed | uncertain; or muted | done | skipped
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class ReminderMute(Base):
    __tablename__ = "reminder_mutes"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)


class OrgLifeReminderPlan(Base):
    """A branch reminded of its 三会一课 items due by a period's end, under one set of rules: the
    unique key that lets any number of processes plan the period once."""

    __tablename__ = "orglife_reminder_plans"
    __table_args__ = (
        UniqueConstraint(
            "township", "village", "period", "rule_set", name="uq_orglife_reminder_plans_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township: Mapped[str] = mapped_column(String(64))  # '' when none
    village: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))  # the month the periods end with, 2026-12
    rule_set: Mapped[str] = mapped_column(String(16))  # a digest of the rules in force
    due: Mapped[str] = mapped_column(Text)  # the kinds still due, "、"-joined
    planned_at: Mapped[datetime] = mapped_column(AwareDateTime())


class OrgLifeSummaryOptIn(Base):
    """A staff member who asked for the monthly 三会一课 summary of their scope."""

    __tablename__ = "orglife_summary_optins"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    since: Mapped[datetime] = mapped_column(AwareDateTime())
