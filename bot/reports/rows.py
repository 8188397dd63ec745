"""A confirmed report as every reader sees it: the ledger, the index, exports, answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.db.models import Report


@dataclass(frozen=True)
class ReportRow:
    id: int
    reporter_id: int
    village: str
    township: str | None
    activity_date: date
    type: str
    tags: list[str]
    theme: str | None
    expected: int | None
    attended: int | None
    summary: str
    photos: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    place: str | None = None
    host: str | None = None
    recorder: str | None = None
    absent: int | None = None
    absent_reasons: str | None = None
    topics: str | None = None
    decisions: str | None = None

    @property
    def absent_text(self) -> str:
        """缺席及原因 as the 台账 prints it: 3人（外出务工2人，因病1人）; the count from the
        head counts when the report gave none."""
        count = self.absent
        if count is None and self.expected is not None and self.attended is not None:
            count = self.expected - self.attended if self.attended <= self.expected else None
        if count is None:
            return self.absent_reasons or ""
        return f"{count}人" + (f"（{self.absent_reasons}）" if self.absent_reasons else "")

    @classmethod
    def of(cls, report: Report) -> ReportRow:
        return cls(
            report.id,
            report.reporter_id,
            report.village,
            report.township,
            report.activity_date,
            report.type,
            json.loads(report.tags),
            report.theme,
            report.expected,
            report.attended,
            report.summary,
            [p.path or p.ref for p in report.photos],
            report.created_at,
            report.place,
            report.host,
            report.recorder,
            report.absent,
            report.absent_reasons,
            report.topics,
            report.decisions,
        )
