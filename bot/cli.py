"""The `partybot` command: ingest, ask, chat, doctor, download-model, start, run, users, report,
calendar, remind."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import messages
from bot.cli_link import add_link_parser, run_link
from bot.cli_orglife import add_orglife_parser, run_orglife
from bot.cli_record import add_record_parser, run_record
from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.accounts import AccountService
    from bot.logins import LoginService
    from bot.partyday.reminders import ReminderService
    from bot.partyday.service import CalendarService
    from bot.qa.service import QAService
    from bot.services import CoreServices, KnowledgeBase

log = logging.getLogger("partybot")


def build_parser() -> argparse.ArgumentParser:
    _speak_chinese(argparse)
    parser = argparse.ArgumentParser(prog="partybot", description="党建助手")
    parser.add_argument("-v", "--verbose", action="store_true", help="详细日志")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="把知识库文件夹（或指定文件）编入索引")
    ingest.add_argument(
        "path", nargs="?", type=Path, metavar="路径", help="文件或文件夹，默认知识库文件夹"
    )
    ingest.add_argument("--prune", action="store_true", help=messages.CLI_PRUNE_HELP)

    ask = commands.add_parser("ask", help="提问（可一次问多个问题）")
    ask.add_argument("questions", nargs="+", metavar="问题", help="一个或多个问题")
    ask.add_argument("--json", action="store_true", help="每个问题输出一行 JSON")

    chat = commands.add_parser("chat", help="终端对话")
    chat.add_argument(
        "--as",
        dest="as_user",
        metavar="用户",
        help="以已注册用户的身份（编号、渠道:账号如 telegram:12345、或姓名）登记活动、问台账",
    )
    commands.add_parser("doctor", help="自检：模型、索引、配置")
    download = commands.add_parser("download-model", help="下载 bge-small-zh-v1.5 向量模型")
    download.add_argument("--endpoint", help="Hugging Face 地址或镜像（默认 HF_ENDPOINT）")
    commands.add_parser("start", help="索引知识库并启动助手（Telegram 或终端对话）")

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

    web = commands.add_parser("web", help="启动网页版（管理后台和手机网页）")
    web.add_argument("--host", default=None, metavar="地址", help="监听地址（默认 WEB_HOST，本机）")
    web.add_argument("--port", type=int, default=None, metavar="端口", help="端口（默认 8080）")
    web.add_argument(
        "--root-path", default=None, metavar="路径", help="反向代理下的路径前缀，如 /partybot"
    )

    wecom_help = "企业微信应用：菜单、从通讯录绑定成员"
    wecom = commands.add_parser("wecom", help=wecom_help).add_subparsers(
        dest="action", required=True
    )
    wecom.add_parser("menu", help="设置应用底部的菜单（帮助、日历、台账、邀请码……）")
    bind = wecom.add_parser("bind", help="按 UserID 从企业微信通讯录绑定成员，并授权")
    bind.add_argument("user_ids", nargs="+", metavar="UserID", help="通讯录里的账号，可写多个")
    bind.add_argument(
        "--role", required=True, metavar="角色", help="书记/secretary、工作人员/staff、管理员/admin"
    )
    bind.add_argument("--village", metavar="村", help="书记所在的村")
    bind.add_argument("--township", metavar="乡镇", help="所在乡镇；工作人员不填为全县")

    users = commands.add_parser("users", help="用户管理").add_subparsers(
        dest="action", required=True
    )
    invite = users.add_parser("invite", help="生成一次性邀请码")
    invite.add_argument(
        "--role", required=True, metavar="角色", help="书记/secretary、工作人员/staff、管理员/admin"
    )
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
        help="telegram（默认）、web、wecom、terminal",
    )
    add.add_argument(
        "--role", required=True, metavar="角色", help="书记/secretary、工作人员/staff、管理员/admin"
    )
    add.add_argument("--name", default="", metavar="姓名", help="姓名（显示用）")
    add.add_argument("--village", metavar="村", help="书记所在的村")
    add.add_argument("--township", metavar="乡镇", help="所在乡镇；工作人员不填为全县")
    users.add_parser("list", help="列出用户")
    passwd = users.add_parser("passwd", help="设置网页版密码（非终端时从标准输入读取）")
    passwd.add_argument("login", metavar="登录名", help="网页版登录名（--channel web 的账号）")
    add_link_parser(users)

    report = commands.add_parser("report", help="活动台账").add_subparsers(
        dest="action", required=True
    )
    parse = report.add_parser("parse", help="把活动描述解析成结构化记录")
    parse.add_argument("texts", nargs="+", metavar="活动描述", help="一句或几句活动描述")
    parse.add_argument("--json", action="store_true", help="每条输出一行 JSON")
    parse.add_argument(
        "--today", type=_day, metavar="日期", help="消息发送日期，如 2026-07-01，默认今天"
    )
    export = report.add_parser("export", help="导出台账（xlsx 或 csv）")
    export.add_argument(
        "--month", required=True, metavar="月份", help="月份，如 2026-07、2026年7月、7月、上月"
    )
    export.add_argument("--township", metavar="乡镇", help="只导出这个乡镇")
    export.add_argument("--village", metavar="村", help="只导出这个村")
    export.add_argument(
        "--type", dest="activity_type", metavar="类型", help=f"只导出这类活动：{_type_names()}"
    )
    export.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="默认 xlsx")
    export.add_argument("--output", type=Path, metavar="文件", help="输出文件，默认 台账-月份.xlsx")
    export.add_argument("--photos", action="store_true", help="同时把照片打包成 台账-月份-照片.zip")
    report.add_parser("reindex", help="从台账重建活动记录的检索索引")
    add_record_parser(report)
    chart = report.add_parser("chart", help="画出某月各村活动次数（PNG）")
    chart.add_argument(
        "--month", required=True, metavar="月份", help="月份，如 2026-07、2026年7月、7月、上月"
    )
    chart.add_argument("--township", metavar="乡镇", help="只画这个乡镇")
    chart.add_argument("--output", type=Path, metavar="文件", help="输出文件，默认 活动-月份.png")

    calendar = commands.add_parser("calendar", help="主题党日日历").add_subparsers(
        dest="action", required=True
    )
    calendar_import = calendar.add_parser("import", help="导入日历文件（YAML 或 xlsx）")
    calendar_import.add_argument("file", type=Path, metavar="文件", help="日历文件")
    show = calendar.add_parser("show", help="显示主题党日日期和主题")
    show.add_argument(
        "--month", metavar="月份", help="月份，如 2026-07、2026年7月、7月；默认本月起三个月"
    )
    show.add_argument("--township", metavar="乡镇", help="只看这个乡镇")
    show.add_argument("--village", metavar="村", help="只看这个村")

    database = commands.add_parser("db", help="数据库结构").add_subparsers(
        dest="action", required=True
    )
    database.add_parser("status", help="数据库结构的版本，是否有升级中断留下的半成品")
    database.add_parser("repair", help="清理升级中断留下的半成品表（不含数据的），再升级到最新")
    database.add_parser(
        "prune", help="删除超过保留期（RETENTION_DAYS）的处理记录（机器人每天自动做）"
    )

    remind = commands.add_parser("remind", help="主题党日提醒").add_subparsers(
        dest="action", required=True
    )
    preview = remind.add_parser("preview", help="预览某月将发送的提醒（不发送）")
    preview.add_argument(
        "--month", required=True, metavar="月份", help="月份，如 2026-07、2026年7月、7月、上月"
    )
    status = remind.add_parser("status", help="某月提醒的发送情况")
    status.add_argument(
        "--month", required=True, metavar="月份", help="月份，如 2026-07、2026年7月、7月、上月"
    )
    add_orglife_parser(commands)
    return parser


def _type_names() -> str:
    from bot.reports.parsing import TYPE_NAMES

    return "、".join(TYPE_NAMES)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(messages.CLI_BAD_DAY.format(day=text)) from None


def _speak_chinese(module: Any) -> None:
    """argparse asks gettext for its usage and error words; it has no catalogue for Chinese, so
    the lookup it calls is replaced with ours (words it adds later stay English)."""
    module._ = lambda text: messages.ARGPARSE.get(text, text)
    module.ngettext = lambda one, many, n: messages.ARGPARSE.get(one if n == 1 else many, one)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "\n".join(
            f"- {Settings.env_name(str(e['loc'][0]))}：{_settings_problem(e)}" for e in exc.errors()
        )
        print(messages.CLI_BAD_SETTINGS.format(problems=problems), file=sys.stderr)
        return 2
    handlers = {
        "ingest": _cmd_ingest,
        "ask": _cmd_ask,
        "chat": _cmd_chat,
        "doctor": _cmd_doctor,
        "download-model": _cmd_download,
        "start": _cmd_start,
        "run": _cmd_run,
        "web": _cmd_web,
        "users": _cmd_users,
        "wecom": _cmd_wecom,
        "report": _cmd_report,
        "calendar": _cmd_calendar,
        "remind": _cmd_remind,
        "db": _cmd_db,
        "orglife": lambda cli, args: run_orglife(cli.settings, args),
    }
    from sqlalchemy.exc import OperationalError

    from bot.db.problems import describe_database_error
    from bot.db.schema import SchemaRepairError
    from bot.embeddings import EmbeddingExtraMissing, EmbeddingModelUnavailable
    from bot.index.vectors import VectorStoreUnreachable
    from bot.qa.llm import LLMExtraMissing
    from bot.qa.retriever import IndexEmptyError, IndexMismatchError
    from bot.qa.vocabulary import VocabularyError
    from bot.serving import PortInUse

    try:
        cli = Cli(settings, ingest_only=args.command == "ingest")
        return handlers[args.command](cli, args)
    except VectorStoreUnreachable as exc:
        print(messages.CHROMA_UNREACHABLE.format(where=exc.args[0]), file=sys.stderr)
    except LLMExtraMissing:
        print(messages.LLM_NEEDS_EXTRA, file=sys.stderr)
    except EmbeddingExtraMissing as exc:
        print(messages.MODEL_NEEDS_BGE_EXTRA.format(model=exc.args[0]), file=sys.stderr)
    except EmbeddingModelUnavailable as exc:
        print(messages.MODEL_UNAVAILABLE.format(model=exc.args[0]), file=sys.stderr)
    except IndexEmptyError:
        print(messages.INDEX_EMPTY, file=sys.stderr)
    except IndexMismatchError as exc:
        text = messages.INDEX_MISMATCH.format(built_with=exc.built_with, current=exc.current)
        print(text, file=sys.stderr)
    except VocabularyError as exc:
        problems = "\n".join(f"- {p}" for p in exc.problems)
        print(messages.VOCABULARY_INVALID.format(path=exc.path, problems=problems), file=sys.stderr)
    except SchemaRepairError as exc:
        print(messages.DB_REPAIR_HAS_ROWS.format(tables="、".join(exc.tables)), file=sys.stderr)
    except OperationalError as exc:
        print(describe_database_error(settings.sqlalchemy_url, exc), file=sys.stderr)
    except OSError as exc:  # the data folder (or an output file) cannot be written
        where = exc.filename or settings.data_dir
        print(messages.CLI_CANNOT_WRITE.format(path=where, reason=exc.strerror), file=sys.stderr)
    except PortInUse as exc:
        where = {"host": exc.host, "port": exc.port, "setting": settings.port_setting(exc.port)}
        print(messages.PORT_IN_USE.format(**where), file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2


def _settings_problem(error: Any) -> str:
    """One pydantic error in Chinese: our validators already speak it; the built-in ones are
    looked up by type."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    template = messages.SETTINGS_ERRORS.get(error["type"])
    if template is None:
        return messages.SETTINGS_ERROR_OTHER.format(value=error.get("input"))
    return template.format(**error.get("ctx", {}))


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("chromadb", "httpx", "sentence_transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


class Cli:
    """One command's settings, and its knowledge base opened at most once (model, indexes)."""

    def __init__(self, settings: Settings, *, ingest_only: bool = False) -> None:
        self.settings = settings
        self.ingest_only = ingest_only  # nothing else runs: the encoder may use every core

    @cached_property
    def knowledge_base(self) -> KnowledgeBase:
        from bot.services import make_knowledge_base_from_settings

        return make_knowledge_base_from_settings(self.settings, ingest_only=self.ingest_only)

    @cached_property
    def core(self) -> CoreServices:
        """The channel-free services, built once: every channel of `partybot start` shares them."""
        from bot.services import make_core_services

        return make_core_services(self.settings, self.knowledge_base)


def _qa_service(cli: Cli) -> QAService:
    settings = cli.settings
    from bot.qa.llm import make_chat_model_from_settings
    from bot.qa.service import QAService

    kbase = cli.knowledge_base
    return QAService(
        kbase.retriever, make_chat_model_from_settings(settings), sessions=kbase.sessions
    )


def _cmd_ingest(cli: Cli, args: argparse.Namespace) -> int:
    path: Path | None = args.path
    if path is not None and not path.exists() and not _was_indexed(cli, path):
        print(messages.INGEST_NOT_FOUND.format(path=path), file=sys.stderr)
        return 2
    return _ingest(cli, path, prune=args.prune)


def _was_indexed(cli: Cli, path: Path) -> bool:
    """A path that no longer exists may still be ingested: that removes it from the index."""
    from bot.db import knowledge as kb

    knowledge_base = cli.knowledge_base
    source = knowledge_base.ingestor.source_key(path)
    with knowledge_base.sessions() as session:
        return kb.get_document_by_source(session=session, source=source) is not None


def _ingest(cli: Cli, path: Path | None, *, prune: bool = False) -> int:
    from bot.cli_ingest import run_ingest

    return run_ingest(cli.knowledge_base.ingestor, path, prune=prune)


def _cmd_ask(cli: Cli, args: argparse.Namespace) -> int:
    service = _qa_service(cli)
    for question in args.questions:
        answer = service.ask(question)
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
        else:
            print(f"问：{answer.question}\n{answer.text}\n", flush=True)
    return 0


def _cmd_chat(cli: Cli, args: argparse.Namespace) -> int:
    from bot.chat import CHANNEL, run_chat
    from bot.conversation.turns import Who

    core = cli.core
    who, name = None, ""
    if getattr(args, "as_user", None):  # `partybot start` comes here without the option
        from bot.cli_checks import find_identity

        found = find_identity(core.accounts, args.as_user)
        if found is None:
            print(messages.CHAT_AS_UNKNOWN.format(who=args.as_user), file=sys.stderr)
            return 2
        member = found.member
        who = Who(found.channel, found.external_id, chat=CHANNEL, name=member.name)
        from bot.accounts import ROLE_NAMES, place

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


def _cmd_start(cli: Cli, args: argparse.Namespace) -> int:
    """Every configured channel in this one process: Telegram in front when it has a token, the
    web console and the WeCom callback beside it; without a token the last of those in front;
    with none of them, the terminal chat."""
    settings = cli.settings
    from bot.cli_checks import wecom_problem

    if (problem := wecom_problem(settings)) is not None:
        print(problem, file=sys.stderr)
        return 2
    if _ingest(cli, None) == 2:  # the knowledge folder is missing, or would lose most files
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
    if settings.dingtalk_configured:  # beside the front channel, or itself the only one
        from bot.dingtalk.server import start_dingtalk

        dingtalk = start_dingtalk(settings, cli.core)
        if front is None:
            return dingtalk.hold()
    args.webhook, args.listen, args.port, args.host = None, "127.0.0.1", None, None
    args.secret_token, args.root_path, args.channel = None, None, front
    if front == "web":
        return _cmd_web(cli, args)
    if front is not None:
        return _cmd_run(cli, args)
    return _cmd_chat(cli, args)


def _start_beside(cli: Cli, channel: str) -> None:
    settings = cli.settings
    if channel == "web":
        from bot.cli_checks import web_start_lines
        from bot.web.server import start_web_beside

        start_web_beside(settings, cli.knowledge_base, cli.core)
        sessions = cli.knowledge_base.sessions
        print("\n".join(web_start_lines(settings.web_host, settings.web_port, sessions)))
    else:
        from bot.wecom.server import start_wecom_beside

        start_wecom_beside(settings, cli.knowledge_base, cli.core)
        where = {"host": settings.wecom_host, "port": settings.wecom_port}
        print(messages.CLI_WECOM_STARTED.format(**where))


def _cmd_web(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from bot.cli_checks import web_start_lines
    from bot.serving import check_port_free
    from bot.web.server import run_web

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


def _cmd_run(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    if getattr(args, "channel", "telegram") == "wecom":
        if not settings.wecom_configured:
            print(_wecom_missing(settings), file=sys.stderr)
            return 2
        from bot.serving import check_port_free
        from bot.wecom.server import run_wecom

        host, port = args.host or settings.wecom_host, args.port or settings.wecom_port
        check_port_free(host, port)  # before the knowledge base is opened
        print(messages.CLI_WECOM_STARTED.format(host=host, port=port))
        run_wecom(settings, cli.knowledge_base, cli.core, host=host, port=port)
        return 0
    if settings.telegram_bot_token is None:
        print(messages.TELEGRAM_TOKEN_MISSING, file=sys.stderr)
        return 2
    from bot.telegram.application import run_bot

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


def _wecom_missing(settings: Settings) -> str:
    from bot.cli_checks import wecom_problem

    return wecom_problem(settings) or messages.WECOM_SETTINGS_MISSING


def _cmd_wecom(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    if not settings.wecom_configured:
        print(_wecom_missing(settings), file=sys.stderr)
        return 2
    import httpx

    from bot.accounts import ROLE_NAMES, place
    from bot.invite_words import InviteWordsError, read_invite_words
    from bot.wecom.admin import bind_members, install_menu
    from bot.wecom.api import WeComError
    from bot.wecom.server import make_wecom_api

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
        bindings = bind_members(api, _accounts(settings)[0], args.user_ids, request)
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


def _accounts(settings: Settings) -> tuple[AccountService, sessionmaker[Session]]:
    """The accounts of the configured database, its schema brought up to date first."""
    from datetime import UTC, datetime, timedelta

    from bot.accounts import AccountService
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema

    engine = make_engine(settings.sqlalchemy_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    accounts = AccountService(
        session_factory=sessions,
        clock=lambda: datetime.now(UTC),
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        timezone=settings.tz,
    )
    return accounts, sessions


def _cmd_users(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from datetime import UTC, datetime

    from bot.accounts import ROLE_NAMES

    accounts, sessions = _accounts(settings)
    if args.action == "link":
        return run_link(sessions, args)
    if args.action == "passwd":
        from bot.logins import LoginService

        logins = LoginService(
            session_factory=sessions, accounts=accounts, clock=lambda: datetime.now(UTC)
        )
        return _set_web_password(logins, args.login)
    if args.action == "invite":
        from bot.invite_words import InviteWordsError, read_invite_words

        words = [args.role, args.township or "", args.village or ""]
        try:
            request = read_invite_words(words)
        except InviteWordsError as exc:
            problem = messages.INVITE_WORD_ERRORS[exc.reason].format(word=exc.word)
            print(problem + "\n" + messages.CLI_INVITE_USAGE, file=sys.stderr)
            return 2
        invite = accounts.create_invite(
            request.role, village=request.village, township=request.township
        )
        expires = invite.expires_at.astimezone(settings.tz)
        print(
            messages.CLI_INVITE_CREATED.format(
                code=invite.code, expires=f"{expires:%Y-%m-%d %H:%M}"
            )
        )
    elif args.action == "add":
        from bot.invite_words import role_from_word

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

    from bot.logins import LoginError

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


def _cmd_download(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from bot.embeddings import EmbeddingExtraMissing, download_bge, sentence_transformers_installed

    if not sentence_transformers_installed():  # a model it could not load is no use
        raise EmbeddingExtraMissing("bge-small-zh-v1.5")
    endpoint = args.endpoint or settings.hf_endpoint
    try:
        target = download_bge(models_dir=settings.models_dir, endpoint=endpoint)
    except ConnectionError:
        shown = endpoint or "https://huggingface.co"
        print(messages.DOWNLOAD_UNREACHABLE.format(endpoint=shown), file=sys.stderr)
        return 2
    print(messages.DOWNLOAD_DONE.format(path=target))
    return 0


def _cmd_report(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from datetime import datetime

    from bot.reports.parsing import parse_report
    from bot.reports.service import ReportService

    if args.action in ("export", "chart"):
        return _report_output(cli, args)
    if args.action == "record":
        return run_record(settings, args)
    if args.action == "reindex":
        from bot.services import make_report_index

        knowledge_base = cli.knowledge_base
        service = ReportService(
            session_factory=knowledge_base.sessions,
            clock=lambda: datetime.now(settings.tz),
            timezone=settings.tz,
            index=make_report_index(settings, knowledge_base),
        )
        print(messages.CLI_REINDEXED.format(count=service.reindex()))
        return 0
    today = args.today or datetime.now(settings.tz).date()
    for text in args.texts:
        parsed = parse_report(text, today=today)
        if args.json:
            print(json.dumps(parsed.as_json(), ensure_ascii=False), flush=True)
        else:
            from bot.reports.views import parsed_text

            print(parsed_text(parsed.as_json()) + "\n")
    return 0


def _read_month(cli: Cli, text: str) -> str | None:
    """YYYY-MM for any way a month is written (bot/months.py); None after saying how."""
    from datetime import datetime

    from bot.months import BadMonth, parse_month

    try:
        return parse_month(text, today=datetime.now(cli.settings.tz).date())
    except BadMonth:
        print(messages.CLI_BAD_MONTH.format(month=text), file=sys.stderr)
        return None


def _report_output(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from datetime import UTC, datetime

    from bot.accounts import Member, Role
    from bot.reports.export import ledger_title, write_csv, write_xlsx
    from bot.reports.service import ReportService

    month = _read_month(cli, args.month)
    if month is None:
        return 2
    args.month = month
    from bot.cli_checks import output_path

    default = f"活动-{month}.png" if args.action == "chart" else f"台账-{month}.{args.format}"
    output, problem = output_path(args.output, default)
    if output is None:
        print(problem, file=sys.stderr)
        return 2
    accounts, sessions = _accounts(settings)
    service = ReportService(
        session_factory=sessions, clock=lambda: datetime.now(UTC), timezone=settings.tz
    )
    branches = [
        b
        for b in accounts.branches(township=args.township)
        if not getattr(args, "village", None) or b[1] == args.village
    ]
    county = Member(0, "", Role.STAFF, None, None, True)  # the command line sees the county
    rows = service.query(
        county,
        month=args.month,
        township=args.township,
        village=getattr(args, "village", None),
        type=getattr(args, "activity_type", None),
    )
    scope = args.township or "全县"
    if args.action == "chart":
        from bot.reports.chart import NoCJKFont, draw_monthly_chart

        try:
            title = messages.CHART_TITLE.format(scope=scope, month=args.month)
            draw_monthly_chart(rows, output, title=title, branches=branches)
        except NoCJKFont:
            print(messages.NO_CJK_FONT, file=sys.stderr)
            return 2
        print(messages.CLI_CHART_SAVED.format(path=output, count=len(rows)))
        return 0
    if args.format == "csv":
        write_csv(rows, output, reporters=accounts.names())
    else:
        write_xlsx(
            rows,
            output,
            title=ledger_title(scope, args.month),
            reporters=accounts.names(),
            branches=branches,
        )
    print(messages.CLI_EXPORTED.format(count=len(rows), path=output))
    if getattr(args, "photos", False):
        from bot.reports.export import write_photo_zip

        photos = output.with_name(f"{output.stem}-照片.zip")
        written, left_out = write_photo_zip(rows, photos)
        print(messages.CLI_PHOTOS_EXPORTED.format(count=written, path=photos, missing=left_out))
    return 0


def _cmd_doctor(cli: Cli, args: argparse.Namespace) -> int:
    from bot.doctor import run_doctor

    return run_doctor(cli.settings, out=sys.stdout)


def _partyday(cli: Cli) -> tuple[CalendarService, ReminderService]:
    from datetime import UTC, datetime

    from bot.accounts import AccountService
    from bot.services import make_partyday_services

    knowledge_base = cli.knowledge_base
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(
        session_factory=knowledge_base.sessions, clock=clock, timezone=cli.settings.tz
    )
    return make_partyday_services(cli.settings, knowledge_base, accounts=accounts, clock=clock)


def _cmd_calendar(cli: Cli, args: argparse.Namespace) -> int:
    from datetime import datetime

    from bot.months import year_month
    from bot.partyday.calendar_file import CalendarFileError
    from bot.partyday.rules import shift_month
    from bot.partyday.views import calendar_text

    calendar, _ = _partyday(cli)
    if args.action == "import":
        try:
            summary = calendar.import_file(args.file)
        except CalendarFileError as exc:
            problems = "\n".join(f"- {p}" for p in exc.problems)
            print(messages.CLI_CALENDAR_INVALID.format(problems=problems), file=sys.stderr)
            return 2
        except OSError as exc:
            print(messages.CLI_FILE_UNREADABLE.format(path=args.file, error=exc), file=sys.stderr)
            return 2
        print(messages.CLI_CALENDAR_IMPORTED.format(**vars(summary)))
        return 0
    months = None
    if args.month:
        month = _read_month(cli, args.month)
        if month is None:
            return 2
        months = [year_month(month)]
    if months is None:
        today = datetime.now(cli.settings.tz).date()
        months = [shift_month(today.year, today.month, d) for d in range(3)]
    text = calendar_text(
        calendar.load(), months, township=args.township, village=args.village, show_rules=True
    )
    print(text)
    return 0


def _cmd_remind(cli: Cli, args: argparse.Namespace) -> int:
    from bot.months import year_month
    from bot.partyday.rules import month_key
    from bot.partyday.views import preview_text, status_text

    key = _read_month(cli, args.month)
    if key is None:
        return 2
    year, month = year_month(key)
    _, reminders = _partyday(cli)
    if args.action == "preview":
        print(preview_text(year, month, reminders.preview(year, month)))
    else:
        print(status_text(month_key(year, month), reminders.month_counts(month_key(year, month))))
    return 0


def _cmd_db(cli: Cli, args: argparse.Namespace) -> int:
    from bot.db.engine import make_engine, migration_connection, upgrade_schema
    from bot.db.schema import inspect_schema, repair_half_applied

    engine = make_engine(cli.settings.sqlalchemy_url)
    if args.action == "prune":
        from datetime import UTC, datetime, timedelta

        from bot.db.engine import make_session_factory
        from bot.housekeeping import prune

        upgrade_schema(engine)
        result = prune(
            session_factory=make_session_factory(engine),
            clock=lambda: datetime.now(UTC),
            retention=timedelta(days=cli.settings.retention_days),
            timezone=cli.settings.tz,
            media_dir=cli.settings.data_dir / "media",
        )
        print(messages.DB_PRUNED.format(days=cli.settings.retention_days, **vars(result)))
        return 0
    if args.action == "repair":
        with migration_connection(engine) as connection:
            dropped = repair_half_applied(connection)
        upgrade_schema(engine)
        if dropped:
            print(messages.DB_REPAIRED.format(tables="、".join(dropped)))
    with engine.connect() as connection:
        status = inspect_schema(connection)
    print(messages.DB_STATUS.format(recorded=status.recorded or "（空库）", head=status.head))
    if status.half_applied:
        tables = "、".join(status.leftovers + status.extra_tables)
        print(messages.DB_HALF_APPLIED.format(tables=tables))
        return 1
    if status.missing_tables:
        print(messages.DB_MISSING_TABLES.format(tables="、".join(status.missing_tables)))
        return 1
    print(messages.DB_OK if status.up_to_date else messages.DB_NEEDS_UPGRADE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
