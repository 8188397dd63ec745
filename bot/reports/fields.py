"""A draft's fields, typed: what the parser read, as the secretary edits it on the card. Stored
as JSON in the draft row (a draft is a parse result under edit; the confirmed report has a
column for each)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

# the fields a card's buttons may change, and how they are named to people
EDITABLE = (
    "date",
    "type",
    "theme",
    "expected",
    "attended",
    "place",
    "host",
    "recorder",
    "absent",
)
REQUIRED = ("date", "type", "village")


@dataclass(frozen=True)
class DraftFields:
    date: str | None = None  # ISO date
    village: str | None = None
    type: str | None = None
    tags: list[str] = field(default_factory=list)
    theme: str | None = None
    expected: int | None = None
    attended: int | None = None
    place: str | None = None
    host: str | None = None
    recorder: str | None = None
    absent: int | None = None
    absent_reasons: str | None = None
    topics: str | None = None
    decisions: str | None = None
    summary: str = ""
    plan: bool = False
    # another village the sentence named (a secretary logs for their own branch only)
    named_village: str | None = None
    # the other activities the same message told of, as fields: offered one after another
    following: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftFields:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def with_value(self, name: str, value: Any) -> DraftFields:
        return replace(self, **{name: value})

    def value(self, name: str) -> Any:
        return getattr(self, name)
