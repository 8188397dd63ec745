"""One set of checks for a report's fields, wherever they come from: parsed, edited, corrected.

A date may not lie in the future nor before the ledger's start; the attended count may not
exceed the expected one, nor may the absent one. A field that fails is asked again on the card;
确认 waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

DEFAULT_EARLIEST = date(2010, 1, 1)


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str  # future_date | too_old | more_than_expected | absent_more_than_expected


def check_date(value: date, *, today: date, earliest: date) -> str | None:
    if value > today:
        return "future_date"
    if value < earliest:
        return "too_old"
    return None


def check_fields(fields: dict[str, Any], *, today: date, earliest: date) -> list[Problem]:
    problems = []
    raw_date = fields.get("date")
    if raw_date:
        reason = check_date(date.fromisoformat(raw_date), today=today, earliest=earliest)
        if reason:
            problems.append(Problem("date", reason))
    expected, attended = fields.get("expected"), fields.get("attended")
    if expected is not None and attended is not None and attended > expected:
        problems.append(Problem("attended", "more_than_expected"))
    absent = fields.get("absent")
    if expected is not None and absent is not None and absent > expected:
        problems.append(Problem("absent", "absent_more_than_expected"))
    return problems
