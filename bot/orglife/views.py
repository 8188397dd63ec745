"""The 三会一课 section of the web 台账 page: a secretary's own items, a township's table, or
the county's count per township (its table when a township is chosen). No ranking: places in
the fixed order, no scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.ordering import place_key
from bot.orglife.status import BranchStatus, OrgLifeService, RuleStatus
from bot.people.accounts import Member, Role


@dataclass(frozen=True)
class ItemView:
    kind: str
    frequency: str
    done: bool
    report_ids: tuple[int, ...]
    missing: int
    days_left: int
    period: str


@dataclass(frozen=True)
class BranchView:
    township: str
    village: str
    items: tuple[ItemView, ...]
    exempt: tuple[str, ...]


@dataclass(frozen=True)
class TownView:
    township: str
    branches: int
    with_due: int


@dataclass(frozen=True)
class OrgLifeSection:
    month: str  # YYYY-MM
    branches: tuple[BranchView, ...] = ()
    towns: tuple[TownView, ...] = ()  # the county's count, when no township is chosen


def _item(item: RuleStatus) -> ItemView:
    return ItemView(
        kind=item.rule.kind,
        frequency=item.rule.frequency(),
        done=item.done,
        report_ids=tuple(h.report_id for h in item.held),
        missing=item.missing,
        days_left=item.days_left,
        period=item.period_label,
    )


def _branch(status: BranchStatus) -> BranchView:
    items = tuple(_item(i) for i in status.items)
    return BranchView(status.township, status.village, items, status.exempt)


def orglife_section(
    service: OrgLifeService | None, viewer: Member, month: str | None, township: str | None
) -> OrgLifeSection | None:
    """None when there is nothing to show (no service, no month chosen)."""
    if service is None or not month:
        return None
    first = date.fromisoformat(f"{month}-01")
    county = viewer.role in (Role.STAFF, Role.ADMIN) and viewer.township is None
    found = service.status(viewer, month=first, township=township or None)
    if county and not township:
        towns: dict[str, list[BranchStatus]] = {}
        for status in found:
            towns.setdefault(status.township, []).append(status)
        return OrgLifeSection(
            month=month,
            towns=tuple(
                TownView(t, len(towns[t]), sum(1 for s in towns[t] if s.due))
                for t in sorted(towns, key=place_key)
            ),
        )
    return OrgLifeSection(month=month, branches=tuple(_branch(s) for s in found))
