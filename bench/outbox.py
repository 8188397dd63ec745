"""One process running three channels over one set of services, as `partybot start` does:
Telegram in front (against the fake Bot API), the WeCom callback and the web console beside it
(uvicorn on threads, against the fake WeCom API), one outbox sending a broadcast to members of
both chat channels.

    .venv/bin/python -m bench.outbox [--telegram 1000] [--wecom 600]

Prints, per channel: sent, lost, duplicated, refused by the fake's limits, messages/s while
sending; from confirmation to the admin's last note; and that the channels share the services.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import tempfile
import time
from collections import Counter
from pathlib import Path

from pydantic import SecretStr

from bench.common import open_knowledge_base
from tests.support.fake_telegram import TOKEN, FakeBotAPI
from tests.support.fake_wecom import AES_KEY, AGENT_ID, CORP_ID, SECRET, FakeWeComAPI
from tests.support.fake_wecom import TOKEN as WECOM_TOKEN

ADMIN = 1
TEXT = "请于周五前报送主题党日开展情况"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rate(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--telegram", type=int, default=1000)
    parser.add_argument("--wecom", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as tg, FakeWeComAPI() as wx:
        wx.app_per_second = 30.0
        wx.member_per_minute = 30
        asyncio.run(run(args, Path(tmp), tg, wx))


async def run(args: argparse.Namespace, tmp: Path, tg: FakeBotAPI, wx: FakeWeComAPI) -> None:
    from bot.channels.telegram.application import build_application, make_bot_services
    from bot.channels.web.server import start_web_beside
    from bot.channels.wecom.server import start_wecom_beside
    from bot.index.embeddings import make_embeddings
    from bot.outbox.broadcasting import Audience
    from bot.people.accounts import Role
    from bot.services import make_core_services
    from bot.settings import Settings

    data, folder = tmp / "data", tmp / "knowledge"
    folder.mkdir()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data,
        knowledge_dir=folder,
        database_url=None,
        chroma_server=None,
        llm_base_url=None,
        llm_model=None,
        admin_ids=[],
        telegram_bot_token=SecretStr(TOKEN),
        wecom_corp_id=CORP_ID,
        wecom_agent_id=AGENT_ID,
        wecom_secret=SecretStr(SECRET),
        wecom_token=SecretStr(WECOM_TOKEN),
        wecom_aes_key=SecretStr(AES_KEY),
        wecom_api_base_url=wx.base_url,
        wecom_port=_free_port(),
        web_enabled=True,
        web_port=_free_port(),
    )
    kbase = open_knowledge_base(folder, data, make_embeddings("use-multilingual"))
    core = make_core_services(settings, kbase)  # once, for the three channels
    start_wecom_beside(settings, kbase, core)
    start_web_beside(settings, kbase, core)
    bot_services = make_bot_services(settings, core)
    application = build_application(
        token=TOKEN, services=bot_services, base_url=tg.base_url, base_file_url=tg.base_file_url
    )
    accounts = core.accounts
    accounts.add(ADMIN, Role.ADMIN, channel="telegram", name="管理员")
    telegram_ids = list(range(100_000, 100_000 + args.telegram))
    for n, telegram_id in enumerate(telegram_ids):
        accounts.add(
            telegram_id, Role.SECRETARY, channel="telegram", village=f"电报{n}村", township="城关镇"
        )
    wecom_ids = [f"member{n:04d}" for n in range(args.wecom)]
    for n, user in enumerate(wecom_ids):
        accounts.add(user, Role.SECRETARY, channel="wecom", village=f"企微{n}村", township="城关镇")

    await application.initialize()
    await application.start()
    await application.post_init(application)  # type: ignore[misc]
    shared = bot_services.conversation is core.conversation and sorted(core.outbox.outlets)
    admin = accounts.user_id_at("telegram", ADMIN)
    assert admin is not None
    broadcast_id, _ = core.broadcasts.draft(admin, TEXT, Audience("all"))
    confirmed = time.monotonic()
    core.broadcasts.confirm(broadcast_id)
    await asyncio.to_thread(core.outbox.wake)  # as the web console's 确认 does, from its thread
    while not any(t.startswith("发送完成") for t in tg.texts_to(ADMIN)):
        await asyncio.sleep(0.05)
    done_s = time.monotonic() - confirmed
    await application.stop()
    await application.post_stop(application)  # type: ignore[misc]
    await application.shutdown()

    tg_counts = Counter(m["chat_id"] for m in tg.sent if m.get("text") == "【通知】" + TEXT)
    tg_times = [
        at
        for (method, params), at in zip(tg.calls, tg.call_times, strict=True)
        if method == "sendMessage" and params.get("text") == "【通知】" + TEXT
    ]
    wx_counts = Counter(m["touser"] for m in wx.sent)
    print(f"one process, three channels (Telegram, WeCom, web); outlets {shared}")
    for name, ids, counts, times, refused in (
        ("Telegram", telegram_ids, tg_counts, tg_times, tg.rate_violations),
        ("WeCom", wecom_ids, wx_counts, wx.sent_at, wx.rate_violations),
    ):
        lost = sum(1 for i in ids if counts[i] == 0)
        duplicated = sum(1 for i in ids if counts[i] > 1)
        print(
            f"{name}: {len(ids)} members, lost {lost}, duplicated {duplicated}, refused by the"
            f" fake's limits {refused}, {_rate(times):.1f} msg/s while sending"
        )
    print(f"confirm → the admin's last note: {done_s:.1f} s")


if __name__ == "__main__":
    main()
