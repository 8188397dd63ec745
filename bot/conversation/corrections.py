"""A secretary's correction of a stored report, every channel alike: the message is read
(bot.reports.corrections), the record and its change shown as a card (old → new), and the
change made only on 确认更正 — once, kept in the record's history with who and when."""

from __future__ import annotations

from typing import Any

from bot import messages
from bot.conversation.turns import Button, Reply
from bot.people.accounts import Member
from bot.reports.indexer import BackgroundIndexer
from bot.reports.rows import ReportRow
from bot.reports.service import FIELD_NAMES, ReportService


class CorrectionTurns:
    def __init__(self, *, reports: ReportService, indexer: BackgroundIndexer) -> None:
        self._reports = reports
        self._indexer = indexer

    def proposal(self, member: Member, text: str, record_id: int | None = None) -> list[Reply]:
        found = self._reports.amendments.propose(member, text, record_id=record_id)
        if found.problem == "ambiguous":  # ask, rather than guess which record
            return [Reply(messages.CORRECTION_WHICH, buttons=_choice_buttons(found.choices))]
        record = found.record
        if record is None:
            return [Reply(messages.CORRECTION_PROBLEMS["none_found"])]
        about = {
            "id": record.id,
            "date": record.activity_date.isoformat(),
            "village": record.village,
            "type": record.type,
        }
        if found.problem in messages.CORRECTION_PROBLEMS:
            fix = Button(messages.MYREPORTS_FIX.format(id=record.id), f"rp:fix:{record.id}")
            text = messages.CORRECTION_PROBLEMS[found.problem].format(**about)
            return [Reply(text, buttons=((fix,),))]
        if found.problem is not None:  # the changed record would be impossible
            return [Reply(messages.REPORT_FIELD_ERRORS[found.problem])]
        lines = "\n".join(
            messages.CORRECTION_CHANGE_LINE.format(
                field=FIELD_NAMES[name], old=_shown(old), new=_shown(new)
            )
            for name, (old, new) in found.changes.items()
        )
        answer = (
            Button(messages.CORRECTION_BUTTON_APPLY, f"rp:am:{record.id}"),
            Button(messages.CORRECTION_BUTTON_DROP, f"rp:an:{record.id}"),
        )
        return [Reply(messages.CORRECTION_CARD.format(changes=lines, **about), buttons=(answer,))]

    def press(self, member: Member, verb: str, report_id: int) -> list[Reply]:
        amendments = self._reports.amendments
        if verb == "pk":
            text = amendments.picked_text(member)
            if text is None:
                return [Reply(messages.CORRECTION_EXPIRED, notice=True)]
            return self.proposal(member, text, record_id=report_id)
        if verb == "an":
            if amendments.drop(member, report_id):
                return [Reply(messages.CORRECTION_DROPPED, replace=True)]
            return [Reply(messages.CORRECTION_EXPIRED, notice=True)]
        row, outcome, changes = amendments.apply(member, report_id)
        if outcome == "done":  # a second tap, or the same press delivered twice
            return [Reply(messages.CORRECTION_ALREADY_APPLIED, notice=True)]
        if row is None:
            return [Reply(messages.CORRECTION_EXPIRED, replace=True)]
        self._indexer.poke()
        changed = "，".join(f"{FIELD_NAMES[name]} {_shown(v)}" for name, v in changes.items())
        return [Reply(messages.CORRECTION_APPLIED.format(id=row.id, changes=changed), replace=True)]


def _shown(value: Any) -> str:
    return messages.CORRECTION_EMPTY_VALUE if value in (None, "") else str(value)


def _choice_buttons(rows: list[ReportRow]) -> tuple[tuple[Button, ...], ...]:
    """One button a row: 第12号 12月5日 主题党日."""
    return tuple(
        (
            Button(
                messages.CORRECTION_CHOICE.format(
                    id=r.id, month=r.activity_date.month, day=r.activity_date.day, type=r.type
                ),
                f"rp:pk:{r.id}",
            ),
        )
        for r in rows
    )
