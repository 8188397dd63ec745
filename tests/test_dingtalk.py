"""The DingTalk channel end to end: robot messages pushed over a real WebSocket by a fake
DingTalk on 127.0.0.1, the conversation core behind them, replies through the message's
sessionWebhook, notices through batchSend."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot import messages
from bot.channels.dingtalk.outlet import DingTalkOutlet
from bot.people.accounts import Role
from tests.support.dingtalk_harness import JPEG, SECRETARY, dingtalk_api, dingtalk_world
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk


@pytest.fixture
def dingtalk(make_kb, knowledge_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with dingtalk_world(make_kb, knowledge_dir, tmp_path) as world:
        yield world


def answered(fake: FakeDingTalk, msg_id: str, count: int = 1) -> list[str]:
    fake.wait_for_replies(count, where=lambda r: r[0] == f"s-{msg_id}")
    return fake.texts_in(msg_id)


def test_a_question_gets_a_cited_answer_once_however_often_it_is_pushed(dingtalk) -> None:  # type: ignore[no-untyped-def]
    fake = dingtalk.fake
    question = fake.message(SECRETARY, text=" 主题党日多久开展一次", msg_id="q1")
    fake.push(question)
    fake.push(question)  # DingTalk pushes again when it missed the ack
    answer, buttons = answered(fake, "q1", 2)
    assert "第九条" in answer
    assert "请回复：“查看原文”、“有用”、“没用”" in buttons
    assert "dtmd://dingtalkclient/sendMessage?content=%E6%9C%89%E7%94%A8" in buttons
    fake.push(fake.message(SECRETARY, text="有用", msg_id="q2"))  # a button's label, sent back
    (thanks,) = answered(fake, "q2")
    assert thanks == messages.FEEDBACK_THANKS
    assert len(fake.texts_in("q1")) == 2  # the redelivery was not answered


def test_a_report_with_a_photo_and_its_card_confirmed_once(dingtalk) -> None:  # type: ignore[no-untyped-def]
    fake, _, reports, accounts, _ = dingtalk
    fake.files["code-photo-1"] = JPEG
    picture = fake.message(
        SECRETARY, kind="picture", content={"downloadCode": "code-photo-1"}, msg_id="p1"
    )
    fake.push(picture)
    assert answered(fake, "p1") == [messages.REPORT_PHOTO_NEEDS_TEXT]
    fake.push(fake.message(SECRETARY, text="11月20日开展主题党日，应到30人实到27人", msg_id="p2"))
    card, choose = answered(fake, "p2", 2)
    assert "照片：1 张" in card and "“确认”" in choose
    confirm = fake.message(SECRETARY, text="确认", msg_id="p3")
    fake.push(confirm)
    fake.push(confirm)  # the same message pushed again: handled once
    saved = answered(fake, "p3")
    assert sum("已记入台账" in t for t in saved) == 1
    fake.push(fake.message(SECRETARY, text="确认", msg_id="p4"))  # a second tap of the label
    assert any("已经" in t or "已记入" in t for t in answered(fake, "p4"))
    member = accounts.member_at("dingtalk", SECRETARY)
    (row,) = reports.recent(member.id)
    assert row.attended == 27 and len(row.photos) == 1


def test_rich_text_with_two_pictures_makes_one_draft(dingtalk) -> None:  # type: ignore[no-untyped-def]
    fake = dingtalk.fake
    fake.files.update({"rt-1": JPEG, "rt-2": JPEG})
    rich = [
        {"downloadCode": "rt-1", "type": "picture"},
        {"text": "11月21日开展主题党日，应到20人实到18人"},
        {"downloadCode": "rt-2", "type": "picture"},
    ]
    fake.push(fake.message(SECRETARY, kind="richText", content={"richText": rich}, msg_id="r1"))
    card = answered(fake, "r1", 2)[0]
    assert "照片：2 张" in card


def test_an_unbound_sender_is_asked_for_an_invite_code_which_binds_them(dingtalk) -> None:  # type: ignore[no-untyped-def]
    fake, _, _, accounts, _ = dingtalk
    fake.push(fake.message("newcomer", text="主题党日多久开展一次", msg_id="u1"))
    assert answered(fake, "u1") == [messages.NOT_REGISTERED]
    invite = accounts.invites.create_invite(Role.SECRETARY, village="李家村", township="城关镇")
    fake.push(fake.message("newcomer", text=invite.code.lower(), msg_id="u2", nick="李四"))
    (welcome,) = answered(fake, "u2")
    assert welcome.startswith("注册成功：村党组织书记")
    member = accounts.member_at("dingtalk", "newcomer")
    assert member is not None and member.village == "李家村" and member.name == "李四"


def test_admin_commands_are_the_cores(dingtalk) -> None:  # type: ignore[no-untyped-def]
    fake, _, _, accounts, _ = dingtalk
    accounts.add("boss", Role.ADMIN, channel="dingtalk", name="王主任")
    fake.push(fake.message("boss", text="/help", msg_id="a1"))
    (help_text,) = answered(fake, "a1")
    assert "/export" in help_text
    fake.push(fake.message("boss", text="/export", msg_id="a2"))
    caption, file_note = answered(fake, "a2", 2)
    assert "台账" in caption and "钉钉里发不了" in file_note and "/web" in file_note
    fake.push(fake.message("boss", text="/nosuch", msg_id="a3"))
    assert messages.UNKNOWN_COMMAND.format(command="/nosuch") in answered(fake, "a3")[0]


def test_a_private_answer_to_a_group_goes_to_the_members_own_chat(dingtalk) -> None:  # type: ignore[no-untyped-def]
    fake = dingtalk.fake
    fake.push(
        fake.message(SECRETARY, text="/ask 这个月三会一课还差啥", group="cid-group", msg_id="g1")
    )
    group_lines = answered(fake, "g1")
    private = [s for s in fake.batch_sent if s["user"] == SECRETARY]
    assert private and group_lines == [messages.LEDGER_SENT_PRIVATELY]


def test_after_the_session_webhook_expired_replies_go_to_the_single_chat(dingtalk) -> None:  # type: ignore[no-untyped-def]
    fake = dingtalk.fake
    late = fake.message(SECRETARY, text="主题党日多久开展一次", msg_id="late")
    late["sessionWebhookExpiredTime"] = 1_000_000  # long gone
    fake.push(late)
    for _ in range(100):
        if len(fake.batch_sent) >= 2:
            break
        time.sleep(0.1)
    answer, buttons = (sent["text"] for sent in fake.batch_sent)
    assert "第九条" in answer and "请回复：“查看原文”、“有用”、“没用”" in buttons
    assert fake.texts_in("late") == []


def test_the_outlet_says_how_each_notice_went() -> None:
    with FakeDingTalk() as fake:
        api = dingtalk_api(fake)
        outlet = DingTalkOutlet(api=api)
        fake.invalid_users.add("gone")
        fake.throttle_batch = 1

        async def send_all() -> list[str]:
            return [
                await outlet.send("zhangsan", "主题党日提醒"),  # refused for speed
                await outlet.send("zhangsan", "主题党日提醒"),
                await outlet.send("gone", "主题党日提醒"),
            ]

        assert asyncio.run(send_all()) == ["retry", "sent", "unreachable"]
        assert fake.batch_sent == [
            {"user": "zhangsan", "text": "主题党日提醒"}
        ]  # 【通知】 is the broadcasts'
        assert outlet.channel == "dingtalk" and outlet.pace.users_per_call == 20
        api.close()


def test_doctor_checks_the_dingtalk_credentials(env_settings: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    with FakeDingTalk() as fake:
        monkeypatch.setenv("DINGTALK_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("DINGTALK_API_BASE_URL", fake.api_base_url)
        main(["doctor"])
        out = capsys.readouterr().out
        assert "钉钉" in out and "只配置了一部分" in out and "DINGTALK_CLIENT_SECRET" in out
        monkeypatch.setenv("DINGTALK_CLIENT_SECRET", CLIENT_SECRET)
        main(["doctor"])
        out = capsys.readouterr().out
        assert "凭证有效" in out and CLIENT_SECRET not in out
        monkeypatch.setenv("DINGTALK_CLIENT_SECRET", "wrong")
        assert main(["doctor"]) == 1
        assert "钉钉不认这组凭证" in capsys.readouterr().out


def test_a_member_is_bound_by_dingtalk_user_id_from_the_command_line(
    env_settings: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    where = ["--village", "张家村", "--township", "城关镇"]
    code = main(
        [
            "users",
            "add",
            "--channel",
            "dingtalk",
            "--external-id",
            "manager9",
            "--role",
            "书记",
            *where,
        ]
    )
    assert code == 0
    assert main(["users", "list"]) == 0
    assert "manager9" in capsys.readouterr().out
