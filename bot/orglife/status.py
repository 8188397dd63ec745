"""Each branch's 三会一课 status for a month: which rules are met (and by which records) and
which are still due, with the days left in their period.

A rule is judged over the period that contains the month (a quarterly 党课 held in November
counts for October too). Records of the same kind on the same day are one meeting. Branches are
the registered ones (accounts.branches), filtered by the one scope rule.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session, sessionmaker

from bot.db.orglife import HeldFact, list_held_facts
from bot.db.users import list_branches
from bot.ledger_query.periods import month_end
from bot.ordering import branch_key
from bot.orglife import messages
from bot.orglife.rules import DEFAULT_RULES, Every, Rule, Rules, RulesFileError, load_rules
from bot.people.accounts import Member
from bot.people.scope import report_visible, scope_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Held:
    report_id: int
    day: date


@dataclass(frozen=True)
class RuleStatus:
    rule: Rule
    start: date
    end: date
    held: tuple[Held, ...]  # one per meeting day, the first record of the day
    today: date

    @property
    def done(self) -> bool:
        return len(self.held) >= self.rule.times

    @property
    def missing(self) -> int:
        return max(0, self.rule.times - len(self.held))

    @property
    def days_left(self) -> int:
        """Days left in the period, today included; 0 once it has ended."""
        return max(0, (self.end - self.today).days + 1)

    @property
    def period_label(self) -> str:
        if self.rule.every == Every.MONTH:
            return f"{self.start.month}月"
        if self.rule.every == Every.QUARTER:
            return f"第{'一二三四'[(self.start.month - 1) // 3]}季度"
        return f"{self.start.year}年"


@dataclass(frozen=True)
class BranchStatus:
    township: str
    village: str
    month: date  # its first day
    items: tuple[RuleStatus, ...]
    exempt: tuple[str, ...]

    @property
    def done(self) -> list[str]:
        return [i.rule.kind for i in self.items if i.done]

    @property
    def due(self) -> list[str]:
        return [i.rule.kind for i in self.items if not i.done]

    def as_json(self) -> dict[str, object]:
        return {
            "township": self.township,
            "village": self.village,
            "period": f"{self.month:%Y-%m}",
            "done": self.done,
            "due": self.due,
        }


def period_of(every: Every, month: date) -> tuple[date, date]:
    """The month, quarter or year (Asia/Shanghai calendar days) that contains `month`."""
    if every == Every.MONTH:
        return month, month_end(month)
    if every == Every.QUARTER:
        first = date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
        return first, month_end(date(month.year, first.month + 2, 1))
    return date(month.year, 1, 1), date(month.year, 12, 31)


def branch_status(
    rules: Rules,
    township: str,
    village: str,
    facts: Iterable[HeldFact],
    *,
    month: date,
    today: date,
) -> BranchStatus:
    facts = list(facts)
    items: list[RuleStatus] = []
    exempt: list[str] = []
    for rule in rules.rules:
        if not rules.applies(rule, township, village):
            exempt.append(rule.kind)
            continue
        start, end = period_of(rule.every, month)
        days: dict[date, int] = {}
        for fact in facts:
            if start <= fact.activity_date <= end and fact.kinds & rule.counts:
                days.setdefault(fact.activity_date, fact.id)
        held = tuple(Held(report_id, day) for day, report_id in sorted(days.items()))
        items.append(RuleStatus(rule, start, end, held, today))
    return BranchStatus(township, village, month, tuple(items), tuple(exempt))


def statuses(
    rules: Rules,
    branches: Iterable[tuple[str, str]],
    facts: Iterable[HeldFact],
    *,
    month: date,
    today: date,
) -> list[BranchStatus]:
    by_branch: dict[tuple[str, str], list[HeldFact]] = defaultdict(list)
    for fact in facts:
        by_branch[(fact.township, fact.village)].append(fact)
    return [
        branch_status(rules, t, v, by_branch.get((t, v), ()), month=month, today=today)
        for t, v in sorted(set(branches), key=branch_key)
    ]


class OrgLifeService:
    """Status per branch under the viewer's scope, with the rules file re-read when it changes;
    a bad file is logged and the rules in force stay."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        today: Callable[[], date],
        rules_path: Path | None = None,
    ) -> None:
        self._sessions = session_factory
        self.today = today
        self._path = rules_path
        self._rules = DEFAULT_RULES
        self._stamp: float | None = None

    def rules(self) -> Rules:
        if self._path is None:
            return self._rules
        try:
            stamp = self._path.stat().st_mtime if self._path.is_file() else None
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._rules = load_rules(self._path if stamp is not None else None)
            except RulesFileError as exc:
                log.warning(messages.RULES_KEPT.format(problems="\n".join(exc.problems)))
        return self._rules

    def all_branches(self) -> set[tuple[str, str]]:
        """The registered branches (those with an active secretary, as accounts.branches)."""
        with self._sessions() as session:
            return list_branches(session=session)

    def branches(self, viewer: Member, *, township: str | None = None) -> list[tuple[str, str]]:
        scope = scope_of(viewer)
        if scope.branches:  # a secretary: their own branch, registered by being theirs
            found = set(scope.branches)
        else:
            found = self.all_branches() if not scope.nothing else set()
        return [
            (t, v) for t, v in found if scope.may_see(t, v) and (township is None or t == township)
        ]

    def status(
        self, viewer: Member, *, month: date, township: str | None = None
    ) -> list[BranchStatus]:
        branches = self.branches(viewer, township=township)
        if not branches:
            return []
        return self._statuses(branches, report_visible(scope_of(viewer)), month)

    def status_of(self, branches: Iterable[tuple[str, str]], *, month: date) -> list[BranchStatus]:
        """These branches' status with no viewer (the reminders' outbox): every record counts."""
        return self._statuses(list(branches), true(), month)

    def _statuses(
        self, branches: list[tuple[str, str]], visible: ColumnElement[bool], month: date
    ) -> list[BranchStatus]:
        rules = self.rules()
        facts: list[HeldFact] = []
        with self._sessions() as session:
            for every in Every:  # each span read for the kinds its rules count only
                counted = {k for r in rules.rules if r.every == every for k in r.counts}
                if counted:
                    start, end = period_of(every, month)
                    facts += list_held_facts(
                        session=session, visible=visible, start=start, end=end, kinds=counted
                    )
        return statuses(rules, branches, facts, month=month.replace(day=1), today=self.today())
