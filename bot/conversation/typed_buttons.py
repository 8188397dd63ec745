"""Buttons pressed by typing their label. Where a channel shows buttons as reply words (WeCom's
text fallback, DingTalk's markdown, the terminal), the person types 确认 back; the core keeps
the labels it last offered each person in the database, so a press typed after a restart, or
in another process, still reaches the card it names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.conversation.turns import Reply, Who
from bot.db.offered_buttons import get_offered_action, put_offered_buttons

# a card left for longer is answered by pressing it anew (the reply that offers it again)
OFFER_TTL = timedelta(days=7)
_MAX_LABEL = 64


class TypedButtons:
    def __init__(
        self, *, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        self._sessions = session_factory
        self._clock = clock

    def action_for(self, who: Who, text: str) -> str | None:
        """The action of the newest button offered to `who` whose label is `text`, if any."""
        label = text.strip()
        if not label or len(label) > _MAX_LABEL:
            return None
        with self._sessions() as session:
            return get_offered_action(
                session=session,
                channel=who.channel,
                address=who.external_id,
                label=label,
                since=self._clock() - OFFER_TTL,
            )

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
