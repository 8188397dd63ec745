"""Buttons pressed by typing their label. Where a channel shows buttons as reply words (WeCom's
text fallback, DingTalk's markdown, the terminal), the person types 确认 back; the core keeps
the labels it offered each person in the database, so a press typed after a restart, or in
another process, still reaches the card it names. The newest card comes first: the start of one
of its labels (确认 for 确认更正) presses it when only one label starts so, before an older card's
确认 would; an older card's label still presses it (a second 确认 is told it is done)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.conversation.turns import Reply, Who
from bot.db.offered_buttons import list_offered_buttons, put_offered_buttons

# a card left for longer is answered by pressing it anew (the reply that offers it again)
OFFER_TTL = timedelta(days=7)
_MAX_LABEL = 64
_MIN_PREFIX = 2


class TypedButtons:
    def __init__(
        self, *, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        self._sessions = session_factory
        self._clock = clock

    def action_for(self, who: Who, text: str) -> str | None:
        """The action of the button offered to `who` that `text` names: on the newest card, by
        its label or the start of only one label; else on an older card, by its label."""
        typed = text.strip()
        if not typed or len(typed) > _MAX_LABEL:
            return None
        with self._sessions() as session:
            offered = list_offered_buttons(
                session=session,
                channel=who.channel,
                address=who.external_id,
                since=self._clock() - OFFER_TTL,
            )
        if not offered:
            return None
        newest = max(row.turn for row in offered)
        exact = {row.label: row for row in offered}.get(typed)
        if exact is not None and exact.turn == newest:
            return exact.action
        if len(typed) >= _MIN_PREFIX:
            starting = [r for r in offered if r.turn == newest and r.label.startswith(typed)]
            if len(starting) == 1:
                return starting[0].action
        return exact.action if exact is not None else None

    def remember(self, who: Who, replies: Iterable[Reply]) -> None:
        actions = {
            button.label[:_MAX_LABEL]: button.action
            for reply in replies
            for row in reply.buttons
            for button in row
        }
        if not actions:
            return
        with self._sessions.begin() as session:
            put_offered_buttons(
                session=session,
                channel=who.channel,
                address=who.external_id,
                actions=actions,
                now=self._clock(),
            )
