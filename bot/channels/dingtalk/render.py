"""The core's replies as DingTalk robot messages: text in pieces; buttons as a markdown message
that names them (WeCom's reply words) with each label a link that, tapped in the DingTalk app,
sends the label as the member's message, so a tap and a typed label are the same press."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot.channels.dingtalk import messages
from bot.channels.wecom.render import reply_words, text_pieces
from bot.conversation.turns import Reply

# a conservative piece size for one robot text (DingTalk cuts far longer ones)
TEXT_LIMIT_BYTES = 4000
SEND_AS_MESSAGE = "dtmd://dingtalkclient/sendMessage?content="


def messages_for(reply: Reply) -> list[dict[str, Any]]:
    """The messages for one reply; its buttons as links that send their label back (which the
    core reads as the press)."""
    out: list[dict[str, Any]] = []
    if reply.text:
        out += [text(piece) for piece in text_pieces(reply.text, TEXT_LIMIT_BYTES)]
    if reply.attachment is not None:
        out.append(text(messages.FILE_ON_WEB.format(name=reply.attachment.name)))
    labels = [button.label for row in reply.buttons for button in row]
    if labels:
        links = "  \n".join(f"[{label}]({SEND_AS_MESSAGE}{quote(label)})" for label in labels)
        body = f"{reply_words(labels)}\n\n{links}"
        out.append({"msgtype": "markdown", "markdown": {"title": messages.CHOOSE, "text": body}})
    return out


def text(content: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": content}}
