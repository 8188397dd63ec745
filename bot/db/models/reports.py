"""The ledger (台账): report drafts, confirmed reports, their photos and revisions,
photos waiting for their sentence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.models.base import Base
from bot.db.types import AwareDateTime


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
