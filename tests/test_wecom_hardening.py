"""The WeCom callback against hostile requests (issue 25 items 4 and 9): a huge body is refused
before it is read, with the peak memory measured; a signed callback outside the replay window is
refused; a signed message whose decrypted inner XML is broken is a 400, not a 500."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.channels.wecom.callback import MAX_CALLBACK_BYTES, REPLAY_WINDOW_S
from tests.support.fake_wecom import AES_KEY, CORP_ID, TOKEN
from tests.support.wecom_harness import callback, text_message, wecom_world

MB = 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture
def wecom(make_kb, knowledge_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with wecom_world(make_kb, knowledge_dir, tmp_path) as world:
        yield world


def _post_raw(app: Any, *, size: int, declare: bool) -> tuple[int, int, int]:
    """POSTs `size` bytes straight into the ASGI app, in 64 KB parts made only when the app asks
    for them: (status, bytes the app read, peak bytes allocated while it ran)."""
    read = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        part = min(CHUNK, size - read)
        read += part
        return {"type": "http.request", "body": b"<" * part, "more_body": read < size}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    headers = [(b"content-length", str(size).encode())] if declare else []
    query = f"msg_signature={'0' * 40}&timestamp={int(time.time())}&nonce=n".encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/wecom/callback",
        "raw_path": b"/wecom/callback",
        "query_string": query,
        "headers": headers,
        "client": ("203.0.113.9", 4000),
        "server": ("127.0.0.1", 8090),
        "root_path": "",
    }
    tracemalloc.start()
    try:
        asyncio.run(app(scope, receive, send))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return status, read, peak


def test_a_10_mb_callback_is_refused_without_being_read(wecom) -> None:  # type: ignore[no-untyped-def]
    app = wecom.client.app
    status, read, peak = _post_raw(app, size=10 * MB, declare=True)
    assert status == 413 and read == 0  # refused on its Content-Length alone
    status, read, peak = _post_raw(app, size=10 * MB, declare=False)  # chunked, no length
    assert status == 413
    assert read <= MAX_CALLBACK_BYTES + CHUNK  # stopped at the limit, not read to the end
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MB while refusing 10 MB"
    assert wecom.fake.sent == []


def test_a_replayed_callback_outside_the_window_is_refused(wecom) -> None:  # type: ignore[no-untyped-def]
    old = time.time() - REPLAY_WINDOW_S - 60
    response = callback(wecom.client, text_message("zhangsan", "主题党日多久开展一次", 7), sent=old)
    assert response.status_code == 403
    future = time.time() + REPLAY_WINDOW_S + 60
    response = callback(
        wecom.client, text_message("zhangsan", "主题党日多久开展一次", 8), sent=future
    )
    assert response.status_code == 403
    assert wecom.fake.sent == []
    fresh = callback(wecom.client, text_message("zhangsan", "主题党日多久开展一次", 9))
    assert fresh.status_code == 200


def test_broken_inner_xml_is_a_400_and_hostile_button_data_is_stale(wecom, caplog) -> None:  # type: ignore[no-untyped-def]
    for inner in ("<xml><MsgType>text</MsgType>", "not xml", "<xml><a></b></xml>"):
        response = callback(wecom.client, inner)
        assert response.status_code == 400, inner
    from tests.support.wecom_harness import card_event

    for key in ("src:99999999999999999999", "rp:ok:²", "rp:edit:٣", "fb:1:99999999999999999999"):
        response = callback(wecom.client, card_event("zhangsan", key))
        assert response.status_code == 200
    # each press answered as a stale button, none failing in the background
    assert len(wecom.fake.texts_to("zhangsan")) == 4
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_the_envelope_is_not_parsed_before_the_signature(wecom) -> None:  # type: ignore[no-untyped-def]
    """An entity bomb in the outer XML is never expanded: only the signed ciphertext is read."""
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    assert crypto  # the same keys as the channel
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]><xml><Encrypt>&i;</Encrypt></xml>"
    )
    params = {"msg_signature": "0" * 40, "timestamp": str(int(time.time())), "nonce": "n"}
    response = wecom.client.post("/wecom/callback", params=params, content=bomb.encode())
    assert response.status_code == 400
