"""The WeCom AI bot through the one outbox, end to end: `partybot start` with only the AI bot
configured runs the outbox in the bot's loop; an admin's broadcast confirmed on its card reaches
every member once, woken at once, with the admin's progress note in the admin's own chat; a
Party-day reminder due goes out once through the same loop; with the WeCom callback app also
configured the bot's outlet stands back and the app's serves "wecom"."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import messages
from bot.cli import main
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.db.models import ReminderMessage
from bot.people.accounts import AccountService, Role
from bot.services import make_core_services, make_knowledge_base_from_settings
from bot.settings import Settings
from tests.support.fake_wecom import FakeWeComAPI
from tests.support.fake_wecom_aibot import BOT_ID, BOT_SECRET, FakeAibotServer
from tests.support.fakes import Clock, HashingEmbeddings, until
from tests.support.partyday_setup import CALENDAR_YAML, local
from tests.support.wecom_aibot_harness import fake_on_a_thread
from tests.support.wecom_harness import wecom_env

ADMIN = "admin4711"
MEMBERS = {
    "wx01": (Role.SECRETARY, "张家村", "城关镇"),
    "wx02": (Role.SECRETARY, "河口村", "河口镇"),
    "wx03": (Role.STAFF, None, "城关镇"),
}
TEXT = "请于周五前报送主题党日开展情况"
NOTICE = messages.NOTICE_PREFIX + TEXT
POLL_S = 3600  # the outbox's round interval: only a wake can start the broadcast in time


class World:
    def __init__(self, fake: FakeAibotServer, loop: asyncio.AbstractEventLoop) -> None:
        self.fake, self.loop = fake, loop

    def on_fake(self, action: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(action, self.loop).result(10)

    def texts_to(self, user: str) -> list[str]:
        return [c for to, kind, c in list(self.fake.seen) if to == user and kind == "text"]

    def confirm_broadcast(self) -> float:
        """The admin asks for a broadcast to everyone and presses 确认发送 on its card; when."""
        self.on_fake(self.fake.push_text(ADMIN, f"/broadcast 全体 {TEXT}"))
        until(lambda: self.fake.cards_to(ADMIN), 30, "no card for the broadcast")
        card = self.fake.cards_to(ADMIN)[-1]
        [key] = [b["key"] for b in card["button_list"] if b["text"] == messages.BROADCAST_CONFIRM]
        self.on_fake(self.fake.push_card_event(ADMIN, key, card["task_id"]))
        return time.monotonic()


@pytest.fixture
def world(env_settings: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    with fake_on_a_thread() as (fake, loop):
        for name, value in {
            "WECOM_AIBOT_ID": BOT_ID,
            "WECOM_AIBOT_SECRET": BOT_SECRET,
            "WECOM_AIBOT_URL": fake.url,
            "REMINDER_TICK_SECONDS": str(POLL_S),
        }.items():
            monkeypatch.setenv(name, value)
        for name in ("WECOM_CORP_ID", "WECOM_SECRET", "DINGTALK_CLIENT_ID", "WEB_ENABLED"):
            monkeypatch.delenv(name, raising=False)
        yield World(fake, loop)


def add_people(accounts: AccountService) -> None:
    accounts.add(ADMIN, Role.ADMIN, channel="wecom", name="管理员")
    for user, (role, village, township) in MEMBERS.items():
        accounts.add(user, role, channel="wecom", village=village, township=township)


def test_start_with_the_ai_bot_alone_sends_a_confirmed_broadcast_at_once(world: World) -> None:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_schema(engine)  # the people, before `partybot start` opens the database
    add_people(AccountService(session_factory=make_session_factory(engine), clock=_now))
    engine.dispose()
    failures: list[BaseException] = []
    took: list[float] = []

    def admin_confirms_then_displace() -> None:
        try:
            until(lambda: world.fake.connected, 120, "never connected")  # after the ingest
            confirmed = world.confirm_broadcast()
            everyone = [ADMIN, *MEMBERS]
            until(
                lambda: all(NOTICE in world.texts_to(u) for u in everyone),
                30,
                f"not everyone got the notice: {world.fake.seen}",
            )
            took.append(time.monotonic() - confirmed)
            until(
                lambda: any(t.startswith("发送完成") for t in world.texts_to(ADMIN)),
                30,
                f"no note to the admin: {world.texts_to(ADMIN)}",
            )
            time.sleep(0.5)  # anything sent twice would be sent by now
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)
        finally:  # another client takes the bot: the process, the outbox with it, ends
            until(lambda: world.fake.connected, 120, "never connected")
            world.on_fake(world.fake.displace())

    scenario = threading.Thread(target=admin_confirms_then_displace, daemon=True)
    scenario.start()
    assert main(["start"]) == 0
    scenario.join(10)
    if failures:
        raise failures[0]
    notices = Counter(to for to, kind, c in world.fake.seen if kind == "text" and c == NOTICE)
    assert notices == {user: 1 for user in [ADMIN, *MEMBERS]}
    assert not any(str(c).startswith(messages.NOTICE_PREFIX * 2) for _, _, c in world.fake.seen)
    assert took[0] < 15, f"{took[0]:.1f} s: the wake did not start it (rounds every {POLL_S} s)"
    done = [t for t in world.texts_to(ADMIN) if t.startswith("发送完成")]
    assert done == [messages.BROADCAST_DONE.format(sent=4, total=4, unreachable=0, failed=0)]


def test_a_party_day_reminder_due_goes_out_once_through_the_bots_loop(
    world: World, tmp_path: Path
) -> None:
    from bot.channels.wecom_aibot.server import run_wecom_aibot

    settings = Settings()
    kbase = make_knowledge_base_from_settings(settings, HashingEmbeddings())
    clock = Clock(local("2023-07-07 09:00"))  # three days before 城关镇's Party day
    core = make_core_services(settings, kbase, clock=clock)
    add_people(core.accounts)
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text(CALENDAR_YAML, encoding="utf-8")
    assert core.calendar is not None
    core.calendar.import_file(calendar)
    stopping = threading.Event()
    bot = threading.Thread(
        target=run_wecom_aibot,
        args=(settings, kbase, core, stopping),
        kwargs={"run_outbox": True},
        daemon=True,
    )
    bot.start()
    try:
        until(lambda: world.texts_to("wx01"), 20, "no reminder to wx01")
        for _ in range(2):  # more rounds: nothing is sent again
            rounds = core.outbox.rounds
            core.outbox.wake()
            until(lambda: core.outbox.rounds > rounds, 10, "no round after a wake")  # noqa: B023
        assert core.outbox.running and set(core.outbox.outlets) == {"wecom"}
    finally:
        stopping.set()
        bot.join(10)
        core.conversation.close()
    assert not bot.is_alive()
    with kbase.sessions() as session:
        rows = list(session.scalars(select(ReminderMessage)))
    sent = [r for r in rows if r.status == "sent"]
    assert {r.channel for r in rows} == {"wecom"} and sent
    for row in sent:
        assert world.texts_to(row.external_id).count(row.text) == 1


def test_beside_the_wecom_app_the_bots_outlet_stands_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both are channel "wecom": the app's message API serves it (it reaches every member of
    the app); a broadcast confirmed on the bot's card goes out through the app, not the bot."""
    from bot.channels.wecom.server import make_wecom_channel
    from bot.channels.wecom_aibot.server import run_wecom_aibot

    with FakeWeComAPI() as app:
        wecom_env(monkeypatch, app)
        settings = Settings()
        assert settings.wecom_configured and settings.wecom_aibot_configured
        kbase = make_knowledge_base_from_settings(settings, HashingEmbeddings())
        core = make_core_services(settings, kbase)
        add_people(core.accounts)
        channel = make_wecom_channel(settings, core)  # as `partybot start` beside
        app_outlet = core.outbox.outlets["wecom"]
        stopping = threading.Event()
        bot = threading.Thread(
            target=run_wecom_aibot, args=(settings, kbase, core, stopping), daemon=True
        )
        bot.start()
        try:
            until(lambda: world.fake.connected, 20, "the bot never connected")
            world.confirm_broadcast()
            until(core.broadcasts.unfinished, 20, "the broadcast was not confirmed")
            assert core.outbox.outlets == {"wecom": app_outlet}
            asyncio.run(core.outbox.run_once())  # a round of the app's loop
        finally:
            stopping.set()
            bot.join(10)
            channel.api.close()
            core.conversation.close()
        assert not bot.is_alive()
        for user in [ADMIN, *MEMBERS]:
            assert app.texts_to(user).count(NOTICE) == 1, app.texts_to(user)
        assert not any(c == NOTICE for _, _, c in world.fake.seen)


def _now() -> datetime:
    return datetime.now(UTC)
