"""`partybot users` and `partybot wecom`: invite codes, users added and listed, web passwords,
and WeCom members bound from the address book (and the app's menu)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot import messages
from bot.cli.context import Cli, open_accounts
from bot.cli.link import add_link_parser, run_link

if TYPE_CHECKING:
    from bot.people.logins import LoginService

ROLE_HELP = "书记/secretary、工作人员/staff、管理员/admin"


def add_wecom_parser(commands: Any) -> None:
    wecom_help = "企业微信应用：菜单、从通讯录绑定成员"
    parser = commands.add_parser("wecom", help=wecom_help)
    parser.set_defaults(handler=cmd_wecom)
    wecom = parser.add_subparsers(dest="action", required=True)
    wecom.add_parser("menu", help="设置应用底部的菜单（帮助、日历、台账、邀请码……）")
    bind = wecom.add_parser("bind", help="按 UserID 从企业微信通讯录绑定成员，并授权")
    bind.add_argument("user_ids", nargs="+", metavar="UserID", help="通讯录里的账号，可写多个")
    bind.add_argument("--role", required=True, metavar="角色", help=ROLE_HELP)
    bind.add_argument("--village", metavar="村", help="书记所在的村")
    bind.add_argument("--township", metavar="乡镇", help="所在乡镇；工作人员不填为全县")


def add_users_parser(commands: Any) -> None:
    parser = commands.add_parser("users", help="用户管理")
    parser.set_defaults(handler=cmd_users)
    users = parser.add_subparsers(dest="action", required=True)
    invite = users.add_parser("invite", help="生成一次性邀请码")
    invite.add_argument("--role", required=True, metavar="角色", help=ROLE_HELP)
    invite.add_argument("--village", metavar="村", help="书记所在的村")
    invite.add_argument("--township", metavar="乡镇", help="所在乡镇；工作人员不填为全县")
    add = users.add_parser("add", help="直接添加用户（例如第一个管理员）")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--telegram-id", type=int, metavar="编号", help="Telegram 用户编号")
    who.add_argument("--external-id", metavar="账号", help="该渠道里的账号（与 --channel 一起用）")
    add.add_argument(
        "--channel",
        default="telegram",
        metavar="渠道",
        help="telegram（默认）、web、wecom、dingtalk、terminal",
    )
    add.add_argument("--role", required=True, metavar="角色", help=ROLE_HELP)
    add.add_argument("--name", default="", metavar="姓名", help="姓名（显示用）")
    add.add_argument("--village", metavar="村", help="书记所在的村")
    add.add_argument("--township", metavar="乡镇", help="所在乡镇；工作人员不填为全县")
    users.add_parser("list", help="列出用户")
    passwd = users.add_parser("passwd", help="设置网页版密码（非终端时从标准输入读取）")
    passwd.add_argument("login", metavar="登录名", help="网页版登录名（--channel web 的账号）")
    add_link_parser(users)


def cmd_wecom(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from bot.cli.checks import wecom_missing

    if not settings.wecom_configured:
        print(wecom_missing(settings), file=sys.stderr)
        return 2
    import httpx

    from bot.channels.wecom.admin import bind_members, install_menu
    from bot.channels.wecom.api import WeComError
    from bot.channels.wecom.server import make_wecom_api
    from bot.people.accounts import ROLE_NAMES, place
    from bot.people.invite_words import InviteWordsError, read_invite_words

    request = None
    if args.action == "bind":
        try:
            request = read_invite_words([args.role, args.township or "", args.village or ""])
        except InviteWordsError as exc:
            problem = messages.INVITE_WORD_ERRORS[exc.reason].format(word=exc.word)
            print(problem + "\n" + messages.CLI_WECOM_BIND_USAGE, file=sys.stderr)
            return 2
    api = make_wecom_api(settings)
    try:
        if request is None:
            install_menu(api)
            print(messages.CLI_WECOM_MENU_SET)
            return 0
        bindings = bind_members(api, open_accounts(settings)[0], args.user_ids, request)
    except WeComError as exc:
        hint = messages.CLI_WECOM_HINTS.get(exc.errcode, messages.CLI_WECOM_HINT_OTHER)
        print(messages.CLI_WECOM_REFUSED.format(errcode=exc.errcode, hint=hint), file=sys.stderr)
        return 1
    except httpx.HTTPError:
        url = settings.wecom_api_base_url
        print(messages.DOCTOR_WECOM_UNREACHABLE.format(url=url), file=sys.stderr)
        return 1
    finally:
        api.close()
    for binding in bindings:
        text = messages.CLI_WECOM_BINDINGS[binding.outcome]
        if binding.member is None:
            print(text.format(user=binding.user_id), file=sys.stderr)
            continue
        role = ROLE_NAMES[binding.member.role]
        where = place(binding.member.village, binding.member.township)
        print(text.format(user=binding.user_id, name=binding.member.name, role=role + where))
    return 0 if all(b.member for b in bindings) else 1


def cmd_users(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from datetime import UTC, datetime

    from bot.people.accounts import ROLE_NAMES

    accounts, sessions = open_accounts(settings)
    if args.action == "link":
        return run_link(sessions, args)
    if args.action == "passwd":
        from bot.people.logins import LoginService

        logins = LoginService(
            session_factory=sessions, accounts=accounts, clock=lambda: datetime.now(UTC)
        )
        return _set_web_password(logins, args.login)
    if args.action == "invite":
        from bot.people.invite_words import InviteWordsError, read_invite_words

        words = [args.role, args.township or "", args.village or ""]
        try:
            request = read_invite_words(words)
        except InviteWordsError as exc:
            problem = messages.INVITE_WORD_ERRORS[exc.reason].format(word=exc.word)
            print(problem + "\n" + messages.CLI_INVITE_USAGE, file=sys.stderr)
            return 2
        invite = accounts.invites.create_invite(
            request.role, village=request.village, township=request.township
        )
        expires = invite.expires_at.astimezone(settings.tz)
        print(
            messages.CLI_INVITE_CREATED.format(
                code=invite.code, expires=f"{expires:%Y-%m-%d %H:%M}"
            )
        )
    elif args.action == "add":
        from bot.people.invite_words import role_from_word

        role = role_from_word(args.role)
        if role is None:
            print(messages.CLI_UNKNOWN_ROLE.format(role=args.role), file=sys.stderr)
            return 2
        if role.value == "secretary" and not (args.village or "").strip():
            print(messages.CLI_SECRETARY_NEEDS_VILLAGE, file=sys.stderr)
            return 2
        external = args.external_id if args.external_id is not None else args.telegram_id
        channel = "telegram" if args.telegram_id is not None else args.channel
        member = accounts.add(
            external,
            role,
            channel=channel,
            name=args.name,
            village=args.village,
            township=args.township,
        )
        print(messages.CLI_USER_ADDED.format(telegram_id=external, role=ROLE_NAMES[member.role]))
    else:
        for entry in accounts.directory():
            if not entry.active:
                continue
            m = entry.member
            where = " ".join(p for p in (m.township, m.village) if p)
            address = " ".join(
                ext if channel == "telegram" else f"{channel}:{ext}"
                for channel, ext in entry.identities
            )
            print(f"{address}\t{m.name or '-'}\t{ROLE_NAMES[m.role]}\t{where}\t#{m.id}")
    return 0


def _set_web_password(logins: LoginService, login: str) -> int:
    """The password from a prompt (twice) at a terminal, else the first line of standard input."""
    import getpass

    from bot.people.logins import LoginError

    if sys.stdin.isatty():
        password = getpass.getpass(messages.CLI_PASSWORD_PROMPT)
        if getpass.getpass(messages.CLI_PASSWORD_AGAIN) != password:
            print(messages.CLI_PASSWORD_MISMATCH, file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        found = logins.set_password(login, password)
    except LoginError:
        print(messages.CLI_PASSWORD_WEAK, file=sys.stderr)
        return 2
    if not found:
        print(messages.CLI_NO_WEB_LOGIN.format(login=login), file=sys.stderr)
        return 2
    print(messages.CLI_PASSWORD_SET.format(login=login))
    return 0
