"""`partybot report`: activity descriptions parsed, the ledger exported (xlsx, csv, photos) or
charted, its search index rebuilt, and one record's 会议记录 (`bot/cli/record.py`)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot import messages
from bot.cli.context import Cli, open_accounts, read_month
from bot.cli.record import add_record_parser, run_record

MONTH_HELP = "月份，如 2026-07、2026年7月、7月、上月"


def add_report_parser(commands: Any) -> None:
    parser = commands.add_parser("report", help="活动台账")
    parser.set_defaults(handler=cmd_report)
    report = parser.add_subparsers(dest="action", required=True)
    parse = report.add_parser("parse", help="把活动描述解析成结构化记录")
    parse.add_argument("texts", nargs="+", metavar="活动描述", help="一句或几句活动描述")
    parse.add_argument("--json", action="store_true", help="每条输出一行 JSON")
    parse.add_argument(
        "--today", type=_day, metavar="日期", help="消息发送日期，如 2026-07-01，默认今天"
    )
    export = report.add_parser("export", help="导出台账（xlsx 或 csv）")
    export.add_argument("--month", required=True, metavar="月份", help=MONTH_HELP)
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
    chart.add_argument("--month", required=True, metavar="月份", help=MONTH_HELP)
    chart.add_argument("--township", metavar="乡镇", help="只画这个乡镇")
    chart.add_argument("--output", type=Path, metavar="文件", help="输出文件，默认 活动-月份.png")


def _type_names() -> str:
    from bot.reports.parsing import TYPE_NAMES

    return "、".join(TYPE_NAMES)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(messages.CLI_BAD_DAY.format(day=text)) from None


def cmd_report(cli: Cli, args: argparse.Namespace) -> int:
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


def _report_output(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from datetime import UTC, datetime

    from bot.people.accounts import Member, Role
    from bot.reports.export import ledger_title, write_csv, write_xlsx
    from bot.reports.service import ReportService

    month = read_month(cli, args.month)
    if month is None:
        return 2
    args.month = month
    from bot.cli.checks import output_path

    default = f"活动-{month}.png" if args.action == "chart" else f"台账-{month}.{args.format}"
    output, problem = output_path(args.output, default)
    if output is None:
        print(problem, file=sys.stderr)
        return 2
    accounts, sessions = open_accounts(settings)
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
