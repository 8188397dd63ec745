"""The core's replies as WeCom messages: text in pieces WeCom accepts, buttons as a
button-interaction template card (the key a button carries comes back in the card event),
files and pictures uploaded first."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from bot import messages
from bot.conversation.turns import Button, Reply

TEXT_LIMIT_BYTES = 2000  # WeCom takes 2,048 bytes of text per message
BUTTONS_PER_CARD = 6


def text_pieces(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Split at blank lines, then lines, then characters, each piece within `limit` bytes."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        while len(line.encode()) > limit:  # one enormous line
            cut = limit // 3
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current:
        pieces.append(current)
    return pieces or [""]


def card(buttons: list[Button], title: str) -> dict[str, Any]:
    return {
        "msgtype": "template_card",
        "template_card": {
            "card_type": "button_interaction",
            "main_title": {"title": title[:36]},
            "task_id": uuid.uuid4().hex,
            "button_list": [{"text": b.label[:10], "style": 1, "key": b.action} for b in buttons],
        },
    }


def messages_for(reply: Reply) -> Iterator[dict[str, Any]]:
    """WeCom messages for one reply, except attachments (they need an upload first)."""
    if reply.text and reply.attachment is None:
        for piece in text_pieces(reply.text):
            yield {"msgtype": "text", "text": {"content": piece}}
    buttons = [button for row in reply.buttons for button in row]
    for start in range(0, len(buttons), BUTTONS_PER_CARD):
        yield card(buttons[start : start + BUTTONS_PER_CARD], messages.WECOM_CHOOSE)


def card_as_text(card_message: dict[str, Any]) -> dict[str, Any]:
    """A button card as a text that names its buttons, for a deployment without template cards
    (an older 政务微信): the core reads a label typed back as its button's press."""
    labels = [b["text"] for b in card_message["template_card"]["button_list"]]
    return {"msgtype": "text", "text": {"content": reply_words(labels)}}


def reply_words(labels: list[str]) -> str:
    """The line that names a reply's buttons, for a channel where they are typed back (WeCom
    without template cards, DingTalk)."""
    return messages.WECOM_REPLY_WITH.format(labels="、".join(f"“{t}”" for t in labels))
