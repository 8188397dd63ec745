"""`partybot orglife status --month YYYY-MM [--township T] [--json]`: each branch's 三会一课
status, one JSON line per branch for scripts, or the table as staff read it."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from bot import messages


def add_orglife_parser(commands: Any) -> None:
    parser = commands.add_parser("orglife", help="三会一课：各支部已开展和待开展")
    parser.set_defaults(handler=lambda cli, args: run_orglife(cli.settings, args))
    orglife = parser.add_subparsers(dest="action", required=True)
    status = orglife.add_parser("status", help="某月各支部三会一课情况（季度、年度要求按所在期）")
    status.add_argument(
        "--month", required=True, metavar="月份", help="月份，如 2026-07、2026年7月、7月、上月"
    )
    status.add_argument("--township", metavar="乡镇", help="只看一个乡镇")
    status.add_argument("--json", action="store_true", help="每个支部一行 JSON")


def run_orglife(settings: Any, args: argparse.Namespace) -> int:
    from datetime import date

    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.months import BadMonth, parse_month
    from bot.orglife.asking import table_text
    from bot.orglife.rules import RULES_FILE_NAME, RulesFileError, load_rules
    from bot.orglife.status import OrgLifeService
    from bot.people.accounts import Member, Role

    today = datetime.now(settings.tz).date()
    try:
        month = date.fromisoformat(parse_month(args.month, today=today) + "-01")
    except BadMonth:
        print(messages.CLI_BAD_MONTH.format(month=args.month), file=sys.stderr)
        return 2
    path = settings.knowledge_dir / RULES_FILE_NAME
    try:
        load_rules(path)
    except RulesFileError as exc:
        print("\n".join(exc.problems), file=sys.stderr)  # the defaults are used meanwhile
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    service = OrgLifeService(session_factory=sessions, today=lambda: today, rules_path=path)
    county = Member(0, "cli", Role.ADMIN, village=None, township=None, reachable=False)
    found = service.status(county, month=month, township=args.township)
    if args.json:
        for status in found:
            print(json.dumps(status.as_json(), ensure_ascii=False))
    else:
        print(table_text(found, args.township or "全县", f"{month.year}年{month.month}月"))
    return 0
