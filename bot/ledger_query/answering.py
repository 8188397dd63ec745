"""A ledger query answered from the database under the one scope rule (bot.people.scope).

The place a question names is resolved against the county's branches first: outside the
asker's view it is said so (never 「没有记录」, never another place's rows), a village name two
branches in view share is asked back with the choices, and wherever two branches in view share
a name the answer names the township (城关镇张家村). 「哪些还没」 is computed against the branches
in the asker's view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot import messages as common
from bot.db.ledger_questions import ReportFact
from bot.ledger_query import messages
from bot.ledger_query.naming import Branch, branch_namer
from bot.ledger_query.periods import Period, find_period
from bot.ledger_query.reading import (
    Asked,
    LedgerQuery,
    PlaceSaid,
    one_slip_apart,
    read_question,
)
from bot.ordering import branch_key
from bot.people.accounts import Member
from bot.people.scope import scope_of
from bot.reports.index import ReportIndex
from bot.reports.service import ReportService

MAX_LISTED = 20


@dataclass(frozen=True)
class LedgerAnswer:
    text: str
    kind: str  # an Asked value, or "scope", "ask", "similar"
    reports: list[ReportFact] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)  # which have not


def answer_ledger_question(
    reports: ReportService, viewer: Member, question: str, index: ReportIndex | None = None
) -> LedgerAnswer:
    today = reports.today()
    known = reports.known_branches()
    query = read_question(
        question,
        today=today,
        villages={v for _, v in known},
        townships={t for t, _ in known if t},
        routed=True,
    )
    assert query is not None  # a routed text is always read
    answering = _Answering(reports, viewer, known, today, question)
    if index is not None and _free_text(query):
        return answering.similar(question, index)
    return answering.answer(query)


@dataclass(frozen=True)
class _Target:
    """The branches asked about (None: all in view), how the answer names them, a note to put
    first, and whether a secretary asked beyond their branch."""

    branches: list[Branch] | None
    where: str
    note: str = ""
    beyond_own: bool = False


def _free_text(query: LedgerQuery) -> bool:
    """Nothing to filter by (哪些村搞过人居环境整治): the reports closest in meaning."""
    place = query.place
    return (
        query.asked == Asked.LIST
        and not query.kinds
        and query.period is None
        and place.village is None
        and place.township is None
        and not place.own_branch
    )


class _Answering:
    def __init__(
        self,
        reports: ReportService,
        viewer: Member,
        known: set[Branch],
        today: date,
        question: str = "",
    ) -> None:
        self._question = question
        self._reports = reports
        self._viewer = viewer
        self._scope = scope_of(viewer)
        self._known = known
        self._today = today
        self._in_view = sorted((b for b in known if self._scope.may_see(*b)), key=branch_key)
        self._namer = branch_namer(self._in_view)

    @property
    def _view(self) -> str:
        return self._scope.label() or "无"

    def name(self, branch: Branch) -> str:
        """城关镇张家村 where two branches in view share 张家村, else 张家村."""
        return self._namer(*branch)

    def similar(self, question: str, index: ReportIndex) -> LedgerAnswer:
        rows = self._reports.rows_by_ids(self._viewer, index.search(question, self._viewer))
        found = [
            ReportFact(
                r.id,
                r.township,
                r.village,
                r.activity_date,
                r.type,
                r.theme,
                r.expected,
                r.attended,
            )
            for r in rows
        ]
        if not found:
            return LedgerAnswer(common.LEDGER_NOTHING_SIMILAR, "similar")
        text = common.LEDGER_SIMILAR + "\n" + self._lines(found)
        return LedgerAnswer(text, "similar", found)

    def answer(self, query: LedgerQuery) -> LedgerAnswer:
        resolved = self._resolve(query.place)
        if isinstance(resolved, LedgerAnswer):
            return resolved
        targets, where, note = resolved.branches, resolved.where, resolved.note
        period = query.period
        if period is None and query.asked == Asked.MISSING:
            period = find_period("本月", today=self._today)
        facts = self._reports.facts(
            self._viewer,
            start=period.start if period else None,
            end=period.end if period else None,
            types=query.kinds,
            branches=targets or (),
        )
        text, kind, shown, missing = self._compose(query, period, targets, where, facts)
        return LedgerAnswer(note + text, "scope" if resolved.beyond_own else kind, shown, missing)

    def _resolve(self, place: PlaceSaid) -> _Target | LedgerAnswer:
        scope = self._scope
        secretary = not scope.county and scope.township is None
        note = messages.READ_AS.format(known=place.village) if place.typed_village else ""
        own = list(self._in_view) if secretary else []
        beyond = place.own_township or place.county or place.township or place.across_villages
        if secretary and not place.village and beyond:
            lead = messages.SECRETARY_SEES_OWN.format(view=self._view)
            return _Target(own, self.name(own[0]) if own else "", lead + "\n", beyond_own=True)
        if place.county and not scope.county:
            return self._refuse("全县")
        if place.township:
            if place.township not in {t for t, _ in self._known}:
                return self._refuse(place.township, unknown=True)
            if not any(t == place.township for t, _ in self._in_view):
                return self._refuse(place.township)
        if place.village:
            return self._village(place, note)
        if place.township:
            return _Target(
                [b for b in self._in_view if b[0] == place.township], place.township, note
            )
        if place.own_branch and not secretary:
            example = f"{self._in_view[0][1]}这个月开了几次主题党日" if self._in_view else ""
            text = messages.WHICH_OF_MINE.format(example=example, view=self._view)
            return LedgerAnswer(text, "ask")
        if secretary:
            return _Target(own, self.name(own[0]) if own else "", note)
        if place.own_township and scope.township:
            return _Target(None, scope.township, note)
        return _Target(None, "", note)

    def _village(self, place: PlaceSaid, note: str) -> _Target | LedgerAnswer:
        assert place.village is not None
        named = [
            b
            for b in self._known
            if b[1] == place.village and (place.township is None or b[0] == place.township)
        ]
        said = (place.township or "") + (place.typed_village or place.village)
        if not named:
            refused = self._refuse(said, unknown=True)
            near = [v for _, v in self._in_view if one_slip_apart(v, place.village)]
            if near:
                ask = messages.DID_YOU_MEAN.format(village=near[0])
                return LedgerAnswer(refused.text + ask, "scope")
            return refused
        visible = sorted((b for b in named if self._scope.may_see(*b)), key=branch_key)
        if not visible:
            return self._refuse(said)
        if len(visible) > 1:
            choices = [f"{t}{v}" for t, v in visible]
            text = messages.WHICH_VILLAGE.format(
                count=len(visible), village=place.village, choices="、".join(choices)
            )
            typed = place.typed_village or place.village
            if typed in self._question:  # the question again, once per choice, ready to send
                asked = self._question.strip()
                text += "".join(
                    messages.ASK_AGAIN.format(question=asked.replace(typed, choice, 1))
                    for choice in choices
                )
            return LedgerAnswer(text, "ask")
        return _Target(visible, self.name(visible[0]), note)

    def _refuse(self, place: str, *, unknown: bool = False) -> LedgerAnswer:
        template = messages.NO_SUCH_PLACE if unknown else messages.OUT_OF_VIEW
        return LedgerAnswer(template.format(place=place, view=self._view), "scope")

    def _compose(
        self,
        query: LedgerQuery,
        period: Period | None,
        targets: list[Branch] | None,
        where: str,
        facts: list[ReportFact],
    ) -> tuple[str, str, list[ReportFact], list[Branch]]:
        words = {
            "period": period.label if period else "",
            "where": where,
            "what": query.kinds_label,
        }
        asked = query.asked
        if asked == Asked.MISSING:
            pool = targets if targets is not None else self._in_view
            if not pool:
                return messages.NO_BRANCHES.format(view=self._view), asked, [], []
            done = {(f.township or "", f.village) for f in facts}
            missing = [b for b in pool if b not in done]
            names = "、".join(self.name(b) for b in missing)
            template = messages.MISSING if missing else messages.NONE_MISSING
            text = template.format(**words, missing=len(missing), total=len(pool), names=names)
            return text, asked, [], missing
        if not facts:
            template = messages.LOGGED_NO if asked == Asked.LOGGED else messages.NOTHING
            return template.format(**words), asked, [], []
        if asked == Asked.ATTENDANCE:
            return (
                messages.ATTENDANCE_HEAD.format(**words)
                + "\n"
                + self._lines(facts, attendance=True),
                asked,
                facts,
                [],
            )
        if asked == Asked.LOGGED:
            head = messages.LOGGED_YES.format(**words, count=len(facts))
            return head + "\n" + self._lines(facts), asked, facts, []
        branches = sorted({(f.township or "", f.village) for f in facts}, key=branch_key)
        names = "、".join(self.name(b) for b in branches)
        if query.counts_villages:
            head = messages.VILLAGES_DID.format(
                **words, villages=len(branches), names=names, count=len(facts)
            )
        else:
            head = messages.HEAD.format(**words, count=len(facts))
            if len(branches) > 1 or (targets is None and not where):
                head += messages.HEAD_VILLAGES.format(villages=len(branches), names=names)
            head += "。"
        return head + "\n" + self._lines(facts), asked, facts, []

    def _lines(self, facts: Sequence[ReportFact], *, attendance: bool = False) -> str:
        lines = []
        for number, fact in enumerate(facts[:MAX_LISTED], start=1):
            place = self.name((fact.township or "", fact.village))
            if attendance:
                line = messages.LINE_ATTENDANCE.format(
                    number=number,
                    place=place,
                    date=f"{fact.activity_date:%Y-%m-%d}",
                    type=fact.type,
                    expected=_people(fact.expected),
                    attended=_people(fact.attended),
                    id=fact.id,
                )
            else:
                line = messages.LINE.format(
                    number=number,
                    place=place,
                    date=f"{fact.activity_date:%Y-%m-%d}",
                    type=fact.type,
                    theme=f"“{fact.theme}”" if fact.theme else "",
                    attended=(
                        messages.LINE_ATTENDED.format(attended=fact.attended)
                        if fact.attended is not None
                        else ""
                    ),
                    id=fact.id,
                )
            lines.append(line)
        if len(facts) > MAX_LISTED:
            lines.append(messages.MORE.format(count=len(facts) - MAX_LISTED))
        return "\n".join(lines)


def _people(count: int | None) -> str:
    return messages.PEOPLE.format(count=count) if count is not None else messages.NOT_GIVEN
