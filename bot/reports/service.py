"""The activity ledger: drafts confirmed by their author, stored once, queried within scope."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from sqlalchemy import true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts import Member, Role
from bot.db import conversation as conversation_db
from bot.db import ledger_questions as questions_db
from bot.db import photos as photos_db
from bot.db import reports as db
from bot.db import users as users_db
from bot.db.ledger_questions import ReportFact
from bot.db.models import Report, ReportDraft, ReportPhoto, WaitingPhoto
from bot.ordering import ledger_key
from bot.reports.amending import (
    ReportAmendments,
    field_value,
    record_revision,
    set_field_value,
)
from bot.reports.fields import EDITABLE, REQUIRED, DraftFields
from bot.reports.index import ReportIndex
from bot.reports.minutes import MinutesQuestions
from bot.reports.parsing import TYPE_NAMES, ParsedReport, find_date, parse_activities
from bot.reports.rows import ReportRow
from bot.reports.validation import DEFAULT_EARLIEST, Problem, check_date, check_fields
from bot.scope import report_visible, scope_of
from ingest.numerals import parse_number

log = logging.getLogger(__name__)

# what pressing 取消 did: the draft is cancelled now, was already (a second tap), or is not
# the presser's open draft
CancelOutcome = Literal["cancelled", "was_cancelled", "refused"]

FIELD_NAMES = {
    "date": "日期",
    "village": "村",
    "type": "活动类型",
    "theme": "主题",
    "expected": "应到人数",
    "attended": "实到人数",
    "place": "地点",
    "host": "主持人",
    "recorder": "记录人",
    "absent": "缺席人数",
}


class FieldError(ValueError):
    """A value the user typed for a field that cannot be used; `reason` is a message key."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field_name = field_name
        self.reason = reason


@dataclass(frozen=True)
class LedgerPage:
    total: int
    number: int
    pages: int
    rows: list[ReportRow]


@dataclass(frozen=True)
class DraftView:
    id: int
    fields: DraftFields
    photos: int
    editing: str | None
    status: str
    owner: int
    problems: list[Problem] = field(default_factory=list)
    report_id: int | None = None  # the report it was confirmed as

    @property
    def missing(self) -> list[str]:
        """Fields to ask for before 确认: the empty required ones, then the implausible ones."""
        empty = [name for name in REQUIRED if not self.fields.value(name)]
        return empty + [p.field for p in self.problems if p.field not in empty]


class ReportService:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        timezone: tzinfo,
        draft_ttl: timedelta = timedelta(hours=24),
        correction_window: timedelta = timedelta(days=7),
        index: ReportIndex | None = None,
        earliest: date = DEFAULT_EARLIEST,
    ) -> None:
        self.earliest = earliest
        self._index = index
        self._index_lock = threading.Lock()
        self._index_again = False
        self._sessions = session_factory
        self._clock = clock
        self._tz = timezone
        self._draft_ttl = draft_ttl
        self._correction_window = correction_window
        self.amendments = ReportAmendments(
            session_factory=session_factory,
            clock=clock,
            today=self.today,
            correction_window=correction_window,
            draft_ttl=draft_ttl,
            earliest=earliest,
        )
        self.minutes = MinutesQuestions(
            session_factory=session_factory,
            clock=clock,
            draft_ttl=draft_ttl,
            correction_window=correction_window,
        )

    def today(self) -> date:
        return self._clock().astimezone(self._tz).date()

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """For read-only views over the ledger (the 三会一课 status) that apply scope_of too."""
        return self._sessions

    # -- drafts ----------------------------------------------------------------------------------

    def read_activities(self, text: str) -> list[ParsedReport]:
        """The activities a text tells of, read as a draft reads them (the villages the ledger
        knows), dates relative to today."""
        with self._sessions() as session:
            villages = {village for _, village in users_db.list_branches(session=session)}
        return parse_activities(text, today=self.today(), villages=villages)

    def start_draft(
        self,
        member: Member,
        text: str,
        *,
        sent_at: datetime | None = None,
        photos: Sequence[dict[str, str | None]] = (),
        media_group_id: str | None = None,
        submission: str | None = None,
        activities: Sequence[ParsedReport] | None = None,
    ) -> DraftView:
        """Parse `text` into a new open draft (closing any earlier open one of the same user),
        with the photos that waited for it and `photos`; `activities` is that parse when the
        caller made it already (read_activities). A `submission` token seen before (a
        retried post) returns the draft it made, whatever became of it, and makes no other."""
        sent_day = (sent_at or self._clock()).astimezone(self._tz).date()
        if sent_day != self.today():  # "昨天" in a text sent before midnight: read it again
            activities = None
        if submission is not None:
            with self._sessions() as session:
                earlier = db.get_draft_by_submission(
                    session=session, user_id=member.id, submission=submission
                )
                if earlier is not None:
                    return self._view(earlier)
        try:
            return self._new_draft(
                member, text, sent_day, photos, media_group_id, submission, activities
            )
        except IntegrityError:  # the same submission, posted twice at once: the other won
            with self._sessions() as session:
                earlier = db.get_draft_by_submission(
                    session=session, user_id=member.id, submission=submission or ""
                )
                assert earlier is not None
                return self._view(earlier)

    def _new_draft(
        self,
        member: Member,
        text: str,
        sent_day: date,
        photos: Sequence[dict[str, str | None]],
        media_group_id: str | None,
        submission: str | None,
        activities: Sequence[ParsedReport] | None,
    ) -> DraftView:
        now = self._clock()
        with self._sessions() as session, session.begin():
            if activities is None:
                villages = {v for _, v in users_db.list_branches(session=session)}
                activities = parse_activities(text, today=sent_day, villages=villages)
            first, *others = [_own_branch(activity.as_json(), member) for activity in activities]
            parsed = {**first, "following": others}
            for old in self._open_drafts(session, member.id):
                old.status = "cancelled"
            waited = db.take_waiting_photos(
                session=session, user_id=member.id, since=now - self._draft_ttl
            )
            taken = [{"ref": w.ref, "path": w.path} for w in waited]
            draft = ReportDraft(
                user_id=member.id,
                text=text,
                fields=json.dumps(parsed, ensure_ascii=False),
                photos=json.dumps(_unique_photos([*taken, *photos])),
                media_group_id=media_group_id,
                submission=submission,
                status="open",
                created_at=now,
                updated_at=now,
            )
            session.add(draft)
            session.flush()
            return self._view(draft)

    def wait_for_text(self, user_id: int, photo: dict[str, str | None], album: str | None) -> None:
        """Keep a photo sent without its sentence until the user's next report takes it."""
        with self._sessions() as session, session.begin():
            db.add_waiting_photo(
                session=session,
                photo=WaitingPhoto(
                    user_id=user_id,
                    ref=photo["ref"],
                    path=photo.get("path"),
                    album=album,
                    asked=False,
                    created_at=self._clock(),
                ),
            )

    def ask_about_album(self, user_id: int, album: str) -> bool:
        """True once per album whose photos still wait for their sentence: ask for it then."""
        with self._sessions() as session, session.begin():
            return db.mark_album_asked(session=session, user_id=user_id, album=album) > 0

    def add_photos(
        self, user_id: int, media_group_id: str, photos: Sequence[dict[str, str | None]]
    ) -> DraftView | None:
        """Attach photos that arrived as later parts of an album to that album's draft."""
        with self._sessions() as session, session.begin():
            draft = db.get_album_draft(
                session=session, user_id=user_id, media_group_id=media_group_id
            )
            if draft is None:
                return None
            draft.photos = json.dumps(_unique_photos([*json.loads(draft.photos), *photos]))
            draft.updated_at = self._clock()
            return self._view(draft)

    def open_draft(self, user_id: int) -> DraftView | None:
        with self._sessions() as session, session.begin():
            drafts = self._open_drafts(session, user_id)
            return self._view(drafts[0]) if drafts else None

    def get_draft(self, draft_id: int) -> DraftView | None:
        with self._sessions() as session:
            draft = session.get(ReportDraft, draft_id)
            return self._view(draft) if draft else None

    def _own_open_draft(self, session: Session, draft_id: int, owner: int) -> ReportDraft | None:
        """The draft, if it is open and `owner`'s: ids in buttons can be forged by anyone."""
        draft = session.get(ReportDraft, draft_id)
        if draft is None or draft.status != "open" or draft.user_id != owner:
            return None
        return draft

    def begin_edit(self, draft_id: int, field_name: str, *, owner: int) -> DraftView | None:
        if field_name not in EDITABLE:
            raise FieldError(field_name, "unknown_field")
        with self._sessions() as session, session.begin():
            draft = self._own_open_draft(session, draft_id, owner)
            if draft is None:
                return None
            draft.editing = field_name
            return self._view(draft)

    def set_field(
        self, draft_id: int, field_name: str, raw: str, *, owner: int
    ) -> DraftView | None:
        value = self._validate(field_name, raw.strip())
        with self._sessions() as session, session.begin():
            draft = self._own_open_draft(session, draft_id, owner)
            if draft is None:
                return None
            fields = DraftFields.from_json(json.loads(draft.fields))
            self._check_pair(field_name, value, fields.as_json())
            draft.fields = json.dumps(
                fields.with_value(field_name, value).as_json(), ensure_ascii=False
            )
            draft.editing = None
            draft.updated_at = self._clock()
            return self._view(draft)

    def start_following(self, draft_id: int, *, owner: int) -> DraftView | None:
        """After 确认 or 取消 of a card, the next activity its message told of, as a new open
        draft; taken once (a second tap finds none)."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            done = session.get(ReportDraft, draft_id)
            if done is None or done.user_id != owner or done.status == "open":
                return None
            fields = json.loads(done.fields)
            following = fields.get("following") or []
            if not following:
                return None
            done.fields = json.dumps({**fields, "following": []}, ensure_ascii=False)
            for old in self._open_drafts(session, owner):
                old.status = "cancelled"
            draft = ReportDraft(
                user_id=owner,
                text=done.text,
                fields=json.dumps({**following[0], "following": following[1:]}, ensure_ascii=False),
                photos="[]",
                status="open",
                created_at=now,
                updated_at=now,
            )
            session.add(draft)
            session.flush()
            return self._view(draft)

    def cancel(self, draft_id: int, *, owner: int) -> CancelOutcome:
        """Cancel `owner`'s open draft; a second tap finds it "was_cancelled"."""
        with self._sessions() as session, session.begin():
            draft = session.get(ReportDraft, draft_id)
            if draft is None or draft.user_id != owner:
                return "refused"
            if draft.status == "cancelled":
                return "was_cancelled"
            if draft.status != "open":
                return "refused"
            draft.status = "cancelled"
            return "cancelled"

    def confirm(self, draft_id: int, member: Member) -> tuple[ReportRow | None, bool]:
        """Store the draft as a report once: (report, created now). A retry returns the same."""
        now = self._clock()
        try:
            with self._sessions() as session, session.begin():
                draft = session.get(ReportDraft, draft_id, with_for_update=True)
                if draft is None or draft.user_id != member.id:
                    return None, False
                if draft.status == "confirmed" and draft.report_id is not None:
                    return self._row(session, draft.report_id), False
                view = self._view(draft)
                if draft.status != "open" or view.missing:
                    return None, False
                report = _report_from(view.fields, draft, member, now)
                session.add(report)
                session.flush()
                draft.status, draft.report_id = "confirmed", report.id
                row = ReportRow.of(report)
            # indexed by index_pending() after the reply: embedding never delays 确认
            return row, True
        except IntegrityError:  # a concurrent 确认 of the same draft won the race
            with self._sessions() as session:
                existing = db.get_report_by_draft(session=session, draft_id=draft_id)
                return (ReportRow.of(existing) if existing else None), False

    # -- reports ---------------------------------------------------------------------------------

    def recent(self, user_id: int, limit: int = 10) -> list[ReportRow]:
        with self._sessions() as session:
            rows = db.list_recent_reports(session=session, reporter_id=user_id, limit=limit)
            return [ReportRow.of(r) for r in rows]

    def correct_own(
        self, user_id: int, report_id: int, field_name: str, raw: str
    ) -> ReportRow | None:
        """A secretary may correct one field of their own report within the correction window."""
        value = self._validate(field_name, raw.strip())
        with self._sessions() as session, session.begin():
            report = session.get(Report, report_id)
            if not self._may_change(report, user_id):
                return None
            assert report is not None
            self._check_pair(
                field_name, value, {"expected": report.expected, "attended": report.attended}
            )
            record_revision(
                session,
                report_id=report.id,
                user_id=user_id,
                field_name=field_name,
                old=field_value(report, field_name),
                new=value,
                source="修改按钮",
                now=self._clock(),
            )
            set_field_value(report, field_name, value)
            report.updated_at = self._clock()
            report.indexed = False  # index_pending() puts the corrected text in the index
            session.flush()
            row = ReportRow.of(report)
        return row

    def begin_correction(self, user_id: int, report_id: int, field_name: str) -> None:
        """The user's next message is the new value of this field of their report (kept in the
        database: a restart in between loses nothing). correct_own checks owner and age."""
        payload = json.dumps({"report_id": report_id, "field": field_name})
        with self._sessions() as session, session.begin():
            conversation_db.set_state(
                session=session,
                user_id=user_id,
                pending="correct",
                payload=payload,
                now=self._clock(),
            )

    def pending_correction(self, user_id: int) -> tuple[int, str] | None:
        """(report id, field) the user's next message corrects, if asked within the draft TTL."""
        with self._sessions() as session:
            state = conversation_db.get_state(session=session, user_id=user_id)
            if state is None or state.pending != "correct":
                return None
            if self._clock() - state.updated_at > self._draft_ttl:
                return None
            payload = json.loads(state.payload)
            return int(payload["report_id"]), str(payload["field"])

    def end_correction(self, user_id: int) -> None:
        with self._sessions() as session, session.begin():
            conversation_db.clear_state(session=session, user_id=user_id)

    def _may_change(self, report: Report | None, user_id: int) -> bool:
        if report is None or report.reporter_id != user_id or report.deleted:
            return False
        return self._clock() - report.created_at <= self._correction_window

    def delete_own(self, user_id: int, report_id: int) -> bool:
        """A secretary may delete their own report within the correction window."""
        with self._sessions() as session, session.begin():
            report = session.get(Report, report_id)
            if not self._may_change(report, user_id):
                return False
            assert report is not None
            report.deleted = True
            report.updated_at = self._clock()
            record_revision(
                session,
                report_id=report.id,
                user_id=user_id,
                field_name="deleted",
                old=None,
                new="已删除",
                source="删除按钮",
                now=self._clock(),
            )
        if self._index is not None:
            try:
                self._index.remove(report_id)
            except Exception:  # the ledger row is the record; `report reindex` repairs the index
                log.warning("could not remove report %s from the index", report_id, exc_info=True)
        return True

    def query(
        self,
        viewer: Member,
        *,
        month: str | None = None,
        village: str | None = None,
        township: str | None = None,
        type: str | None = None,
        start: date | None = None,
        end: date | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[ReportRow]:
        """Reports the viewer may see (bot.scope): a secretary their branch, township staff their
        township, county staff and admins the county."""
        filters = db.LedgerFilter(month, village, township, type, start, end, ids)
        with self._sessions() as session:
            rows = db.list_reports(
                session=session, visible=report_visible(scope_of(viewer)), filters=filters
            )
            return [ReportRow.of(r) for r in rows]

    def page(
        self,
        viewer: Member,
        *,
        number: int,
        size: int,
        month: str | None = None,
        village: str | None = None,
        township: str | None = None,
        type: str | None = None,
    ) -> LedgerPage:
        """One page of the viewer's ledger in 台账 order (乡镇, 村 by pinyin, then date): the
        order and the count come from a narrow query, and only the page's reports are loaded."""
        filters = db.LedgerFilter(month, village, township, type)
        with self._sessions() as session:
            keys = db.list_report_keys(
                session=session, visible=report_visible(scope_of(viewer)), filters=filters
            )
        keys = sorted(keys, key=lambda k: ledger_key(k[1], k[2], k[3], k[0]))
        pages = max(1, -(-len(keys) // size))
        number = min(max(number, 1), pages)
        chosen = [k[0] for k in keys[(number - 1) * size : number * size]]
        return LedgerPage(len(keys), number, pages, self.rows_by_ids(viewer, chosen))

    def reported_branches(self, viewer: Member, month: str) -> set[tuple[str, str]]:
        """The (乡镇, 村) in the viewer's scope with at least one report in the month."""
        with self._sessions() as session:
            found = db.list_reported_branches(
                session=session,
                visible=report_visible(scope_of(viewer)),
                filters=db.LedgerFilter(month=month),
            )
        return {(t or "", v) for t, v in found}

    def facts(
        self,
        viewer: Member,
        *,
        start: date | None = None,
        end: date | None = None,
        types: Collection[str] = (),
        branches: Collection[tuple[str, str]] = (),
    ) -> list[ReportFact]:
        """What questions about the ledger count and list, within the viewer's scope."""
        with self._sessions() as session:
            return questions_db.list_report_facts(
                session=session,
                visible=report_visible(scope_of(viewer)),
                start=start,
                end=end,
                types=types,
                branches=branches,
            )

    def known_branches(self) -> set[tuple[str, str]]:
        """Every branch of the county, (乡镇 or '', 村): registered or with a report."""
        with self._sessions() as session:
            found = set(users_db.list_branches(session=session))
            found.update(questions_db.list_reporting_branches(session=session, visible=true()))
        return found

    def rows_by_ids(self, viewer: Member, ids: Sequence[int]) -> list[ReportRow]:
        """The reports with these ids that the viewer may see, in the order given."""
        wanted = {row.id: row for row in self.query(viewer, ids=ids)}
        return [wanted[i] for i in ids if i in wanted]

    def reindex(self) -> int:
        """Rebuild the reports' vector index from the ledger (after a crash or a new embedder)."""
        if self._index is None:
            return 0
        rows = self.query(Member(0, "", Role.ADMIN, None, None, True))
        self._index.clear()
        for row in rows:
            self._index.add(row)
        with self._sessions() as session, session.begin():
            db.mark_all_indexed(session=session)
        return len(rows)

    def index_pending(self, limit: int = 100) -> int:
        """Put confirmed or corrected reports into the vector index; how many went in. Run
        after replies and by a periodic job, never on the 确认 path. One run at a time per
        process: a call while one runs returns at once and the running one goes round again,
        so a burst of 确认 never ties up more than one worker thread. The index upserts, so two
        processes doing it at once do no harm."""
        if self._index is None:
            return 0
        if not self._index_lock.acquire(blocking=False):
            self._index_again = True
            return 0
        try:
            total = 0
            while True:
                self._index_again = False
                done, seen = self._index_batch(limit)
                total += done
                if not self._index_again and seen < limit:
                    return total
        finally:
            self._index_lock.release()

    def _index_batch(self, limit: int) -> tuple[int, int]:
        """(reports indexed, reports that were pending) for one batch."""
        assert self._index is not None
        with self._sessions() as session:
            pending = db.list_unindexed_reports(session=session, limit=limit)
            rows = [(ReportRow.of(r), r.updated_at) for r in pending]
        try:
            self._index.add_many([row for row, _ in rows])
            done = [(row.id, seen) for row, seen in rows]
        except Exception:  # one by one, so one bad row does not hold back the rest
            done = []
            for row, seen in rows:
                try:
                    self._index.add(row)
                except Exception:  # stays pending: the next run tries again
                    log.warning("could not index report %s", row.id, exc_info=True)
                    continue
                done.append((row.id, seen))
        with self._sessions() as session, session.begin():
            for report_id, seen in done:  # unless corrected meanwhile: then again next run
                db.mark_indexed(session=session, report_id=report_id, seen=seen)
        return len(done), len(rows)

    # -- helpers ---------------------------------------------------------------------------------

    def _open_drafts(self, session: Session, user_id: int) -> list[ReportDraft]:
        cutoff = self._clock() - self._draft_ttl
        drafts = db.list_open_drafts(session=session, user_id=user_id)
        live = []
        for draft in drafts:
            if draft.updated_at < cutoff:
                draft.status = "expired"
            else:
                live.append(draft)
        return live

    def _row(self, session: Session, report_id: int) -> ReportRow | None:
        report = session.get(Report, report_id)
        return ReportRow.of(report) if report else None

    def _view(self, draft: ReportDraft) -> DraftView:
        fields = DraftFields.from_json(json.loads(draft.fields))
        return DraftView(
            id=draft.id,
            fields=fields,
            photos=len(json.loads(draft.photos)),
            editing=draft.editing,
            status=draft.status,
            owner=draft.user_id,
            problems=check_fields(fields.as_json(), today=self.today(), earliest=self.earliest),
            report_id=draft.report_id,
        )

    def _check_pair(self, field_name: str, value: Any, other: dict[str, Any]) -> None:
        """An edited head count must still fit with the other one."""
        if field_name not in ("expected", "attended") or value is None:
            return
        merged = {**other, field_name: value}
        if any(
            p.reason == "more_than_expected"
            for p in check_fields(
                {"expected": merged.get("expected"), "attended": merged.get("attended")},
                today=self.today(),
                earliest=self.earliest,
            )
        ):
            raise FieldError(field_name, "more_than_expected")

    def _validate(self, field_name: str, raw: str) -> Any:
        if field_name not in EDITABLE:
            raise FieldError(field_name, "unknown_field")
        if field_name == "date":
            parsed = find_date(raw, today=self.today(), happened=True)  # asked of a record
            if parsed is None:
                try:
                    parsed = date.fromisoformat(raw)
                except ValueError:
                    raise FieldError(field_name, "bad_date") from None
            problem = check_date(parsed, today=self.today(), earliest=self.earliest)
            if problem:
                raise FieldError(field_name, problem)
            return parsed.isoformat()
        if field_name == "type":
            aliases = {"支委会": "支部委员会", "党员大会": "支部党员大会"}
            value = aliases.get(raw, raw)
            if value not in TYPE_NAMES:
                raise FieldError(field_name, "bad_type")
            return value
        if field_name in ("expected", "attended", "absent"):
            number = parse_number(raw.removesuffix("人").removesuffix("名"))
            if number is None or number < 0:
                raise FieldError(field_name, "bad_number")
            return number
        if not raw or len(raw) > (32 if field_name in ("host", "recorder") else 100):
            raise FieldError(field_name, "bad_text")
        return raw

    def unattached_photo_paths(self, user_id: int) -> list[str]:
        """The user's kept photos on no report, from the last day (the per-user quota)."""
        since = self._clock() - timedelta(days=1)
        with self._sessions() as session:
            return photos_db.list_unattached_photo_paths(
                session=session, user_id=user_id, since=since
            )


def _own_branch(parsed: dict[str, Any], member: Member) -> dict[str, Any]:
    """A secretary logs for their own branch only; another village named is on the card."""
    named = parsed["village"]
    parsed["village"] = member.village or named
    if member.village and named and named != member.village:
        parsed["named_village"] = named
    return parsed


def _report_from(fields: DraftFields, draft: ReportDraft, member: Member, now: datetime) -> Report:
    report = Report(
        draft_id=draft.id,
        reporter_id=member.id,
        village=fields.village or "",
        township=member.township,
        activity_date=date.fromisoformat(fields.date or ""),
        type=fields.type or "",
        tags=json.dumps(fields.tags, ensure_ascii=False),
        theme=fields.theme,
        expected=fields.expected,
        attended=fields.attended,
        place=(fields.place or "")[:128] or None,
        host=(fields.host or "")[:64] or None,
        recorder=(fields.recorder or "")[:64] or None,
        absent=fields.absent,
        absent_reasons=(fields.absent_reasons or "")[:128] or None,
        topics=(fields.topics or "")[:128] or None,
        decisions=(fields.decisions or "")[:128] or None,
        summary=fields.summary or draft.text,
        deleted=False,
        created_at=now,
        updated_at=now,
    )
    report.photos = [
        ReportPhoto(ref=_photo_ref(p), path=p.get("path")) for p in json.loads(draft.photos)
    ]
    return report


def _photo_ref(photo: dict[str, Any]) -> str:
    """The photo's channel reference; drafts from before 0010 kept Telegram's ids instead."""
    return str(photo.get("ref") or f"telegram:{photo['file_unique_id']}")


def _unique_photos(photos: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each photo once (a redelivered album part is the same photo), in the order sent."""
    seen: set[str] = set()
    unique = []
    for photo in photos:
        ref = _photo_ref(photo)
        if ref not in seen:
            seen.add(ref)
            unique.append(photo)
    return unique
