"""The report conversation: card, 确认 / 修改 / 取消, pending fields, corrections, photos and
albums, plans, a secretary's own reports. Every state lives in the database (drafts,
conversation_state, waiting_photos), so a restart in the middle of any of it loses nothing."""

from __future__ import annotations

import threading
from datetime import date, datetime

from bot import messages
from bot.conversation.corrections import CorrectionTurns
from bot.conversation.minutes import MinutesTurns, minutes_button
from bot.conversation.routing import Route, plan_text
from bot.conversation.turns import Button, Photo, Reply, button_number
from bot.partyday.reminders import ReminderService
from bot.people.accounts import Member
from bot.reports.indexer import BackgroundIndexer
from bot.reports.media import MediaStore, over_quota
from bot.reports.parsing import ParsedReport
from bot.reports.service import EDITABLE, FIELD_NAMES, DraftView, FieldError, ReportService
from bot.reports.views import card_text, own_reports_text

# am / an: apply or drop the change a correction message proposed; pk: the record it means
# rec: 生成会议记录 from a confirmed report
REPORT_ACTIONS = frozenset({"ok", "no", "edit", "f", "fix", "fx", "del", "am", "an", "pk", "rec"})
MAX_BUTTON_BYTES = 64


class ReportTurns:
    def __init__(
        self,
        *,
        reports: ReportService,
        media: MediaStore,
        indexer: BackgroundIndexer,
        reminders: ReminderService | None,
    ) -> None:
        self._reports = reports
        self._media = media
        self._indexer = indexer
        self._reminders = reminders
        self._corrections = CorrectionTurns(reports=reports, indexer=indexer)
        self._minutes = MinutesTurns(reports=reports, changed=indexer.poke)
        # the parts of one album arrive at once: one user's photos are handled one at a time
        self._photo_locks: dict[int, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def close(self) -> None:
        """Let the indexing under way finish (the rest stays pending for the next start)."""
        self._indexer.close()

    # -- texts ------------------------------------------------------------------------------------

    def has_pending_field(self, member: Member) -> bool:
        """Whether the secretary's next text answers a card's or a correction's question."""
        if self._reports.pending_correction(member.id) is not None:
            return True
        if self._minutes.is_asking(member):
            return True
        draft = self._reports.open_draft(member.id)
        return draft is not None and draft.editing is not None

    def text(
        self,
        member: Member,
        text: str,
        route: Route,
        activities: list[ParsedReport],
        sent_at: datetime | None,
        *,
        submission: str | None = None,
    ) -> list[Reply]:
        """`activities`: the routing's parse of a report or plan, which the draft takes."""
        if route == Route.FIELD and (report := self._minutes.new_report_instead(member, text)):
            # the draft parses the message itself: it may tell of more than one activity
            route = Route.PLAN if report.plan else Route.REPORT
            activities = [report] if report.plan else []
        if route == Route.FIELD:
            return self._field_value(member, text)
        if route == Route.PLAN:
            return [self._plan(activities[0])]
        if route == Route.CORRECTION:
            return self._corrections.proposal(member, text)
        draft = self._reports.start_draft(
            member, text, sent_at=sent_at, submission=submission, activities=activities or None
        )
        if draft.status == "confirmed" and draft.report_id is not None:  # a retried post
            return [Reply(messages.REPORT_ALREADY_SAVED.format(id=draft.report_id))]
        if draft.status == "cancelled":
            return [Reply(messages.REPORT_SUBMISSION_CANCELLED)]
        if draft.status != "open":
            return [Reply(messages.REPORT_EXPIRED)]
        return [self._card(draft)]

    def _field_value(self, member: Member, text: str) -> list[Reply]:
        if self._minutes.is_asking(member):
            return self._minutes.answer(member, text)
        correcting = self._reports.pending_correction(member.id)
        if correcting is not None:
            report_id, field_name = correcting
            try:
                row = self._reports.correct_own(member.id, report_id, field_name, text)
            except FieldError as exc:  # asked again: the correction stays pending
                return [Reply(messages.REPORT_FIELD_ERRORS[exc.reason])]
            self._reports.end_correction(member.id)
            if row is None:
                return [Reply(messages.REPORT_NOT_DELETABLE)]
            self._indexer.poke()
            name = FIELD_NAMES[field_name]
            return [Reply(messages.REPORT_CORRECTED.format(id=report_id, field=name))]
        draft = self._reports.open_draft(member.id)
        if draft is None or not draft.editing:
            return [Reply(messages.REPORT_EXPIRED)]
        try:
            updated = self._reports.set_field(draft.id, draft.editing, text, owner=member.id)
        except FieldError as exc:
            return [Reply(messages.REPORT_FIELD_ERRORS[exc.reason])]
        return [self._card(updated)] if updated is not None else [Reply(messages.REPORT_EXPIRED)]

    def _plan(self, parsed: ParsedReport) -> Reply:
        """A plan is never logged; the secretary may ask to be reminded on the day."""
        if parsed.date is None or parsed.date < self._reports.today() or self._reminders is None:
            return Reply(plan_text(parsed))
        action = f"pl:{parsed.date.isoformat()}:{parsed.type or '活动'}"
        if len(action.encode()) > MAX_BUTTON_BYTES:
            return Reply(plan_text(parsed))
        return Reply(plan_text(parsed), buttons=((Button(messages.PLAN_REMIND_BUTTON, action),),))

    def _card(self, draft: DraftView) -> Reply:
        if draft.missing:  # the draft remembers which field the next message answers
            self._reports.begin_edit(draft.id, draft.missing[0], owner=draft.owner)
        duplicate = self._reports.amendments.duplicate_of(draft.id)
        buttons = [
            Button(messages.REPORT_BUTTON_EDIT, f"rp:edit:{draft.id}"),
            Button(messages.REPORT_BUTTON_CANCEL, f"rp:no:{draft.id}"),
        ]
        if not draft.missing:
            confirm = (
                messages.REPORT_BUTTON_STORE_ANYWAY if duplicate else messages.REPORT_BUTTON_CONFIRM
            )
            buttons.insert(0, Button(confirm, f"rp:ok:{draft.id}"))
        text = card_text(draft)
        if duplicate is not None:
            text = messages.REPORT_DUPLICATE.format(id=duplicate) + "\n\n" + text
        return Reply(text, buttons=(tuple(buttons),))

    # -- photos -----------------------------------------------------------------------------------

    def photo(self, member: Member, photo: Photo) -> list[Reply]:
        """A photo, or one part of an album (parts arrive together, in any order). The part with
        the caption makes the draft with every part that waited; later parts join that draft;
        parts with no caption wait in the database for the sentence."""
        with self._lock_of(member.id):
            if over_quota(self._reports.unattached_photo_paths(member.id), photo.data):
                return [Reply(messages.REPORT_PHOTO_QUOTA)]
            kept = {"ref": photo.ref, "path": self._media.keep_photo(photo.data)}
            if photo.album:
                joined = self._reports.add_photos(member.id, photo.album, [kept])
                if joined is not None:
                    return []
            if photo.caption.strip():
                draft = self._reports.start_draft(
                    member,
                    photo.caption,
                    sent_at=photo.sent_at,
                    photos=[kept],
                    media_group_id=photo.album,
                )
                return [self._card(draft)]
            self._reports.wait_for_text(member.id, kept, photo.album)
        # an album is asked about once, when the channel says its parts have arrived
        return [] if photo.album else [Reply(messages.REPORT_PHOTO_NEEDS_TEXT)]

    def album_settled(self, member: Member, album: str) -> list[Reply]:
        with self._lock_of(member.id):
            asked = self._reports.ask_about_album(member.id, album)
        return [Reply(messages.REPORT_PHOTO_NEEDS_TEXT)] if asked else []

    def _lock_of(self, user_id: int) -> threading.Lock:
        with self._locks_guard:
            return self._photo_locks.setdefault(user_id, threading.Lock())

    # -- buttons ----------------------------------------------------------------------------------

    def press(self, member: Member, action: str) -> list[Reply]:
        if action.startswith("pl:"):
            return self._plan_press(member, action)
        parsed = _parse_report_action(action)
        if parsed is None:
            return [Reply(messages.BUTTON_STALE, notice=True)]
        verb, target, field_name = parsed
        owner = member.id
        if verb == "rec":
            return self._minutes.press(member, target)
        if verb in ("am", "an", "pk"):
            return self._corrections.press(member, verb, target)
        if verb == "ok":  # the row is committed before anything else happens
            report, created = self._reports.confirm(target, member)
            if report is None:
                return [Reply(messages.REPORT_EXPIRED, replace=True)]
            if created:
                self._indexer.poke()
                saved = Reply(
                    messages.REPORT_SAVED.format(id=report.id),
                    buttons=((minutes_button(report.id),),),
                    replace=True,
                )
                return [saved, *self._following(target, owner)]
            # A second tap is acknowledged alone: the first already changed the card, and a
            # second edit would spend one of the messages a second the channel allows everyone.
            return [Reply(messages.REPORT_ALREADY_SAVED.format(id=report.id), notice=True)]
        if verb == "no":
            outcome = self._reports.cancel(target, owner=owner)
            if outcome == "was_cancelled":  # a second tap: the card already says so
                return [Reply(messages.REPORT_CANCELLED, notice=True)]
            text = messages.REPORT_CANCELLED if outcome == "cancelled" else messages.REPORT_EXPIRED
            following = self._following(target, owner) if outcome == "cancelled" else []
            return [Reply(text, replace=True), *following]
        if verb == "edit":
            draft = self._reports.get_draft(target)
            if draft is None or draft.owner != owner or draft.status != "open":
                return [Reply(messages.REPORT_EXPIRED, replace=True)]
            return [Reply(buttons=_field_buttons(target, "rp:f"), replace=True)]
        if verb == "fix":
            return [Reply(buttons=_field_buttons(target, "rp:fx"), replace=True)]
        if verb == "del":
            deleted = self._reports.delete_own(owner, target)
            text = messages.REPORT_DELETED if deleted else messages.REPORT_NOT_DELETABLE
            return [Reply(text.format(id=target))]
        assert field_name is not None
        if verb == "f":
            if self._reports.begin_edit(target, field_name, owner=owner) is None:
                return [Reply(messages.REPORT_EXPIRED, replace=True)]
        else:  # "fx": correct_own checks the report's owner and age when the value arrives
            self._reports.begin_correction(owner, target, field_name)
        hint = messages.REPORT_FIELD_HINTS.get(field_name, "")
        ask = messages.REPORT_ASK_FIELD.format(field=FIELD_NAMES[field_name])
        return [Reply(ask + (f"（{hint}）" if hint else ""))]

    def _following(self, draft_id: int, owner: int) -> list[Reply]:
        """The card of the next activity the same message told of, if any."""
        following = self._reports.start_following(draft_id, owner=owner)
        return [self._card(following)] if following is not None else []

    def _plan_press(self, member: Member, action: str) -> list[Reply]:
        """pl:YYYY-MM-DD:TYPE — remind this secretary on that afternoon to log the activity."""
        _, _, rest = action.partition(":")
        day_text, _, what = rest.partition(":")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return [Reply(messages.BUTTON_STALE, notice=True)]
        if not what or self._reminders is None:
            return [Reply(messages.BUTTON_STALE, notice=True)]
        created = self._reminders.remember_plan(member, day, what)
        when = f"{day.month}月{day.day}日"
        text = messages.PLAN_REMINDER_SET if created else messages.PLAN_REMINDER_NOT_SET
        replies = [Reply(text.format(when=when), notice=True)]
        if created:  # the button has done its work
            replies.append(Reply(replace=True))
        return replies

    # -- own reports ------------------------------------------------------------------------------

    def own_reports(self, member: Member) -> list[Reply]:
        rows = self._reports.recent(member.id)
        if not rows:
            return [Reply(messages.MYREPORTS_EMPTY)]
        buttons = tuple(
            (
                Button(messages.MYREPORTS_FIX.format(id=r.id), f"rp:fix:{r.id}"),
                Button(messages.MYREPORTS_DELETE.format(id=r.id), f"rp:del:{r.id}"),
            )
            for r in rows[:5]
        )
        return [Reply(own_reports_text(rows), buttons=buttons)]


def _field_buttons(target: int, prefix: str) -> tuple[tuple[Button, ...], ...]:
    buttons = [Button(FIELD_NAMES[name], f"{prefix}:{target}:{name}") for name in EDITABLE]
    return (tuple(buttons[:4]), tuple(buttons[4:]))


def _parse_report_action(action: str) -> tuple[str, int, str | None] | None:
    """rp:VERB:ID[:FIELD] -> (verb, id, field); None for anything malformed or forged."""
    parts = action.split(":")
    if parts[0] != "rp" or len(parts) not in (3, 4):
        return None
    target = button_number(parts[2])
    verb, field_name = parts[1], parts[3] if len(parts) == 4 else None
    needs_field = verb in ("f", "fx")
    if target is None or verb not in REPORT_ACTIONS or needs_field != (field_name in EDITABLE):
        return None
    return verb, target, field_name
