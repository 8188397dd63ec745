"""`partybot calendar` and `partybot remind`: the 主题党日 calendar imported and shown, and the
reminders of a month previewed or counted."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import messages
from bot.cli.context import Cli, read_month

if TYPE_CHECKING:
    from bot.partyday.reminders import ReminderService
    from bot.partyday.service import CalendarService

MONTH_HELP = "月份，如 2026-07、2026年7月、7月、上月"


def add_calendar_parser(commands: Any) -> None:
    parser = commands.add_parser("calendar", help="主题党日日历")
    parser.set_defaults(handler=cmd_calendar)
    calendar = parser.add_subparsers(dest="action", required=True)
    calendar_import = calendar.add_parser("import", help="导入日历文件（YAML 或 xlsx）")
    calendar_import.add_argument("file", type=Path, metavar="文件", help="日历文件")
    show = calendar.add_parser("show", help="显示主题党日日期和主题")
    show.add_argument(
        "--month", metavar="月份", help="月份，如 2026-07、2026年7月、7月；默认本月起三个月"
    )
    show.add_argument("--township", metavar="乡镇", help="只看这个乡镇")
    show.add_argument("--village", metavar="村", help="只看这个村")


def add_remind_parser(commands: Any) -> None:
    parser = commands.add_parser("remind", help="主题党日提醒")
    parser.set_defaults(handler=cmd_remind)
    remind = parser.add_subparsers(dest="action", required=True)
    preview = remind.add_parser("preview", help="预览某月将发送的提醒（不发送）")
    preview.add_argument("--month", required=True, metavar="月份", help=MONTH_HELP)
    status = remind.add_parser("status", help="某月提醒的发送情况")
    status.add_argument("--month", required=True, metavar="月份", help=MONTH_HELP)


def _partyday(cli: Cli) -> tuple[CalendarService, ReminderService]:
    from datetime import UTC, datetime

    from bot.people.accounts import AccountService
    from bot.services import make_partyday_services

    knowledge_base = cli.knowledge_base
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(
        session_factory=knowledge_base.sessions, clock=clock, timezone=cli.settings.tz
    )
    return make_partyday_services(cli.settings, knowledge_base, accounts=accounts, clock=clock)


def cmd_calendar(cli: Cli, args: argparse.Namespace) -> int:
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
        month = read_month(cli, args.month)
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


def cmd_remind(cli: Cli, args: argparse.Namespace) -> int:
    from bot.months import year_month
    from bot.partyday.rules import month_key
    from bot.partyday.views import preview_text, status_text

    key = read_month(cli, args.month)
    if key is None:
        return 2
    year, month = year_month(key)
    _, reminders = _partyday(cli)
    if args.action == "preview":
        print(preview_text(year, month, reminders.preview(year, month)))
    else:
        print(status_text(month_key(year, month), reminders.month_counts(month_key(year, month))))
    return 0
