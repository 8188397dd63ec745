"""A field's value as a secretary types it (a date, a type, a head count, a name), read and
checked the same way on a draft's card and on a stored report."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.reports.fields import EDITABLE
from bot.reports.parsing import TYPE_NAMES, find_date
from bot.reports.validation import check_date, check_fields
from ingest.numerals import parse_number

FIELD_NAMES = {
    "date": "日期",
    "village": "村",
    "type": "活动类型",
    "theme": "主题",
    "expected": "应到人数",
    "attended": "实到人数",
    "place": "地点",
    "host": "主持人",
    "recorder": "记录人",
    "absent": "缺席人数",
}


class FieldError(ValueError):
    """A value the user typed for a field that cannot be used; `reason` is a message key."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field_name = field_name
        self.reason = reason


def read_field_value(field_name: str, raw: str, *, today: date, earliest: date) -> Any:
    """The value `raw` typed for a field means; FieldError when it cannot be used."""
    if field_name not in EDITABLE:
        raise FieldError(field_name, "unknown_field")
    if field_name == "date":
        parsed = find_date(raw, today=today, happened=True)  # asked of a record
        if parsed is None:
            try:
                parsed = date.fromisoformat(raw)
            except ValueError:
                raise FieldError(field_name, "bad_date") from None
        problem = check_date(parsed, today=today, earliest=earliest)
        if problem:
            raise FieldError(field_name, problem)
        return parsed.isoformat()
    if field_name == "type":
        aliases = {"支委会": "支部委员会", "党员大会": "支部党员大会"}
        value = aliases.get(raw, raw)
        if value not in TYPE_NAMES:
            raise FieldError(field_name, "bad_type")
        return value
    if field_name in ("expected", "attended", "absent"):
        number = parse_number(raw.removesuffix("人").removesuffix("名"))
        if number is None or number < 0:
            raise FieldError(field_name, "bad_number")
        return number
    if not raw or len(raw) > (32 if field_name in ("host", "recorder") else 100):
        raise FieldError(field_name, "bad_text")
    return raw


def check_head_counts(
    field_name: str, value: Any, other: dict[str, Any], *, today: date, earliest: date
) -> None:
    """An edited head count must still fit with the other one."""
    if field_name not in ("expected", "attended") or value is None:
        return
    merged = {**other, field_name: value}
    if any(
        p.reason == "more_than_expected"
        for p in check_fields(
            {"expected": merged.get("expected"), "attended": merged.get("attended")},
            today=today,
            earliest=earliest,
        )
    ):
        raise FieldError(field_name, "more_than_expected")
