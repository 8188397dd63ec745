"""`partybot report record ID --output FILE.docx`: one report's 会议记录 page, for scripts."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import messages
from bot.settings import Settings


def add_record_parser(report_commands: Any) -> None:
    record = report_commands.add_parser("record", help="生成一条记录的会议记录（Word，A4 一页）")
    record.add_argument("report_id", metavar="编号", help="台账记录编号，如 12")
    record.add_argument(
        "--output", type=Path, metavar="文件", help="输出文件，默认 会议记录-村-日期-类型.docx"
    )


def run_record(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.checks import output_path
    from bot.conversation.turns import button_number
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.people.accounts import Member, Role
    from bot.reports.minutes_doc import minutes_file_name, write_minutes
    from bot.reports.service import ReportService

    report_id = button_number(args.report_id.strip().lstrip("#"))
    if report_id is None:
        print(messages.CLI_RECORD_BAD_ID.format(id=args.report_id), file=sys.stderr)
        return 2
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_schema(engine)
    service = ReportService(
        session_factory=make_session_factory(engine),
        clock=lambda: datetime.now(UTC),
        timezone=settings.tz,
    )
    county = Member(0, "", Role.STAFF, None, None, True)  # the command line sees the county
    found = service.rows_by_ids(county, [report_id])
    if not found:
        print(messages.CLI_RECORD_NOT_FOUND.format(id=report_id), file=sys.stderr)
        return 2
    row = found[0]
    output, problem = output_path(args.output, minutes_file_name(row))
    if output is None:
        print(problem, file=sys.stderr)
        return 2
    page = write_minutes(row)
    output.write_bytes(page.data)
    print(messages.CLI_RECORD_SAVED.format(id=row.id, path=output, photos=page.photos_shown))
    return 0
