"""The terminal chat: a channel of the conversation core over stdin/stdout.

Each line goes to the core as a text or a command; replies are printed, their buttons shown as
[标签] and pressed by typing the label (确认, 修改, 查看原文 …); files are saved to a folder, and
"/file 路径" sends one (what the core does with it is the core's: an admin's goes into the
knowledge base).
Anonymous, the person at the server's console may ask policy questions; `--as` a registered
user, they log reports, answer the card's questions and ask about the ledger like anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot import messages
from bot.conversation.core import Conversation
from bot.conversation.turns import Document, Incoming, Reply, Who, incoming_text

CHANNEL = "terminal"
QUIT = frozenset({"/quit", "/exit", "退出"})
FILE_COMMAND = "/file "


def console_user() -> Who:
    return Who(channel=CHANNEL, external_id="console", chat="console", trusted=True)


def run_chat(
    conversation: Conversation,
    *,
    stdin: TextIO,
    stdout: TextIO,
    interactive: bool,
    who: Who | None = None,
    name: str = "",
    save_dir: Path = Path(),
) -> None:
    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    speaker = who or console_user()
    say(messages.CHAT_WELCOME if who is None else messages.CHAT_WELCOME_AS.format(name=name))
    while True:
        line = _read_line(stdin, interactive)
        if line is None:
            break
        text = line.strip()
        if not text:
            continue
        if text in QUIT:
            break
        if who is None and text == "/help":
            say(messages.CHAT_HELP)
            continue
        incoming: Incoming
        if text.startswith(FILE_COMMAND):
            path = Path(text.removeprefix(FILE_COMMAND).strip()).expanduser()
            if not path.is_file():
                say(messages.CHAT_NO_FILE.format(path=path))
                continue
            incoming = read_document(path, conversation.max_upload_bytes)
        else:
            incoming = incoming_text(text)  # a button's label typed back is read by the core
        for reply in conversation.handle(speaker, incoming):
            say_reply(reply, say=say, save_dir=save_dir)
    say(messages.CHAT_BYE)


def read_document(path: Path, limit: int) -> Document:
    """A file on disk as one sent to the assistant; over `limit`, its size alone."""
    size = path.stat().st_size
    return Document(path.name, path.read_bytes() if size <= limit else None, size)


def _read_line(stdin: TextIO, interactive: bool) -> str | None:
    """The next line; None at the end. At a terminal input() gives line editing and history
    (the caller imports readline)."""
    if interactive:
        try:
            return input(messages.CHAT_PROMPT)
        except EOFError:
            return None
    line = stdin.readline()
    return line if line else None


def say_reply(reply: Reply, *, say: Callable[[str], None], save_dir: Path) -> None:
    lines = [reply.text] if reply.text else []
    if reply.attachment is not None:
        save_dir.mkdir(parents=True, exist_ok=True)
        path = save_dir / reply.attachment.name
        path.write_bytes(reply.attachment.data)
        lines.append(messages.CHAT_SAVED.format(path=path))
    labels = [button.label for row in reply.buttons for button in row]
    if labels:
        lines.append(" ".join(f"[{label}]" for label in labels) + messages.CHAT_BUTTONS_HINT)
    if lines:
        say("\n".join(lines))
