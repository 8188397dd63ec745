"""Who may see which ledger rows: the one visibility rule every query path uses.

A branch is (township, village), never a village name alone: 河口镇's 张家村 and 城关镇's 张家村 are
two branches. A secretary sees their branch; staff bound to a township see that township; staff
with no township and admins see the county. Anyone else sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, true

from bot.db.models import Report
from bot.people.accounts import Member, Role


@dataclass(frozen=True)
class Scope:
    county: bool = False
    township: str | None = None
    # (township or "", village) pairs
    branches: tuple[tuple[str, str], ...] = ()

    @property
    def nothing(self) -> bool:
        return not self.county and self.township is None and not self.branches

    def may_see(self, township: str | None, village: str) -> bool:
        if self.county:
            return True
        if self.township is not None:
            return (township or "") == self.township
        return ((township or ""), village) in self.branches

    def label(self) -> str:
        """How answers and exports name the scope: 全县, 城关镇, 城关镇张家村."""
        if self.county:
            return "全县"
        if self.township is not None:
            return self.township
        return "、".join(f"{t}{v}" for t, v in self.branches)


def scope_of(member: Member | None) -> Scope:
    if member is None:
        return Scope()
    if member.role == Role.ADMIN:
        return Scope(county=True)
    if member.role == Role.STAFF:
        return Scope(township=member.township) if member.township else Scope(county=True)
    if member.role == Role.SECRETARY and member.village:
        return Scope(branches=((member.township or "", member.village),))
    return Scope()


def report_visible(scope: Scope) -> ColumnElement[bool]:
    """The SQL condition on `Report` for the rows the scope may see."""
    if scope.county:
        return true()
    township = func.coalesce(Report.township, "")
    if scope.township is not None:
        return township == scope.township
    if not scope.branches:
        return false()
    return or_(*(and_(township == t, Report.village == v) for t, v in scope.branches))


def vector_where(scope: Scope) -> dict[str, Any] | None:
    """The same rule as a Chroma metadata filter (reports are stored with township '' if none);
    None means no filter. An empty scope gets a filter nothing matches."""
    if scope.county:
        return None
    if scope.township is not None:
        return {"township": scope.township}
    clauses = [{"$and": [{"township": t}, {"village": v}]} for t, v in scope.branches]
    if not clauses:
        return {"report_id": -1}
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}
