"""What a channel hands the conversation, and what it gets back — nothing channel-specific.

A channel (Telegram, the terminal, the web page, WeCom) translates its message into one of the
`Incoming` kinds, calls `Conversation.handle(who, incoming)` and renders the `Reply` list:
buttons carry opaque action strings the channel hands back as a `Press`; attachments are bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.people.accounts import Role


@dataclass(frozen=True)
class Who:
    """The person and the chat a message came from, as the channel knows them."""

    channel: str
    external_id: str
    # the chat the message was written in, unique within the channel (a group or the person)
    chat: str
    private: bool = True
    name: str = ""
    # the person at the server's own console: may ask policy questions without registering
    trusted: bool = False

    @property
    def chat_key(self) -> str:
        return f"{self.channel}:{self.chat}"


@dataclass(frozen=True)
class Text:
    text: str
    sent_at: datetime | None = None
    # the sender's idempotency token (a web form's): the same token again is a retry
    submission: str | None = None


@dataclass(frozen=True)
class Command:
    """A slash command: `name` without the slash, `args` the rest of the line."""

    name: str
    args: str = ""
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Press:
    """A button of an earlier reply was pressed; `action` is the string that button carried."""

    action: str


@dataclass(frozen=True)
class Photo:
    """A photo: `ref` is the channel's stable reference for it (opaque to the core), `data` its
    bytes when the channel could fetch them. Parts of one album share `album`."""

    ref: str
    data: bytes | None = None
    caption: str = ""
    album: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class AlbumSettled:
    """The channel has waited for an album's parts to arrive; sent once per uncaptioned part."""

    album: str


@dataclass(frozen=True)
class Unsupported:
    """Voice, stickers, video …: anything the assistant cannot read."""

    kind: str


@dataclass(frozen=True)
class Document:
    """A file the person sent. `data` is None when the channel did not fetch it: over its size
    limit (`size` then says how big it is, as far as the channel counted) or the fetch failed
    (`size` 0)."""

    name: str
    data: bytes | None
    size: int = 0


Incoming = Text | Command | Press | Photo | AlbumSettled | Document | Unsupported


@dataclass(frozen=True)
class Button:
    label: str
    # handed back as Press(action); at most 64 bytes (Telegram's limit on button data)
    action: str


# a row id in a button: ASCII digits that fit a 64-bit integer column
_MAX_ID_DIGITS = 18


def button_number(text: str) -> int | None:
    """The id a button carries, or None for anything else: '²' and '٣' are digits to
    str.isdigit but not to int(), and 99999999999999999999 overflows the database's integer."""
    if not text or len(text) > _MAX_ID_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    kind: Literal["document", "photo"]


@dataclass(frozen=True)
class Reply:
    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    # replaces the message whose button was pressed (text, or only its buttons when text is "")
    replace: bool = False
    # a short acknowledgement of a press (a toast where the channel has one, else a line)
    notice: bool = False
    # to the person alone, never into the group chat they wrote in
    private: bool = False
    # the command menu this person's role now gets (after registration, /start)
    menu: Role | None = None
    # the answering sentence of a policy answer, in 「」 in `text`; a page may set it in bold
    lead: str = ""


def incoming_text(
    text: str, *, sent_at: datetime | None = None, submission: str | None = None
) -> Text | Command:
    """A typed line as the conversation reads it: "/report 今天…" is a command, else text.
    "/cmd@botname" (how Telegram groups address a bot) is the command cmd."""
    if text.startswith("/") and len(text) > 1:
        head, _, rest = text[1:].partition(" ")
        name = head.split("@")[0].lower()
        if name and name.isascii():
            return Command(name, rest.strip(), sent_at=sent_at)
    return Text(text, sent_at=sent_at, submission=submission)
