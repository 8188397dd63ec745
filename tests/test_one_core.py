"""`partybot start` with Telegram, WeCom and the web console: one process, one core."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.cli import main
from bot.conversation.core import Conversation
from bot.reports.indexer import BackgroundIndexer
from tests.support.fake_telegram import TOKEN, FakeBotAPI
from tests.support.fake_wecom import FakeWeComAPI
from tests.support.wecom_harness import REGULATION, verification_params, wecom_env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _counted(monkeypatch: pytest.MonkeyPatch, cls: type) -> list[Any]:
    """Every instance of cls made from now on, in order."""
    made: list[Any] = []
    original = cls.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(cls, "__init__", counting_init)
    return made


def test_start_with_three_channels_builds_one_core(
    env_settings: Path, knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from telegram.ext import Application

    import bot.channels.web.server
    import bot.channels.wecom.server

    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    conversations = _counted(monkeypatch, Conversation)
    indexers = _counted(monkeypatch, BackgroundIndexer)
    servers: list[Any] = []
    threads: list[threading.Thread] = []

    def recording_serve_beside(server: Any, name: str) -> threading.Thread:
        servers.append(server)
        thread = threading.Thread(target=server.run, name=name, daemon=True)
        thread.start()
        threads.append(thread)
        return thread

    monkeypatch.setattr(bot.channels.web.server, "serve_beside", recording_serve_beside)
    monkeypatch.setattr(bot.channels.wecom.server, "serve_beside", recording_serve_beside)
    polled: list[Any] = []

    def recording_run_polling(self: Any, *args: Any, **kwargs: Any) -> None:
        """Telegram in front would poll until stopped: the test looks at what it was given."""
        polled.append(self.bot_data["services"])

    monkeypatch.setattr(Application, "run_polling", recording_run_polling)
    web_port, wecom_port = _free_port(), _free_port()
    with FakeBotAPI() as telegram, FakeWeComAPI() as wecom:
        wecom_env(monkeypatch, wecom)
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_BASE_URL", telegram.base_url)
        monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", telegram.base_file_url)
        monkeypatch.setenv("WEB_ENABLED", "true")
        monkeypatch.setenv("WEB_PORT", str(web_port))
        monkeypatch.setenv("WECOM_PORT", str(wecom_port))
        try:
            assert main(["start"]) == 0
            assert len(polled) == 1 and len(servers) == 2
            assert len(conversations) == 1 and len(indexers) == 1
            the_core = conversations[0]
            assert polled[0].conversation is the_core
            web_app = next(s.config.app for s in servers if s.config.port == web_port)
            assert web_app.state.web.services.conversation is the_core
            # one outbox: WeCom's outlet is in it (Telegram adds its own when it starts)
            outbox = polled[0].outbox
            assert outbox is web_app.state.web.services.outbox and list(outbox.outlets) == ["wecom"]
            deadline = time.monotonic() + 30
            while not all(s.started for s in servers):  # both beside Telegram really serve
                assert time.monotonic() < deadline, "the channels beside Telegram did not start"
                time.sleep(0.05)
            assert httpx.get(f"http://127.0.0.1:{web_port}/healthz").status_code == 200
            echo = httpx.get(
                f"http://127.0.0.1:{wecom_port}/wecom/callback",
                params=verification_params("echo-7"),
            )
            assert echo.text == "echo-7"
            assert not outbox.running  # beside Telegram, WeCom leaves the loop to Telegram's
        finally:
            for server in servers:
                server.should_exit = True
            for thread in threads:
                thread.join(timeout=10)
            for conversation in conversations:
                conversation.close()
    assert telegram.unexpected == []
