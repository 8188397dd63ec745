"""Calendar commands and reminders end to end: the real Application, JobQueue ticks and HTTP
stack against the fake Bot API, with a hand-moved clock."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.engine import make_engine, make_session_factory
from bot.db.models import ReminderMessage
from bot.people.accounts import Role
from tests.support.fake_telegram import FakeBotAPI
from tests.support.fakes import Clock
from tests.support.partyday_setup import CALENDAR_YAML, local
from tests.support.telegram_harness import make_services, running_bot, settled, wait_until
from tests.test_telegram import REGULATION

ADMIN, SECRETARY, BLOCKED, STAFF = 100, 200, 201, 300
TICK_S = 0.2


@pytest.fixture
def county(make_kb, knowledge_dir: Path, tmp_path: Path):
    (knowledge_dir / "支部工作条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    clock = Clock(local("2023-07-06 10:00"))
    calendar_file = tmp_path / "calendar.yaml"
    calendar_file.write_text(CALENDAR_YAML, encoding="utf-8")

    def build(**options):
        options.setdefault("clock", clock)
        options.setdefault("reminder_tick_s", TICK_S)
        services = make_services(kbase, knowledge_dir, tmp_path / "data", **options)
        services.accounts.add(ADMIN, Role.ADMIN, channel="telegram", name="管理员")
        services.accounts.add(
            SECRETARY,
            Role.SECRETARY,
            channel="telegram",
            name="张书记",
            village="张家村",
            township="城关镇",
        )
        services.accounts.add(
            BLOCKED,
            Role.SECRETARY,
            channel="telegram",
            name="李书记",
            village="李庄村",
            township="城关镇",
        )
        services.accounts.add(
            STAFF, Role.STAFF, channel="telegram", name="王干事", township="城关镇"
        )
        assert services.calendar is not None
        services.calendar.import_file(calendar_file)
        return services

    build.clock = clock  # type: ignore[attr-defined]
    return build


def run(scenario, timeout: float = 60) -> None:
    asyncio.run(asyncio.wait_for(scenario(), timeout=timeout))


async def rounds(services, n: int = 3) -> None:
    """Until the outbox has finished `n` more rounds (one under way counts): what is due now
    and was not sent by then is not sent at all. A fixed sleep was too short under load."""
    start = services.outbox.rounds
    await wait_until(lambda: services.outbox.rounds >= start + n)


def test_reminders_through_the_bot_once_across_restarts(county) -> None:
    clock = county.clock

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.blocked.add(BLOCKED)
            services = county()
            async with running_bot(fake, services):
                await rounds(services)
                assert fake.texts_to(SECRETARY) == []  # nothing due on the 6th
                clock.now = local("2023-07-07 09:00")
                await wait_until(lambda: fake.texts_to(SECRETARY))
                await rounds(services)
                (before,) = fake.texts_to(SECRETARY)
                assert "本月主题党日是 7月10日（星期一）" in before
                assert "主题：庆祝党的生日" in before and "1. 重温入党誓词" in before
                # the article is quoted from the knowledge base, with its citation
                assert "依据：《中国共产党支部工作条例（试行）》第三章 第九条" in before
                assert "每月相对固定1天开展主题党日" in before
                assert not services.accounts.member_at("telegram", BLOCKED).reachable

            # a restart: new process, same database; nothing sent twice
            clock.now = local("2023-07-10 08:00")
            services = county()
            async with running_bot(fake, services):
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 2)
                await rounds(services)
                assert "今天（7月10日）是本月主题党日" in fake.texts_to(SECRETARY)[1]
                clock.now = local("2023-07-13 09:30")
                await wait_until(lambda: fake.texts_to(STAFF))
                await rounds(services)
            assert len(fake.texts_to(SECRETARY)) == 3  # + the follow-up: no report this month
            assert "台账里还没有看到记录" in fake.texts_to(SECRETARY)[2]
            (summary,) = fake.texts_to(STAFF)
            assert "已登记 0 个，尚未登记 2 个" in summary and "无法收到机器人消息" in summary
            assert fake.texts_to(BLOCKED) == []
            assert fake.rate_violations == 0

    run(scenario)


def test_a_report_logged_in_the_chat_stops_the_follow_up(county) -> None:
    clock = county.clock

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            services = county()
            async with running_bot(fake, services):
                clock.now = local("2023-07-11 10:00")
                fake.message_time = clock.now.timestamp()
                fake.message(
                    SECRETARY, "7月10日张家村党支部开展主题党日活动，应到党员20人，实到18人"
                )
                await wait_until(lambda: fake.messages_to(SECRETARY))
                card = fake.messages_to(SECRETARY)[-1]
                assert "日期：2023-07-10" in card["text"]
                fake.click(SECRETARY, card, "rp:ok:1")
                await wait_until(lambda: any("已记入台账" in t for t in fake.texts_to(SECRETARY)))
                clock.now = local("2023-07-13 09:30")
                await wait_until(lambda: fake.texts_to(STAFF))
                await rounds(services)
            assert not any("台账里还没有看到记录" in t for t in fake.texts_to(SECRETARY))
            assert "已登记 1 个" in fake.texts_to(STAFF)[0]

    run(scenario)


def test_calendar_commands(county) -> None:
    async def scenario() -> None:
        with FakeBotAPI() as fake:
            services = county(reminder_tick_s=None)
            async with running_bot(fake, services):
                fake.message(SECRETARY, "/calendar 2023-07")
                await wait_until(lambda: fake.texts_to(SECRETARY))
                assert "2023年7月：7月10日（星期一）" in fake.texts_to(SECRETARY)[0]
                assert "庆祝党的生日" in fake.texts_to(SECRETARY)[0]

                fake.message(SECRETARY, "/settheme 2023-08 乱改")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 2)
                assert "只有管理员" in fake.texts_to(SECRETARY)[1]

                fake.message(ADMIN, "/settheme 2023-08 防汛抗旱 | 重温入党誓词；巡查隐患")
                await wait_until(lambda: fake.texts_to(ADMIN))
                assert "规定动作 2 项" in fake.texts_to(ADMIN)[0]
                fake.message(ADMIN, "/setday 2023-08 2023-08-15 城关镇")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 2)
                assert (
                    "城关镇 2023-08 的主题党日调整为 2023-08-15（星期二）"
                    in fake.texts_to(ADMIN)[1]
                )
                fake.message(ADMIN, "/setday 2023-08 2023-09-01")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 3)
                assert "不在 2023-08 内" in fake.texts_to(ADMIN)[2]
                fake.message(ADMIN, "/setday 八月 十五")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 4)
                assert "用法" in fake.texts_to(ADMIN)[3]

                fake.message(SECRETARY, "/calendar 2023-08")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 3)
                august = fake.texts_to(SECRETARY)[2]
                assert "8月15日（星期二）" in august and "防汛抗旱" in august
                assert "重温入党誓词、巡查隐患" in august

                fake.message(ADMIN, "/calendar 2023-08")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 5)
                assert "河口镇：每月第一个星期五（顺延）" in fake.texts_to(ADMIN)[4]
                assert "城关镇 2023-08 调整为 8月15日" in fake.texts_to(ADMIN)[4]

                fake.message(ADMIN, "/setday 2023-08 取消 城关镇")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 6)
                assert "恢复按规则计算：2023-08-10" in fake.texts_to(ADMIN)[5]

    run(scenario)


def test_mute_buttons(county) -> None:
    clock = county.clock

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            services = county()
            async with running_bot(fake, services) as bot:
                fake.message(SECRETARY, "/mute")
                await wait_until(lambda: fake.messages_to(SECRETARY))
                menu = fake.messages_to(SECRETARY)[0]
                buttons = [b[0] for b in menu["reply_markup"]["inline_keyboard"]]
                assert [b["text"] for b in buttons] == [
                    "✅ 提前提醒",
                    "✅ 当天提醒",
                    "✅ 未登记提醒",
                    "✅ 三会一课提醒",
                ]
                fake.click(SECRETARY, menu, "mute:before")
                await wait_until(lambda: "editMessageReplyMarkup" in fake.methods())
                assert services.reminders.muted_kinds(
                    services.accounts.user_id_at("telegram", SECRETARY)
                ) == {"before"}
                # staff cannot mute a secretary's kind, only their summary
                fake.message(STAFF, "/mute")
                await wait_until(lambda: fake.messages_to(STAFF))
                staff_menu = fake.messages_to(STAFF)[0]
                assert len(staff_menu["reply_markup"]["inline_keyboard"]) == 1
                fake.click(STAFF, staff_menu, "mute:before")
                await settled(fake, bot)
                assert (
                    services.reminders.muted_kinds(services.accounts.user_id_at("telegram", STAFF))
                    == set()
                )

                clock.now = local("2023-07-07 09:00")
                await rounds(services)
                assert [t for t in fake.texts_to(SECRETARY) if "主题党日提醒" in t] == []
                clock.now = local("2023-07-10 08:00")
                await wait_until(lambda: any("今天" in t for t in fake.texts_to(SECRETARY)))

    run(scenario)


@pytest.mark.postgres
def test_two_bot_processes_on_one_postgres_send_once(county, pg_sessions) -> None:
    clock = county.clock
    url = pg_sessions.kw["bind"].url.render_as_string(hide_password=False)
    secretaries = [5000 + n for n in range(40)]

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            first = county(sessions=pg_sessions)
            for tid in secretaries:
                first.accounts.add(
                    tid, Role.SECRETARY, channel="telegram", village=f"村{tid}", township="河口镇"
                )
            second = county(sessions=make_session_factory(make_engine(url)))
            async with running_bot(fake, first), running_bot(fake, second):
                clock.now = local("2023-07-07 09:00")  # 河口镇: its Party day (first Friday)
                await wait_until(lambda: all(fake.texts_to(t) for t in secretaries), timeout=30)
                await rounds(first)
                await rounds(second)
            per_chat = Counter(m["chat_id"] for m in fake.sent if "今天" in m.get("text", ""))
            assert all(per_chat[t] == 1 for t in secretaries), per_chat
            with pg_sessions() as session:
                rows = session.scalars(
                    select(ReminderMessage).where(ReminderMessage.kind == "day")
                ).all()
            assert sorted(int(r.external_id) for r in rows if r.status == "sent") == secretaries
            assert {r.claimed_by for r in rows if r.status == "sent"} <= {
                first.reminders.worker,
                second.reminders.worker,
            }

    run(scenario)


def test_a_restart_in_the_middle_of_sending_loses_and_repeats_nothing(county) -> None:
    clock = county.clock
    secretaries = [6000 + n for n in range(90)]  # about three seconds of sending at 29/s

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            services = county()
            for tid in secretaries:
                services.accounts.add(
                    tid, Role.SECRETARY, channel="telegram", village=f"村{tid}", township="城关镇"
                )
            async with running_bot(fake, services):
                clock.now = local("2023-07-07 09:00")
                await wait_until(lambda: sum(bool(fake.texts_to(t)) for t in secretaries) >= 20)
                # stop now, not after the updater's last long poll: on a loaded machine the
                # outbox would otherwise send all 90 while the bot shuts down
                services.stopping.set()
            stopped_at = sum(bool(fake.texts_to(t)) for t in secretaries)
            assert stopped_at < len(secretaries)
            restarted = county()
            async with running_bot(fake, restarted):
                await wait_until(lambda: all(fake.texts_to(t) for t in secretaries))
                await rounds(restarted)
            assert all(len(fake.texts_to(t)) == 1 for t in secretaries)
            assert fake.rate_violations == 0

    run(scenario)
