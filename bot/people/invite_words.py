"""`/invite` as admins write it: `staff 城关镇`, `书记 张家村 城关镇`, `工作人员 全县`,
`城关镇张家村 支书`.

A township ends in 镇/乡/街道, a branch's village in 村/社区; the order does not matter. Staff are
bound to a township or the county, never to a village; a secretary to a branch, which needs
both its township and its village (two townships may each have a 张家村).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.people.accounts import Role

ROLE_WORDS: dict[str, Role] = {
    **dict.fromkeys(
        ("secretary", "书记", "村书记", "支书", "村支书", "支部书记", "党支部书记", "第一书记"),
        Role.SECRETARY,
    ),
    **dict.fromkeys(
        ("staff", "工作人员", "干部", "组织委员", "组织员", "组织部", "乡镇", "乡镇干部"),
        Role.STAFF,
    ),
    **dict.fromkeys(("admin", "管理员"), Role.ADMIN),
}
COUNTY_WORDS = frozenset({"全县", "县", "县级", "-", "－"})
_TOWNSHIP = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道)$")
_VILLAGE = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:村|社区)$")
_BOTH = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:镇|乡|街道))([\u4e00-\u9fff]{1,8}(?:村|社区))$")


@dataclass(frozen=True)
class InviteRequest:
    role: Role
    village: str | None
    township: str | None


class InviteWordsError(ValueError):
    """reason: no_role | two_roles | unknown_word | secretary_needs_branch |
    staff_no_village | admin_no_place"""

    def __init__(self, reason: str, word: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.word = word


def role_from_word(word: str) -> Role | None:
    return ROLE_WORDS.get(word.strip().lower())


def read_invite_words(words: Sequence[str]) -> InviteRequest:
    roles: list[Role] = []
    village = township = None
    for raw in words:
        word = raw.strip()
        if not word:
            continue
        if (role := role_from_word(word)) is not None:
            roles.append(role)
        elif word in COUNTY_WORDS:
            continue
        elif both := _BOTH.match(word):
            township, village = both.group(1), both.group(2)
        elif _TOWNSHIP.match(word):
            township = word
        elif _VILLAGE.match(word):
            village = word
        else:
            raise InviteWordsError("unknown_word", word)
    if not roles:
        raise InviteWordsError("no_role")
    if len(set(roles)) > 1:
        raise InviteWordsError("two_roles")
    role = roles[0]
    if role == Role.SECRETARY and not (village and township):
        raise InviteWordsError("secretary_needs_branch")
    if role == Role.STAFF and village:
        raise InviteWordsError("staff_no_village", village)
    if role == Role.ADMIN and (village or township):
        raise InviteWordsError("admin_no_place")
    return InviteRequest(role, village, township)


def invite_scope(request: InviteRequest) -> str:
    """What the invite binds, as the preview and the code's message say it."""
    if request.role == Role.SECRETARY:
        return f"{request.township}{request.village}"
    if request.role == Role.STAFF:
        return request.township or "全县"
    return "全县"
