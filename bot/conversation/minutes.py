"""生成会议记录 on a confirmed report: ask its author for what the page needs and the sentence
did not say, one field at a time, then send the .docx as a file (every channel sends files its
own way, as it does /export's workbook)."""

from __future__ import annotations

from collections.abc import Callable

from bot import messages
from bot.conversation.turns import Attachment, Button, Reply
from bot.people.accounts import Member
from bot.reports.minutes import MAX_LENGTH, MinutesQuestion, MinutesValueError, is_skip
from bot.reports.minutes_doc import MINUTES_FIELD_NAMES, cn_date, unsaid_fields, write_minutes
from bot.reports.parsing import ParsedReport, looks_like_report, parse_activities
from bot.reports.rows import ReportRow
from bot.reports.service import ReportService


def minutes_button(report_id: int) -> Button:
    return Button(messages.MINUTES_BUTTON, f"rp:rec:{report_id}")


class MinutesTurns:
    def __init__(self, *, reports: ReportService, changed: Callable[[], None]) -> None:
        self._reports = reports
        self._changed = changed

    def is_asking(self, member: Member) -> bool:
        return self._reports.minutes.pending(member.id) is not None

    def new_report_instead(self, member: Member, text: str) -> ParsedReport | None:
        """A new report written while a question waits is that report, not the answer: the
        question is dropped (pressing the button again asks it again)."""
        if not self.is_asking(member):
            return None
        parsed = parse_activities(text, today=self._reports.today())[0]
        if not looks_like_report(text, parsed):
            return None
        self._reports.minutes.end(member.id)
        return parsed

    def press(self, member: Member, report_id: int) -> list[Reply]:
        """The button: a question back while something is unsaid, else the page."""
        row = self._visible(member, report_id)
        if row is None:
            return [Reply(messages.MINUTES_NOT_FOUND.format(id=report_id))]
        return self._next(member, row, skipped=())

    def answer(self, member: Member, text: str) -> list[Reply]:
        """The author's answer to the question asked last (or 跳过)."""
        questions = self._reports.minutes
        question = questions.pending(member.id)
        if question is None:
            return [Reply(messages.REPORT_EXPIRED)]
        skipped = question.skipped
        if is_skip(text):
            skipped = (*skipped, question.field)
        else:
            try:
                stored = questions.fill(member.id, question, text)
            except MinutesValueError:
                name = MINUTES_FIELD_NAMES[question.field]
                limit = MAX_LENGTH[question.field]
                return [Reply(messages.MINUTES_BAD_VALUE.format(field=name, limit=limit))]
            if not stored:
                questions.end(member.id)
                return [Reply(messages.MINUTES_NOT_YOURS.format(id=question.report_id))]
            self._changed()  # the index takes the corrected report
        row = self._visible(member, question.report_id)
        if row is None:
            questions.end(member.id)
            return [Reply(messages.MINUTES_NOT_FOUND.format(id=question.report_id))]
        return self._next(member, row, skipped=skipped)

    def _next(self, member: Member, row: ReportRow, *, skipped: tuple[str, ...]) -> list[Reply]:
        questions = self._reports.minutes
        unsaid = unsaid_fields(row, skipped=skipped) if questions.may_fill(row, member.id) else []
        if unsaid:
            field = unsaid[0]
            questions.ask(member.id, MinutesQuestion(row.id, field, skipped))
            name = MINUTES_FIELD_NAMES[field]
            hint = messages.MINUTES_HINTS.get(field, "")
            return [Reply(messages.MINUTES_ASK.format(field=name, hint=hint))]
        if questions.pending(member.id) is not None:
            questions.end(member.id)
        return [minutes_reply(row)]

    def _visible(self, member: Member, report_id: int) -> ReportRow | None:
        found = self._reports.rows_by_ids(member, [report_id])
        return found[0] if found else None


def minutes_reply(row: ReportRow) -> Reply:
    page = write_minutes(row)
    caption = messages.MINUTES_CAPTION.format(village=row.village, type=row.type, date=cn_date(row))
    if page.photos_total:
        caption += messages.MINUTES_CAPTION_PHOTOS.format(
            total=page.photos_total, shown=page.photos_shown
        )
    return Reply(caption, attachment=Attachment(page.name, page.data, "document"))
