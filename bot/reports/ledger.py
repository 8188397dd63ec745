"""The stored reports: their author's corrections and deletions within the window, queries
within the viewer's scope, pages in 台账 order, and the reports' search index kept up."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import true

from bot.db import conversation as conversation_db
from bot.db import ledger_questions as questions_db
from bot.db import reports as db
from bot.db import users as users_db
from bot.db.ledger_questions import ReportFact
from bot.db.models import Report
from bot.ordering import ledger_key
from bot.people.accounts import Member, Role
from bot.people.scope import report_visible, scope_of
from bot.reports.amending import field_value, record_revision, set_field_value
from bot.reports.rows import ReportRow
from bot.reports.state import ReportState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LedgerPage:
    total: int
    number: int
    pages: int
    rows: list[ReportRow]


class ReportLedger(ReportState):
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
        """Reports the viewer may see (bot.people.scope): a secretary their branch, township
        staff their township, county staff and admins the county."""
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
