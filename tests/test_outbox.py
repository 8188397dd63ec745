"""One outbox, two channels: reminders and a broadcast through the real Telegram send path
(python-telegram-bot against the fake Bot API) and the real WeCom client (against the fake WeCom
API), at each channel's pace, each row sent once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram.ext import ExtBot

from bot.channels.telegram.application import MessageRateLimiter
from bot.channels.telegram.outlet import telegram_outlet
from bot.channels.wecom.api import WeComAPI
from bot.channels.wecom.outlet import wecom_outlet
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.db.models import BroadcastDelivery, ReminderMessage
from bot.outbox import BroadcastSource, Outbox, Outlet, Pace
from bot.outbox.broadcasting import Audience, BroadcastService, Sender, SendOutcome
from bot.people.accounts import Role
from tests.support.fake_telegram import TOKEN, FakeBotAPI
from tests.support.fake_wecom import AGENT_ID, CORP_ID, SECRET, FakeWeComAPI
from tests.support.partyday_setup import PEOPLE, County, local, make_county

ADMIN = 100
WECOM_PEOPLE = {
    "wx01": (Role.SECRETARY, "王家村", "城关镇"),
    "wx02": (Role.SECRETARY, "河西村", "河口镇"),
    "wx03": (Role.STAFF, None, "城关镇"),
}
TEXT = "周五前报送主题党日开展情况"


class Monotonic:
    """A monotonic clock the test moves; the outbox's pace and the fake WeCom's limits read it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Setup:
    county: County
    broadcasts: BroadcastService
    outbox: Outbox
    telegram: FakeBotAPI
    wecom: FakeWeComAPI
    bot: ExtBot
    api: WeComAPI
    monotonic: Monotonic

    def telegram_outlet(self) -> Outlet:
        return telegram_outlet(self.bot, may_send=lambda: True, exclusive=True)

    def wecom_outlet(self, pace: Pace | None = None) -> Outlet:
        outlet = wecom_outlet(self.api, may_send=lambda: True)
        return replace(outlet, pace=pace) if pace is not None else outlet

    def confirm_broadcast(self) -> int:
        admin = self.county.accounts.user_id_at("telegram", ADMIN)
        assert admin is not None
        broadcast_id, _ = self.broadcasts.draft(admin, TEXT, Audience("all"))
        assert self.broadcasts.confirm(broadcast_id)
        return broadcast_id

    def notices(self) -> dict[str, int]:
        """How many notices each member got, by channel:address."""
        counts = {f"telegram:{n}": 0 for n in [*PEOPLE, ADMIN]}
        counts |= {f"wecom:{user}": 0 for user in WECOM_PEOPLE}
        for n in [*PEOPLE, ADMIN]:
            counts[f"telegram:{n}"] = self.telegram.texts_to(n).count("【通知】" + TEXT)
        for user in WECOM_PEOPLE:
            counts[f"wecom:{user}"] = self.wecom.texts_to(user).count("【通知】" + TEXT)
        return counts

    def reminder_rows(self) -> list[ReminderMessage]:
        with self.county.sessions() as session:
            return list(session.scalars(select(ReminderMessage)))

    def delivery_rows(self) -> list[BroadcastDelivery]:
        with self.county.sessions() as session:
            return list(session.scalars(select(BroadcastDelivery)))

    def texts_to(self, channel: str, address: str) -> list[str]:
        if channel == "telegram":
            return self.telegram.texts_to(int(address))
        return self.wecom.texts_to(address)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    engine = make_engine(f"sqlite:///{tmp_path / 'o.db'}")
    upgrade_schema(engine)
    county = make_county(make_session_factory(engine), tmp_path)
    county.accounts.add(ADMIN, Role.ADMIN, channel="telegram", name="管理员")
    for user, (role, village, township) in WECOM_PEOPLE.items():
        county.accounts.add(user, role, channel="wecom", village=village, township=township)
    county.clock.now = local("2023-07-07 09:00")  # reminders due on both channels
    broadcasts = BroadcastService(
        session_factory=county.sessions, accounts=county.accounts, clock=county.clock
    )
    monotonic = Monotonic()
    outbox = Outbox(clock=monotonic)
    outbox.add_source(county.reminders)
    outbox.add_source(BroadcastSource(broadcasts, county.accounts, outbox))
    limiter = MessageRateLimiter(overall_max_rate=1, overall_time_period=1 / 29, max_retries=3)
    with FakeBotAPI() as telegram, FakeWeComAPI() as wecom:
        wecom.clock = monotonic
        bot = ExtBot(TOKEN, base_url=telegram.base_url, rate_limiter=limiter)
        api = WeComAPI(base_url=wecom.base_url, corp_id=CORP_ID, secret=SECRET, agent_id=AGENT_ID)
        yield Setup(county, broadcasts, outbox, telegram, wecom, bot, api, monotonic)
        api.close()
    engine.dispose()


def run(setup: Setup, scenario: Callable[[], Awaitable[None]]) -> None:
    async def with_bot() -> None:
        async with setup.bot:
            await asyncio.wait_for(scenario(), timeout=60)

    asyncio.run(with_bot())


def test_reminders_and_a_broadcast_through_two_channels_once_each(setup: Setup) -> None:
    setup.outbox.add_outlet(setup.telegram_outlet())
    setup.outbox.add_outlet(setup.wecom_outlet())
    broadcast_id = setup.confirm_broadcast()

    async def scenario() -> None:
        await setup.outbox.run_once()
        await setup.outbox.run_once()  # nothing left: nothing sent twice

    run(setup, scenario)
    assert set(setup.notices().values()) == {1}, setup.notices()
    rows = setup.reminder_rows()
    sent = [r for r in rows if r.status == "sent"]
    assert {r.channel for r in sent} == {"telegram", "wecom"}
    assert {r.status for r in rows} <= {"sent", "skipped"}  # skipped: past their grace
    for row in sent:  # each reminder once, on its member's channel
        assert setup.texts_to(row.channel, row.external_id).count(row.text) == 1
    assert setup.broadcasts.progress(broadcast_id).pending == 0
    done = [t for t in setup.telegram.texts_to(ADMIN) if t.startswith("发送完成")]
    assert done == ["发送完成：已送达 9 / 9，无法送达 0（已停用或收不到消息），失败 0。"]
    assert setup.telegram.rate_violations == setup.wecom.rate_violations == 0


def test_a_member_over_their_limit_is_sent_later_not_lost(setup: Setup) -> None:
    """WeCom's per-member limit, as pace data: one message a minute here. A member with a
    reminder and a broadcast due gets one now, the other a round after the minute; nothing is
    counted as a failed attempt, and the fake server (same limit) saw no violation."""
    setup.wecom.member_per_minute = 1
    setup.outbox.add_outlet(setup.wecom_outlet(Pace(per_second=50.0, per_member_per_minute=1)))
    broadcast_id = setup.confirm_broadcast()

    async def scenario() -> None:
        await setup.outbox.run_once()
        assert len(setup.wecom.texts_to("wx01")) == 1  # the reminder or the notice
        await setup.outbox.run_once()  # within the minute: still waiting
        assert len(setup.wecom.texts_to("wx01")) == 1
        setup.monotonic.now += 61
        await setup.outbox.run_once()

    run(setup, scenario)
    for user in WECOM_PEOPLE:
        assert setup.notices()[f"wecom:{user}"] == 1, user
    assert len(setup.wecom.texts_to("wx01")) == 2
    wecom_rows = [d for d in setup.delivery_rows() if d.channel == "wecom"]
    assert {d.status for d in wecom_rows} == {"sent"}
    assert {d.attempts for d in wecom_rows} == {1}  # the deferral was no attempt
    wecom_reminders = [r.status for r in setup.reminder_rows() if r.channel == "wecom"]
    assert "sent" in wecom_reminders and set(wecom_reminders) <= {"sent", "skipped"}
    assert setup.wecom.rate_violations == 0
    # Telegram has no outlet in this process: its rows wait for the process that has one
    assert setup.broadcasts.progress(broadcast_id).pending == 6


class BrokenSource:
    async def tick(self, send: Sender, *, channel: str, should_stop: Callable[[], bool]) -> None:
        raise RuntimeError("a source with a bug")


def test_a_failing_outlet_or_source_holds_back_no_other(setup: Setup) -> None:
    async def broken(address: str, text: str) -> SendOutcome:
        raise ConnectionError("the Telegram outlet is broken")

    setup.outbox.sources.insert(0, BrokenSource())
    setup.outbox.add_outlet(replace(setup.telegram_outlet(), send=broken))
    setup.outbox.add_outlet(setup.wecom_outlet())
    setup.confirm_broadcast()

    async def scenario() -> None:
        await setup.outbox.run_once()

    run(setup, scenario)
    notices = setup.notices()
    assert all(notices[f"wecom:{user}"] == 1 for user in WECOM_PEOPLE)
    assert all(count == 0 for key, count in notices.items() if key.startswith("telegram:"))
    # the broken channel's rows wait, not one attempt spent on them
    telegram_deliveries = [d for d in setup.delivery_rows() if d.channel == "telegram"]
    assert {(d.status, d.attempts) for d in telegram_deliveries} == {("pending", 0)}
    telegram_reminders = [
        (r.status, r.attempts)
        for r in setup.reminder_rows()
        if r.channel == "telegram" and r.status != "skipped"
    ]
    assert telegram_reminders and set(telegram_reminders) == {("pending", 0)}

    setup.outbox.add_outlet(setup.telegram_outlet())  # the channel works again

    run(setup, scenario)
    assert set(setup.notices().values()) == {1}
    assert {r.status for r in setup.reminder_rows()} <= {"sent", "skipped"}


def test_a_wake_starts_a_confirmed_broadcast_before_the_next_round(setup: Setup) -> None:
    setup.outbox.add_outlet(setup.telegram_outlet())
    setup.outbox.add_outlet(setup.wecom_outlet())

    async def scenario() -> None:
        stopping = asyncio.Event()
        loop = asyncio.create_task(setup.outbox.keep_sending(60.0, stopping))
        while setup.outbox.rounds < 1:  # the first round: the reminders
            await asyncio.sleep(0.01)
        await asyncio.to_thread(setup.confirm_broadcast)
        started = time.monotonic()
        await asyncio.to_thread(setup.outbox.wake)  # from another thread, as the web console
        while set(setup.notices().values()) != {1}:
            assert time.monotonic() - started < 10, setup.notices()
            await asyncio.sleep(0.02)
        stopping.set()
        await loop
        assert not setup.outbox.running

    run(setup, scenario)
    assert setup.outbox.rounds == 2
