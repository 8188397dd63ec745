"""The terminal chat: the same Q&A service as every other channel, over stdin/stdout."""

from __future__ import annotations

from typing import TextIO

from bot import messages
from bot.qa.answer import Answer, citation
from bot.qa.service import QAService


def run_chat(service: QAService, *, stdin: TextIO, stdout: TextIO, interactive: bool) -> None:
    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    say(messages.CHAT_WELCOME)
    last: Answer | None = None
    while True:
        if interactive:
            stdout.write(messages.CHAT_PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit", "退出"):
            break
        if text == "/help":
            say(messages.CHAT_HELP)
            continue
        if text.startswith("/source"):
            say(
                _source_text(service, last, text)
                if last and last.sources
                else messages.CHAT_NO_SOURCE
            )
            continue
        answer = service.ask(text, previous=last)
        if answer.sources:  # the context for a follow-up ("那第二条呢")
            last = answer
        say(format_answer(answer))
    say(messages.CHAT_BYE)


def format_answer(answer: Answer) -> str:
    if answer.refused or not answer.sources:
        return answer.text
    return answer.text + "\n（输入 /source 1 查看第 1 条出处的原文）"


def _source_text(service: QAService, answer: Answer, command: str) -> str:
    parts = command.split()
    try:
        index = int(parts[1]) - 1 if len(parts) > 1 else 0
        passage = answer.sources[index]
    except (ValueError, IndexError):
        return messages.CHAT_SOURCE_USAGE
    section = service.full_text(passage.chunk_id)
    body = "\n".join(p.text for p in section) or passage.text
    return f"{citation(passage)}\n{body}"
