"""The AI bot's connection: reconnecting after a drop (what was sent in the gap answered once),
a displaced connection stepping aside, the heartbeat, a refused secret, the sending lease, the
outlet the outbox sends with, and the pictures' encryption."""

from __future__ import annotations

import asyncio
import base64
import random
import secrets
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.channels.wecom_aibot import protocol
from bot.channels.wecom_aibot.channel import AibotChannel
from bot.channels.wecom_aibot.connection import AibotConnection
from bot.channels.wecom_aibot.media import picture_fetcher, upload
from bot.channels.wecom_aibot.outlet import AibotOutlet
from bot.channels.wecom_aibot.protocol import Frame
from bot.runtime.leases import LeaseService
from tests.support.fake_wecom_aibot import BOT_ID, BOT_SECRET, FakeAibotServer
from tests.support.wecom_aibot_harness import Core, core_over, eventually, running


@pytest.fixture
def core(make_kb, knowledge_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with core_over(make_kb, knowledge_dir, tmp_path) as world:
        yield world


async def no_frames(frame: Frame) -> None:
    raise AssertionError(f"no message was expected: {frame}")


def bare(fake: FakeAibotServer, **options: object) -> AibotConnection:
    settings: dict[str, object] = {"ack_timeout_s": 2.0, "backoff_base_s": 0.05}
    settings.update(options)
    return AibotConnection(
        url=fake.url, bot_id=BOT_ID, secret=BOT_SECRET, on_frame=no_frames, **settings
    )  # type: ignore[arg-type]


def test_after_the_server_drops_it_reconnects_and_the_gap_is_answered_once(core: Core) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core) as (_, connection):
            await fake.push_text("zhangsan", "主题党日多久开展一次")
            await fake.wait_for(lambda: len(fake.texts_to("zhangsan")) == 1)
            await fake.drop()
            gap = [await fake.push_text("zhangsan", q) for q in ("/help", "组织生活会多久召开一次")]
            assert len(gap) == 2 and not fake.connected  # queued by WeCom while we are away
            await fake.wait_for(lambda: len(fake.texts_to("zhangsan")) == 3)
            for req_id in gap:  # WeCom delivers them again after the reconnect, too
                await fake.redeliver(fake._pushes[req_id]["msgid"])
            await asyncio.sleep(0.5)
            assert len(fake.texts_to("zhangsan")) == 3 and fake.subscriptions == 2
            assert connection.connections == 2
            assert any("第十条" in t for t in fake.texts_to("zhangsan"))

    asyncio.run(scenario())


def test_a_displaced_connection_steps_aside_and_does_not_fight() -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake:
            connection = bare(fake)
            task = asyncio.create_task(connection.run(asyncio.Event()))
            await eventually(lambda: fake.subscriptions == 1)
            await fake.displace()
            await asyncio.wait_for(task, 5)  # it returns: no reconnecting
            await asyncio.sleep(0.3)
            assert connection.displaced and fake.subscriptions == 1

    asyncio.run(scenario())


def test_unanswered_pings_mean_a_dead_connection_and_a_new_one() -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake:
            # four pings' grace (0.2 s) for a pong, not two: a loaded machine stalls the loop
            connection = bare(fake, heartbeat_s=0.05, max_missed_pongs=4)
            stopping = asyncio.Event()
            task = asyncio.create_task(connection.run(stopping))
            await eventually(lambda: fake.pings >= 4)
            assert fake.subscriptions == 1  # answered pings keep it
            fake.answer_pings = False
            await eventually(lambda: fake.subscriptions == 2)
            stopping.set()
            await asyncio.wait_for(task, 5)

    asyncio.run(scenario())


def test_a_refused_secret_is_tried_a_few_times_then_given_up() -> None:
    async def scenario() -> None:
        async with FakeAibotServer(secret="the-right-one") as fake:
            connection = bare(fake, max_auth_failures=3)
            await asyncio.wait_for(connection.run(asyncio.Event()), 10)
            assert fake.refused_subscriptions == 3 and fake.subscriptions == 0

    asyncio.run(scenario())


def test_backoff_doubles_to_its_cap_with_jitter() -> None:
    connection = AibotConnection(
        url="ws://x", bot_id="b", secret="s", on_frame=no_frames, rng=random.Random(1)
    )
    delays = [connection.backoff(n) for n in range(8)]
    for attempt, delay in enumerate(delays):
        ceiling = min(30.0, 2**attempt)
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays[5:]}) == 3  # capped, yet not all at once


def test_only_the_process_holding_the_lease_connects(make_kb) -> None:  # type: ignore[no-untyped-def]
    kbase = make_kb()
    clock = lambda: datetime.now(UTC)  # noqa: E731
    first = LeaseService(session_factory=kbase.sessions, clock=clock)
    second = LeaseService(session_factory=kbase.sessions, clock=clock)

    def holder(leases: LeaseService):  # type: ignore[no-untyped-def]
        async def may_connect() -> bool:
            return await asyncio.to_thread(leases.hold, "send:wecom:aibot-test")

        return may_connect

    async def scenario() -> None:
        async with FakeAibotServer() as fake:
            stopping = asyncio.Event()
            one = bare(fake, may_connect=holder(first), lease_wait_s=0.1)
            two = bare(fake, may_connect=holder(second), lease_wait_s=0.1)
            tasks = [asyncio.create_task(c.run(stopping)) for c in (one, two)]
            await eventually(lambda: fake.subscriptions == 1)
            await asyncio.sleep(0.5)
            assert fake.subscriptions == 1
            assert sorted([one.connections, two.connections]) == [0, 1]
            stopping.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 5)

    asyncio.run(scenario())


def test_the_outlet_pushes_to_a_member_and_says_what_became_of_it() -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake:
            connection = bare(fake)
            outlet = AibotOutlet(connection, connect_wait_s=0.2)
            assert outlet.channel == "wecom"
            assert await outlet.send("zhangsan", "提醒") == "retry"  # no connection yet
            stopping = asyncio.Event()
            task = asyncio.create_task(connection.run(stopping))
            await asyncio.wait_for(connection.connected.wait(), 5)
            assert await outlet.send("zhangsan", "【通知】周五前报送主题党日开展情况") == "sent"
            assert fake.texts_to("zhangsan") == ["【通知】周五前报送主题党日开展情况"]
            long_text = "第九条　党支部应当每月相对固定1天开展主题党日。\n" * 200
            assert await outlet.send("lisi", long_text) == "sent"
            assert (
                len(fake.texts_to("lisi")) > 1
                and "".join(fake.texts_to("lisi")).count("第九条") == 200
            )
            fake.refuse_push = {"gone": 60111, "busy": 45009, "odd": 40099}
            assert await outlet.send("gone", "x") == "unreachable"
            assert await outlet.send("busy", "x") == "retry"
            assert await outlet.send("odd", "x") == "failed"
            # the outbox on a thread and event loop of its own: pushed on the connection's loop
            elsewhere = await asyncio.to_thread(asyncio.run, outlet.send("wangwu", "另一线程"))
            assert elsewhere == "sent" and fake.texts_to("wangwu") == ["另一线程"]
            media_id = await upload(connection, "file", "台账.xlsx", b"PK" + b"x" * 600_000)
            assert fake.uploaded(media_id) == b"PK" + b"x" * 600_000  # two chunks, whole
            stopping.set()
            await asyncio.wait_for(task, 5)

    asyncio.run(scenario())


def test_a_picture_is_decrypted_with_its_own_key_and_no_other() -> None:
    key = base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")  # as WeCom sends it
    other = base64.b64encode(secrets.token_bytes(32)).decode()
    for size in (0, 1, 31, 32, 33, 5000):
        data = secrets.token_bytes(size)
        assert protocol.decrypt_media(protocol.encrypt_media(data, key), key) == data
    sealed = protocol.encrypt_media(b"\xff\xd8" * 500, key)
    with pytest.raises(ValueError):
        protocol.decrypt_media(sealed, other)
    with pytest.raises(ValueError):
        protocol.decrypt_media(sealed[:-3], key)


def test_a_picture_that_cannot_be_fetched_is_a_photo_without_bytes(core: Core) -> None:
    async def scenario() -> None:
        channel = AibotChannel(core.conversation, core.accounts, fetch=picture_fetcher())
        image = {"url": "http://127.0.0.1:9/gone.jpg", "aeskey": "x"}
        assert await channel._picture(image) is None
        assert await channel._picture({"url": "file:///etc/passwd"}) is None

    asyncio.run(scenario())


def test_a_lease_that_cannot_be_checked_is_waited_out_not_fatal() -> None:
    answers = iter([RuntimeError("database is locked"), True])

    async def may_connect() -> bool:
        answer = next(answers, True)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def scenario() -> None:
        async with FakeAibotServer() as fake:
            stopping = asyncio.Event()
            connection = bare(fake, may_connect=may_connect, lease_wait_s=0.05)
            task = asyncio.create_task(connection.run(stopping))
            await eventually(lambda: fake.subscriptions == 1)
            stopping.set()
            await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
