"""How answers and lists name a branch: 张家村, or 城关镇张家村 wherever two branches in the
viewer's view share the name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from bot.people.accounts import Member
from bot.people.scope import scope_of
from bot.reports.service import ReportService

Branch = tuple[str, str]  # (乡镇 or '', 村)


def branch_namer(in_view: Iterable[Branch]) -> Callable[[str | None, str], str]:
    counts = Counter(village for _, village in in_view)

    def name(township: str | None, village: str) -> str:
        return f"{township or ''}{village}" if counts[village] > 1 else village

    return name


def viewer_namer(reports: ReportService, viewer: Member) -> Callable[[str | None, str], str]:
    scope = scope_of(viewer)
    return branch_namer(b for b in reports.known_branches() if scope.may_see(*b))
