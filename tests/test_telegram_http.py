"""The bot's HTTP client for Telegram (aiohttp under python-telegram-bot) against the fake Bot
API: forms and uploads arrive as sent, and timeouts and refusals become Telegram's errors."""

from __future__ import annotations

import asyncio
import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram.http import AiohttpRequest
from tests.support.fake_telegram import TOKEN, FakeBotAPI

WORKBOOK = b"PK\x03\x04\xff\xfe not text \x00\x01"


def run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario(), timeout=60))


def bot_at(base_url: str, request: AiohttpRequest) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=request, get_updates_request=AiohttpRequest())


def test_messages_and_uploads_arrive_as_sent() -> None:
    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with bot_at(fake.base_url, AiohttpRequest()) as bot:
                await bot.send_message(42, "主题党日：学习《中国共产党支部工作条例》& 100%")
                await bot.send_document(42, WORKBOOK, filename="台账2026年11月.xlsx")
            sent = {name: params for name, params in fake.calls}
            assert sent["sendMessage"]["text"] == "主题党日：学习《中国共产党支部工作条例》& 100%"
            assert sent["sendDocument"]["document"] == WORKBOOK
            assert not fake.unexpected

    run(scenario)


def test_a_slow_answer_is_a_timeout() -> None:
    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.delay_s = 1.0
            async with bot_at(fake.base_url, AiohttpRequest(read_timeout=0.3)) as bot:
                with pytest.raises(TimedOut):
                    await bot.send_message(42, "你好")

    run(scenario)


def test_nothing_listening_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the bot connects

    async def scenario() -> None:
        request = AiohttpRequest()
        await request.initialize()
        try:
            with pytest.raises(NetworkError):
                await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        finally:
            await request.shutdown()

    run(scenario)


def test_a_shut_request_can_be_initialized_again() -> None:
    async def scenario() -> None:
        with FakeBotAPI() as fake:
            request = AiohttpRequest()
            for _ in range(2):
                await request.initialize()
                assert (await request.post(f"{fake.base_url}{TOKEN}/getMe"))["is_bot"]
                await request.shutdown()
            with pytest.raises(NetworkError, match="not initialized"):
                await request.post(f"{fake.base_url}{TOKEN}/getMe")

    run(scenario)


def test_requests_go_through_the_proxy_the_environment_names(monkeypatch) -> None:
    """Servers that reach Telegram only through a proxy name it in HTTP(S)_PROXY, as for httpx."""
    first_lines: list[bytes] = []
    with socket.socket() as proxy:
        proxy.bind(("127.0.0.1", 0))
        proxy.listen()
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.getsockname()[1]}")

        def answer_once() -> None:
            connection, _ = proxy.accept()
            with connection:
                first_lines.append(connection.recv(65536).split(b"\r\n")[0])
                body = b'{"ok": true, "result": true}'
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                connection.sendall(head + body)

        async def scenario() -> None:
            request = AiohttpRequest()
            await request.initialize()
            try:
                await asyncio.gather(
                    asyncio.to_thread(answer_once),
                    request.post(f"http://api.telegram.example/bot{TOKEN}/getMe"),
                )
            finally:
                await request.shutdown()

        run(scenario)
    assert first_lines == [f"POST http://api.telegram.example/bot{TOKEN}/getMe HTTP/1.1".encode()]
