"""`partybot users link USER_ID --channel dingtalk --external-id ID`: attach a channel identity
to an existing user (bot.people.linking), with the refusals the link code has. Kept in its own
module so the `users` command only names it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot import messages


def add_link_parser(users: Any) -> None:
    link = users.add_parser("link", help="把另一个渠道的账号绑定到已有用户（同一个人）")
    link.add_argument("user_id", type=int, metavar="用户编号", help="users list 每行末尾的 #编号")
    link.add_argument(
        "--channel", required=True, metavar="渠道", help="dingtalk、wecom、telegram、web、terminal"
    )
    link.add_argument("--external-id", required=True, metavar="账号", help="该渠道里的账号")


def run_link(session_factory: Any, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.people.accounts import ROLE_NAMES, place
    from bot.people.linking import IdentityLinks, LinkError

    links = IdentityLinks(session_factory=session_factory, clock=lambda: datetime.now(UTC))
    channel, external_id = args.channel.strip().lower(), args.external_id.strip()
    try:
        member = links.attach(args.user_id, channel=channel, external_id=external_id, by="cli")
    except LinkError as exc:
        print(messages.LINK_ERRORS[exc.reason], file=sys.stderr)
        return 2
    print(
        messages.CLI_LINKED.format(
            channel=channel,
            external_id=external_id,
            user_id=member.id,
            role=ROLE_NAMES[member.role],
            place=place(member.village, member.township),
        )
    )
    return 0
