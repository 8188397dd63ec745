"""Queries on report drafts, reports and their photos: the ledger's SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, delete, or_, select, update
from sqlalchemy.orm import Session, selectinload

from bot.db.models import Report, ReportDraft, ReportPhoto, ReportRevision, WaitingPhoto

AnySelect = TypeVar("AnySelect", bound=Select)


@dataclass(frozen=True)
class LedgerFilter:
    """What a ledger query narrows to, beyond the viewer's scope."""

    month: str | None = None  # YYYY-MM
    village: str | None = None
    township: str | None = None
    type: str | None = None
    start: date | None = None
    end: date | None = None
    ids: Sequence[int] | None = None


def _ledger_where(
    stmt: AnySelect, visible: ColumnElement[bool], filters: LedgerFilter
) -> AnySelect:
    stmt = stmt.where(Report.deleted.is_(False), visible)
    if filters.month:
        first = date.fromisoformat(f"{filters.month}-01")
        following = (first + timedelta(days=32)).replace(day=1)
        stmt = stmt.where(Report.activity_date >= first, Report.activity_date < following)
    if filters.start:
        stmt = stmt.where(Report.activity_date >= filters.start)
    if filters.end:
        stmt = stmt.where(Report.activity_date <= filters.end)
    if filters.village:
        stmt = stmt.where(Report.village == filters.village)
    if filters.township:
        stmt = stmt.where(Report.township == filters.township)
    if filters.type:
        stmt = stmt.where(Report.type == filters.type)
    if filters.ids is not None:
        stmt = stmt.where(Report.id.in_(list(filters.ids)))
    return stmt


def list_reports(
    *, session: Session, visible: ColumnElement[bool], filters: LedgerFilter
) -> Sequence[Report]:
    """Live reports the `visible` condition (bot.people.scope) admits, narrowed by `filters`,
    by date."""
    stmt = _ledger_where(select(Report), visible, filters)
    return session.scalars(
        stmt.order_by(Report.activity_date, Report.id).options(selectinload(Report.photos))
    ).all()


def list_report_keys(
    *, session: Session, visible: ColumnElement[bool], filters: LedgerFilter
) -> Sequence[tuple[int, str | None, str, date]]:
    """(id, 乡镇, 村, date) of the same reports as list_reports: enough to count and order a
    ledger page without loading 10,000 reports to show 50."""
    stmt = _ledger_where(
        select(Report.id, Report.township, Report.village, Report.activity_date), visible, filters
    )
    return [(i, t, v, d) for i, t, v, d in session.execute(stmt)]


def list_reported_branches(
    *, session: Session, visible: ColumnElement[bool], filters: LedgerFilter
) -> set[tuple[str | None, str]]:
    """The distinct (乡镇, 村) with at least one such report."""
    stmt = _ledger_where(select(Report.township, Report.village).distinct(), visible, filters)
    return {(t, v) for t, v in session.execute(stmt)}


def list_recent_reports(*, session: Session, reporter_id: int, limit: int) -> Sequence[Report]:
    return session.scalars(
        select(Report)
        .where(Report.reporter_id == reporter_id, Report.deleted.is_(False))
        .order_by(Report.activity_date.desc(), Report.id.desc())
        .limit(limit)
        .options(selectinload(Report.photos))
    ).all()


def get_report_by_draft(*, session: Session, draft_id: int) -> Report | None:
    return session.scalars(select(Report).where(Report.draft_id == draft_id)).first()


def list_unindexed_reports(*, session: Session, limit: int) -> Sequence[Report]:
    return session.scalars(
        select(Report)
        .where(Report.indexed.is_(False), Report.deleted.is_(False))
        .order_by(Report.id)
        .limit(limit)
        .options(selectinload(Report.photos))
    ).all()


def mark_indexed(*, session: Session, report_id: int, seen: datetime) -> None:
    """Indexed, unless it was corrected since it was read (then it stays pending)."""
    session.execute(
        update(Report).where(Report.id == report_id, Report.updated_at == seen).values(indexed=True)
    )


def mark_all_indexed(*, session: Session) -> None:
    session.execute(update(Report).where(Report.deleted.is_(False)).values(indexed=True))


def list_open_drafts(*, session: Session, user_id: int) -> Sequence[ReportDraft]:
    return session.scalars(
        select(ReportDraft)
        .where(ReportDraft.user_id == user_id, ReportDraft.status == "open")
        .order_by(ReportDraft.id.desc())
    ).all()


def get_album_draft(*, session: Session, user_id: int, media_group_id: str) -> ReportDraft | None:
    return session.scalars(
        select(ReportDraft).where(
            ReportDraft.user_id == user_id,
            ReportDraft.media_group_id == media_group_id,
            ReportDraft.status == "open",
        )
    ).first()


def add_waiting_photo(*, session: Session, photo: WaitingPhoto) -> None:
    session.add(photo)


def take_waiting_photos(
    *, session: Session, user_id: int, since: datetime
) -> Sequence[WaitingPhoto]:
    """The user's photos waiting for their sentence (sent after `since`), removed as taken."""
    rows = session.scalars(
        select(WaitingPhoto)
        .where(WaitingPhoto.user_id == user_id, WaitingPhoto.created_at >= since)
        .order_by(WaitingPhoto.id)
    ).all()
    session.execute(delete(WaitingPhoto).where(WaitingPhoto.user_id == user_id))
    return rows


def mark_album_asked(*, session: Session, user_id: int, album: str) -> int:
    """Marks the album's waiting photos as asked about; how many had not been."""
    result = session.execute(
        update(WaitingPhoto)
        .where(
            WaitingPhoto.user_id == user_id,
            WaitingPhoto.album == album,
            WaitingPhoto.asked.is_(False),
        )
        .values(asked=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def delete_waiting_photos(*, session: Session, before: datetime) -> int:
    """Forgets photos that have waited since before `before` for their sentence."""
    result = session.execute(delete(WaitingPhoto).where(WaitingPhoto.created_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def find_duplicate_report(
    *,
    session: Session,
    township: str | None,
    village: str,
    activity_date: date | None,
    type: str | None,
    summary: str,
    photo_refs: Sequence[str],
) -> int | None:
    """The first live report of the same branch with the same date and kind, or the same
    text, or one of the same photos; None if there is none."""
    same = [Report.summary == summary] if summary else []
    if activity_date is not None and type:
        same.append((Report.activity_date == activity_date) & (Report.type == type))
    if photo_refs:
        same.append(
            Report.id.in_(select(ReportPhoto.report_id).where(ReportPhoto.ref.in_(photo_refs)))
        )
    if not same:
        return None
    branch = Report.township.is_(None) if township is None else Report.township == township
    return session.scalars(
        select(Report.id)
        .where(Report.deleted.is_(False), Report.village == village, branch, or_(*same))
        .order_by(Report.id)
        .limit(1)
    ).first()


def get_draft_by_submission(
    *, session: Session, user_id: int, submission: str
) -> ReportDraft | None:
    return session.scalars(
        select(ReportDraft).where(
            ReportDraft.user_id == user_id, ReportDraft.submission == submission
        )
    ).first()


def add_revision(*, session: Session, revision: ReportRevision) -> None:
    session.add(revision)


def list_revisions(*, session: Session, report_id: int) -> Sequence[ReportRevision]:
    return session.scalars(
        select(ReportRevision)
        .where(ReportRevision.report_id == report_id)
        .order_by(ReportRevision.changed_at, ReportRevision.id)
    ).all()
