"""Scripted conversations through python-telegram-bot's real HTTP stack and the fake Bot API."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.telegram.formatting import split_message
from bot.channels.telegram.http import REQUEST_SLOTS
from bot.db.models import BroadcastDelivery, Feedback
from bot.outbox.broadcasting import Audience
from bot.people.accounts import Role
from tests.support.documents import write_docx
from tests.support.fake_telegram import TOKEN, FakeBotAPI
from tests.support.telegram_harness import make_services, running_bot, settled, wait_until

REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n## 第三章　组织生活\n\n"
    "第九条　党支部应当每月相对固定1天开展主题党日，组织党员集中学习、过组织生活、进行民主议事和志愿服务等。\n\n"
    "第十条　党支部每年至少召开1次组织生活会，一般安排在第四季度。\n\n"
    "第十一条　党员应当按期交纳党费。\n"
)
ADMIN, SECRETARY, STRANGER = 100, 200, 300


@pytest.fixture
def bot_services(make_kb, knowledge_dir: Path, tmp_path: Path):
    (knowledge_dir / "支部工作条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()

    def build(**options):
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
        return services

    build.kbase = kbase  # type: ignore[attr-defined]
    return build


def run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario(), timeout=60))


def test_start_register_with_invite_and_roles(bot_services) -> None:
    services = bot_services()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                fake.message(STRANGER, "/start")
                await wait_until(lambda: fake.texts_to(STRANGER))
                assert "邀请码" in fake.texts_to(STRANGER)[0]
                fake.message(STRANGER, "主题党日多久一次？")
                await wait_until(lambda: len(fake.texts_to(STRANGER)) == 2)
                assert "还没有注册" in fake.texts_to(STRANGER)[1]

                fake.message(SECRETARY, "/invite secretary 李庄村 城关镇")
                await wait_until(lambda: fake.texts_to(SECRETARY))
                assert fake.texts_to(SECRETARY)[0] == "这个功能只有管理员可以使用。"

                fake.message(ADMIN, "/invite 书记 李庄村 城关镇")
                await wait_until(lambda: fake.texts_to(ADMIN))
                preview = fake.messages_to(ADMIN)[0]
                assert "范围：城关镇李庄村" in preview["text"]  # shown before any code exists
                fake.click(
                    ADMIN,
                    preview,
                    preview["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                )
                await wait_until(
                    lambda: any("邀请码：" in p["text"] for p in fake.params_of("editMessageText"))
                )
                created = fake.params_of("editMessageText")[-1]["text"]
                code = re.search(r"邀请码：(\w+)", created).group(1)

                fake.message(STRANGER, f"/start {code}")
                await wait_until(lambda: len(fake.texts_to(STRANGER)) == 3)
                assert "注册成功：村党组织书记，城关镇 李庄村" in fake.texts_to(STRANGER)[2]
                fake.message(400, f"/start {code}")
                await wait_until(lambda: fake.texts_to(400))
                assert "已经被使用过" in fake.texts_to(400)[0]
                fake.message(401, "/start WRONGCODE")
                await wait_until(lambda: fake.texts_to(401))
                assert "邀请码不正确" in fake.texts_to(401)[0]

                fake.message(ADMIN, f"/setrole {STRANGER} staff")
                fake.message(ADMIN, "/revoke 200")
                # preview, the code (an edit of the preview), setrole, revoke
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 4)
                fake.message(ADMIN, "/users")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 5)
                listing = fake.texts_to(ADMIN)[4]
                assert f"{STRANGER}" in listing and "组织部门工作人员" in listing
                assert "张书记" not in listing  # revoked
        assert services.accounts.member_at("telegram", SECRETARY) is None
        assert "setMyCommands" in fake.methods()

    run(scenario)


def test_private_question_answer_buttons_and_feedback(bot_services) -> None:
    services = bot_services()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                fake.message(SECRETARY, "主题党日多久开展一次？")
                await wait_until(lambda: fake.messages_to(SECRETARY))
                answer = fake.messages_to(SECRETARY)[0]
                assert "《中国共产党支部工作条例（试行）》第三章 第九条" in answer["text"]
                assert "每月相对固定1天开展主题党日" in answer["text"]
                buttons = [b["callback_data"] for b in answer["reply_markup"]["inline_keyboard"][0]]
                assert buttons == ["src:1", "fb:1:1", "fb:0:1"]
                assert ("sendChatAction", {"chat_id": SECRETARY, "action": "typing"}) in [
                    (m, {k: p[k] for k in ("chat_id", "action")})
                    for m, p in fake.calls
                    if m == "sendChatAction"
                ]
                fake.click(SECRETARY, answer, "src:1")
                await wait_until(lambda: len(fake.messages_to(SECRETARY)) == 2)
                assert fake.texts_to(SECRETARY)[1].startswith(
                    "《中国共产党支部工作条例（试行）》第三章 第九条"
                )
                fake.click(SECRETARY, answer, "fb:0:1")
                await wait_until(lambda: fake.methods().count("answerCallbackQuery") == 2)
        with services.accounts._sessions() as session:
            feedback = session.scalars(select(Feedback)).one()
        assert feedback.question == "主题党日多久开展一次？" and feedback.helpful is False
        assert "第九条" in feedback.sources

    run(scenario)


def test_groups_answer_only_when_addressed(bot_services) -> None:
    services = bot_services()
    group = -500

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services) as bot:
                fake.message(SECRETARY, "组织生活会每年开几次", chat_id=group, chat_type="group")
                fake.message(
                    SECRETARY,
                    "@partybot_test_bot 组织生活会每年开几次",
                    chat_id=group,
                    chat_type="group",
                )
                await wait_until(lambda: len(fake.texts_to(group)) == 1)
                fake.message(
                    SECRETARY, "党费呢", chat_id=group, chat_type="group", reply_to_bot=True
                )
                fake.message(SECRETARY, "/ask 主题党日", chat_id=group, chat_type="group")
                await wait_until(lambda: len(fake.texts_to(group)) == 3)
                await settled(fake, bot)
                assert len(fake.texts_to(group)) == 3
                assert "第十条" in fake.texts_to(group)[0]

    run(scenario)


def test_view_source_and_feedback_survive_a_restart_and_stay_in_their_chat(
    bot_services,
) -> None:
    first = bot_services()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, first):
                fake.message(SECRETARY, "主题党日多久开展一次？")
                await wait_until(lambda: fake.messages_to(SECRETARY))
            answer = fake.messages_to(SECRETARY)[0]
            data = answer["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            restarted = bot_services()  # a new process on the same database
            async with running_bot(fake, restarted):
                # the same button data forged in another chat: not theirs to open
                fake.click(ADMIN, dict(answer, chat_id=ADMIN), data)
                await wait_until(lambda: fake.methods().count("answerCallbackQuery") == 1)
                assert fake.texts_to(ADMIN) == []
                fake.click(SECRETARY, answer, data)
                await wait_until(lambda: len(fake.messages_to(SECRETARY)) == 2)
                assert fake.texts_to(SECRETARY)[1].startswith(
                    "《中国共产党支部工作条例（试行）》第三章 第九条"
                )

    run(scenario)


def test_ledger_questions_in_a_group_are_answered_privately(bot_services) -> None:
    services = bot_services()
    group = -501
    secretary = services.accounts.member_at("telegram", SECRETARY)
    draft = services.reports.start_draft(secretary, "6月3日张家村开展主题党日活动，实到12人")
    services.reports.confirm(draft.id, secretary)

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                fake.message(
                    ADMIN, "/ask 6月份哪些村开展了主题党日？", chat_id=group, chat_type="group"
                )
                await wait_until(lambda: fake.texts_to(ADMIN) and fake.texts_to(group))
                assert "张家村" in fake.texts_to(ADMIN)[0]
                assert fake.texts_to(group) == ["台账查询结果已私信发给您。"]
                fake.blocked.add(SECRETARY)  # never opened a private chat with the bot
                fake.message(
                    SECRETARY, "/ask 6月份哪些村开展了主题党日？", chat_id=group, chat_type="group"
                )
                await wait_until(lambda: len(fake.texts_to(group)) == 2)
                assert "请先私聊我" in fake.texts_to(group)[1]
                assert all("张家村" not in t for t in fake.texts_to(group))

    run(scenario)


def test_redelivered_update_is_handled_once(bot_services) -> None:
    services = bot_services()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services) as bot:
                update = fake.message(SECRETARY, "主题党日多久开展一次？")
                await wait_until(lambda: fake.texts_to(SECRETARY))
                fake.redeliver(update)
                fake.message(SECRETARY, "党费")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 2)
                await settled(fake, bot)
                assert len(fake.texts_to(SECRETARY)) == 2

    run(scenario)


def test_an_update_delivered_twice_in_one_batch_is_handled_once(bot_services) -> None:
    """Both copies come in one getUpdates answer, so their claims are written together."""
    services = bot_services()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            update = fake.message(SECRETARY, "主题党日多久开展一次？")
            fake.redeliver(update)
            fake.message(SECRETARY, "党费")
            async with running_bot(fake, services) as bot:
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 2)
                await settled(fake, bot)
                assert len(fake.texts_to(SECRETARY)) == 2

    run(scenario)


def test_requests_to_telegram_in_flight_are_bounded_and_all_answered(bot_services) -> None:
    """A burst of button presses over a slow network: the bot holds no more requests open than
    its connections, and the rest wait for a free one without timing out."""
    services = bot_services()
    pressers = range(5000, 5000 + REQUEST_SLOTS + 16)

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.round_trip_s = 0.2
            async with running_bot(fake, services):
                for user in pressers:
                    fake.click(user, {"message_id": 1, "chat_id": user, "text": "旧卡片"}, "xx:1")
                await wait_until(lambda: len(fake.toast_times()) == len(pressers))
            assert 1 < fake.most_in_flight <= REQUEST_SLOTS
            assert not fake.unexpected

    run(scenario)


def test_admin_uploads_lists_and_deletes_documents(
    bot_services, knowledge_dir: Path, tmp_path: Path
) -> None:
    services = bot_services(max_upload_bytes=1024 * 1024)
    docx_bytes = write_docx(tmp_path / "x.docx").read_bytes()

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                fake.document(SECRETARY, "新条例.docx", docx_bytes)
                await wait_until(lambda: fake.texts_to(SECRETARY))
                assert fake.texts_to(SECRETARY)[0] == "这个功能只有管理员可以使用。"

                fake.document(ADMIN, "村规民约.docx", docx_bytes)
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 2)
                assert (
                    "已编入知识库：" in fake.texts_to(ADMIN)[1]
                    and "4 条" in fake.texts_to(ADMIN)[1]
                )
                fake.message(SECRETARY, "支部工作条例第九条")
                await wait_until(lambda: len(fake.texts_to(SECRETARY)) == 2)

                fake.document(ADMIN, "病毒.exe", b"MZ")
                fake.document(ADMIN, "大文件.pdf", b"%PDF", file_size=50 * 1024 * 1024)
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 4)
                # handled concurrently: the two replies may come in either order
                refusals = " ".join(fake.texts_to(ADMIN)[2:4])
                assert "不支持这种文件" in refusals and "文件太大（50.0 MB）" in refusals

                fake.document(ADMIN, "损坏.docx", b"PK\x03\x04 broken")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 6)
                assert "未能编入知识库：文件已损坏" in fake.texts_to(ADMIN)[5]
                assert "没有保存" in fake.texts_to(ADMIN)[5]

                fake.message(ADMIN, "/docs")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 7)
                assert "村规民约.docx" in fake.texts_to(ADMIN)[6]
                fake.message(ADMIN, "/deldoc 村规民约.docx")
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 8)
                assert fake.texts_to(ADMIN)[7] == "已从知识库删除：村规民约.docx"
        assert not (knowledge_dir / "村规民约.docx").exists()
        assert not (knowledge_dir / "损坏.docx").exists()
        # what failed is removed, as the reply says; nothing is left half-kept
        assert not list((tmp_path / "data" / "uploads").glob("*"))

    run(scenario)


def test_uploads_never_replace_another_document_and_sizes_are_checked_for_real(
    bot_services, knowledge_dir: Path, tmp_path: Path
) -> None:
    services = bot_services(max_upload_bytes=64 * 1024)
    first = "# 村规民约\n\n第一条　村民应当遵守法律。\n\n第二条　爱护公物。\n\n第三条　施行。\n"
    second = first.replace("爱护公物", "爱护环境")

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                fake.document(ADMIN, "村规民约.md", first.encode())
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 2)
                fake.document(ADMIN, "村规民约.md", second.encode())
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 4)
                assert "另存为 村规民约（2）.md" in fake.texts_to(ADMIN)[3]
                fake.document(ADMIN, "村规民约.md", first.encode())
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 6)
                assert "与知识库中的版本相同" in fake.texts_to(ADMIN)[5]
                # Telegram says 1 KB; the file is 200 KB: refused while downloading, before
                # the core sees it, so the refusal is the only reply (no 已收到 first)
                fake.document(ADMIN, "谎报大小.md", b"#" * 200_000, file_size=1024)
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 7)
                assert "文件太大" in fake.texts_to(ADMIN)[6]
                # a file that reads but holds nothing to index is not left in the folder
                fake.document(ADMIN, "空标题.md", "# 只有标题\n".encode())
                await wait_until(lambda: len(fake.texts_to(ADMIN)) == 9)
                assert "没有保存" in fake.texts_to(ADMIN)[8]
        assert (knowledge_dir / "村规民约.md").read_text(encoding="utf-8") == first
        assert (knowledge_dir / "村规民约（2）.md").read_text(encoding="utf-8") == second
        assert not (knowledge_dir / "谎报大小.md").exists()
        assert not (knowledge_dir / "空标题.md").exists()
        assert not list((tmp_path / "data" / "uploads").glob("*"))

    run(scenario)


def _add_township(services, count: int, start: int = 10_000, township: str = "城关镇") -> list[int]:
    ids = list(range(start, start + count))
    for n, telegram_id in enumerate(ids):
        services.accounts.add(
            telegram_id, Role.SECRETARY, channel="telegram", village=f"{n}村", township=township
        )
    return ids


def test_broadcast_preview_confirm_blocked_and_retry_after(bot_services) -> None:
    services = bot_services()
    recipients = [*_add_township(services, 25), SECRETARY]
    _add_township(services, 5, start=20_000, township="河口镇")

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.blocked.add(10_003)
            fake.retry_after[10_007] = 1
            async with running_bot(fake, services):
                fake.message(ADMIN, "/broadcast township:城关镇 请于本周五前报送主题党日开展情况。")
                await wait_until(lambda: fake.messages_to(ADMIN))
                preview = fake.messages_to(ADMIN)[0]
                assert "将发送给 26 人" in preview["text"]
                assert not any(m["chat_id"] in recipients for m in fake.sent)
                fake.click(
                    ADMIN,
                    preview,
                    preview["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                )
                fake.click(
                    ADMIN,
                    preview,
                    preview["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                )
                await wait_until(lambda: any("发送完成" in t for t in fake.texts_to(ADMIN)))
                done = next(t for t in fake.texts_to(ADMIN) if "发送完成" in t)
                assert "已送达 25 / 26，无法送达 1" in done
            for telegram_id in recipients:
                expected = 0 if telegram_id == 10_003 else 1
                notices = [t for t in fake.texts_to(telegram_id) if t.startswith("【通知】")]
                assert len(notices) == expected, telegram_id
            assert not any(fake.texts_to(i) for i in range(20_000, 20_005))
        assert services.accounts.member_at("telegram", 10_003).reachable is False

    run(scenario)


def test_two_bot_processes_one_token_send_at_one_pace(bot_services) -> None:
    """Two workers on one database and one bot token (webhook workers, say) start while a
    broadcast is unfinished: both used to resume it, sending to most recipients twice. Now the
    one holding the sending lease sends — each recipient once, and never faster than
    Telegram's 30 per second together."""
    from bot.runtime.leases import LeaseService, sender_lease
    from tests.support.fake_telegram import TOKEN

    workers = [bot_services(), bot_services()]
    recipients = _add_township(workers[0], 120)
    for worker in workers:
        leases = LeaseService(
            session_factory=worker.accounts._sessions, clock=lambda: datetime.now(UTC)
        )
        worker.may_send = partial(leases.hold, sender_lease("telegram", TOKEN))

    admin = workers[0].accounts.user_id_at("telegram", ADMIN)
    broadcast_id, _ = workers[0].broadcasts.draft(
        admin, "明天上午九点召开视频会议。", Audience("all")
    )
    assert workers[0].broadcasts.confirm(broadcast_id)

    async def scenario() -> None:
        with FakeBotAPI(enforce_rate_limit=True) as fake:
            async with running_bot(fake, workers[0]), running_bot(fake, workers[1]):
                await wait_until(
                    lambda: any("发送完成" in t for t in fake.texts_to(ADMIN)), timeout=40
                )
            for telegram_id in [*recipients, SECRETARY]:
                assert len(fake.texts_to(telegram_id)) == 1, telegram_id
            assert fake.rate_violations == 0
            assert not any(worker.outbox.running for worker in workers)

    run(scenario)


def test_restart_in_the_middle_of_a_broadcast_loses_and_repeats_no_one(bot_services) -> None:
    services = bot_services()
    recipients = _add_township(services, 90)

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            fake.delay_s = 0.02
            async with running_bot(fake, services):
                fake.message(ADMIN, "/broadcast role:secretary 明天上午九点召开视频会议。")
                await wait_until(lambda: fake.messages_to(ADMIN))
                preview = fake.messages_to(ADMIN)[0]
                fake.click(ADMIN, preview, "bc:ok:1")
                await wait_until(
                    lambda: sum(1 for m in fake.sent if m["chat_id"] in recipients) >= 30
                )
                # told to stop now, not after the updater's last long poll: on a loaded
                # machine the outbox would otherwise finish all 90 while the bot shuts down
                services.stopping.set()
            # the process is gone mid-broadcast; a new one starts on the same database
            sent_before = sum(1 for m in fake.sent if m["chat_id"] in recipients)
            assert sent_before < len(recipients)
            restarted = bot_services()
            async with running_bot(fake, restarted):
                await wait_until(
                    lambda: any("发送完成" in t for t in fake.texts_to(ADMIN)), timeout=30
                )
            for telegram_id in [*recipients, SECRETARY]:
                assert len(fake.texts_to(telegram_id)) == 1, telegram_id
        with services.accounts._sessions() as session:
            statuses = session.scalars(select(BroadcastDelivery.status)).all()
        assert sorted(set(statuses)) == ["sent"] and len(statuses) == len(recipients) + 1

    run(scenario)


def test_errors_apologise_notify_admin_and_never_log_the_token(bot_services, caplog) -> None:
    services = bot_services(admin_chat_id=-900)

    def broken(question: str, *_: object, **__: object):
        raise RuntimeError("index exploded")

    services.qa.ask = broken  # type: ignore[method-assign]

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                fake.message(SECRETARY, "主题党日多久开展一次？")
                await wait_until(lambda: fake.texts_to(-900))
                assert fake.texts_to(SECRETARY) == [
                    "抱歉，处理您的消息时出错了，请稍后再试。管理员已收到通知。"
                ]
                assert "RuntimeError" in fake.texts_to(-900)[0]

    from bot.channels.telegram.application import install_token_redaction

    caplog.set_level(logging.DEBUG)
    assert caplog.handler in logging.getLogger().handlers
    install_token_redaction(TOKEN)
    run(scenario)
    assert "index exploded" in caplog.text
    assert TOKEN not in caplog.text
    assert "<secret>" in caplog.text  # httpx's request lines were there, redacted


def test_flood_control_warns_once_and_drops_the_rest(bot_services) -> None:
    services = bot_services()
    services.flood.limit = 3

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services) as bot:
                for n in range(8):
                    fake.message(SECRETARY, f"党费 {n}")
                await settled(fake, bot)
                texts = fake.texts_to(SECRETARY)
                assert texts.count("您发得太快了，请稍等片刻再试。") == 1
                assert len(texts) == 4

    run(scenario)


def test_split_message_keeps_quotes_whole() -> None:
    blocks = [f"{n}. 《条例》第{n}条\n「" + "内容" * 300 + "」" for n in range(1, 8)]
    text = "\n\n".join(blocks)
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "\n\n".join(parts) == text
    for part in parts:
        assert part.count("「") == part.count("」")
