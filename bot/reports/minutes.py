"""Before a 会议记录 is written: the fields it needs that the report did not say (主持人, 记录人,
议题) are asked of the report's author one at a time. The question waits in the database like a
correction's; the answer is stored on the report with a revision, or 跳过 leaves it blank."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db import conversation as conversation_db
from bot.db.models import Report
from bot.reports.amending import record_revision
from bot.reports.rows import ReportRow

PENDING = "minutes"
SKIP_WORDS = frozenset({"跳过", "不填", "无", "没有", "空着", "手写"})
MAX_LENGTH = {"host": 32, "recorder": 32, "topics": 128}


class MinutesValueError(ValueError):
    """An answer the field cannot hold (empty, or longer than the column)."""


@dataclass(frozen=True)
class MinutesQuestion:
    report_id: int
    field: str
    skipped: tuple[str, ...]


class MinutesQuestions:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        draft_ttl: timedelta,
        correction_window: timedelta,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._ttl = draft_ttl
        self._window = correction_window

    def may_fill(self, row: ReportRow, user_id: int) -> bool:
        """Only the author answers, within the correction window; anyone else gets blanks."""
        if row.reporter_id != user_id or row.created_at is None:
            return False
        return self._clock() - row.created_at <= self._window

    def ask(self, user_id: int, question: MinutesQuestion) -> None:
        payload = {
            "report_id": question.report_id,
            "field": question.field,
            "skipped": list(question.skipped),
        }
        with self._sessions() as session, session.begin():
            conversation_db.set_state(
                session=session,
                user_id=user_id,
                pending=PENDING,
                payload=json.dumps(payload),
                now=self._clock(),
            )

    def pending(self, user_id: int) -> MinutesQuestion | None:
        with self._sessions() as session:
            state = conversation_db.get_state(session=session, user_id=user_id)
            if state is None or state.pending != PENDING:
                return None
            if self._clock() - state.updated_at > self._ttl:
                return None
            payload = json.loads(state.payload)
        return MinutesQuestion(
            int(payload["report_id"]), str(payload["field"]), tuple(payload.get("skipped", ()))
        )

    def end(self, user_id: int) -> None:
        with self._sessions() as session, session.begin():
            conversation_db.clear_state(session=session, user_id=user_id)

    def fill(self, user_id: int, question: MinutesQuestion, raw: str) -> bool:
        """Store the answer on the author's report; False when it is no longer theirs to change."""
        value = raw.strip()
        if not value or len(value) > MAX_LENGTH[question.field]:
            raise MinutesValueError(question.field)
        with self._sessions() as session, session.begin():
            report = session.get(Report, question.report_id)
            if report is None or report.deleted or report.reporter_id != user_id:
                return False
            if self._clock() - report.created_at > self._window:
                return False
            record_revision(
                session,
                report_id=report.id,
                user_id=user_id,
                field_name=question.field,
                old=getattr(report, question.field),
                new=value,
                source="会议记录",
                now=self._clock(),
            )
            setattr(report, question.field, value)
            report.updated_at = self._clock()
            report.indexed = False
        return True


def is_skip(text: str) -> bool:
    return text.strip().rstrip("。.！!") in SKIP_WORDS
