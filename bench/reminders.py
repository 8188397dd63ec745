"""A simulated month of Party-day reminders for a county of 2,000 branches.

.venv/bin/python -m bench.reminders [--branches 2000] [--month 2023-07] [--step 10]
    [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--stop-mid-send]

Ticks every `--step` minutes of simulated time through the month (plus the days before it
whose reminders belong to it): planning, then a round of the one outbox (bot/outbox). 70 % of
branches log their 主题党日 between the day and the follow-up. Prints the messages expected and sent, duplicates and losses, and what one
tick costs: an idle tick (nothing due), a planning tick (2,000 rows written) and sending.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bench.common import fresh_database_url, peak_rss_mib
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.db.models import Identity, ReminderMessage, Report, User
from bot.months import year_month
from bot.outbox import Outbox, Outlet
from bot.outbox.broadcasting import SendOutcome
from bot.partyday.planner import Basis
from bot.partyday.policy import ReminderPolicy
from bot.partyday.reminders import ReminderService
from bot.partyday.rules import last_day, shift_month
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Role
from bot.people.members import Member

TZ = ZoneInfo("Asia/Shanghai")
TOWNSHIPS = 20
CALENDAR = """
规则:
  - 规则: 每月10日
{township_rules}
主题:
  - 月份: {month}
    主题: 庆祝党的生日
    规定动作: [重温入党誓词, 交纳党费, 为当月入党的党员过“政治生日”]
"""
BASIS = Basis("《中国共产党党员教育管理工作条例》第十六条", "党支部应当每月开展1次主题党日，……")


class Sender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def __call__(self, address: str, message: str) -> SendOutcome:
        self.sent.append((address, message))
        return "sent"


def outbox_of(reminders: ReminderService, sender: Sender) -> Outbox:
    """The process's one outbox with the reminders as its source; one unpaced outlet, so the
    figures are the loop's and the database's, not a channel's pacing."""
    outbox = Outbox()
    outbox.add_outlet(Outlet(channel="telegram", send=sender))
    outbox.add_source(reminders)
    return outbox


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=2000)
    parser.add_argument("--month", default="2023-07")
    parser.add_argument("--step", type=int, default=10, help="minutes between ticks")
    parser.add_argument("--database-url")
    parser.add_argument("--stop-mid-send", action="store_true", help="restart mid-send")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database_url(args.database_url, Path(tmp) / "reminders.db") as url,
    ):
        run(args, url, Path(tmp))


def run(args: argparse.Namespace, url: str, tmp: Path) -> None:
    year, month = year_month(args.month)
    engine = make_engine(url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    clock_now = [datetime(year, month, 1, tzinfo=TZ) - timedelta(days=7)]

    def clock() -> datetime:
        return clock_now[0]

    accounts = AccountService(session_factory=sessions, clock=clock)
    now = clock()
    with sessions() as session, session.begin():
        session.add_all(
            User(
                identities=[Identity(channel="telegram", external_id=str(10_000 + n))],
                name=f"书记{n}",
                role=Role.SECRETARY,
                village=f"第{n}村",
                township=f"第{n % TOWNSHIPS}镇",
                created_at=now,
            )
            for n in range(args.branches)
        )
        session.add_all(
            User(
                identities=[Identity(channel="telegram", external_id=str(900 + t))],
                name=f"干事{t}",
                role=Role.STAFF,
                township=f"第{t}镇",
                created_at=now,
            )
            for t in range(TOWNSHIPS)
        )
        session.add_all(
            User(
                identities=[Identity(channel="telegram", external_id=str(990 + n))],
                name=f"县{n}",
                role=Role.STAFF,
                created_at=now,
            )
            for n in range(2)
        )
    township_rules = "\n".join(
        f"  - 乡镇: 第{t}镇\n    规则: 每月第一个星期五" for t in range(0, TOWNSHIPS, 4)
    )
    calendar_file = tmp / "calendar.yaml"
    calendar_file.write_text(
        CALENDAR.format(township_rules=township_rules, month=args.month), encoding="utf-8"
    )
    calendar = CalendarService(session_factory=sessions, clock=clock)
    calendar.import_file(calendar_file)
    policy = ReminderPolicy(timezone=TZ)

    def service() -> ReminderService:
        return ReminderService(
            session_factory=sessions,
            accounts=accounts,
            calendar=calendar,
            policy=policy,
            clock=clock,
            basis=lambda: BASIS,
        )

    reminders = service()
    expected = {(m.key, m.user_id) for m in reminders.preview(year, month)}
    loaded = calendar.load()
    rng = random.Random(5)
    members = accounts.members(role=Role.SECRETARY)
    reporters = {m.id for m in members if rng.random() < 0.7}
    report_at: dict[datetime, list[tuple[Member, date]]] = {}
    for m in members:
        if m.id in reporters:
            day = loaded.party_day(year, month, village=m.village, township=m.township)
            assert day is not None
            when = datetime.combine(
                day.day + timedelta(days=rng.randrange(0, 3)), datetime.min.time(), TZ
            )
            report_at.setdefault(when + timedelta(hours=rng.randrange(10, 20)), []).append(
                (m, day.day)
            )
    reported_branches = {m.id for m in members if m.id in reporters}
    expected = {
        (key, tid) for key, tid in expected if not ("/followup" in key and tid in reported_branches)
    }

    sender = Sender()
    outbox = outbox_of(reminders, sender)
    idle: list[float] = []
    planning: list[tuple[float, int]] = []
    sending: list[tuple[float, int]] = []
    end = datetime.combine(last_day(*shift_month(year, month, 1)), datetime.min.time(), TZ)
    step = timedelta(minutes=args.step)
    stopped_once = False
    wall = time.perf_counter()
    ticks = 0
    while clock_now[0] < end:
        now = clock_now[0]
        for when in [w for w in report_at if w <= now]:
            _insert_reports(sessions, report_at.pop(when), now)
        started = time.perf_counter()
        planned = reminders.plan_due()
        planned_s = time.perf_counter() - started
        before = len(sender.sent)
        started = time.perf_counter()
        if args.stop_mid_send and planned >= 100 and now.month == month and not stopped_once:
            stopped_once = True
            flags = iter([False, False, True])
            stop = lambda flags=flags: next(flags, True)  # noqa: E731
            asyncio.run(outbox.run_once(should_stop=stop))
            print(f"stopped after {len(sender.sent) - before} of {planned} messages; restarting")
            reminders = service()  # the restarted process
            outbox = outbox_of(reminders, sender)
            asyncio.run(outbox.run_once())
        else:
            asyncio.run(outbox.run_once())
        send_s = time.perf_counter() - started
        sent = len(sender.sent) - before
        if planned:
            planning.append((planned_s, planned))
        if sent:
            sending.append((send_s, sent))
        if not planned and not sent:
            idle.append(planned_s + send_s)
        ticks += 1
        clock_now[0] = now + step
    wall = time.perf_counter() - wall

    ids = {tid for tid, _ in sender.sent}
    with sessions() as session:
        rows = session.scalars(select(ReminderMessage)).all()
    by_key = {(r.key, r.user_id): r for r in rows}
    sent_keys = Counter((r.key, r.user_id) for r in rows if r.status == "sent")
    per_recipient_text = Counter(sender.sent)
    duplicates = sum(n - 1 for n in per_recipient_text.values() if n > 1)
    month_key = args.month
    in_month = {k for k in sent_keys if k[0].startswith(month_key)}
    lost = expected - in_month
    unexpected = in_month - expected
    statuses = Counter(r.status for r in rows if r.key.startswith(month_key))
    kinds = Counter(k[0].split("/")[1].rstrip("+-0123456789") for k in in_month)
    print(
        f"database: {engine.dialect.name}; branches {args.branches}; staff {TOWNSHIPS + 2}; "
        f"tick every {args.step} min; {ticks} ticks in {wall:.1f} s"
    )
    print(
        f"{month_key} expected {len(expected)} messages; sent {len(in_month)} "
        f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )
    print(
        f"duplicates {duplicates}, lost {len(lost)}, unexpected {len(unexpected)}; "
        f"outbox statuses {dict(statuses)}; recipients reached {len(ids)}"
    )
    if idle:
        print(
            f"idle tick: median {statistics.median(idle) * 1000:.1f} ms, "
            f"p95 {_p95(idle) * 1000:.1f} ms, max {max(idle) * 1000:.1f} ms"
        )
    for seconds, count in planning:
        if count >= 100:
            print(f"planning tick: {count} rows written in {seconds * 1000:.0f} ms")
    biggest = max(sending, key=lambda s: s[1])
    print(
        f"largest send: {biggest[1]} messages claimed, recorded in {biggest[0] * 1000:.0f} ms "
        f"({biggest[1] / biggest[0]:.0f}/s without the channel's 29/s pacing)"
    )
    print(f"peak RSS {peak_rss_mib():.0f} MiB")
    assert duplicates == 0 and not lost and not unexpected, (lost, unexpected)
    assert not [r for r in by_key.values() if r.status == "sending"]


def _insert_reports(
    sessions: sessionmaker[Session], due: list[tuple[Member, date]], now: datetime
) -> None:
    with sessions() as session, session.begin():
        for member, day in due:
            session.add(
                Report(
                    draft_id=member.id,
                    reporter_id=member.id,
                    village=member.village,
                    township=member.township,
                    activity_date=day,
                    type="主题党日",
                    tags="[]",
                    theme="庆祝党的生日",
                    expected=30,
                    attended=25,
                    summary="开展主题党日",
                    deleted=False,
                    created_at=now.astimezone(UTC),
                    updated_at=now.astimezone(UTC),
                )
            )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


if __name__ == "__main__":
    main()
