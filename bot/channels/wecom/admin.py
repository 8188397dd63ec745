"""What the county's IT person does once for the WeCom app: put its menu in place, and bind
members of the corp's address book (通讯录) by their UserID with a role and scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bot.channels.wecom import CHANNEL
from bot.channels.wecom.api import NO_SUCH_USER, NOT_VISIBLE, WeComAPI, WeComError
from bot.people.accounts import AccountService, Member
from bot.people.invite_words import InviteRequest


def _click(name: str, command: str) -> dict[str, str]:
    return {"type": "click", "name": name, "key": command}


# a click sends its key as a message, so every item is a command the conversation knows; at
# most 3 items with 5 under each, names within 16 bytes on top and 40 below (WeCom's limits)
APP_MENU: dict[str, Any] = {
    "button": [
        {
            "name": "问答",
            "sub_button": [
                _click("使用帮助", "/help"),
                _click("主题党日日历", "/calendar"),
                _click("提醒设置", "/mute"),
            ],
        },
        {
            "name": "台账",
            "sub_button": [
                _click("怎么登记活动", "/report"),
                _click("我登记的活动", "/myreports"),
                _click("查看台账", "/reports"),
                _click("导出台账", "/export"),
                _click("统计图", "/stats"),
            ],
        },
        {
            "name": "我的",
            "sub_button": [
                _click("输入邀请码", "/start"),
                _click("网页版", "/web"),
            ],
        },
    ]
}


def install_menu(api: WeComAPI) -> None:
    api.create_menu(APP_MENU)


@dataclass(frozen=True)
class Binding:
    user_id: str
    outcome: Literal["bound", "not_found", "not_visible"]
    member: Member | None = None


def bind_members(
    api: WeComAPI, accounts: AccountService, user_ids: Sequence[str], request: InviteRequest
) -> list[Binding]:
    """Each UserID looked up in the address book first, so a typo binds nobody; the member's
    name comes from there. WeComError for what is wrong with the app itself (its Secret, its
    trusted IPs, its permissions): no member would fare better."""
    found: list[Binding] = []
    for user_id in user_ids:
        try:
            person = api.member(user_id)
        except WeComError as exc:
            if exc.errcode == NO_SUCH_USER:
                found.append(Binding(user_id, "not_found"))
            elif exc.errcode == NOT_VISIBLE:
                found.append(Binding(user_id, "not_visible"))
            else:
                raise
            continue
        member = accounts.add(
            str(person.get("userid") or user_id),
            request.role,
            channel=CHANNEL,
            name=str(person.get("name") or ""),
            village=request.village,
            township=request.township,
            by="wecom-directory",
        )
        found.append(Binding(user_id, "bound", member))
    return found
