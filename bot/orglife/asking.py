"""「这个月三会一课还差啥」「这个季度党课上了没」: a question about what the rules still ask of
a branch, answered by role — a secretary their branch's list, township staff a table of their
branches, county staff a count per township (the table when they name a township). No ranking:
branches in the fixed place order, towns by name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.ledger_query.periods import find_period
from bot.ordering import place_key
from bot.orglife import messages
from bot.orglife.rules import Rules
from bot.orglife.status import BranchStatus, OrgLifeService, RuleStatus
from bot.people.accounts import Member, Role

_THREE = re.compile(r"三会一课|组织生活")
_OUTSTANDING = re.compile(
    r"还差|差(?:啥|什么|哪|几)|还缺|缺(?:啥|什么|哪)|还(?:要|得|需要)(?:开|上|搞)|还有(?:啥|什么|哪些?)没|"
    r"完成(?:情况|了吗|了没|没)|落实(?:情况|了吗|了没)|(?:情况|进度)(?:怎么样|如何)?[?？]?$|"
    r"(?:开|上|搞|办|召开|开展)(?:了|过)?没(?:有)?|(?:开|上|搞|办)(?:了|过)(?:吗|没)|(?:还)?没(?:开|上|搞|办)"
)
_OWN_PERIOD = re.compile(r"这个?月|本月|当月|这个?季度|本季度|今年|本年度?|上个?月|上个?季度")
_ACROSS = re.compile(r"哪些村|哪个村|哪几个村|各村|几个村|多少个村")
# whether a record is in the ledger, who came: the ledger's own questions
_LEDGER_ASKS = re.compile(r"登记|录入|报上|上报|台账|记录|实到|应到|人数|几次")


@dataclass(frozen=True)
class OrgLifeQuestion:
    kinds: tuple[str, ...]  # empty: every rule
    month: date  # first day of the month asked about


def read_orglife_question(text: str, *, rules: Rules, today: date) -> OrgLifeQuestion | None:
    flat = "".join(text.split())
    named = tuple(r.kind for r in rules.rules if r.kind in flat)
    if not _OUTSTANDING.search(flat) or _ACROSS.search(flat) or _LEDGER_ASKS.search(flat):
        return None
    if not _THREE.search(flat) and not (named and _OWN_PERIOD.search(flat)):
        return None
    period = find_period(flat, today=today)
    first = (period.end if period is not None else today).replace(day=1)
    if period is not None and period.start <= today <= period.end:
        first = today.replace(day=1)  # 这个季度: the month we are in, so the days left are true
    return OrgLifeQuestion(kinds=() if _THREE.search(flat) else named, month=first)


def answer_orglife(
    service: OrgLifeService, viewer: Member, question: OrgLifeQuestion, text: str
) -> str:
    township, outside = _township_named(service, viewer, text)
    if outside:
        return messages.NOT_IN_VIEW
    found = service.status(viewer, month=question.month, township=township)
    if not found:
        return messages.NO_BRANCHES
    month = f"{question.month.year}年{question.month.month}月"
    if viewer.role == Role.SECRETARY:
        return "\n\n".join(branch_text(s, month, question.kinds) for s in found)
    if viewer.township is None and township is None:
        return county_text(found, month)
    return table_text(found, township or viewer.township or "全县", month, question.kinds)


def _township_named(service: OrgLifeService, viewer: Member, text: str) -> tuple[str | None, bool]:
    """The township the text names, and whether it is outside the viewer's view."""
    towns = {t for t, _ in service.all_branches() if t}
    named = next((t for t in sorted(towns, key=len, reverse=True) if t in text), None)
    if named is None:
        return None, False
    if viewer.role == Role.SECRETARY:
        return None, named != viewer.township
    return named, viewer.township is not None and viewer.township != named


def _item_text(item: RuleStatus) -> str:
    if item.done:
        dates = "、".join(f"{h.day.month}月{h.day.day}日（#{h.report_id}）" for h in item.held)
        return messages.DONE_ITEM.format(
            kind=item.rule.kind, frequency=item.rule.frequency(), dates=dates
        )
    if item.days_left == 0:
        return messages.DUE_ITEM_CLOSED.format(
            kind=item.rule.kind, frequency=item.rule.frequency(), period=item.period_label
        )
    return messages.DUE_ITEM.format(
        kind=item.rule.kind,
        frequency=item.rule.frequency(),
        missing=item.missing,
        period=item.period_label,
        days=item.days_left,
    )


def branch_text(status: BranchStatus, month: str, kinds: tuple[str, ...] = ()) -> str:
    items = [i for i in status.items if not kinds or i.rule.kind in kinds]
    lines = [messages.BRANCH_TITLE.format(branch=status.township + status.village, month=month)]
    lines += [_item_text(i) for i in items]
    lines += [messages.EXEMPT_ITEM.format(kind=k) for k in status.exempt if not kinds or k in kinds]
    if items and all(i.done for i in items):
        lines.append(messages.BRANCH_ALL_DONE)
    return "\n".join(lines)


def table_text(
    found: list[BranchStatus], scope: str, month: str, kinds: tuple[str, ...] = ()
) -> str:
    lines = [messages.TABLE_TITLE.format(scope=scope, month=month, count=len(found))]
    for status in found:
        done = [k for k in status.done if not kinds or k in kinds]
        due = [k for k in status.due if not kinds or k in kinds]
        lines.append(
            messages.TABLE_ROW.format(
                branch=status.township + status.village,
                done="、".join(done) or messages.TABLE_NONE,
                due="、".join(due) or messages.TABLE_NONE,
            )
        )
    return "\n".join(lines)


def county_text(found: list[BranchStatus], month: str) -> str:
    towns: dict[str, list[BranchStatus]] = {}
    for status in found:
        towns.setdefault(status.township, []).append(status)
    lines = [messages.COUNTY_TITLE.format(month=month)]
    for township in sorted(towns, key=place_key):
        branches = towns[township]
        due = sum(1 for s in branches if s.due)
        name = township or "（未填乡镇）"
        lines.append(messages.COUNTY_ROW.format(township=name, count=len(branches), due=due))
    lines.append(messages.COUNTY_MORE)
    return "\n".join(lines)
