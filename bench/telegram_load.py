"""The Telegram bot under load, against the fake Bot API server on 127.0.0.1.

    .venv/bin/python -m bench.telegram_load broadcast [--users 5000] [--kill-at 0.5]
    .venv/bin/python -m bench.telegram_load qa [--users 50] [--rounds 4]
    .venv/bin/python -m bench.telegram_load reminders [--users 2000] [--kill-at 0.5]
    .venv/bin/python -m bench.telegram_load reports [--users 200] [--database-url URL] [--spread S]
                                          [--round-trip S]

broadcast: one notice to N users; the bot runs in a child process. With --kill-at, the child
is killed with SIGKILL when that share has been delivered and a new one resumes. Prints the
sustained rate against Telegram's 30 messages/s, and lost and duplicated recipients.
qa: N users ask at once (dev questions over the eval corpus, bundled USE); answers/s and p95
from update to reply.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from bench.common import (
    QA_DEV,
    copy_eval_corpus,
    fresh_database_url,
    load_questions,
    open_knowledge_base,
    percentile,
)
from tests.support.fake_telegram import TOKEN, FakeBotAPI

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.channels.telegram.common import BotServices
    from bot.conversation.turns import Incoming, Reply, Who
    from bot.people.members import Member
    from bot.reports.rows import ReportRow
    from bot.services import KnowledgeBase

ADMIN = 1


def _services(
    data: Path, folder: Path, embedder: str, **options: Any
) -> tuple[KnowledgeBase, BotServices]:
    from bot.index.embeddings import make_embeddings
    from tests.support.telegram_harness import make_services

    kbase = open_knowledge_base(folder, data, make_embeddings(embedder))
    return kbase, make_services(kbase, folder, data, **options)


def child(args: argparse.Namespace) -> None:
    """The bot process: its outbox resumes unfinished broadcasts; exits when none is left.
    It sends under the token's sending lease, as `partybot run` does: a new process takes over
    when the dead one's lease runs out."""
    from datetime import UTC, datetime
    from functools import partial

    from bot.channels.telegram.application import build_application
    from bot.runtime.leases import LeaseService, sender_lease

    kbase, services = _services(Path(args.data), Path(args.folder), "use-multilingual")
    leases = LeaseService(session_factory=kbase.sessions, clock=lambda: datetime.now(UTC))
    services.may_send = partial(leases.hold, sender_lease("telegram", TOKEN))
    services.exclusive_sender = True
    services.outbox_every_s = 5.0

    async def main() -> None:
        application = build_application(
            token=TOKEN, services=services, base_url=args.base_url, base_file_url=args.base_url
        )
        await application.initialize()
        await application.post_init(application)  # type: ignore[misc]
        while services.broadcasts.unfinished():
            await asyncio.sleep(0.2)
        await application.post_stop(application)  # type: ignore[misc]
        await application.shutdown()

    asyncio.run(main())


REMINDER_DUE = "2023-07-07T09:00:00+08:00"  # three days before the county's 10 July
REMINDER_CALENDAR = "规则:\n  - 规则: 每月10日\n主题:\n  - 月份: 2023-07\n    主题: 庆祝党的生日\n"


def reminder_child(args: argparse.Namespace) -> None:
    """A bot process whose clock stands at the reminders' due time; ticks every 0.5 s and
    exits when no reminder is left pending."""
    from datetime import datetime, timedelta

    from bot.channels.telegram.application import build_application
    from tests.support.fakes import Clock

    now = Clock(datetime.fromisoformat(REMINDER_DUE) + timedelta(minutes=args.minutes_later))
    _, services = _services(
        Path(args.data), Path(args.folder), "use-multilingual", clock=now, reminder_tick_s=0.5
    )

    async def main() -> None:
        application = build_application(
            token=TOKEN, services=services, base_url=args.base_url, base_file_url=args.base_url
        )
        await application.initialize()
        await application.start()
        await application.post_init(application)  # type: ignore[misc]
        await asyncio.sleep(1.0)
        assert services.reminders is not None  # the composition root always makes them
        while services.reminders.month_counts("2023-07").get(("before", "pending")):
            await asyncio.sleep(0.2)
        await application.stop()
        await application.shutdown()

    asyncio.run(main())


def bench_reminders(args: argparse.Namespace) -> None:
    """N secretaries' three-day reminders from a bot process; with --kill-at, SIGKILL it when
    that share has gone out and start another: lost, duplicated, and in flight at the kill."""
    from bot.people.accounts import Role

    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as fake:
        data, folder = Path(tmp) / "data", Path(tmp) / "knowledge"
        folder.mkdir()
        _, services = _services(data, folder, "use-multilingual")
        recipients = list(range(100_000, 100_000 + args.users))
        for n, telegram_id in enumerate(recipients):
            services.accounts.add(
                telegram_id,
                Role.SECRETARY,
                channel="telegram",
                village=f"第{n}村",
                township="城关镇",
            )
        calendar_file = Path(tmp) / "calendar.yaml"
        calendar_file.write_text(REMINDER_CALENDAR, encoding="utf-8")
        assert services.calendar is not None and services.reminders is not None
        services.calendar.import_file(calendar_file)
        started = time.monotonic()
        # the new process starts after the dead one's claims have run out (5 minutes)
        kills = _run_child(
            _child_command("reminder-child", data, folder, fake.base_url),
            fake,
            kill_after=int(args.users * args.kill_at),
            restart_with=["--minutes-later", "6"],
        )
        elapsed = time.monotonic() - started
        reminders = [m for m in fake.sent if m["chat_id"] >= 100_000]
        per_user = Counter(m["chat_id"] for m in reminders)
        lost = [r for r in recipients if per_user[r] == 0]
        duplicated = sum(1 for r in recipients if per_user[r] > 1)
        counts = services.reminders.month_counts("2023-07")
        first, last = _send_window(fake)
        print(
            f"reminders to {args.users} secretaries | kills {kills} | wall {elapsed:.1f} s | "
            f"sustained {len(reminders) / (last - first):.1f} msg/s (ceiling 30) | "
            f"lost {len(lost)} | duplicated {duplicated} | 429s {fake.rate_violations} | "
            f"outbox: {dict(sorted((s, n) for (k, s), n in counts.items() if k == 'before'))} "
            "(uncertain = on the wire when the process was killed; never resent)"
        )


def bench_broadcast(args: argparse.Namespace) -> None:
    from bot.outbox.broadcasting import Audience
    from bot.people.accounts import Role

    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as fake:
        data, folder = Path(tmp) / "data", Path(tmp) / "knowledge"
        folder.mkdir()
        _, services = _services(data, folder, "use-multilingual")
        services.accounts.add(ADMIN, Role.ADMIN, channel="telegram")
        recipients = list(range(100_000, 100_000 + args.users))
        for telegram_id in recipients:
            services.accounts.add(
                telegram_id, Role.SECRETARY, channel="telegram", village="村", township="城关镇"
            )
        broadcast_id, _ = services.broadcasts.draft(
            ADMIN, "请于本周五前报送主题党日开展情况。", Audience("role", "secretary")
        )
        services.broadcasts.confirm(broadcast_id)

        started = time.monotonic()
        kills = _run_child(
            _child_command("child", data, folder, fake.base_url),
            fake,
            kill_after=int(args.users * args.kill_at),
        )
        elapsed = time.monotonic() - started
        notices = [m for m in fake.sent if m["chat_id"] >= 100_000]
        per_user = Counter(m["chat_id"] for m in notices)
        lost = sum(1 for r in recipients if per_user[r] == 0)
        duplicated = sum(1 for r in recipients if per_user[r] > 1)
        first, last = _send_window(fake)
        times = fake.send_times_log
        pause = max((b - a for a, b in itertools.pairwise(times)), default=0.0)
        progress = services.broadcasts.progress(broadcast_id)
        print(
            f"users {args.users} | kills {kills} | wall {elapsed:.1f} s | "
            f"sustained {len(notices) / (last - first):.1f} msg/s (ceiling 30), "
            f"{len(notices) / (last - first - pause):.1f} without the longest pause "
            f"({pause:.0f} s: the dead sender's lease) | "
            f"lost {lost} | duplicated {duplicated} | 429s from the server {fake.rate_violations} | "
            f"rows: sent {progress.sent}, pending {progress.pending}, failed {progress.failed}"
        )


def _child_command(name: str, data: Path, folder: Path, base_url: str) -> list[str]:
    return [sys.executable, "-m", "bench.telegram_load", name, "--data", str(data),
            "--folder", str(folder), "--base-url", base_url]  # fmt: skip


def _run_child(
    command: list[str], fake: FakeBotAPI, *, kill_after: int, restart_with: list[str] | None = None
) -> int:
    """Run the bot process to the end; with kill_after, SIGKILL it once that many messages
    (to ids >= 100,000) have arrived and start another. Returns how many were killed."""
    worker = subprocess.Popen(command)
    kills = 0
    if kill_after:
        while sum(1 for m in list(fake.sent) if m["chat_id"] >= 100_000) < kill_after:
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        kills = 1
        worker = subprocess.Popen([*command, *(restart_with or [])])
    worker.wait()
    return kills


def _send_window(fake: FakeBotAPI) -> tuple[float, float]:
    times = fake.send_times_log
    return times[0], times[-1]


def bench_qa(args: argparse.Namespace) -> None:
    from bot.people.accounts import Role
    from tests.support.telegram_harness import running_bot, wait_until

    questions = [r["question"] for r in load_questions(QA_DEV)]
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(enforce_rate_limit=False) as fake:
        folder = copy_eval_corpus(Path(tmp) / "knowledge")
        kbase, services = _services(Path(tmp) / "data", folder, "use-multilingual")
        kbase.ingestor.ingest()
        users = list(range(500, 500 + args.users))
        for telegram_id in users:
            services.accounts.add(
                telegram_id, Role.SECRETARY, channel="telegram", village="村", township="城关镇"
            )
        services.flood.limit = 10_000
        latencies: list[float] = []

        async def scenario() -> float:
            async with running_bot(fake, services):
                total_started = time.monotonic()
                for round_number in range(args.rounds):
                    asked: dict[int, float] = {}
                    for n, telegram_id in enumerate(users):
                        fake.message(telegram_id, questions[(n + round_number) % len(questions)])
                        asked[telegram_id] = time.monotonic()

                    def replied(n: int = round_number) -> bool:
                        return all(len(fake.texts_to(u)) > n for u in users)

                    await wait_until(replied, timeout=300)
                    for telegram_id in users:
                        reply_at = fake.reply_times[telegram_id][round_number]
                        latencies.append((reply_at - asked[telegram_id]) * 1000)
                return time.monotonic() - total_started

        elapsed = asyncio.run(scenario())
    answers = len(latencies)
    print(
        f"{args.users} users at once x {args.rounds} rounds | {answers} answers in {elapsed:.1f} s = "
        f"{answers / elapsed:.1f} answers/s | update->reply p50 {percentile(latencies, 50):.0f} ms, "
        f"p95 {percentile(latencies, 95):.0f} ms"
    )


@contextlib.contextmanager
def _ledger_sessions(
    database_url: str | None, tmp: Path
) -> Iterator[tuple[str, sessionmaker[Session]]]:
    """(url, migrated sessions) of a fresh SQLite file or PostgreSQL schema."""
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema

    with fresh_database_url(database_url, tmp / "ledger.db") as url:
        engine = make_engine(url)
        try:
            upgrade_schema(engine)
            yield url, make_session_factory(engine)
        finally:
            engine.dispose()


REPORT_TEXT = (
    "6月10日上午，{village}党支部开展“学习贯彻党的二十大精神”主题党日活动，应到党员32人，实到28人。"
)


def reports_child(args: argparse.Namespace) -> None:
    """The bot process of `reports`. Telegram's servers are not in the bot's process, so the
    fake one is not either: it would share the bot's interpreter. Records when
    each confirm() returned (time.monotonic is system-wide on Linux) and writes the times to
    --timings once --stop-file appears."""
    from bot.conversation.turns import Press
    from bot.db.engine import make_engine, make_session_factory
    from tests.support.telegram_harness import running_bot_at

    engine = make_engine(args.database_url)
    _, services = _services(
        Path(args.data), Path(args.folder), args.embedder, sessions=make_session_factory(engine)
    )
    services.flood.limit = 10_000
    committed_at: dict[str, float] = {}
    inside: list[float] = []
    confirm = services.reports.confirm
    # the event loop's CPU time (python-telegram-bot, httpx) from the first 确认 on
    loop_clock = time.pthread_getcpuclockid(threading.main_thread().ident or 0)
    loop_cpu: list[float] = []
    # the whole process's CPU (every thread) and the wall clock, at the first 确认 and at each
    # commit: how busy the one interpreter was while the burst was being stored
    process_cpu: list[tuple[float, float]] = []

    def timed_confirm(draft_id: int, member: Member) -> tuple[ReportRow | None, bool]:
        if not loop_cpu:
            loop_cpu.append(time.clock_gettime(loop_clock))
            process_cpu.append((time.monotonic(), time.process_time()))
        started = time.monotonic()
        result = confirm(draft_id, member)
        inside.append((time.monotonic() - started) * 1000)
        if result[1]:
            committed_at[member.external_id or ""] = time.monotonic()
            process_cpu[1:] = [(time.monotonic(), time.process_time())]
        return result

    # each press turn's wall time against its thread's CPU: the gap is the wait for the
    # interpreter lock the turns share with the event loop
    turns: list[tuple[float, float]] = []
    handle = services.conversation.handle

    def timed_handle(who: Who, incoming: Incoming) -> list[Reply]:
        started, cpu = time.monotonic(), time.thread_time()
        replies = handle(who, incoming)
        if isinstance(incoming, Press):
            turns.append((time.monotonic() - started, time.thread_time() - cpu))
        return replies

    stop_file = Path(args.stop_file)

    async def serve() -> None:
        async with running_bot_at(args.base_url, args.base_file_url, services):
            while not stop_file.exists():
                await asyncio.sleep(0.05)

    with (
        patch.object(services.reports, "confirm", timed_confirm),
        patch.object(services.conversation, "handle", timed_handle),
    ):
        asyncio.run(serve())
    loop_cpu.append(time.clock_gettime(loop_clock))
    engine.dispose()
    recorded = {
        "committed_at": committed_at,
        "inside": inside,
        "loop_cpu": loop_cpu,
        "process_cpu": process_cpu,
        "turns": turns,
    }
    Path(args.timings).write_text(json.dumps(recorded))


def _wait(predicate: Callable[[], bool], timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the bot")
        time.sleep(0.01)


def bench_reports(args: argparse.Namespace) -> None:
    """N secretaries report at once, then all tap 确认 twice; each must be stored exactly once.
    The bot runs in its own process (reports_child) against the fake Bot API in this one.
    确认 -> committed is timed when confirm() has returned, i.e. after the INSERT committed."""
    from sqlalchemy import func, select

    from bot.db.models import Report
    from bot.people.accounts import AccountService, Role

    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeBotAPI(enforce_rate_limit=False) as fake,
        _ledger_sessions(args.database_url, Path(tmp)) as (database_url, sessions),
    ):
        fake.round_trip_s = args.round_trip
        accounts = AccountService(session_factory=sessions, clock=lambda: datetime.now(UTC))
        users = list(range(700, 700 + args.users))
        for n, telegram_id in enumerate(users):
            accounts.add(
                telegram_id,
                Role.SECRETARY,
                channel="telegram",
                village=f"第{n}村",
                township="城关镇",
            )
        folder, timings, stop_file = (Path(tmp) / name for name in ("knowledge", "t.json", "stop"))
        folder.mkdir()
        command = _child_command("reports-child", Path(tmp) / "data", folder, fake.base_url)
        command += ["--base-file-url", fake.base_file_url, "--database-url", database_url]
        command += ["--embedder", args.embedder, "--timings", str(timings)]
        bot = subprocess.Popen([*command, "--stop-file", str(stop_file)])
        try:
            clicked, first_press = _report_and_confirm(fake, users, args.spread)

            def unindexed() -> int:
                with sessions() as session:
                    query = select(func.count()).select_from(Report)
                    return session.scalar(query.where(Report.indexed.is_(False))) or 0

            _wait(lambda: unindexed() == 0)
        finally:
            stop_file.touch()
            bot.wait(timeout=60)
        recorded = json.loads(timings.read_text())
        committed = [(recorded["committed_at"][str(u)] - clicked[u]) * 1000 for u in users]
        inside = recorded["inside"]
        loop_seconds = recorded["loop_cpu"][1] - recorded["loop_cpu"][0]
        (first_wall, first_cpu), (last_wall, last_cpu) = recorded["process_cpu"]
        turn_wall = [wall * 1000 for wall, _ in recorded["turns"]]
        turn_cpu = [cpu * 1000 for _, cpu in recorded["turns"]]
        latencies = [(_stored(fake, u)[0]["at"] - clicked[u]) * 1000 for u in users]
        answered = fake.toast_times()
        toasts = [(answered[first_press[u]] - clicked[u]) * 1000 for u in users]
        with sessions() as session:
            rows = session.scalar(select(func.count()).select_from(Report))
            distinct = session.scalar(select(func.count(func.distinct(Report.reporter_id))))
    database = "PostgreSQL" if (args.database_url or "").startswith("postgresql") else "SQLite"
    print(
        f"{database}, {args.embedder}: {args.users} reports confirmed "
        f"{f'within {args.spread:g} s' if args.spread else 'at once'} (each tapped twice) "
        f"{f'with a {args.round_trip * 1000:.0f} ms round trip to the Bot API ' if args.round_trip else ''}"
        f"| bot and fake Bot API in separate processes | rows stored {rows}, distinct reporters "
        f"{distinct}, all indexed afterwards "
        f"| 确认 -> row committed p50 {percentile(committed, 50):.0f} ms, "
        f"p95 {percentile(committed, 95):.0f} ms (confirm() itself p50 "
        f"{percentile(inside, 50):.0f} ms, p95 {percentile(inside, 95):.0f} ms) "
        f"| 确认 -> toast '已记入台账' p50 {percentile(toasts, 50):.0f} ms, "
        f"p95 {percentile(toasts, 95):.0f} ms "
        f"| 确认 -> card edited p50 {percentile(latencies, 50):.0f} ms, "
        f"p95 {percentile(latencies, 95):.0f} ms (edits paced at 29/s: one per user, a second tap gets its toast alone) "
        f"| the event loop's CPU from the first 确认 on {loop_seconds:.1f} s "
        f"| the bot process's CPU (all threads, the report indexer's embedding included) from "
        f"the first 确认 to the last commit "
        f"{last_cpu - first_cpu:.2f} s in {last_wall - first_wall:.2f} s of wall time "
        f"({(last_cpu - first_cpu) / max(1e-9, last_wall - first_wall):.0%} of one core; "
        f"{(last_cpu - first_cpu) * 1000 / (2 * args.users):.1f} ms a press) "
        f"| a press turn in the core p50 {percentile(turn_wall, 50):.0f} ms of wall time for "
        f"{percentile(turn_cpu, 50):.1f} ms of CPU, all {len(turn_cpu)} turns "
        f"{sum(turn_cpu) / 1000:.2f} s of CPU"
    )


def _stored(fake: FakeBotAPI, user: int) -> list[dict]:
    return [m for m in fake.messages_to(user) if "已记入台账" in m.get("text", "")]


def _report_and_confirm(
    fake: FakeBotAPI, users: list[int], spread: float = 0.0
) -> tuple[dict[int, float], dict[int, str]]:
    """Every user reports; once every card is shown, every user taps 确认 twice: all at once,
    or each at a random moment within `spread` seconds. Returns when each tapped and the id of
    their first tap, once every report is stored."""
    for n, telegram_id in enumerate(users):
        fake.message(telegram_id, REPORT_TEXT.format(village=f"第{n}村"))
    _wait(lambda: all(fake.messages_to(u) for u in users))
    chance = random.Random(7)
    moments = sorted(chance.uniform(0, spread) for _ in users)
    clicked: dict[int, float] = {}
    first_press: dict[int, str] = {}
    start = time.monotonic()
    for telegram_id, moment in zip(users, moments, strict=True):
        card = fake.messages_to(telegram_id)[0]
        if "reply_markup" not in card:
            raise AssertionError(f"{telegram_id} was sent no card but {card.get('text')!r}")
        data = card["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        time.sleep(max(0.0, start + moment - time.monotonic()))
        clicked[telegram_id] = time.monotonic()
        first_press[telegram_id] = fake.click(telegram_id, card, data)["callback_query"]["id"]
        fake.click(telegram_id, card, data)  # the double tap
    _wait(lambda: all(_stored(fake, u) for u in users))
    return clicked, first_press


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    broadcast = commands.add_parser("broadcast")
    broadcast.add_argument("--users", type=int, default=5000)
    broadcast.add_argument("--kill-at", type=float, default=0.0)
    qa = commands.add_parser("qa")
    qa.add_argument("--users", type=int, default=50)
    qa.add_argument("--rounds", type=int, default=4)
    reports = commands.add_parser("reports")
    reports.add_argument("--users", type=int, default=200)
    reports.add_argument("--database-url", help="postgresql+psycopg://… (default: SQLite)")
    reports.add_argument("--embedder", default="e5-small")
    reports.add_argument(
        "--spread", type=float, default=0.0, help="seconds over which the taps are spread"
    )
    reports.add_argument(
        "--round-trip",
        type=float,
        default=0.0,
        help="seconds each Bot API call takes there and back",
    )
    reminders = commands.add_parser("reminders")
    reminders.add_argument("--users", type=int, default=2000)
    reminders.add_argument("--kill-at", type=float, default=0.0)
    reports_worker = commands.add_parser("reports-child")
    for option in ("--data", "--folder", "--base-url", "--base-file-url", "--database-url"):
        reports_worker.add_argument(option)
    for option in ("--embedder", "--timings", "--stop-file"):
        reports_worker.add_argument(option)
    reminder_worker = commands.add_parser("reminder-child")
    reminder_worker.add_argument("--data")
    reminder_worker.add_argument("--folder")
    reminder_worker.add_argument("--base-url")
    reminder_worker.add_argument("--minutes-later", type=int, default=0)
    worker = commands.add_parser("child")
    worker.add_argument("--data")
    worker.add_argument("--folder")
    worker.add_argument("--base-url")
    args = parser.parse_args()
    runners = {
        "broadcast": bench_broadcast,
        "qa": bench_qa,
        "reports": bench_reports,
        "reports-child": reports_child,
        "child": child,
        "reminders": bench_reminders,
        "reminder-child": reminder_child,
    }
    runners[args.command](args)


if __name__ == "__main__":
    main()
