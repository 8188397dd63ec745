"""The AI bot's test world: the conversation core over a knowledge base with one secretary on
WeCom (as in tests/support/wecom_harness.py), and the channel connected to the fake long-connection
server, all on the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from bot.channels.wecom_aibot.channel import AibotChannel
from bot.channels.wecom_aibot.connection import AibotConnection
from bot.channels.wecom_aibot.media import picture_fetcher
from tests.support.fake_wecom_aibot import BOT_ID, BOT_SECRET, FakeAibotServer
from tests.support.wecom_harness import Core, core_over

__all__ = ["Core", "connection_to", "core_over", "eventually", "fake_on_a_thread", "running"]


def connection_to(fake: FakeAibotServer, channel: AibotChannel, **options: Any) -> AibotConnection:
    """A connection with the test's short timings (ack 2 s, backoff from 50 ms)."""
    settings: dict[str, Any] = {
        "ack_timeout_s": 2.0,
        "backoff_base_s": 0.05,
        "backoff_cap_s": 0.4,
        "rng": random.Random(7),
        **options,
    }
    connection = AibotConnection(
        url=fake.url, bot_id=BOT_ID, secret=BOT_SECRET, on_frame=channel.on_frame, **settings
    )
    channel.connection = connection
    return connection


@contextlib.asynccontextmanager
async def running(
    fake: FakeAibotServer, core: Core, *, thinking_after_s: float = 1.0, **options: Any
) -> AsyncIterator[tuple[AibotChannel, AibotConnection]]:
    channel = AibotChannel(
        conversation=core.conversation,
        accounts=core.accounts,
        fetch=picture_fetcher(),
        thinking_after_s=thinking_after_s,
    )
    connection = connection_to(fake, channel, **options)
    stopping = asyncio.Event()
    task = asyncio.create_task(connection.run(stopping))
    await asyncio.wait_for(connection.connected.wait(), 5)
    try:
        yield channel, connection
    finally:
        stopping.set()
        await asyncio.wait_for(task, 10)


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Polled: for the client's own state, which the fake server is not told about."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


@contextlib.contextmanager
def fake_on_a_thread() -> Iterator[tuple[FakeAibotServer, asyncio.AbstractEventLoop]]:
    """The fake on a loop of its own, for code under test that runs its own (asyncio.run)."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    done = asyncio.Event()
    holder: list[FakeAibotServer] = []

    async def serve() -> None:
        async with FakeAibotServer() as fake:
            holder.append(fake)
            ready.set()
            await done.wait()

    failures: list[BaseException] = []

    def run() -> None:
        try:
            loop.run_until_complete(serve())
        except BaseException as exc:  # the fake's own verdict, raised in the test below
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(5)
    try:
        yield holder[0], loop
    finally:
        loop.call_soon_threadsafe(done.set)
        thread.join(5)
    if failures:
        raise failures[0]
