"""`partybot start`, `run`, `web`, `chat` and `doctor`: the assistant's channels, started one at a
time or all in one process, and the check that they can start."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot import messages
from bot.cli.context import Cli


def add_chat_parser(commands: Any) -> None:
    chat = commands.add_parser("chat", help="终端对话")
    chat.add_argument(
        "--as",
        dest="as_user",
        metavar="用户",
        help="以已注册用户的身份（编号、渠道:账号如 telegram:12345、或姓名）登记活动、问台账",
    )
    chat.set_defaults(handler=cmd_chat)


def add_doctor_parser(commands: Any) -> None:
    commands.add_parser("doctor", help="自检：模型、索引、配置").set_defaults(handler=cmd_doctor)


def add_start_parser(commands: Any) -> None:
    start = commands.add_parser("start", help="索引知识库并启动助手（Telegram 或终端对话）")
    start.set_defaults(handler=cmd_start)


def add_run_parser(commands: Any) -> None:
    run = commands.add_parser("run", help="启动聊天渠道：Telegram（默认长轮询）或企业微信回调")
    run.add_argument(
        "--channel",
        choices=["telegram", "wecom"],
        default="telegram",
        help="telegram（默认）或 wecom（企业微信/政务微信自建应用的回调服务）",
    )
    run.add_argument(
        "--host", default=None, help="企业微信回调服务的监听地址（默认 WECOM_HOST，本机）"
    )
    run.add_argument("--webhook", metavar="地址", help="改用 webhook，填对外的 https 地址")
    run.add_argument(
        "--listen",
        default="127.0.0.1",
        help="webhook 监听地址（默认只听本机，由反向代理转发；要直接对外请写 0.0.0.0）",
    )
    run.add_argument(
        "--port",
        type=int,
        default=None,
        metavar="端口",
        help="监听端口（webhook 默认 8443；企业微信默认 WECOM_PORT，8090）",
    )
    run.add_argument(
        "--secret-token", help="webhook 校验令牌（不填则自动生成并保存在数据库中，各进程共用）"
    )
    run.set_defaults(handler=cmd_run)


def add_web_parser(commands: Any) -> None:
    web = commands.add_parser("web", help="启动网页版（管理后台和手机网页）")
    web.add_argument("--host", default=None, metavar="地址", help="监听地址（默认 WEB_HOST，本机）")
    web.add_argument("--port", type=int, default=None, metavar="端口", help="端口（默认 8080）")
    web.add_argument(
        "--root-path", default=None, metavar="路径", help="反向代理下的路径前缀，如 /partybot"
    )
    web.set_defaults(handler=cmd_web)


def cmd_doctor(cli: Cli, args: argparse.Namespace) -> int:
    from bot.cli.doctor import run_doctor

    return run_doctor(cli.settings, out=sys.stdout)


def cmd_chat(cli: Cli, args: argparse.Namespace) -> int:
    from bot.channels.terminal import CHANNEL, run_chat
    from bot.conversation.turns import Who

    core = cli.core
    who, name = None, ""
    if getattr(args, "as_user", None):  # `partybot start` comes here without the option
        from bot.cli.checks import find_identity

        found = find_identity(core.accounts, args.as_user)
        if found is None:
            print(messages.CHAT_AS_UNKNOWN.format(who=args.as_user), file=sys.stderr)
            return 2
        member = found.member
        who = Who(found.channel, found.external_id, chat=CHANNEL, name=member.name)
        from bot.people.accounts import ROLE_NAMES, place

        name = member.name or ROLE_NAMES[member.role] + place(member.village, member.township)
    if sys.stdin.isatty():
        import readline  # noqa: F401  (line editing and history for input())
    try:
        run_chat(
            core.conversation,
            stdin=sys.stdin,
            stdout=sys.stdout,
            interactive=sys.stdin.isatty(),
            who=who,
            name=name,
        )
    finally:
        core.conversation.close()
    return 0


def cmd_start(cli: Cli, args: argparse.Namespace) -> int:
    """Every configured channel in this one process: Telegram in front when it has a token, the
    web console and the WeCom callback beside it; without a token the last of those in front;
    with none of them, the terminal chat."""
    settings = cli.settings
    from bot.cli.checks import wecom_problem
    from bot.cli.knowledge import ingest

    if (problem := wecom_problem(settings)) is not None:
        print(problem, file=sys.stderr)
        return 2
    if ingest(cli, None) == 2:  # the knowledge folder is missing, or would lose most files
        return 2
    beside = []
    if settings.wecom_configured:
        beside.append("wecom")
    if settings.web_enabled:
        beside.append("web")
    front = "telegram" if settings.telegram_bot_token is not None else None
    if front is None and beside:
        front = beside.pop()
    for channel in beside:
        _start_beside(cli, channel)
    # the outbox runs in one channel's loop: Telegram's, else the WeCom app's, else these
    outbox_elsewhere = settings.telegram_bot_token is not None or settings.wecom_configured
    dingtalk = None
    if settings.dingtalk_configured:  # beside the front channel, or itself the only one
        from bot.channels.dingtalk.server import start_dingtalk

        dingtalk = start_dingtalk(settings, cli.core, run_outbox=not outbox_elsewhere)
    from bot.channels.wecom_aibot.server import start_wecom_aibot_beside

    alone = front is None and dingtalk is None
    run_outbox = not outbox_elsewhere and dingtalk is None
    if start_wecom_aibot_beside(
        settings, cli.knowledge_base, cli.core, alone=alone, run_outbox=run_outbox
    ):
        return 0
    if dingtalk is not None and front is None:
        return dingtalk.hold()
    args.webhook, args.listen, args.port, args.host = None, "127.0.0.1", None, None
    args.secret_token, args.root_path, args.channel = None, None, front
    if front == "web":
        return cmd_web(cli, args)
    if front is not None:
        return cmd_run(cli, args)
    return cmd_chat(cli, args)


def _start_beside(cli: Cli, channel: str) -> None:
    settings = cli.settings
    if channel == "web":
        from bot.channels.web.server import start_web_beside
        from bot.cli.checks import web_start_lines

        start_web_beside(settings, cli.knowledge_base, cli.core)
        sessions = cli.knowledge_base.sessions
        print("\n".join(web_start_lines(settings.web_host, settings.web_port, sessions)))
    else:
        from bot.channels.wecom.server import start_wecom_beside

        start_wecom_beside(settings, cli.knowledge_base, cli.core)
        where = {"host": settings.wecom_host, "port": settings.wecom_port}
        print(messages.CLI_WECOM_STARTED.format(**where))


def cmd_web(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from bot.channels.serving import check_port_free
    from bot.channels.web.server import run_web
    from bot.cli.checks import web_start_lines

    host, port = args.host or settings.web_host, args.port or settings.web_port
    check_port_free(host, port)  # said before the address is printed
    print("\n".join(web_start_lines(host, port, cli.knowledge_base.sessions)), flush=True)
    run_web(
        settings,
        cli.knowledge_base,
        cli.core,
        host=host,
        port=port,
        root_path=args.root_path if args.root_path is not None else settings.web_root_path,
    )
    return 0


def cmd_run(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    if getattr(args, "channel", "telegram") == "wecom":
        if not settings.wecom_configured:
            from bot.cli.checks import wecom_missing

            print(wecom_missing(settings), file=sys.stderr)
            return 2
        from bot.channels.serving import check_port_free
        from bot.channels.wecom.server import run_wecom

        host, port = args.host or settings.wecom_host, args.port or settings.wecom_port
        check_port_free(host, port)  # before the knowledge base is opened
        print(messages.CLI_WECOM_STARTED.format(host=host, port=port))
        run_wecom(settings, cli.knowledge_base, cli.core, host=host, port=port)
        return 0
    if settings.telegram_bot_token is None:
        print(messages.TELEGRAM_TOKEN_MISSING, file=sys.stderr)
        return 2
    from bot.channels.telegram.application import run_bot

    run_bot(
        settings,
        cli.knowledge_base,
        cli.core,
        webhook_url=args.webhook,
        listen=args.listen,
        port=args.port or 8443,
        secret_token=args.secret_token,
    )
    return 0
