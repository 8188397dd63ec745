"""The WeCom AI bot under load, over its long connection to the fake WeCom
(tests/fake_wecom_aibot.py, a real WebSocket server on 127.0.0.1), with the process's own
services (`make_aibot` from the settings, as `partybot start` builds it).

    .venv/bin/python -m bench.wecom_aibot_load qa [--users 50]
    .venv/bin/python -m bench.wecom_aibot_load drop [--users 50]

qa: N members ask at once: message pushed → its stream reply finished, p50/p95.
drop: N members ask; when half the answers are out the server drops the connection; each
member asks again while it is down (WeCom holds those) and WeCom delivers those again after the
reconnect: every message answered once — lost, duplicated, the gap's length.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import SEED, percentile
from tests.fake_wecom_aibot import BOT_ID, BOT_SECRET, FakeAibotServer

QUESTION = "上半年组织工作有哪些成效"
SECOND_QUESTION = "主题党日多久开展一次"


async def scenario(args: argparse.Namespace, tmp: Path) -> None:
    from bot.accounts import Role
    from bot.services import make_core_services, make_knowledge_base_from_settings
    from bot.settings import Settings
    from bot.wecom_aibot.server import make_aibot

    knowledge = tmp / "knowledge"
    knowledge.mkdir()
    shutil.copy(SEED, knowledge / SEED.name)
    async with FakeAibotServer() as fake:
        settings = Settings(
            data_dir=tmp / "data",
            knowledge_dir=knowledge,
            wecom_aibot_id=BOT_ID,
            wecom_aibot_secret=BOT_SECRET,
            wecom_aibot_url=fake.url,
            reminders_enabled=False,
        )
        kbase = make_knowledge_base_from_settings(settings)
        kbase.ingestor.ingest()
        core = make_core_services(settings, kbase)
        channel, connection, _ = make_aibot(settings, kbase, core)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mode", choices=["qa", "drop"])
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(scenario(args, Path(tmp)))


if __name__ == "__main__":
    main()
