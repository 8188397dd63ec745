"""The terminal chat: the same conversation as every other channel, over stdin/stdout.

Anonymous, it answers policy questions. `--as` a registered user, it routes every line
through bot.conversation like the other channels: reports get the card (type 确认 or 取消
where other channels show buttons), pending fields, plans, ledger questions, help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from bot import messages
from bot.accounts import Member
from bot.conversation import Route, help_text, plan_text, route_text
from bot.qa.answer import Answer, citation
from bot.qa.service import QAService
from bot.reports.index import ReportIndex
from bot.reports.questions import answer_ledger_question
from bot.reports.service import DraftView, FieldError, ReportService
from bot.reports.views import card_text

CONFIRM_WORDS = frozenset({"确认", "确定", "好", "对"})
CANCEL_WORDS = frozenset({"取消", "不要了"})


@dataclass
class ChatUser:
    """Who the terminal speaks as, and the services their lines reach."""

    member: Member
    reports: ReportService
    report_index: ReportIndex | None = None


def run_chat(
    service: QAService,
    *,
    stdin: TextIO,
    stdout: TextIO,
    interactive: bool,
    user: ChatUser | None = None,
) -> None:
    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    say(
        messages.CHAT_WELCOME
        if user is None
        else messages.CHAT_WELCOME_AS.format(name=user.member.name or user.member.id)
    )
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
            say(messages.CHAT_HELP if user is None else help_text(user.member, commands=False))
            continue
        if text.startswith("/source"):
            say(
                _source_text(service, last, text)
                if last and last.sources
                else messages.CHAT_NO_SOURCE
            )
            continue
        if user is not None:
            handled = _as_user(user, text)
            if handled is not None:
                say(handled)
                continue
        answer = service.ask(text, previous=last)
        if answer.sources:  # the context for a follow-up ("那第二条呢")
            last = answer
        say(format_answer(answer))
    say(messages.CHAT_BYE)


def _as_user(user: ChatUser, text: str) -> str | None:
    """The reply for a registered user's line, or None when it is a policy question."""
    member, reports = user.member, user.reports
    draft = reports.open_draft(member.id)
    if draft is not None and not draft.missing and draft.editing is None:
        if text in CONFIRM_WORDS:
            row, created = reports.confirm(draft.id, member)
            if row is None:
                return messages.REPORT_EXPIRED
            reports.index_pending()
            saved = messages.REPORT_SAVED if created else messages.REPORT_ALREADY_SAVED
            return saved.format(id=row.id)
        if text in CANCEL_WORDS:
            reports.cancel(draft.id, owner=member.id)
            return messages.REPORT_CANCELLED
    pending = draft is not None and draft.editing is not None
    route, parsed = route_text(text, member=member, pending_field=pending, today=reports.today())
    if route == Route.HELP:
        return help_text(member, commands=False)
    if route == Route.PLAN and parsed is not None:
        return plan_text(parsed)
    if route == Route.FIELD and draft is not None and draft.editing is not None:
        try:
            updated = reports.set_field(draft.id, draft.editing, text, owner=member.id)
        except FieldError as exc:
            return messages.REPORT_FIELD_ERRORS[exc.reason]
        return _card(reports, updated) if updated is not None else messages.REPORT_EXPIRED
    if route == Route.REPORT:
        return _card(reports, reports.start_draft(member, text))
    if route == Route.LEDGER:
        return answer_ledger_question(reports, member, text, user.report_index).text
    return None


def _card(reports: ReportService, draft: DraftView) -> str:
    if draft.missing:
        reports.begin_edit(draft.id, draft.missing[0], owner=draft.owner)
        return card_text(draft)
    return card_text(draft) + "\n" + messages.CHAT_CARD_CHOICES


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
