"""What the report services share: the database, the clock and the day in the county's
timezone, the index, the windows for drafts and corrections; and a field's value as typed,
read and checked the same way on a draft and on a stored report."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Report
from bot.reports.amending import ReportAmendments
from bot.reports.field_input import check_head_counts, read_field_value
from bot.reports.index import ReportIndex
from bot.reports.minutes import MinutesQuestions
from bot.reports.rows import ReportRow
from bot.reports.validation import DEFAULT_EARLIEST


class ReportState:
    """The parts every report service method stands on; ReportService is built of its kinds."""

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

    def _row(self, session: Session, report_id: int) -> ReportRow | None:
        report = session.get(Report, report_id)
        return ReportRow.of(report) if report else None

    def _validate(self, field_name: str, raw: str) -> Any:
        return read_field_value(field_name, raw, today=self.today(), earliest=self.earliest)

    def _check_pair(self, field_name: str, value: Any, other: dict[str, Any]) -> None:
        check_head_counts(field_name, value, other, today=self.today(), earliest=self.earliest)
