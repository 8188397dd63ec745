"""Report texts every channel shows the same way: the card to confirm. Buttons are the
channel's own; the texts here name no channel."""

from __future__ import annotations

from bot import messages
from bot.reports.service import FIELD_NAMES, DraftView


def card_text(draft: DraftView) -> str:
    f = draft.fields
    empty = messages.REPORT_EMPTY_FIELD
    text = messages.REPORT_CARD.format(
        date=f.get("date") or empty,
        village=f.get("village") or empty,
        type=f.get("type") or empty,
        tags=f"（另有：{'、'.join(f['tags'])}）" if f.get("tags") else "",
        theme=f.get("theme") or empty,
        expected=f.get("expected") if f.get("expected") is not None else empty,
        attended=f.get("attended") if f.get("attended") is not None else empty,
        photos=draft.photos,
    )
    if f.get("named_village"):
        text += "\n\n" + messages.REPORT_OTHER_VILLAGE.format(
            named=f["named_village"], own=f.get("village")
        )
    if draft.missing:
        asked = draft.missing[0]
        name = FIELD_NAMES[asked]
        hint = messages.REPORT_FIELD_HINTS.get(asked, "")
        problem = next((p for p in draft.problems if p.field == asked), None)
        if problem is not None and f.get(asked):
            ask = messages.REPORT_FIELD_ERRORS[problem.reason] + messages.REPORT_ASK_FIELD.format(
                field=name
            )
        else:
            ask = messages.REPORT_MISSING.format(field=name)
        text += "\n\n" + ask + (f"（{hint}）" if hint else "")
    return text
