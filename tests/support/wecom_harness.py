"""The WeCom channel's test world: a knowledge base, one secretary on WeCom, the conversation
core behind the callback app, and a fake WeCom API; and real encrypted callbacks made with
WeCom's scheme."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from starlette.testclient import TestClient
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.channels.wecom.api import WeComAPI
from bot.channels.wecom.callback import WeComChannel
from bot.conversation.core import Conversation
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over
from tests.support.fake_wecom import AES_KEY, AGENT_ID, CORP_ID, SECRET, TOKEN, FakeWeComAPI

REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日。\n\n"
    "第十条　党支部每年至少召开1次组织生活会。\n"
)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


class WeComWorld(NamedTuple):
    fake: FakeWeComAPI
    client: TestClient
    reports: ReportService
    accounts: AccountService
    api: WeComAPI


class Core(NamedTuple):
    conversation: Conversation
    accounts: AccountService
    reports: ReportService
    media_dir: Path


@contextlib.contextmanager
def core_over(make_kb: Any, knowledge_dir: Path, tmp_path: Path) -> Iterator[Core]:
    """The core behind either WeCom channel: the regulation indexed, one secretary on WeCom."""
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    clock = lambda: datetime(2026, 11, 24, 2, tzinfo=UTC)  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    accounts.add("zhangsan", Role.SECRETARY, channel="wecom", village="张家村", township="城关镇")
    reports = ReportService(session_factory=kbase.sessions, clock=clock, timezone=UTC)
    conversation = conversation_over(
        kbase, clock=clock, accounts=accounts, reports=reports, media_dir=tmp_path / "media"
    )
    try:
        yield Core(conversation, accounts, reports, tmp_path / "media")
    finally:
        conversation.close()


@contextlib.contextmanager
def wecom_world(make_kb: Any, knowledge_dir: Path, tmp_path: Path) -> Iterator[WeComWorld]:
    with core_over(make_kb, knowledge_dir, tmp_path) as core, FakeWeComAPI() as fake:
        api = WeComAPI(base_url=fake.base_url, corp_id=CORP_ID, secret=SECRET, agent_id=AGENT_ID)
        channel = WeComChannel(
            conversation=core.conversation,
            accounts=core.accounts,
            api=api,
            crypto=WeChatCrypto(TOKEN, AES_KEY, CORP_ID),
        )
        with TestClient(channel.app()) as client:
            yield WeComWorld(fake, client, core.reports, core.accounts, api)
        api.close()


def wecom_env(monkeypatch: Any, fake: FakeWeComAPI) -> None:
    """The settings of the app the fake WeCom API knows."""
    for name, value in {
        "WECOM_CORP_ID": CORP_ID,
        "WECOM_AGENT_ID": str(AGENT_ID),
        "WECOM_SECRET": SECRET,
        "WECOM_TOKEN": TOKEN,
        "WECOM_AES_KEY": AES_KEY,
        "WECOM_API_BASE_URL": fake.base_url,
    }.items():
        monkeypatch.setenv(name, value)


def _sealed(sealed: str, tag: str) -> str:
    """One field of the XML that WeChatCrypto.encrypt_message always writes."""
    found = re.search(rf"<{tag}><!\[CDATA\[(.*?)\]\]></{tag}>", sealed)
    assert found is not None, sealed
    return found.group(1)


def verification_params(echo: str) -> dict[str, str]:
    """The query of WeCom's URL check (GET with echostr), its echo sealed as WeCom seals it."""
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    nonce, timestamp = "n1", "1700000000"
    sealed = crypto.encrypt_message(echo, nonce, timestamp)
    encrypted, signed = _sealed(sealed, "Encrypt"), _sealed(sealed, "MsgSignature")
    return {"msg_signature": signed, "timestamp": timestamp, "nonce": nonce, "echostr": encrypted}


def callback(
    client: httpx.Client | TestClient,
    inner: str,
    *,
    signature: str | None = None,
    sent: float | None = None,
) -> Any:
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    nonce, timestamp = "nonce123", str(int(time.time() if sent is None else sent))
    sealed = crypto.encrypt_message(inner, nonce, timestamp)
    encrypted, signed = _sealed(sealed, "Encrypt"), _sealed(sealed, "MsgSignature")
    body = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        f"<AgentID><![CDATA[{AGENT_ID}]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    params = {"msg_signature": signature or signed, "timestamp": timestamp, "nonce": nonce}
    return client.post("/wecom/callback", params=params, content=body.encode())


def text_message(user: str, content: str, msg_id: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId>"
        f"<AgentID>{AGENT_ID}</AgentID></xml>"
    )


def click_event(user: str, key: str, sequence: int) -> str:
    """A menu item pressed (its key is sent as the event key)."""
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>{1700000200 + sequence}</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[click]]></Event>"
        f"<EventKey><![CDATA[{key}]]></EventKey><AgentID>{AGENT_ID}</AgentID></xml>"
    )


def card_event(user: str, key: str) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        "</FromUserName><CreateTime>1700000100</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey>"
        f"<TaskId><![CDATA[task-1]]></TaskId><ResponseCode><![CDATA[code-{key}]]></ResponseCode>"
        f"<AgentID>{AGENT_ID}</AgentID></xml>"
    )
