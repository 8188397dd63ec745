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
        )
