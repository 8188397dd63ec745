"""The Party-day calendar as data: which day each branch holds it, and each month's theme."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.db import calendar as db
from bot.db.models import CalendarRule, MonthlyTheme
from bot.partyday.calendar_file import (
    CalendarFile,
    OverrideEntry,
    RuleEntry,
    ThemeEntry,
    read_calendar_file,
)
from bot.partyday.rules import PartyDayRule, month_key
from bot.partyday.workdays import WorkdayCalendar

Scope = tuple[str, str]  # (township, village); "" means any
COUNTY: Scope = ("", "")


@dataclass(frozen=True)
class PartyDay:
    day: date
    basis: str  # the rule's text, or the override's note
    scope: Scope
    moved_from: date | None = None  # the rule's own day, when a holiday moved it
    holiday: str | None = None


@dataclass(frozen=True)
class ImportSummary:
    rules: int
    overrides: int
    days: int
    themes: int


@dataclass
class Calendar:
    """A snapshot of the calendar; cheap to query for thousands of branches."""

    rules: dict[Scope, PartyDayRule] = field(default_factory=dict)
    overrides: dict[tuple[str, str, str], OverrideEntry] = field(default_factory=dict)
    themes: dict[str, ThemeEntry] = field(default_factory=dict)
    workdays: WorkdayCalendar = field(default_factory=WorkdayCalendar)
    _memo: dict[tuple[Scope, str], PartyDay | None] = field(default_factory=dict)
    _branch_memo: dict[tuple[str, str, int, int], PartyDay | None] = field(default_factory=dict)

    def party_day(
        self, year: int, month: int, *, village: str | None = None, township: str | None = None
    ) -> PartyDay | None:
        """The most specific scope that says anything wins: village, then township, then county;
        within a scope an override beats the rule."""
        branch_key = (township or "", village or "", year, month)
        if branch_key not in self._branch_memo:
            self._branch_memo[branch_key] = self._resolve(year, month, village, township)
        return self._branch_memo[branch_key]

    def _resolve(
        self, year: int, month: int, village: str | None, township: str | None
    ) -> PartyDay | None:
        key = month_key(year, month)
        for scope in _scopes(township or "", village or ""):
            memo_key = (scope, key)
            if memo_key not in self._memo:
                self._memo[memo_key] = self._in_scope(scope, year, month)
            found = self._memo[memo_key]
            if found is not None:
                return found
        return None

    def theme(self, year: int, month: int) -> ThemeEntry | None:
        return self.themes.get(month_key(year, month))

    def has_rules(self) -> bool:
        return bool(self.rules)

    def _in_scope(self, scope: Scope, year: int, month: int) -> PartyDay | None:
        override = self.overrides.get((*scope, month_key(year, month)))
        if override is not None:
            return PartyDay(override.day, override.note or "管理员调整", scope)
        rule = self.rules.get(scope)
        if rule is None:
            return None
        planned = rule.planned_in(year, month, self.workdays)
        actual = rule.day_in(year, month, self.workdays)
        if actual == planned:
            return PartyDay(actual, rule.text, scope)
        return PartyDay(actual, rule.text, scope, planned, self.workdays.holiday_name(planned))


def _scopes(township: str, village: str) -> list[Scope]:
    scopes = []
    if village:
        if township:
            scopes.append((township, village))
        scopes.append(("", village))
    if township:
        scopes.append((township, ""))
    scopes.append(COUNTY)
    return scopes


class CalendarService:
    def __init__(
        self, *, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._cached: tuple[tuple[object, ...], Calendar] | None = None

    def load(self) -> Calendar:
        """The calendar as stored; the same object (with its memo of computed days) while the
        stored rows do not change, so a tick every minute does not recompute 2,000 branches."""
        with self._sessions() as session:
            rows = (
                tuple(
                    (r.township, r.village, r.rule, r.shift) for r in db.list_rules(session=session)
                ),
                tuple(
                    (o.township, o.village, o.month, o.day, o.note)
                    for o in db.list_overrides(session=session)
                ),
                tuple((t.month, t.theme, t.tasks) for t in db.list_themes(session=session)),
                tuple((d.day, d.workday) for d in db.list_days(session=session)),
            )
        cached = self._cached
        if cached is not None and cached[0] == rows:
            return cached[1]
        rules, overrides, themes, days = rows
        calendar = Calendar(
            {(t, v): PartyDayRule.parse(rule, shift) for t, v, rule, shift in rules},
            {(t, v, m): OverrideEntry(t, v, m, day, note) for t, v, m, day, note in overrides},
            {m: ThemeEntry(m, theme, json.loads(tasks)) for m, theme, tasks in themes},
            WorkdayCalendar(dict(days)),
        )
        self._cached = (rows, calendar)
        return calendar

    def import_file(self, path: Path) -> ImportSummary:
        """Rules are replaced by the file's (when it has any); overrides, local days and themes
        are added or updated by month or date, so importing next year's themes keeps this
        year's. Raises CalendarFileError, writing nothing, if any entry is wrong."""
        return self.apply(read_calendar_file(path))

    def apply(self, parsed: CalendarFile) -> ImportSummary:
        """A checked calendar (a file's, or the rules an admin typed on the web) written."""
        now = self._clock()
        with self._sessions() as session, session.begin():
            if parsed.rules:
                db.replace_rules(
                    session=session,
                    rules=[
                        CalendarRule(
                            township=r.township,
                            village=r.village,
                            rule=r.rule.text,
                            shift=r.rule.shift.value,
                        )
                        for r in _last_per_scope(parsed.rules)
                    ],
                )
            for o in parsed.overrides:
                db.upsert_override(
                    session=session,
                    township=o.township,
                    village=o.village,
                    month=o.month,
                    day=o.day,
                    note=o.note,
                )
            for d in parsed.days:
                db.upsert_day(session=session, day=d.day, workday=d.workday, note=d.note)
            for t in parsed.themes:
                db.upsert_theme(session=session, theme=_theme_row(t, now))
        return ImportSummary(
            len(parsed.rules), len(parsed.overrides), len(parsed.days), len(parsed.themes)
        )

    def set_theme(self, month: str, theme: str, tasks: list[str]) -> None:
        with self._sessions() as session, session.begin():
            db.upsert_theme(
                session=session, theme=_theme_row(ThemeEntry(month, theme, tasks), self._clock())
            )

    def set_override(
        self, month: str, day: date, *, township: str = "", village: str = "", note: str = ""
    ) -> None:
        with self._sessions() as session, session.begin():
            db.upsert_override(
                session=session, township=township, village=village, month=month, day=day, note=note
            )

    def clear_override(self, month: str, *, township: str = "", village: str = "") -> bool:
        with self._sessions() as session, session.begin():
            return db.delete_override(
                session=session, township=township, village=village, month=month
            )


def _theme_row(entry: ThemeEntry, now: datetime) -> MonthlyTheme:
    return MonthlyTheme(
        month=entry.month,
        theme=entry.theme,
        tasks=json.dumps(entry.tasks, ensure_ascii=False),
        updated_at=now,
    )


def _last_per_scope(rules: list[RuleEntry]) -> list[RuleEntry]:
    by_scope = {(r.township, r.village): r for r in rules}
    return list(by_scope.values())
