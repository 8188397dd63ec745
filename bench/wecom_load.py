"""The WeCom channel under load, against the fake WeCom API (tests/support/fake_wecom.py) enforcing an
app's rate and WeCom's 30 messages a minute per member.

    .venv/bin/python -m bench.wecom_load broadcast [--users 600] [--kill-at 0.5]
    .venv/bin/python -m bench.wecom_load qa [--users 50]

broadcast: a broadcast to N WeCom members sent by a sending process (a child); SIGKILL at
`--kill-at` of the way and a new process, which takes the app's sending lease over when the
dead one's expires (a minute): messages/s while sending, lost, duplicated, 429-style refusals.
qa: N members ask at once through real encrypted callbacks into the callback server (uvicorn
on 127.0.0.1): callback → answer (message/send) p50/p95.
"""

from __future__ import annotations

import argparse
import os
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
from tests.support.fake_wecom import AES_KEY, AGENT_ID, CORP_ID, SECRET, TOKEN, FakeWeComAPI

APP_PER_SECOND = 30.0


def child(args: argparse.Namespace) -> None:
    """A WeCom sending process: rounds of the outbox until the broadcast is done."""
    import asyncio

    from bot.channels.wecom.api import WeComAPI
    from bot.channels.wecom.outlet import wecom_outlet
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
    api = WeComAPI(base_url=args.base_url, corp_id=CORP_ID, secret=SECRET, agent_id=AGENT_ID)
    outbox = Outbox()
    outbox.add_outlet(wecom_outlet(api, lambda: leases.hold(sender_lease("wecom", "bench"))))
    outbox.add_source(BroadcastSource(broadcasts, accounts, outbox))
    while broadcasts.unfinished():
        asyncio.run(outbox.run_once())
        time.sleep(1.0)


def bench_broadcast(args: argparse.Namespace) -> None:
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.outbox.broadcasting import Audience, BroadcastService
    from bot.people.accounts import AccountService, Role

    with tempfile.TemporaryDirectory() as tmp, FakeWeComAPI() as fake:
        fake.app_per_second = APP_PER_SECOND
        fake.member_per_minute = 30
        url = f"sqlite:///{Path(tmp) / 'wecom.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        sessions = make_session_factory(engine)
        clock = lambda: datetime.now(UTC)  # noqa: E731
        accounts = AccountService(session_factory=sessions, clock=clock)
        users = [f"member{n:04d}" for n in range(args.users)]
        for user in users:
            accounts.add(user, Role.SECRETARY, channel="wecom", village=f"{user}村")
        broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
        broadcast_id, _ = broadcasts.draft(1, "请于周五前报送主题党日开展情况", Audience("all"))
        broadcasts.confirm(broadcast_id)
        command = [sys.executable, "-m", "bench.wecom_load", "child", url, fake.base_url]
        started = time.monotonic()
        first = subprocess.Popen(command)
        while len(fake.sent) < args.users * args.kill_at and first.poll() is None:
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        killed_at = time.monotonic()
        sent_before = len(fake.sent)
        second = subprocess.Popen(command)
        second.wait(timeout=600)
        elapsed = time.monotonic() - started
        # the notices (the admin who sent it, member0000 here, also gets progress notes)
        counts = Counter(
            m["touser"] for m in fake.sent if m["text"]["content"].startswith("【通知】")
        )
        lost = sum(1 for user in users if counts[user] == 0)
        duplicated = sum(1 for user in users if counts[user] > 1)
        resumed_at = (
            min(t for t in fake.sent_at[sent_before:])
            if len(fake.sent) > sent_before
            else killed_at
        )
        sending_s = (killed_at - started) + (fake.sent_at[-1] - resumed_at)
        print(
            f"broadcast to {args.users} WeCom members, SIGKILL at {sent_before} sent, a new process"
            f" | sent {len(fake.sent)}, lost {lost}, duplicated {duplicated}, refused by the"
            f" fake's limits {fake.rate_violations} | {len(fake.sent) / sending_s:.1f} msg/s while"
            f" sending (pace 20/s, app limit {APP_PER_SECOND:.0f}/s); the new process took over"
            f" after {resumed_at - killed_at:.0f} s (the dead sender's lease); {elapsed:.0f} s in all"
        )
        engine.dispose()


def bench_qa(args: argparse.Namespace) -> None:
    import re
    import shutil

    import httpx
    import uvicorn
    from wechatpy.enterprise.crypto import WeChatCrypto

    from bot.channels.wecom.server import make_wecom_channel
    from bot.people.accounts import Role
    from bot.services import make_core_services, make_knowledge_base_from_settings
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as tmp, FakeWeComAPI() as fake:
        knowledge = Path(tmp) / "knowledge"
        knowledge.mkdir()
        shutil.copy(SEED, knowledge / SEED.name)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp) / "data",
            knowledge_dir=knowledge,
            wecom_corp_id=CORP_ID,
            wecom_agent_id=AGENT_ID,
            wecom_secret=SecretStr(SECRET),
            wecom_token=SecretStr(TOKEN),
            wecom_aes_key=SecretStr(AES_KEY),
            wecom_api_base_url=fake.base_url,
            reminders_enabled=False,
        )
        kbase = make_knowledge_base_from_settings(settings)
        kbase.ingestor.ingest()
        channel = make_wecom_channel(settings, make_core_services(settings, kbase))
        users = [f"asker{n:03d}" for n in range(args.users)]
        for user in users:
            channel.accounts.add(user, Role.STAFF, channel="wecom", township="城关镇")
        server = uvicorn.Server(
            uvicorn.Config(channel.app(), host="127.0.0.1", port=0, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
        asked: dict[str, float] = {}

        def ask(n: int, user: str) -> None:
            inner = (
                f"<xml><ToUserName>{CORP_ID}</ToUserName><FromUserName>{user}</FromUserName>"
                f"<CreateTime>1700000000</CreateTime><MsgType>text</MsgType>"
                f"<Content>上半年组织工作有哪些成效</Content><MsgId>{1000 + n}</MsgId>"
                f"<AgentID>{AGENT_ID}</AgentID></xml>"
            )
            nonce, timestamp = f"n{n}", str(int(time.time()))
            sealed = crypto.encrypt_message(inner, nonce, timestamp)
            encrypted = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]>", sealed).group(1)  # type: ignore[union-attr]
            signature = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", sealed).group(1)  # type: ignore[union-attr]
            body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
            asked[user] = time.monotonic()
            httpx.post(
                f"http://127.0.0.1:{port}/wecom/callback",
                params={"msg_signature": signature, "timestamp": timestamp, "nonce": nonce},
                content=body.encode(),
                timeout=30,
            )

        threads = [threading.Thread(target=ask, args=(n, u)) for n, u in enumerate(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        deadline = time.monotonic() + 120
        while len({m["touser"] for m in fake.sent}) < len(users) and time.monotonic() < deadline:
            time.sleep(0.05)
        first_answer: dict[str, float] = {}
        for message, at in zip(fake.sent, fake.sent_at, strict=True):
            first_answer.setdefault(message["touser"], at)
        latencies = [(first_answer[u] - asked[u]) * 1000 for u in users if u in first_answer]
        server.should_exit = True
        thread.join(timeout=30)
        print(
            f"{args.users} WeCom members asking at once (callbacks into uvicorn, answers through"
            f" message/send) | answered {len(latencies)}/{len(users)} | callback → answer p50"
            f" {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms"
        )
        channel.conversation.close()
        channel.api.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    broadcast = commands.add_parser("broadcast")
    broadcast.add_argument("--users", type=int, default=600)
    broadcast.add_argument("--kill-at", type=float, default=0.5)
    qa = commands.add_parser("qa")
    qa.add_argument("--users", type=int, default=50)
    worker = commands.add_parser("child")
    worker.add_argument("url")
    worker.add_argument("base_url")
    args = parser.parse_args()
    {"broadcast": bench_broadcast, "qa": bench_qa, "child": child}[args.command](args)


if __name__ == "__main__":
    main()
