"""The DingTalk channel's test world: a knowledge base, one secretary bound by DingTalk userId,
the conversation core behind the channel, and the Stream connection running on its own thread
against a fake DingTalk on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from bot.channels.dingtalk.api import DingTalkAPI
from bot.channels.dingtalk.channel import DingTalkChannel
from bot.channels.dingtalk.stream import StreamConnection
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, ROBOT_CODE, FakeDingTalk

REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日。\n\n"
    "第十条　党支部每年至少召开1次组织生活会。\n"
)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
SECRETARY = "manager4711"  # a DingTalk userId (staffId)


class DingTalkWorld(NamedTuple):
    fake: FakeDingTalk
    stream: StreamConnection
    reports: ReportService
    accounts: AccountService
    api: DingTalkAPI


def dingtalk_api(fake: FakeDingTalk) -> DingTalkAPI:
    return DingTalkAPI(
        base_url=fake.api_base_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        robot_code=ROBOT_CODE,
        webhook_base_url=fake.webhook_base_url,
    )


@contextlib.contextmanager
def running(stream: StreamConnection) -> Iterator[None]:
    """The stream on a thread with its own event loop, stopped (and its handling waited
    for) on leaving."""
    loop = asyncio.new_event_loop()
    stopping = asyncio.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(stream.run(stopping))

    thread = threading.Thread(target=run, name="dingtalk-test", daemon=True)
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stopping.set)
        thread.join(30)
        assert not thread.is_alive(), "the stream did not stop"
        loop.close()


@contextlib.contextmanager
def dingtalk_world(
    make_kb: Any, knowledge_dir: Path, tmp_path: Path, *, backoff_s: tuple[float, ...] = (0.05,)
) -> Iterator[DingTalkWorld]:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    clock = lambda: datetime(2026, 11, 24, 2, tzinfo=UTC)  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    accounts.add(SECRETARY, Role.SECRETARY, channel="dingtalk", village="张家村", township="城关镇")
    reports = ReportService(session_factory=kbase.sessions, clock=clock, timezone=UTC)
    conversation = conversation_over(
        kbase, clock=clock, accounts=accounts, reports=reports, media_dir=tmp_path / "media"
    )
    with FakeDingTalk() as fake:
        api = dingtalk_api(fake)
        channel = DingTalkChannel(conversation=conversation, accounts=accounts, api=api)
        stream = StreamConnection(api=api, on_message=channel.on_message, backoff_s=backoff_s)
        with running(stream):
            fake.wait_connected(1)
            yield DingTalkWorld(fake, stream, reports, accounts, api)
        channel.close()
        api.close()
        conversation.close()
