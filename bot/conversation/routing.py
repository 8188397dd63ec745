"""What a free text is, decided in one place and in one order for every channel:

1. a command's name as menus and help show it, typed as words (我的记录, 导出台账, 日历);
2. the answer to a pending report field — unless the text reads as a question, which escapes it
   (the card keeps waiting; nothing is lost);
3. a request for help (怎么登记活动, 你能干啥, 帮助);
4. from a secretary: a correction of a stored report, a planned activity (never logged as
   done) or a report;
5. what the 三会一课 rules still ask (bot.orglife.asking: 「这个月三会一课还差啥」);
6. a question about the ledger;
7. a policy question.

Channels (Telegram, the terminal, later the web and WeCom) only translate their messages and
render the replies; they do not decide any of this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum

from bot import messages
from bot.ledger_query.reading import is_ledger_question
from bot.people.accounts import Member, Role
from bot.people.invites import CODE_ALPHABET, CODE_LENGTH
from bot.reports.corrections import is_correction
from bot.reports.parsing import ParsedReport, looks_like_report, parse_activities


class Route(StrEnum):
    COMMAND = "command"
    FIELD = "field"
    HELP = "help"
    PLAN = "plan"
    REPORT = "report"
    CORRECTION = "correction"
    LEDGER = "ledger"
    QUESTION = "question"


# how people ask what the assistant does, or how to use it
_HELP = re.compile(
    r"^(?:/?help|/?帮助|帮助|使用说明|说明书|菜单|功能)$|"
    r"(?:怎么|如何|咋|怎样)(?:样)?(?:登记|上报|报|记录|填报|录入)(?:一下)?(?:活动|台账|记录)?|"
    r"(?:怎么|如何|咋)(?:用|使用)(?:你|这个|机器人|助手)?|"
    r"你(?:能|会|可以)(?:做|干|帮我?做?)(?:些)?(?:什么|啥|哪些)|"
    r"有(?:什么|啥|哪些)功能|能干(?:点)?啥"
)
# What the menus (Telegram's, WeCom's) and the help call each command, and how people shorten it:
# a person who sees "我登记的活动" in a menu may well type "我的记录".
_COMMAND_WORDS = {
    word: command
    for command, words in {
        "report": ("登记活动", "登记", "上报活动"),
        "myreports": ("我的记录", "我的活动", "我登记的活动", "我登记的", "我的登记", "我的台账"),
        "reports": ("台账", "查台账", "查看台账", "看台账"),
        "export": ("导出", "导出台账", "导出excel", "导出表格", "下载台账"),
        "stats": ("统计", "统计图", "图表", "月度图表", "月度统计"),
        "calendar": ("日历", "主题党日日历", "党日日历"),
        "mute": ("提醒设置", "开关提醒", "关闭提醒", "打开提醒"),
        "web": ("网页版", "网页"),
        "link": ("绑定其他渠道", "绑定渠道", "绑定账号", "关联其他渠道"),
    }.items()
    for word in words
}
_TRIM = "。.!！~～"
# a text that asks, rather than answers a card's question
_ASKS = re.compile(
    r"[?？]|吗|呢|怎么|怎样|如何|什么|为什么|为啥|多久|多少|哪些|哪个|是否|能不能|可不可以"
    r"|几(?:次|个|条|人|号|天|回|场)|啥|咋|还差|有没有"
)


# a guest who pastes the code they were given, as it is or after "邀请码"
_INVITE_CODE = re.compile(
    rf"^(?:邀请码\s*[:：]?\s*)?([{CODE_ALPHABET}{CODE_ALPHABET.lower()}]{{{CODE_LENGTH}}})[。.!！]?$"
)


def invite_code_in(text: str) -> str | None:
    """The invite code when a text is only that ("K7P3QX9M", "邀请码：k7p3qx9m")."""
    found = _INVITE_CODE.match(text.strip())
    return found.group(1).upper() if found else None


def command_named_by(text: str) -> str | None:
    """The command a text names and nothing more ("我的记录" -> "myreports"); else None."""
    return _COMMAND_WORDS.get("".join(text.split()).strip(_TRIM).lower())


def is_help_request(text: str) -> bool:
    return _HELP.search(text.strip()) is not None


def reads_as_question(text: str) -> bool:
    """True for "主题党日多久开展一次？"; False for a field's value ("6月3日", "28人")."""
    text = text.strip()
    return len(text) > 4 and _ASKS.search(text) is not None


def route_text(
    text: str,
    *,
    member: Member | None,
    pending_field: bool,
    today: date,
    read: Callable[[str], list[ParsedReport]] | None = None,
) -> tuple[Route, list[ParsedReport]]:
    """The route for a private text, and the activities it tells of when it is a report (or
    the plan); `read` parses a secretary's text as the report's draft will (the service's
    villages and the day it was sent), so the draft takes this parse rather than making its
    own."""
    if command_named_by(text) is not None:
        return Route.COMMAND, []
    # a question typed while a card waits for a field is that question, never the value
    asks = reads_as_question(text) or (member is not None and is_ledger_question(text, today=today))
    if pending_field and not asks:
        return Route.FIELD, []
    if is_help_request(text):
        return Route.HELP, []
    if member is not None and member.role == Role.SECRETARY:
        if is_correction(text, today=today):
            return Route.CORRECTION, []
        activities = read(text) if read else parse_activities(text, today=today)
        first = activities[0]  # the first record, or the plan
        if looks_like_report(text, first):
            return (Route.PLAN if first.plan else Route.REPORT), activities
    if member is not None and is_ledger_question(text, today=today):
        return Route.LEDGER, []
    return Route.QUESTION, []


def help_text(member: Member | None, *, commands: bool = True) -> str:
    """What this person can do, one example each; `commands=False` for channels without them."""
    if member is None:
        text = messages.HELP_GUEST
    elif member.role == Role.SECRETARY:
        text = messages.HELP_SECRETARY
    elif member.role == Role.STAFF:
        text = messages.HELP_STAFF
    else:
        text = messages.HELP_STAFF + "\n" + messages.HELP_ADMIN
    if not commands:
        text = "\n".join(line for line in text.splitlines() if "/" not in line)
    return text


def plan_text(parsed: ParsedReport) -> str:
    when = f"{parsed.date.month}月{parsed.date.day}日" if parsed.date else "近期"
    what = parsed.type or "活动"
    return messages.PLAN_NOT_LOGGED.format(when=when, what=what)
