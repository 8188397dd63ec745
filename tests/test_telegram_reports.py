"""The report conversation through python-telegram-bot against the fake Bot API server."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.db.models import ReminderMessage, Report
from bot.people.accounts import Role
from tests.support.fake_telegram import FakeBotAPI
from tests.support.telegram_harness import make_services, running_bot, settled, wait_until

SECRETARY, STAFF = 200, 300
REPORT = "6月10日上午，张家村党支部开展“学习贯彻党的二十大精神”主题党日活动，应到党员32人，实到28人，重温入党誓词。"
NOW = datetime(2023, 6, 12, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


@pytest.fixture
def build(make_kb, knowledge_dir: Path, tmp_path: Path):
    (knowledge_dir / "条例.md").write_text(
        "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日。\n\n"
        "第十条　党支部每年至少召开1次组织生活会。\n\n第十一条　党员应当按期交纳党费。\n",
        encoding="utf-8",
    )
    kbase = make_kb()
    kbase.ingestor.ingest()

    def services():
        s = make_services(kbase, knowledge_dir, tmp_path / "data", clock=lambda: NOW)
        s.accounts.add(
            SECRETARY,
            Role.SECRETARY,
            channel="telegram",
            name="张书记",
            village="张家村",
            township="城关镇",
        )
        s.accounts.add(STAFF, Role.STAFF, channel="telegram", name="王干事", township="城关镇")
        return s

    return services


def run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario(), timeout=60))


def _buttons(message: dict) -> list[str]:
    return [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def _count_reports(services) -> int:
    with services.accounts._sessions() as session:
        return session.scalar(select(func.count()).select_from(Report))


def test_report_card_confirm_once_and_questions_still_answered(build) -> None:
    services = build()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services):
                fake.message(SECRETARY, REPORT)
                await wait_until(lambda: fake.messages_to(SECRETARY))
                card = fake.messages_to(SECRETARY)[0]
                assert "日期：2023-06-10" in card["text"]
                assert "村：张家村" in card["text"] and "类型：主题党日" in card["text"]
                assert "应到：32　实到：28" in card["text"]
                assert _buttons(card) == ["rp:ok:1", "rp:edit:1", "rp:no:1"]
                fake.click(SECRETARY, card, "rp:ok:1")
                fake.click(SECRETARY, card, "rp:ok:1")  # a double tap, or a retried update
                await wait_until(lambda: any("台账" in t for t in fake.texts_to(SECRETARY)))
                # each press is answered at once with a toast (toasts are not paced like the
                # card's edit)
                await wait_until(lambda: len(fake.params_of("answerCallbackQuery")) == 2)
                toasts = [p.get("text", "") for p in fake.params_of("answerCallbackQuery")]
                assert any("已记入台账（第 1 号）" in t for t in toasts)
                assert any("不会重复保存" in t for t in toasts)

                fake.message(SECRETARY, "主题党日多久开展一次？")
                await wait_until(lambda: any("第九条" in t for t in fake.texts_to(SECRETARY)))
                # the card is edited once: the second press's toast is its whole answer
                saved = [t for t in fake.texts_to(SECRETARY) if "台账" in t]
                assert len(saved) == 1 and "已记入台账（第 1 号）" in saved[0]
        assert _count_reports(services) == 1

    run(scenario)


def test_missing_date_is_asked_then_edit_a_field(build) -> None:
    services = build()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services):
                fake.message(SECRETARY, "/report 召开支委会，研究村集体经济项目，5名支委全部参加")
                await wait_until(lambda: fake.messages_to(SECRETARY))
                card = fake.messages_to(SECRETARY)[0]
                assert "还缺日期" in card["text"]
                assert "rp:ok:1" not in _buttons(card)
                fake.message(SECRETARY, "下个月")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 2)
                assert "没看懂这个日期" in fake.texts_to(SECRETARY)[1]
                fake.message(SECRETARY, "2023年6月1日")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 3)
                card = fake.messages_to(SECRETARY)[2]
                assert "日期：2023-06-01" in card["text"] and "rp:ok:1" in _buttons(card)

                fake.click(SECRETARY, card, "rp:edit:1")
                await wait_until(lambda: "editMessageReplyMarkup" in fake.methods())
                fake.click(SECRETARY, card, "rp:f:1:attended")
                await wait_until(lambda: "请回复新的实到人数" in fake.texts_to(SECRETARY)[-1])
                fake.message(SECRETARY, "四人")
                await wait_until(lambda: "实到：4" in fake.texts_to(SECRETARY)[-1])
                card = fake.messages_to(SECRETARY)[-1]
                fake.click(SECRETARY, card, "rp:ok:1")
                await wait_until(lambda: "已记入台账" in fake.texts_to(SECRETARY)[-1])
        rows = services.reports.recent(services.accounts.user_id_at("telegram", SECRETARY))
        assert (rows[0].type, rows[0].expected, rows[0].attended) == ("支部委员会", 5, 4)

    run(scenario)


def test_album_photos_grouped_and_downloaded(build, tmp_path: Path) -> None:
    services = build()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services) as bot:
                # two different photos (the media folder keeps each content once) and a fake
                fake.photo(SECRETARY, JPEG + b"1", caption=REPORT, media_group_id="album-1")
                fake.photo(SECRETARY, JPEG + b"2", media_group_id="album-1")
                fake.photo(SECRETARY, b"not an image", media_group_id="album-1")
                await settled(fake, bot)  # the rest of the album
                draft = services.reports.open_draft(
                    services.accounts.user_id_at("telegram", SECRETARY)
                )
                assert draft.photos == 3
                card = fake.messages_to(SECRETARY)[0]
                fake.click(SECRETARY, card, "rp:ok:1")
                await wait_until(lambda: "已记入台账" in fake.texts_to(SECRETARY)[-1])
                await wait_until(
                    lambda: len(list((tmp_path / "data" / "media").rglob("*.jpg"))) == 2
                )
        row = services.reports.recent(services.accounts.user_id_at("telegram", SECRETARY))[0]
        assert len(row.photos) == 3
        assert (
            sum(p.endswith(".jpg") for p in row.photos) == 2
        )  # the non-image kept as its channel reference only

    run(scenario)


def test_draft_survives_a_restart_and_staff_export(build) -> None:
    services = build()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services):
                fake.message(SECRETARY, REPORT)
                await wait_until(lambda: fake.messages_to(SECRETARY))
            card = fake.messages_to(SECRETARY)[0]
            restarted = build()
            async with running_bot(fake, restarted):
                fake.click(SECRETARY, card, "rp:ok:1")
                await wait_until(lambda: "已记入台账" in fake.texts_to(SECRETARY)[-1])
                fake.message(SECRETARY, "/myreports")
                await wait_until(
                    lambda: "第1号 2023-06-10 主题党日" in fake.texts_to(SECRETARY)[-1]
                )
                listing = fake.messages_to(SECRETARY)[-1]
                assert _buttons(listing) == ["rp:fix:1", "rp:del:1"]
                fake.click(SECRETARY, listing, "rp:fix:1")
                fake.click(SECRETARY, listing, "rp:fx:1:attended")
                await wait_until(lambda: "请回复新的实到人数" in fake.texts_to(SECRETARY)[-1])
                fake.message(SECRETARY, "30")
                await wait_until(lambda: "已更正" in fake.texts_to(SECRETARY)[-1])
                assert (
                    restarted.reports.recent(restarted.accounts.user_id_at("telegram", SECRETARY))[
                        0
                    ].attended
                    == 30
                )

                fake.message(SECRETARY, "/export 2023-06")
                await wait_until(lambda: "只有组织部门" in fake.texts_to(SECRETARY)[-1])
                fake.message(STAFF, "/export 2023-06")
                await wait_until(
                    lambda: any(m["method"] == "sendDocument" for m in fake.messages_to(STAFF))
                )
                document = next(m for m in fake.messages_to(STAFF) if m["method"] == "sendDocument")
                assert re.search(r"共 1 条", document["caption"])
                book = load_workbook(io.BytesIO(document["document"]))
                sheet = list(book["台账"].values)
                assert sheet[2][sheet[1].index("党组织名称")] == "张家村党支部"

                fake.message(STAFF, "/stats 2023-06")
                await wait_until(
                    lambda: any(m["method"] == "sendPhoto" for m in fake.messages_to(STAFF))
                )
                photo = next(m for m in fake.messages_to(STAFF) if m["method"] == "sendPhoto")
                assert photo["photo"].startswith(b"\x89PNG") and "2023-06" in photo["caption"]

                fake.message(STAFF, "/reports 2023-06 主题党日 张家村")
                await wait_until(
                    lambda: any(
                        "第1号 2023-06-10 张家村 主题党日" in t for t in fake.texts_to(STAFF)
                    )
                )
                fake.message(STAFF, "/reports 2023-05")
                await wait_until(lambda: "没有符合条件" in fake.texts_to(STAFF)[-1])
                fake.message(STAFF, "六月份哪些村开展了主题党日？")
                await wait_until(lambda: any("台账第1号" in t for t in fake.texts_to(STAFF)))
                assert "涉及 1 个村：张家村" in fake.texts_to(STAFF)[-1]

    run(scenario)


def test_forged_buttons_cannot_touch_another_users_draft(build) -> None:
    """Button data is checked against its owner on the server: ids are small integers that
    anyone can type into a forged callback."""
    services = build()
    services.accounts.add(
        201, Role.SECRETARY, channel="telegram", name="李书记", village="李庄村", township="城关镇"
    )
    services.admin_chat_id = 999

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services) as bot:
                fake.message(SECRETARY, REPORT)
                await wait_until(lambda: fake.messages_to(SECRETARY))
                card = fake.messages_to(SECRETARY)[0]
                draft_id = int(_buttons(card)[0].split(":")[2])
                # the other secretary forges presses on the victim's card
                for data in (
                    f"rp:no:{draft_id}",
                    f"rp:f:{draft_id}:attended",
                    f"rp:ok:{draft_id}",
                    "rp:ok:not-a-number",
                    "rp:f:1",
                    "bc:ok:1",
                    "nonsense",
                ):
                    fake.click(201, card, data)
                await settled(fake, bot)
                assert fake.methods().count("answerCallbackQuery") >= 7
                draft = services.reports.get_draft(draft_id)
                assert draft.status == "open" and draft.editing is None
                assert _count_reports(services) == 0
                assert not fake.texts_to(999)  # malformed data is not an error for the admin
                assert not fake.texts_to(201) or all("出错" not in t for t in fake.texts_to(201))
                # the owner's own press still works
                fake.click(SECRETARY, card, f"rp:ok:{draft_id}")
                await wait_until(lambda: _count_reports(services) == 1)

    run(scenario)


def test_button_presses_share_the_flood_guard(build) -> None:
    services = build()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services) as bot:
                fake.message(SECRETARY, REPORT)
                await wait_until(lambda: fake.messages_to(SECRETARY))
                card = fake.messages_to(SECRETARY)[0]
                for _ in range(100):
                    fake.click(SECRETARY, card, "rp:edit:1")
                await settled(fake, bot)
                # the flood guard's 8 per 30 s, not one API call per press
                assert fake.methods().count("answerCallbackQuery") <= 10
                assert fake.methods().count("editMessageReplyMarkup") <= 8

    run(scenario)


def test_newcomers_plans_and_a_question_during_a_card(build) -> None:
    """/help and unknown commands list what one can do; voice gets a polite line; a plan gets
    no card; a question asked while a card waits for its date is answered, and the card
    still takes the date afterwards."""
    services = build()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                fake.message(SECRETARY, "/help")
                await wait_until(lambda: fake.texts_to(SECRETARY))
                assert "/myreports" in fake.texts_to(SECRETARY)[0]
                fake.message(STAFF, "/frobnicate")
                await wait_until(lambda: fake.texts_to(STAFF))
                assert "没有“/frobnicate”这个命令" in fake.texts_to(STAFF)[0]
                assert "/export" in fake.texts_to(STAFF)[0]
                fake.push(
                    {
                        "message": {
                            "message_id": 9001,
                            "date": int(NOW.timestamp()),
                            "chat": {"id": SECRETARY, "type": "private"},
                            "from": {"id": SECRETARY, "is_bot": False, "first_name": "张"},
                            "voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3},
                        }
                    }
                )
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 2)
                assert fake.texts_to(SECRETARY)[1] == "请发文字或照片。语音、表情、视频我还看不懂。"

                fake.message(SECRETARY, "张家村定于6月28日开展主题党日活动，请全体党员准时参加")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 3)
                plan = fake.messages_to(SECRETARY)[2]
                assert "不会记入台账" in plan["text"]
                (button,) = plan["reply_markup"]["inline_keyboard"][0]
                assert button["text"] == "当天提醒我登记"
                fake.click(SECRETARY, plan, button["callback_data"])
                fake.click(SECRETARY, plan, button["callback_data"])  # a double tap
                await wait_until(lambda: fake.methods().count("answerCallbackQuery") == 2)
                with services.accounts._sessions() as session:
                    (row,) = session.scalars(
                        select(ReminderMessage).where(ReminderMessage.kind == "plan")
                    ).all()
                assert row.due_at == datetime(2023, 6, 28, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai
                assert row.status == "pending" and "登记台账" in row.text

                fake.message(SECRETARY, "/report 召开支委会，研究发展党员，实到5人")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 4)
                assert "还缺日期" in fake.texts_to(SECRETARY)[3]
                fake.message(SECRETARY, "主题党日多久开展一次？")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 5)
                assert "没看懂这个日期" not in fake.texts_to(SECRETARY)[4]
                fake.message(SECRETARY, "6月11日")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 6)
                assert "日期：2023-06-11" in fake.texts_to(SECRETARY)[5]

    run(scenario)


def test_an_album_of_ten_is_one_report_with_ten_photos(build) -> None:
    """Ten parts arrive as ten updates: the flood guard counts the album once, the card counts
    all ten; an album sent without a caption is asked for its sentence once."""
    services = build()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services) as bot:
                fake.photo(SECRETARY, JPEG, caption=REPORT, media_group_id="album-10")
                for _ in range(9):
                    fake.photo(SECRETARY, JPEG, media_group_id="album-10")
                await settled(fake, bot)
                texts = fake.texts_to(SECRETARY)
                assert len(texts) == 1 and "照片：10 张" in texts[0]
                for _ in range(3):
                    fake.photo(SECRETARY, JPEG, media_group_id="album-bare")
                await settled(fake, bot)
                assert len(fake.texts_to(SECRETARY)) == 2  # asked once
                assert (
                    "一句话" in fake.texts_to(SECRETARY)[1] or "文字" in fake.texts_to(SECRETARY)[1]
                )

    run(scenario)


def test_a_correction_survives_a_restart(build) -> None:
    services = build()
    member = services.accounts.member_at("telegram", SECRETARY)
    report, _ = services.reports.confirm(services.reports.start_draft(member, REPORT).id, member)

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.message_time = NOW.timestamp()
            async with running_bot(fake, services):
                fake.message(SECRETARY, "/myreports")
                await wait_until(lambda: fake.messages_to(SECRETARY))
                listing = fake.messages_to(SECRETARY)[-1]
                fake.click(SECRETARY, listing, f"rp:fx:{report.id}:attended")
                await wait_until(lambda: "请回复新的实到人数" in fake.texts_to(SECRETARY)[-1])
            restarted = build()  # the bot restarts before the value arrives
            async with running_bot(fake, restarted):
                fake.message(SECRETARY, "30")
                await wait_until(lambda: "已更正" in fake.texts_to(SECRETARY)[-1])
                fake.message(SECRETARY, "31")  # the correction was answered: no longer pending
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 4)
                assert "已更正" not in fake.texts_to(SECRETARY)[-1]
        (row,) = restarted.reports.recent(member.id)
        assert row.attended == 30

    run(scenario)
