"""What keeps the ledger honest after a report is stored: the duplicate a new draft may be, a
correction message turned into a proposed change (old → new) that its author confirms, and
every confirmed change kept with who and when (a record's history)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db import conversation as conversation_db
from bot.db import reports as db
from bot.db import users as users_db
from bot.db.models import Report, ReportDraft, ReportRevision, User
from bot.people.accounts import Member
from bot.reports.corrections import candidate_records, changes_to, read_correction
from bot.reports.fields import DraftFields
from bot.reports.parsing import TYPE_NAMES
from bot.reports.rows import ReportRow
from bot.reports.validation import check_date

PENDING = "amend"  # conversation_state.pending while a correction card waits for its answer
PICKING = "amend_pick"  # … while the sender picks which record a correction means
CHOICES = 4
RECENT = 20  # how many of the sender's latest records a correction may mean


@dataclass(frozen=True)
class Proposal:
    """What a correction message found: the record and its changes (field → (old, new)), or
    why not (`problem`: a message key)."""

    record: ReportRow | None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    problem: str | None = None
    choices: list[ReportRow] = field(default_factory=list)  # when it could mean several


@dataclass(frozen=True)
class Revision:
    field: str
    old: str | None
    new: str | None
    user_id: int
    source: str
    changed_at: datetime


def record_revision(
    session: Session,
    *,
    report_id: int,
    user_id: int,
    field_name: str,
    old: Any,
    new: Any,
    source: str,
    now: datetime,
) -> None:
    db.add_revision(
        session=session,
        revision=ReportRevision(
            report_id=report_id,
            user_id=user_id,
            field=field_name,
            old_value=_text(old),
            new_value=_text(new),
            source=source,
            changed_at=now,
        ),
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def field_value(report: Report, name: str) -> Any:
    return report.activity_date.isoformat() if name == "date" else getattr(report, name)


def set_field_value(report: Report, name: str, value: Any) -> None:
    if name == "date":
        report.activity_date = date.fromisoformat(value)
    else:
        setattr(report, name, value)


class ReportAmendments:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        today: Callable[[], date],
        correction_window: timedelta,
        draft_ttl: timedelta,
        earliest: date,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._today = today
        self._window = correction_window
        self._draft_ttl = draft_ttl
        self._earliest = earliest

    # -- duplicates ------------------------------------------------------------------------------

    def duplicate_of(self, draft_id: int) -> int | None:
        """The stored report of the draft's branch this draft may repeat: the same date and
        kind, the same text, or one of the same photos."""
        with self._sessions() as session:
            draft = session.get(ReportDraft, draft_id)
            if draft is None or draft.status != "open":
                return None
            user = session.get(User, draft.user_id)
            fields = DraftFields.from_json(json.loads(draft.fields))
            if user is None or not fields.village:
                return None
            day = date.fromisoformat(fields.date) if fields.date else None
            refs = [str(p.get("ref")) for p in json.loads(draft.photos) if p.get("ref")]
            return db.find_duplicate_report(
                session=session,
                township=user.township,
                village=fields.village,
                activity_date=day,
                type=fields.type,
                summary=fields.summary or draft.text,
                photo_refs=refs,
            )

    # -- corrections -----------------------------------------------------------------------------

    def propose(self, member: Member, text: str, *, record_id: int | None = None) -> Proposal:
        """Read a correction against the sender's records that may still be changed (or the
        one they picked); the proposal waits (in the database) for 确认更正. When several
        records fit equally, the text waits for the sender's pick instead."""
        with self._sessions() as session, session.begin():
            villages = {v for _, v in users_db.list_branches(session=session)}
            reading = read_correction(text, today=self._today(), villages=villages)
            records = [
                ReportRow.of(r)
                for r in db.list_recent_reports(
                    session=session, reporter_id=member.id, limit=RECENT
                )
                if self._may_change(r, member.id)
            ]
            if record_id is not None:
                candidates = [r for r in records if r.id == record_id]
            else:
                candidates = candidate_records(reading, records)
            if len(candidates) > 1:
                conversation_db.set_state(
                    session=session,
                    user_id=member.id,
                    pending=PICKING,
                    payload=json.dumps({"text": text}, ensure_ascii=False),
                    now=self._clock(),
                )
                return Proposal(None, problem="ambiguous", choices=candidates[:CHOICES])
            if not candidates:
                return Proposal(None, problem="none_found")
            record = candidates[0]
            named = reading.values.get("village")
            changes = changes_to(record, reading)
            if not changes:
                moved = named and named != record.village
                return Proposal(record, problem="village" if moved else "nothing_to_change")
            problem = self._problem(record, changes)
            if problem:
                return Proposal(record, problem=problem)
            conversation_db.set_state(
                session=session,
                user_id=member.id,
                pending=PENDING,
                payload=json.dumps(
                    {"report_id": record.id, "changes": changes}, ensure_ascii=False
                ),
                now=self._clock(),
            )
            old = {
                "date": record.activity_date.isoformat(),
                "type": record.type,
                "theme": record.theme,
                "expected": record.expected,
                "attended": record.attended,
                "place": record.place,
                "host": record.host,
            }
            return Proposal(record, {k: (old[k], v) for k, v in changes.items()})

    def apply(self, member: Member, report_id: int) -> tuple[ReportRow | None, str, dict[str, Any]]:
        """Make the proposed change of `report_id` (once): (the record, "applied", the new
        values); a second press finds "done"; a proposal gone stale, or a record no longer the
        member's to change, "expired"."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            state = conversation_db.get_state(session=session, user_id=member.id)
            payload = json.loads(state.payload) if state and state.pending == PENDING else None
            if payload is None or payload.get("report_id") != report_id:
                done = self._changed_by(session, report_id, member.id)
                return None, "done" if done else "expired", {}
            conversation_db.clear_state(session=session, user_id=member.id)
            assert state is not None  # what made the payload
            if now - state.updated_at > self._draft_ttl:
                return None, "expired", {}
            report = session.get(Report, report_id, with_for_update=True)
            if report is None or not self._may_change(report, member.id):
                return None, "expired", {}
            changes: dict[str, Any] = payload["changes"]
            if self._problem(ReportRow.of(report), changes):
                return None, "expired", {}
            for name, value in changes.items():
                record_revision(
                    session,
                    report_id=report.id,
                    user_id=member.id,
                    field_name=name,
                    old=field_value(report, name),
                    new=value,
                    source="更正消息",
                    now=now,
                )
                set_field_value(report, name, value)
            report.updated_at = now
            report.indexed = False  # index_pending() puts the corrected text in the index
            session.flush()
            return ReportRow.of(report), "applied", changes

    def picked_text(self, member: Member) -> str | None:
        """The correction waiting for the sender to pick its record (within the draft TTL)."""
        with self._sessions() as session:
            state = conversation_db.get_state(session=session, user_id=member.id)
            if state is None or state.pending != PICKING:
                return None
            if self._clock() - state.updated_at > self._draft_ttl:
                return None
            return str(json.loads(state.payload)["text"])

    def drop(self, member: Member, report_id: int) -> bool:
        """取消 on a correction card: forget the proposal (True if there was one)."""
        with self._sessions() as session, session.begin():
            state = conversation_db.get_state(session=session, user_id=member.id)
            if state is None or state.pending != PENDING:
                return False
            if json.loads(state.payload).get("report_id") != report_id:
                return False
            conversation_db.clear_state(session=session, user_id=member.id)
            return True

    # -- history ---------------------------------------------------------------------------------

    def history(self, report_id: int) -> list[Revision]:
        """Every confirmed change of the report, oldest first (the caller checks the scope)."""
        with self._sessions() as session:
            return [
                Revision(r.field, r.old_value, r.new_value, r.user_id, r.source, r.changed_at)
                for r in db.list_revisions(session=session, report_id=report_id)
            ]

    # -- helpers ---------------------------------------------------------------------------------

    def _may_change(self, report: Report, user_id: int) -> bool:
        if report.reporter_id != user_id or report.deleted:
            return False
        return self._clock() - report.created_at <= self._window

    def _changed_by(self, session: Session, report_id: int, user_id: int) -> bool:
        return any(
            r.user_id == user_id and r.source == "更正消息"
            for r in db.list_revisions(session=session, report_id=report_id)
        )

    def _problem(self, record: ReportRow, changes: dict[str, Any]) -> str | None:
        """A message key when the changed record would be impossible."""
        if "type" in changes and changes["type"] not in TYPE_NAMES:
            return "bad_type"
        if "date" in changes:
            problem = check_date(
                date.fromisoformat(changes["date"]), today=self._today(), earliest=self._earliest
            )
            if problem:
                return problem
        expected = changes.get("expected", record.expected)
        attended = changes.get("attended", record.attended)
        if expected is not None and attended is not None and attended > expected:
            return "more_than_expected"
        return None
