"""Report texts every channel shows the same way: the card to confirm. Buttons are the
channel's own; the texts here name no channel."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot import messages
from bot.reports.rows import ReportRow
from bot.reports.service import FIELD_NAMES, DraftView

LISTED_ROWS = 50


def card_text(draft: DraftView) -> str:
    f = draft.fields
    empty = messages.REPORT_EMPTY_FIELD
    text = messages.REPORT_CARD.format(
        date=f.date or empty,
        village=f.village or empty,
        type=f.type or empty,
        tags=f"（另有：{'、'.join(f.tags)}）" if f.tags else "",
        theme=f.theme or empty,
        expected=f.expected if f.expected is not None else empty,
        attended=f.attended if f.attended is not None else empty,
        place=f.place or empty,
        host=f.host or empty,
        photos=draft.photos,
    )
    said = [
        messages.REPORT_CARD_RECORDER.format(recorder=f.recorder) if f.recorder else "",
        messages.REPORT_CARD_ABSENT.format(
            absent=f.absent, reasons=f"（{f.absent_reasons}）" if f.absent_reasons else ""
        )
        if f.absent
        else "",
        messages.REPORT_CARD_TOPICS.format(topics=f.topics) if f.topics else "",
        messages.REPORT_CARD_DECISIONS.format(decisions=f.decisions) if f.decisions else "",
    ]
    if any(said):
        text += "\n" + "\n".join(line for line in said if line)
    if f.following:
        text += "\n\n" + messages.REPORT_MORE_ACTIVITIES.format(count=len(f.following))
    if f.named_village:
        text += "\n\n" + messages.REPORT_OTHER_VILLAGE.format(named=f.named_village, own=f.village)
    if draft.missing:
        asked = draft.missing[0]
        name = FIELD_NAMES[asked]
        hint = messages.REPORT_FIELD_HINTS.get(asked, "")
        problem = next((p for p in draft.problems if p.field == asked), None)
        if problem is not None and f.value(asked):
            ask = messages.REPORT_FIELD_ERRORS[problem.reason] + messages.REPORT_ASK_FIELD.format(
                field=name
            )
        else:
            ask = messages.REPORT_MISSING.format(field=name)
        text += "\n\n" + ask + (f"（{hint}）" if hint else "")
    return text


def own_reports_text(rows: Sequence[ReportRow]) -> str:
    """A secretary's recent reports, one line each."""
    return "\n".join(
        messages.MYREPORTS_LINE.format(
            id=r.id,
            date=r.activity_date.isoformat(),
            type=r.type,
            theme=f"“{r.theme}”" if r.theme else "",
            attended=r.attended if r.attended is not None else "-",
        )
        for r in rows
    )


def ledger_rows_text(
    rows: Sequence[ReportRow], name: Callable[[str | None, str], str] | None = None
) -> str:
    """Ledger rows as staff list them, the first LISTED_ROWS and how many more; `name` says
    how to name a branch (城关镇张家村 where two in view share 张家村)."""
    lines = [
        messages.REPORTS_LINE.format(
            id=r.id,
            date=r.activity_date.isoformat(),
            village=name(r.township, r.village) if name else r.village,
            type=r.type,
            attended=r.attended if r.attended is not None else "-",
        )
        for r in rows[:LISTED_ROWS]
    ]
    if len(rows) > LISTED_ROWS:
        lines.append(messages.REPORTS_MORE.format(count=len(rows) - LISTED_ROWS))
    return "\n".join(lines)


def ledger_answer_line(number: int, row: ReportRow) -> str:
    """One report in the answer to a ledger question."""
    return (
        f"{number}. {row.village} {row.activity_date:%Y-%m-%d} {row.type}"
        + (f"“{row.theme}”" if row.theme else "")
        + (f"，实到 {row.attended} 人" if row.attended is not None else "")
        + f"（台账第{row.id}号）"
    )


PARSED_LABELS = {
    "date": "日期",
    "village": "村",
    "type": "活动类型",
    "tags": "其他类型",
    "theme": "主题",
    "expected": "应到人数",
    "attended": "实到人数",
    "place": "地点",
    "host": "主持人",
    "recorder": "记录人",
    "absent": "缺席人数",
    "absent_reasons": "缺席原因",
    "topics": "议题",
    "decisions": "决议",
    "plan": "是计划（不记入台账）",
}


def parsed_text(fields: dict[str, object]) -> str:
    """`partybot report parse` without --json: one Chinese line per field."""
    lines = []
    for key, label in PARSED_LABELS.items():
        value = fields.get(key)
        if isinstance(value, bool):
            shown = "是" if value else "否"
        elif isinstance(value, list):
            shown = "、".join(map(str, value)) or messages.REPORT_EMPTY_FIELD
        else:
            shown = messages.REPORT_EMPTY_FIELD if value is None else str(value)
        lines.append(f"{label}：{shown}")
    return "\n".join(lines)
