"""The WeCom AI bot over its long connection: frames from a fake WeCom (a real WebSocket server
on 127.0.0.1) into the conversation core, answers back as stream replies, template cards and
pushes."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from bot import messages
from bot.channels.wecom_aibot import messages as aibot_messages
from bot.channels.wecom_aibot import protocol
from bot.people.accounts import Role
from tests.support.fake_wecom_aibot import FakeAibotServer
from tests.support.wecom_aibot_harness import Core, core_over, eventually, running
from tests.support.wecom_harness import JPEG


@pytest.fixture
def core(make_kb, knowledge_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with core_over(make_kb, knowledge_dir, tmp_path) as world:
        yield world


def test_a_question_gets_a_cited_answer_and_its_buttons_as_a_card(core: Core) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core, thinking_after_s=0.0):
            await fake.push_text("zhangsan", "主题党日多久开展一次")
            await fake.wait_for(lambda: bool(fake.texts_to("zhangsan")))
            (answer,) = fake.texts_to("zhangsan")
            assert "第九条" in answer and "《中国共产党支部工作条例（试行）》" in answer
            (card,) = fake.cards_to("zhangsan")  # on the stream's last frame
            assert [b["text"] for b in card["button_list"]] == ["查看原文", "有用", "没用"]
            assert fake.thinking == [aibot_messages.THINKING]  # streamed: a line first
            await fake.push_text("zhangsan", "查看原文")  # typed, not pressed: a question
            await fake.push_card_event("zhangsan", card["button_list"][0]["key"], card["task_id"])
            await fake.wait_for(lambda: len(fake.texts_to("zhangsan")) == 3)
            assert any(t.startswith("《中国共产党支部") for t in fake.texts_to("zhangsan")[1:])

    asyncio.run(scenario())


def test_a_report_with_a_photo_confirmed_once_however_often_the_press_arrives(
    core: Core,
) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            await fake.push_image("zhangsan", JPEG)
            await fake.wait_for(lambda: len(fake.texts_to("zhangsan")) == 1)
            assert fake.texts_to("zhangsan") == [messages.REPORT_PHOTO_NEEDS_TEXT]
            await fake.push_text("zhangsan", "11月20日开展主题党日，应到30人实到27人")
            await fake.wait_for(lambda: bool(fake.cards_to("zhangsan")))
            assert "照片：1 张" in fake.texts_to("zhangsan")[-1]
            card = fake.cards_to("zhangsan")[-1]
            confirm = next(b["key"] for b in card["button_list"] if ":ok:" in b["key"])
            req_id = await fake.push_card_event("zhangsan", confirm, card["task_id"])
            msgid = fake._pushes[req_id]["msgid"]
            await fake.wait_for(lambda: any("已记入台账" in t for t in fake.texts_to("zhangsan")))
            await fake.redeliver(msgid)  # WeCom delivers the press again: handled once
            await fake.push_card_event("zhangsan", confirm, card["task_id"])  # pressed twice
            await fake.wait_for(lambda: len(fake.card_updates) >= 1)
            await asyncio.sleep(0.5)
            assert sum("已记入台账" in t for t in fake.texts_to("zhangsan")) == 1
            spent = fake.card_updates[0]["template_card"]
            assert (
                spent["task_id"] == card["task_id"] and spent["button_list"][0]["text"] == "已处理"
            )
            assert fake.card_updates[0]["userids"] == ["zhangsan"]

    asyncio.run(scenario())
    member = core.accounts.member_at("wecom", "zhangsan")
    assert member is not None
    (row,) = core.reports.recent(member.id)
    assert row.attended == 27 and len(row.photos) == 1
    # the picture was decrypted with its message's aeskey before it was kept
    stored = [p for p in core.media_dir.rglob("*") if p.is_file()]
    assert any(p.read_bytes() == JPEG for p in stored)


def test_a_redelivered_message_is_answered_once(core: Core) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            req_id = await fake.push_text("zhangsan", "主题党日多久开展一次")
            await fake.redeliver(fake._pushes[req_id]["msgid"])
            await fake.wait_for(lambda: bool(fake.texts_to("zhangsan")))
            await asyncio.sleep(0.5)
            assert len(fake.texts_to("zhangsan")) == 1

    asyncio.run(scenario())


def test_an_unbound_sender_is_told_how_to_register(core: Core) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            await fake.push_text("nobody", "你好")
            await fake.wait_for(lambda: bool(fake.texts_to("nobody")))
            assert fake.texts_to("nobody") == [messages.NOT_REGISTERED]

    asyncio.run(scenario())


def test_a_group_question_is_answered_in_the_group(core: Core) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            await fake.push_text("zhangsan", "@党建助手 主题党日多久开展一次", chat="grp1")
            await fake.wait_for(lambda: bool(fake.texts_to("grp1")))
            assert "第九条" in fake.texts_to("grp1")[0] and fake.texts_to("zhangsan") == []

    asyncio.run(scenario())


def test_bad_frames_are_logged_and_survived(core: Core, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="bot.channels.wecom_aibot")

    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core) as (_, connection):
            await fake.push_raw("not json at all")
            await fake.push_raw("[1, 2, 3]")
            await fake.push_raw(json.dumps({"cmd": protocol.MESSAGE, "body": {}}))  # no req_id
            await fake.push_raw(
                json.dumps({"cmd": "aibot_new_thing", "headers": {"req_id": "x1"}, "body": {}})
            )
            await fake.push_body(protocol.MESSAGE, {"msgtype": "text", "text": {"content": "无主"}})
            await fake.push_body(protocol.EVENT, {"msgid": "e1", "from": {"userid": "zhangsan"}})
            await fake.push_text("zhangsan", "主题党日多久开展一次")
            await fake.wait_for(lambda: bool(fake.texts_to("zhangsan")))
            assert connection.connections == 1  # the same connection throughout

    asyncio.run(scenario())
    assert "not JSON" in caplog.text and "not an object" in caplog.text
    assert "no headers.req_id" in caplog.text and "aibot_new_thing" in caplog.text
    assert "without msgid or from.userid" in caplog.text


def test_without_template_cards_the_buttons_are_named_and_a_reply_presses_one(
    core: Core,
) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core) as (channel, _):
            fake.template_cards = False
            await fake.push_text("zhangsan", "11月20日张家村开展主题党日，应到30人实到26人")
            await fake.wait_for(lambda: bool(fake.texts_to("zhangsan")))
            assert fake.texts_to("zhangsan")[-1].endswith("请回复：“确认”、“修改”、“取消”")
            await eventually(lambda: channel.cards is False)
            await fake.push_text("zhangsan", "确认")
            await fake.wait_for(lambda: "已记入台账" in fake.texts_to("zhangsan")[-1])
            assert fake.cards_to("zhangsan") == []

    asyncio.run(scenario())


def test_an_admin_command_is_answered_by_the_core(core: Core) -> None:
    core.accounts.add("admin1", Role.ADMIN, channel="wecom")

    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            await fake.push_text("admin1", "/help")
            await fake.wait_for(lambda: bool(fake.texts_to("admin1")))
            assert "/export" in fake.texts_to("admin1")[0]
            if "users" in core.conversation._commands:  # admin turns moved into the core
                await fake.push_text("admin1", "/users")
                await fake.wait_for(lambda: len(fake.texts_to("admin1")) == 2)
                assert "zhangsan" in fake.texts_to("admin1")[1]

    asyncio.run(scenario())


def test_an_export_is_uploaded_over_the_connection_and_sent(core: Core) -> None:
    core.accounts.add("wangke", Role.STAFF, channel="wecom", township="城关镇")

    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            await fake.push_text("wangke", "/export")
            await fake.wait_for(lambda: any(kind == "file" for _, kind, _ in fake.seen))
            (media_id,) = [c for to, kind, c in fake.seen if kind == "file" and to == "wangke"]
            assert fake.uploaded(media_id)[:2] == b"PK"  # the workbook, whole

    asyncio.run(scenario())


def test_a_failure_in_the_core_finishes_the_stream_with_an_apology(core: Core, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(who, incoming):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(core.conversation, "handle", broken)

    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core, thinking_after_s=0.0):
            await fake.push_text("zhangsan", "主题党日多久开展一次")
            await fake.wait_for(lambda: bool(fake.texts_to("zhangsan")))
            assert fake.texts_to("zhangsan") == [aibot_messages.FAILED]
            assert "database" not in fake.texts_to("zhangsan")[0]

    asyncio.run(scenario())


def test_text_and_a_picture_in_one_message_are_a_captioned_photo(core: Core) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            req_id = await fake.push_image("zhangsan", JPEG)  # for its encrypted URL and key
            await fake.wait_for(lambda: bool(fake.texts_to("zhangsan")))
            image = fake._pushes[req_id]["image"]
            text = {
                "msgtype": "text",
                "text": {"content": "11月21日开展主题党日，应到30人实到28人"},
            }
            body = {
                "msgid": "mixed-1",
                "chattype": "single",
                "from": {"userid": "zhangsan"},
                "msgtype": "mixed",
                "mixed": {"msg_item": [text, {"msgtype": "image", "image": image}]},
            }
            await fake.push_body(protocol.MESSAGE, body)
            await fake.wait_for(lambda: bool(fake.cards_to("zhangsan")))
            assert "实到28人" not in fake.texts_to("zhangsan")[0]
            assert "照片：2 张" in fake.texts_to("zhangsan")[-1]

    asyncio.run(scenario())


def test_an_answer_longer_than_a_stream_goes_on_in_pushes(core: Core, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.conversation.turns import Reply

    lines = [f"第{n}行：党支部应当每月相对固定1天开展主题党日。" for n in range(600)]
    monkeypatch.setattr(
        core.conversation, "handle", lambda who, incoming: [Reply("\n".join(lines))]
    )

    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            await fake.push_text("zhangsan", "台账")
            await fake.wait_for(lambda: "第599行" in "".join(fake.texts_to("zhangsan")))
            texts = fake.texts_to("zhangsan")
            assert len(texts[0].encode()) <= 20480 and len(texts) > 2
            assert all(len(t.encode()) <= 4096 for t in texts[1:])
            assert "\n".join(texts).split("\n") == lines  # all of it, in order

    asyncio.run(scenario())
