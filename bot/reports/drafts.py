"""Drafts: a secretary's message read into a card, its photos, its fields edited, and 确认
storing it as a report once; 取消 and the next activity the message told of."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import photos as photos_db
from bot.db import reports as db
from bot.db import users as users_db
from bot.db.models import Report, ReportDraft, ReportPhoto, WaitingPhoto
from bot.people.accounts import Member
from bot.reports.field_input import FieldError
from bot.reports.fields import EDITABLE, REQUIRED, DraftFields
from bot.reports.parsing import ParsedReport, parse_activities
from bot.reports.rows import ReportRow
from bot.reports.state import ReportState
from bot.reports.validation import Problem, check_fields

# what pressing 取消 did: the draft is cancelled now, was already (a second tap), or is not
# the presser's open draft
CancelOutcome = Literal["cancelled", "was_cancelled", "refused"]


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


class ReportDrafts(ReportState):
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

    def unattached_photo_paths(self, user_id: int) -> list[str]:
        """The user's kept photos on no report, from the last day (the per-user quota)."""
        since = self._clock() - timedelta(days=1)
        with self._sessions() as session:
            return photos_db.list_unattached_photo_paths(
                session=session, user_id=user_id, since=since
            )

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
