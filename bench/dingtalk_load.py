"""The DingTalk channel under load, against the fake DingTalk (tests/support/fake_dingtalk.py): the
stream over a real WebSocket on 127.0.0.1, replies through sessionWebhooks.

    .venv/bin/python -m bench.dingtalk_load qa [--users 50]
    .venv/bin/python -m bench.dingtalk_load gap [--users 50]
    .venv/bin/python -m bench.dingtalk_load broadcast [--users 600] [--kill-at 0.5]

qa: N members ask at once (N robot messages pushed down the stream together): push → first
reply p50/p95.
gap: N members ask; a second question from each is pushed and the connection is cut at once;
the gateway then refuses twice, so the channel waits out its back-off (1 s, then 2 s) while a
third question from each is waiting at DingTalk. Every question must be answered exactly once:
lost (no answer), duplicated (two), and how long the stream was gone.
broadcast: a broadcast to N members sent by the one outbox (bot/outbox: Outbox, BroadcastSource
and DingTalk's outlet under the app's sending lease, as `run_dingtalk` builds them) in a sending
process killed (SIGKILL) at `--kill-at` of the way, then a second one, which sends once the dead
one's lease has run out; the fake refuses what is over DingTalk's 20 calls a second. The
admin's progress notes go to the admin's DingTalk chat.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bench.common import SEED, percentile
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk

ADMIN = "admin0001"
BROADCAST_TEXT = "请于周五前报送主题党日开展情况"
QUESTIONS = ("上半年组织工作有哪些成效", "主题党日多久开展一次", "发展党员要经过哪些程序")


@contextlib.contextmanager
def dingtalk_process(users: list[str]) -> Iterator[tuple[FakeDingTalk, Any]]:
    """A partybot process's DingTalk channel (bot.channels.dingtalk.server.run_dingtalk over the one
    core) connected to a fake DingTalk; the members bound as township staff."""
    from bot.channels.dingtalk.server import run_dingtalk
    from bot.people.accounts import Role
    from bot.services import make_core_services, make_knowledge_base_from_settings
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as tmp, FakeDingTalk() as fake:
        knowledge = Path(tmp) / "knowledge"
        knowledge.mkdir()
        shutil.copy(SEED, knowledge / SEED.name)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp) / "data",
            knowledge_dir=knowledge,
            dingtalk_client_id=CLIENT_ID,
            dingtalk_client_secret=SecretStr(CLIENT_SECRET),
            dingtalk_api_base_url=fake.api_base_url,
            dingtalk_webhook_base_url=fake.webhook_base_url,
            reminders_enabled=False,
        )
        kbase = make_knowledge_base_from_settings(settings)
        kbase.ingestor.ingest()
        core = make_core_services(settings, kbase)
        for user in users:
            core.accounts.add(user, Role.STAFF, channel="dingtalk", township="城关镇")
        stopping = threading.Event()
        thread = threading.Thread(target=run_dingtalk, args=(settings, core, stopping))
        thread.start()
        try:
            fake.wait_connected(1)
            warm = fake.message(users[0], text=QUESTIONS[1], msg_id="warm-up")
            fake.deliver(warm)  # the models' first use is not the load's figure
            wait_answered(fake, ["warm-up"], settle_s=0.0)
            fake.replies.clear()
            fake.reply_times.clear()
            yield fake, core
        finally:
            stopping.set()
            thread.join(60)
            core.conversation.close()


def answers_by_session(fake: FakeDingTalk) -> dict[str, int]:
    """How many answer texts each message got (buttons come as a markdown message beside)."""
    counts: dict[str, int] = {}
    for session, message in list(fake.replies):
        if message.get("msgtype") == "text":
            counts[session] = counts.get(session, 0) + 1
    return counts


def wait_answered(
    fake: FakeDingTalk, msg_ids: list[str], timeout_s: float = 180.0, settle_s: float = 1.0
) -> None:
    deadline = time.monotonic() + timeout_s
    wanted = {f"s-{m}" for m in msg_ids}
    while time.monotonic() < deadline and not wanted <= set(answers_by_session(fake)):
        time.sleep(0.05)
    time.sleep(settle_s)  # room for a duplicate, were one coming


def bench_qa(args: argparse.Namespace) -> None:
    users = [f"asker{n:03d}" for n in range(args.users)]
    with dingtalk_process(users) as (fake, _):
        asked: dict[str, float] = {}
        for n, user in enumerate(users):
            asked[f"s-q{n}"] = time.monotonic()
            fake.deliver(fake.message(user, text=QUESTIONS[0], msg_id=f"q{n}"))
        wait_answered(fake, [f"q{n}" for n in range(len(users))])
        first: dict[str, float] = {}
        for (session, _), at in zip(list(fake.replies), list(fake.reply_times), strict=True):
            first.setdefault(session, at)
        latencies = [(first[s] - t) * 1000 for s, t in asked.items() if s in first]
        print(
            f"{args.users} DingTalk members asking at once (pushed down the stream, answers"
            f" through sessionWebhook) | answered {len(latencies)}/{len(users)} | push → answer"
            f" p50 {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms"
        )


def bench_gap(args: argparse.Namespace) -> None:
    users = [f"member{n:03d}" for n in range(args.users)]
    with dingtalk_process(users) as (fake, _):
        ids: list[str] = []
        for round_number, question in enumerate(QUESTIONS):
            if round_number == 1:  # pushed, and the connection cut at once
                for user in users:
                    ids.append(f"{user}-{round_number}")
                    fake.deliver(fake.message(user, text=question, msg_id=ids[-1]))
                fake.refuse_opens = 2
                cut = time.monotonic()
                fake.drop()
                continue
            for user in users:  # round 2: waiting at DingTalk while the stream is gone
                ids.append(f"{user}-{round_number}")
                fake.deliver(fake.message(user, text=question, msg_id=ids[-1]))
            if round_number == 0:
                wait_answered(fake, ids)
        fake.wait_connected(2, timeout_s=60)
        gap = time.monotonic() - cut
        wait_answered(fake, ids)
        counts = answers_by_session(fake)
        lost = sum(1 for m in ids if counts.get(f"s-{m}", 0) == 0)
        doubled = sum(1 for m in ids if counts.get(f"s-{m}", 0) > 1)
        print(
            f"{len(users)} members, {len(ids)} questions, the stream cut after round 1's push"
            f" and gone {gap:.1f} s (2 refused opens) | answered once"
            f" {len(ids) - lost - doubled}/{len(ids)}, lost {lost}, duplicated {doubled};"
            f" {fake.connections} connections, {fake.opens} opens"
        )


def child(args: argparse.Namespace) -> None:
    """A sending process: the one outbox with the broadcasts as its source and DingTalk's
    outlet (`dingtalk_outlet`, under the app's sending lease), as `run_dingtalk` builds them;
    rounds until nothing is left."""
    import asyncio
    from datetime import UTC, datetime

    from bot.channels.dingtalk.api import DingTalkAPI
    from bot.channels.dingtalk.outlet import dingtalk_outlet
    from bot.db.engine import make_engine, make_session_factory
    from bot.outbox import BroadcastSource, Outbox
    from bot.outbox.broadcasting import BroadcastService
    from bot.people.accounts import AccountService
    from bot.runtime.leases import LeaseService, sender_lease

    sessions = make_session_factory(make_engine(args.url))
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
    leases = LeaseService(session_factory=sessions, clock=clock)
    lease = sender_lease("dingtalk", CLIENT_ID)
    api = DingTalkAPI(
        base_url=args.base_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        robot_code=CLIENT_ID,
        webhook_base_url=args.base_url,
    )
    outbox = Outbox()
    outbox.add_source(BroadcastSource(broadcasts, accounts, outbox))
    outbox.add_outlet(dingtalk_outlet(api, lambda: leases.hold(lease)))

    async def run() -> None:
        while broadcasts.unfinished():
            await outbox.run_once()
            await asyncio.sleep(0.5)  # the lease another process holds: asked again

    asyncio.run(run())


def bench_broadcast(args: argparse.Namespace) -> None:
    import os
    import signal
    import subprocess
    import sys
    from collections import Counter
    from datetime import UTC, datetime

    from bot.channels.dingtalk.outlet import PACE
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.outbox.broadcasting import Audience, BroadcastService
    from bot.people.accounts import AccountService, Role

    notice = "【通知】" + BROADCAST_TEXT
    with tempfile.TemporaryDirectory() as tmp, FakeDingTalk() as fake:
        fake.api_per_second = 20.0
        url = f"sqlite:///{Path(tmp) / 'dingtalk.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        sessions = make_session_factory(engine)
        clock = lambda: datetime.now(UTC)  # noqa: E731
        accounts = AccountService(session_factory=sessions, clock=clock)
        admin = accounts.add(ADMIN, Role.ADMIN, channel="dingtalk", name="管理员")
        users = [f"member{n:04d}" for n in range(args.users)]
        for user in users:
            accounts.add(user, Role.SECRETARY, channel="dingtalk", village=f"{user}村")
        broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
        broadcast_id, _ = broadcasts.draft(admin.id, BROADCAST_TEXT, Audience("role", "secretary"))
        broadcasts.confirm(broadcast_id)
        command = [sys.executable, "-m", "bench.dingtalk_load", "child", url, fake.api_base_url]

        def notices() -> list[str]:
            return [sent["user"] for sent in list(fake.batch_sent) if sent["text"] == notice]

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
        second.wait(timeout=600)
        elapsed = time.monotonic() - started
        counts = Counter(notices())
        lost = sum(1 for user in users if counts[user] == 0)
        duplicated = sum(counts[user] - 1 for user in users if counts[user] > 1)
        notes = [s["text"][:4] for s in fake.batch_sent if s["user"] == ADMIN]
        busiest = max(Counter(int(t) for t in fake.batch_times).values())
        sending_s = elapsed - took_over
        print(
            f"broadcast to {args.users} DingTalk members through the one outbox, SIGKILL at"
            f" {sent_before} sent, a second process | sent {len(notices())}, lost {lost},"
            f" duplicated {duplicated}, refused over 20 calls/s {fake.rate_violations},"
            f" busiest second {busiest} calls | {len(notices()) / sending_s:.1f} msg/s while"
            f" sending (pace {PACE.calls_per_second:.0f}/s); the second process took over"
            f" after {took_over:.0f} s (the dead one's sending lease); {elapsed:.0f} s in all;"
            f" notes to the admin: {Counter(notes)}"
        )
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("qa", "gap"):
        commands.add_parser(name).add_argument("--users", type=int, default=50)
    broadcast = commands.add_parser("broadcast")
    broadcast.add_argument("--users", type=int, default=600)
    broadcast.add_argument("--kill-at", type=float, default=0.5)
    worker = commands.add_parser("child")
    worker.add_argument("url")
    worker.add_argument("base_url")
    args = parser.parse_args()
    commands_by_name = {"qa": bench_qa, "gap": bench_gap, "broadcast": bench_broadcast}
    {**commands_by_name, "child": child}[args.command](args)


if __name__ == "__main__":
    main()
