"""Setting the AI bot up: `partybot doctor` names a missing setting and checks the address
without displacing a running bot; the process built from the settings answers and stops."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from bot import messages
from tests.support.fake_wecom_aibot import BOT_ID, BOT_SECRET
from tests.support.wecom_aibot_harness import fake_on_a_thread


def test_doctor_names_a_missing_setting_and_checks_the_address_without_subscribing(
    env_settings: Path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    monkeypatch.setenv("WECOM_AIBOT_ID", BOT_ID)
    assert main(["doctor"]) == 1
    assert "还缺：WECOM_AIBOT_SECRET" in capsys.readouterr().out
    monkeypatch.setenv("WECOM_AIBOT_SECRET", BOT_SECRET)
    with fake_on_a_thread() as (fake, _):
        monkeypatch.setenv("WECOM_AIBOT_URL", fake.url)
        main(["doctor"])
        out = capsys.readouterr().out
        assert "长连接地址能连上" in out and BOT_SECRET not in out
        deadline = time.monotonic() + 5  # the fake reads the close on its own thread
        while fake.probes == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert fake.subscriptions == 0 and fake.probes == 1  # a subscription would displace
    monkeypatch.setenv("WECOM_AIBOT_URL", "ws://127.0.0.1:9")
    assert main(["doctor"]) == 1
    assert "只需出站" in capsys.readouterr().out


def test_the_process_built_from_the_settings_answers_and_stops(
    env_settings: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from bot.channels.wecom_aibot.server import run_wecom_aibot
    from bot.services import make_core_services, make_knowledge_base_from_settings
    from bot.settings import Settings

    monkeypatch.setenv("WECOM_AIBOT_ID", BOT_ID)
    monkeypatch.setenv("WECOM_AIBOT_SECRET", BOT_SECRET)
    with fake_on_a_thread() as (fake, loop):
        monkeypatch.setenv("WECOM_AIBOT_URL", fake.url)
        settings = Settings()
        kbase = make_knowledge_base_from_settings(settings)
        core = make_core_services(settings, kbase)
        stopping = threading.Event()
        bot = threading.Thread(target=run_wecom_aibot, args=(settings, kbase, core, stopping))
        bot.start()
        deadline = time.monotonic() + 10
        while not fake.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        asyncio.run_coroutine_threadsafe(fake.push_text("nobody", "你好"), loop).result(5)
        while not fake.texts_to("nobody") and time.monotonic() < deadline + 10:
            time.sleep(0.05)
        assert fake.texts_to("nobody") == [messages.NOT_REGISTERED]
        stopping.set()
        bot.join(10)
        assert not bot.is_alive()
        core.conversation.close()
