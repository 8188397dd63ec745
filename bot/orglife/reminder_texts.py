"""The words of a 三会一课 reminder (one branch's own items, nothing about any other) and of a
staff member's monthly summary (numbers for their scope only)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from bot.orglife import messages
from bot.orglife.status import BranchStatus, RuleStatus


def reminder_text(village: str, due: Sequence[RuleStatus]) -> str:
    lines = [messages.REMINDER_TITLE.format(village=village)]
    lines += [
        messages.DUE_ITEM.format(
            kind=item.rule.kind,
            frequency=item.rule.frequency(),
            missing=item.missing,
            period=item.period_label,
            days=item.days_left,
        )
        for item in due
    ]
    lines.append(messages.REMINDER_FOOT)
    return "\n".join(lines)


def summary_text(scope: str, found: Sequence[BranchStatus], *, today: date) -> str:
    with_due = [s for s in found if s.due]
    lines = [
        messages.SUMMARY_TITLE.format(
            scope=scope,
            month=f"{today.month}月",
            day=today.day,
            count=len(found),
            due=len(with_due),
        )
    ]
    counts = Counter(kind for status in with_due for kind in status.due)
    kinds = [i.rule.kind for s in found for i in s.items]
    for kind in dict.fromkeys(kinds):  # the rules' order
        if counts[kind]:
            lines.append(messages.SUMMARY_ITEM.format(kind=kind, count=counts[kind]))
    if not with_due:
        lines.append(messages.SUMMARY_ALL_DONE)
    lines.append(messages.SUMMARY_FOOT)
    return "\n".join(lines)
