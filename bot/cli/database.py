"""`partybot db`: the schema's version and leftovers of an interrupted upgrade, their repair,
and the records past their retention pruned."""

from __future__ import annotations

import argparse
from typing import Any

from bot import messages
from bot.cli.context import Cli


def add_db_parser(commands: Any) -> None:
    parser = commands.add_parser("db", help="数据库结构")
    parser.set_defaults(handler=cmd_db)
    database = parser.add_subparsers(dest="action", required=True)
    database.add_parser("status", help="数据库结构的版本，是否有升级中断留下的半成品")
    database.add_parser("repair", help="清理升级中断留下的半成品表（不含数据的），再升级到最新")
    database.add_parser(
        "prune", help="删除超过保留期（RETENTION_DAYS）的处理记录（机器人每天自动做）"
    )


def cmd_db(cli: Cli, args: argparse.Namespace) -> int:
    from bot.db.engine import make_engine, migration_connection, upgrade_schema
    from bot.db.schema import inspect_schema, repair_half_applied

    engine = make_engine(cli.settings.sqlalchemy_url)
    if args.action == "prune":
        from datetime import UTC, datetime, timedelta

        from bot.db.engine import make_session_factory
        from bot.runtime.housekeeping import prune

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
