"""The WeCom AI bot under load, over its long connection to the fake WeCom
(tests/support/fake_wecom_aibot.py, a real WebSocket server on 127.0.0.1), with the process's own
services (`make_aibot` from the settings, as `partybot start` builds it).

    .venv/bin/python -m bench.wecom_aibot_load qa [--users 50]
    .venv/bin/python -m bench.wecom_aibot_load drop [--users 50]
    .venv/bin/python -m bench.wecom_aibot_load broadcast [--users 600] [--kill-at 0.5]

qa: N members ask at once: message pushed → its stream reply finished, p50/p95.
drop: N members ask; when half the answers are out the server drops the connection; each
member asks again while it is down (WeCom holds those) and WeCom delivers those again after the
reconnect: every message answered once — lost, duplicated, the gap's length.
broadcast: a broadcast to N members pushed over the connection (aibot_send_msg) by a sending
process (a child) through the one outbox (Outbox, BroadcastSource and the AI bot's outlet, at
its pace as data), the admin's progress notes to the admin's chat; SIGKILL at `--kill-at` of
the way and a new process, which connects when the dead one's sending lease runs out: lost,
duplicated, the busiest second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from bench.common import SEED, percentile
from tests.support.fake_wecom_aibot import BOT_ID, BOT_SECRET, FakeAibotServer

ADMIN = "admin0001"
BROADCAST_TEXT = "请于周五前报送主题党日开展情况"
QUESTION = "上半年组织工作有哪些成效"
SECOND_QUESTION = "主题党日多久开展一次"


async def scenario(args: argparse.Namespace, tmp: Path) -> None:
    from bot.channels.wecom_aibot.server import make_aibot
    from bot.people.accounts import Role
    from bot.services import make_core_services, make_knowledge_base_from_settings
    from bot.settings import Settings

    knowledge = tmp / "knowledge"
    knowledge.mkdir()
    shutil.copy(SEED, knowledge / SEED.name)
    async with FakeAibotServer() as fake:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=tmp / "data",
            knowledge_dir=knowledge,
            wecom_aibot_id=BOT_ID,
            wecom_aibot_secret=SecretStr(BOT_SECRET),
            wecom_aibot_url=fake.url,
            reminders_enabled=False,
        )
        kbase = make_knowledge_base_from_settings(settings)
        kbase.ingestor.ingest()
        core = make_core_services(settings, kbase)
        channel, connection, _ = make_aibot(settings, core)
        users = [f"asker{n:03d}" for n in range(args.users)]
        for user in users:
            channel.accounts.add(user, Role.STAFF, channel="wecom", township="城关镇")
        stopping = asyncio.Event()
        running = asyncio.create_task(connection.run(stopping))
        await asyncio.wait_for(connection.connected.wait(), 10)
        try:
            if args.mode == "qa":
                await bench_qa(fake, users)
            else:
                await bench_drop(fake, users)
        finally:
            stopping.set()
            await asyncio.wait_for(running, 30)
            core.conversation.close()


async def bench_qa(fake: FakeAibotServer, users: list[str]) -> None:
    await asyncio.gather(*(fake.push_text(user, QUESTION) for user in users))
    await fake.wait_for(lambda: len(fake.answered_at) == len(users), timeout=300)
    latencies = [(fake.answered_at[m] - fake.pushed_at[m]) * 1000 for m in fake.answered_at]
    print(
        f"{len(users)} WeCom AI-bot members asking at once (one long connection, stream"
        f" replies) | answered {len(latencies)}/{len(users)}, duplicated finishes"
        f" {fake.duplicate_finishes} | message → answer p50 {percentile(latencies, 50):.0f} ms,"
        f" p95 {percentile(latencies, 95):.0f} ms; a 正在查询 line first on {len(fake.thinking)}"
    )


async def bench_drop(fake: FakeAibotServer, users: list[str]) -> None:
    first = [await fake.push_text(user, QUESTION) for user in users]
    await fake.wait_for(lambda: len(fake.answered_at) >= len(users) // 2, timeout=300)
    await fake.drop()
    dropped_at = time.perf_counter()
    answered_before = len(fake.answered_at)
    gap = [await fake.push_text(user, SECOND_QUESTION) for user in users]
    await fake.wait_for(lambda: fake.connected, timeout=60)
    back_at = time.perf_counter()
    for req_id in gap:  # WeCom delivers what it held again after the reconnect
        await fake.redeliver(fake._pushes[req_id]["msgid"])
    expected = {fake._pushes[r]["msgid"] for r in first + gap}
    await fake.wait_for(lambda: expected <= set(fake.answered_at), timeout=300)
    await asyncio.sleep(1.0)  # anything late would show up as a duplicate
    per_user = {user: len(fake.texts_to(user)) for user in users}
    lost = sum(max(0, 2 - n) for n in per_user.values())
    duplicated = sum(max(0, n - 2) for n in per_user.values()) + fake.duplicate_finishes
    print(
        f"{len(users)} members, the connection dropped after {answered_before} of {len(users)}"
        f" answers; {len(gap)} asked again during the gap (held, delivered after the reconnect"
        " and once more) |"
        f" {len(expected)} messages, lost {lost}, duplicated {duplicated} | reconnected after"
        f" {(back_at - dropped_at) * 1000:.0f} ms (backoff with jitter), subscriptions"
        f" {fake.subscriptions}"
    )


def child(database_url: str, ws_url: str) -> None:
    """A sending process: the bot's connection (once it holds the lease) and the one outbox
    with the broadcasts as its source and the AI bot's outlet (`aibot_outlet`, under the same
    lease), on one loop as `run_wecom_aibot(..., run_outbox=True)` runs them."""
    from bot.channels.wecom_aibot.connection import AibotConnection
    from bot.channels.wecom_aibot.outlet import aibot_outlet
    from bot.db.engine import make_engine, make_session_factory
    from bot.outbox import BroadcastSource, Outbox
    from bot.outbox.broadcasting import BroadcastService
    from bot.people.accounts import AccountService
    from bot.runtime.leases import LeaseService, sender_lease

    sessions = make_session_factory(make_engine(database_url))
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
    leases = LeaseService(session_factory=sessions, clock=clock)
    lease = sender_lease("wecom", f"aibot-{BOT_ID}")

    async def may_connect() -> bool:
        return await asyncio.to_thread(leases.hold, lease)

    async def no_messages(frame: object) -> None:
        pass

    async def run() -> None:
        connection = AibotConnection(
            url=ws_url,
            bot_id=BOT_ID,
            secret=BOT_SECRET,
            on_frame=no_messages,
            may_connect=may_connect,
            lease_wait_s=2.0,
        )
        outbox = Outbox()
        outbox.add_source(BroadcastSource(broadcasts, accounts, outbox))
        outbox.add_outlet(aibot_outlet(connection, lambda: leases.hold(lease)))
        stopping = asyncio.Event()
        running = asyncio.create_task(connection.run(stopping))
        while await asyncio.to_thread(broadcasts.unfinished):
            await outbox.run_once()  # nothing while another process holds the lease
            await asyncio.sleep(0.5)
        stopping.set()
        await running

    asyncio.run(run())


def bench_broadcast(args: argparse.Namespace, tmp: Path) -> None:
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.outbox.broadcasting import Audience, BroadcastService
    from bot.people.accounts import AccountService, Role

    url = f"sqlite:///{tmp / 'aibot.db'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    admin = accounts.add(ADMIN, Role.ADMIN, channel="wecom", name="管理员")
    users = [f"member{n:04d}" for n in range(args.users)]
    for user in users:
        accounts.add(user, Role.SECRETARY, channel="wecom", village=f"{user}村")
    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
    broadcast_id, _ = broadcasts.draft(admin.id, BROADCAST_TEXT, Audience("role", "secretary"))
    broadcasts.confirm(broadcast_id)
    notice = "【通知】" + BROADCAST_TEXT

    loop = asyncio.new_event_loop()
    ready, done = threading.Event(), asyncio.Event()
    holder: list[FakeAibotServer] = []

    async def serve() -> None:
        async with FakeAibotServer() as server:
            holder.append(server)
            ready.set()
            await done.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(10)
    fake = holder[0]

    def notices() -> list[str]:
        return [chat for chat, kind, text in list(fake.seen) if kind == "text" and text == notice]

    command = [sys.executable, "-m", "bench.wecom_aibot_load", "child", url, fake.url]
    started = time.monotonic()
    first = subprocess.Popen(command)
    while len(notices()) < args.users * args.kill_at and first.poll() is None:
        time.sleep(0.01)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    killed_at, sent_before = time.monotonic(), len(notices())
    second = subprocess.Popen(command)
    while len(notices()) == sent_before and second.poll() is None:
        time.sleep(0.05)
    took_over = time.monotonic() - killed_at
    second.wait(timeout=900)
    elapsed = time.monotonic() - started
    counts = Counter(notices())
    lost = sum(1 for user in users if counts[user] == 0)
    duplicated = sum(counts[user] - 1 for user in users if counts[user] > 1)
    busiest = max(Counter(int(t - started) for t in fake.push_times).values())
    notes = Counter(text[:4] for text in fake.texts_to(ADMIN))
    print(
        f"broadcast to {args.users} members over the AI bot's connection through the one"
        f" outbox, SIGKILL at {sent_before} pushed, a new process | pushed {len(notices())},"
        f" lost {lost}, duplicated {duplicated} | {len(notices()) / (elapsed - took_over):.1f}"
        f" msg/s while sending, busiest second {busiest} (pace 20/s); the new process took"
        f" over after {took_over:.0f} s (the dead sender's lease); {elapsed:.0f} s in all;"
        f" notes to the admin: {dict(notes)}"
    )
    loop.call_soon_threadsafe(done.set)
    thread.join(10)
    engine.dispose()


def main() -> None:
    if sys.argv[1:2] == ["child"]:
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mode", choices=["qa", "drop", "broadcast"])
    parser.add_argument("--users", type=int, default=None)
    parser.add_argument("--kill-at", type=float, default=0.5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.mode == "broadcast":
            args.users = args.users or 600
            bench_broadcast(args, Path(tmp))
        else:
            args.users = args.users or 50
            asyncio.run(scenario(args, Path(tmp)))


if __name__ == "__main__":
    main()
