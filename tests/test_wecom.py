"""The WeCom channel: real encrypted callbacks (WeCom's scheme, made with the same crypto) into
the Starlette app, answers through a fake WeCom API on 127.0.0.1."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot import messages
from bot.channels.wecom.api import WeComAPI
from bot.people.accounts import Role
from tests.support.fake_wecom import AGENT_ID, CORP_ID, SECRET, FakeWeComAPI
from tests.support.wecom_harness import (
    JPEG,
    callback,
    card_event,
    text_message,
    verification_params,
    wecom_env,
    wecom_world,
)


@pytest.fixture
def wecom(make_kb, knowledge_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with wecom_world(make_kb, knowledge_dir, tmp_path) as world:
        yield world


def test_url_verification_and_a_bad_signature(wecom) -> None:  # type: ignore[no-untyped-def]
    fake, client, _, _, _ = wecom
    params = verification_params("echo-4711")
    answer = client.get("/wecom/callback", params=params)
    assert answer.status_code == 200 and answer.text == "echo-4711"
    forged = callback(
        client, text_message("zhangsan", "主题党日多久开展一次", 1), signature="0" * 40
    )
    assert forged.status_code == 403
    garbage = client.post(
        "/wecom/callback",
        params={k: v for k, v in params.items() if k != "echostr"},
        content=b"not xml at all",
    )
    assert garbage.status_code == 403
    assert fake.sent == []  # nothing handled, nothing sent


def test_a_question_answered_once_however_often_wecom_retries(wecom) -> None:  # type: ignore[no-untyped-def]
    fake, client, _, _, _ = wecom
    for _ in range(3):  # WeCom retries a callback it had no reply to within five seconds
        response = callback(client, text_message("zhangsan", "主题党日多久开展一次", 42))
        assert response.status_code == 200 and response.text == ""
    answers = fake.texts_to("zhangsan")
    assert len(answers) == 1 and "第九条" in answers[0]
    (card,) = fake.cards_to("zhangsan")
    assert [b["text"] for b in card["button_list"]] == ["查看原文", "有用", "没用"]
    assert fake.tokens_issued == 1  # the access token is cached


def test_a_report_with_a_photo_and_its_card_confirmed(wecom) -> None:  # type: ignore[no-untyped-def]
    fake, client, reports, accounts, _ = wecom
    fake.media["media-1"] = JPEG
    image = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
        "</FromUserName><CreateTime>1700000050</CreateTime><MsgType><![CDATA[image]]></MsgType>"
        "<PicUrl><![CDATA[http://example.invalid/p.jpg]]></PicUrl><MediaId><![CDATA[media-1]]>"
        f"</MediaId><MsgId>7</MsgId><AgentID>{AGENT_ID}</AgentID></xml>"
    )
    callback(client, image)
    assert fake.texts_to("zhangsan") == [messages.REPORT_PHOTO_NEEDS_TEXT]
    callback(client, text_message("zhangsan", "11月20日开展主题党日，应到30人实到27人", 8))
    card = fake.cards_to("zhangsan")[-1]
    keys = [b["key"] for b in card["button_list"]]
    assert any(":ok:" in key for key in keys)
    assert "照片：1 张" in fake.texts_to("zhangsan")[-1]
    confirm = next(key for key in keys if ":ok:" in key)
    callback(client, card_event("zhangsan", confirm))
    callback(client, card_event("zhangsan", confirm))  # a retried event: handled once
    assert sum("已记入台账" in t for t in fake.texts_to("zhangsan")) == 1
    (spent,) = fake.card_updates  # the pressed card can no longer be pressed
    assert spent["response_code"] == f"code-{confirm}" and spent["userids"] == ["zhangsan"]
    member = accounts.member_at("wecom", "zhangsan")
    (row,) = reports.recent(member.id)
    assert row.attended == 27 and len(row.photos) == 1


def test_a_user_who_left_the_corp_is_marked_unreachable(wecom) -> None:  # type: ignore[no-untyped-def]
    fake, client, _, accounts, _ = wecom
    fake.gone.add("zhangsan")
    callback(client, text_message("zhangsan", "你好", 9))
    assert accounts.member_at("wecom", "zhangsan").reachable is False


def test_secrets_and_access_tokens_never_reach_the_log() -> None:
    import logging

    from bot.runtime.redact import RedactSecrets

    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "HTTP Request: GET %s",
        (
            f"https://qyapi/cgi-bin/gettoken?corpid=x&corpsecret={SECRET} and ?access_token=abc123&x=1",
        ),
        None,
    )
    RedactSecrets(SECRET, patterns=(r"(access_token=)[^&\s]+",)).filter(record)
    assert SECRET not in record.getMessage() and "abc123" not in record.getMessage()


def test_doctor_checks_the_wecom_credentials(env_settings: Path, monkeypatch, capsys) -> None:
    from bot.cli import main

    with FakeWeComAPI() as fake:
        wecom_env(monkeypatch, fake)
        main(["doctor"])
        out = capsys.readouterr().out
        assert "凭证有效" in out and SECRET not in out
        monkeypatch.setenv("WECOM_SECRET", "wrong")
        assert main(["doctor"]) == 1
        assert "企业微信不认这组凭证" in capsys.readouterr().out


def test_a_broadcast_reaches_wecom_users_once_across_a_stop(wecom) -> None:  # type: ignore[no-untyped-def]
    """Broadcast rows for WeCom users go out through message/send from the sending process:
    stopped half way and run again (a restart), each recipient gets it once; a member who
    left the corp is marked unreachable."""
    import asyncio
    from dataclasses import replace

    from bot.channels.wecom.outlet import wecom_outlet
    from bot.outbox import BroadcastSource, Outbox
    from bot.outbox.broadcasting import Audience, BroadcastService

    fake, _, _, accounts, _ = wecom
    users = [f"user{n:02d}" for n in range(40)]
    for user in users:
        accounts.add(user, Role.SECRETARY, channel="wecom", village=f"{user}村", township="城关镇")
    fake.gone.add("user07")
    clock = lambda: datetime.now(UTC)  # noqa: E731
    broadcasts = BroadcastService(
        session_factory=accounts._sessions, accounts=accounts, clock=clock
    )
    broadcast_id, _ = broadcasts.draft(1, "周五前报送主题党日开展情况", Audience("all"))
    assert broadcasts.confirm(broadcast_id)
    api = WeComAPI(base_url=fake.base_url, corp_id=CORP_ID, secret=SECRET, agent_id=AGENT_ID)
    outbox = Outbox()
    outlet = wecom_outlet(api, may_send=lambda: True)
    outbox.add_outlet(replace(outlet, pace=replace(outlet.pace, per_second=200.0)))
    outbox.add_source(BroadcastSource(broadcasts, accounts, outbox))
    sent_before_stop = []

    def stop_half_way() -> bool:
        sent_before_stop.append(len(fake.sent))
        return len(fake.sent) >= 15

    started = time.monotonic()
    asyncio.run(outbox.run_once(should_stop=stop_half_way))
    assert 15 <= len(fake.sent) < 41
    asyncio.run(outbox.run_once())  # a new process would do the same
    elapsed = time.monotonic() - started
    for user in [u for u in users if u != "user07"] + ["zhangsan"]:
        notices = [t for t in fake.texts_to(user) if t.startswith("【通知】")]
        assert len(notices) == 1, user
    # the admin who sent it (zhangsan, on WeCom) is told how it ended, once
    assert [t for t in fake.texts_to("zhangsan") if "发送完成" in t] == [
        "发送完成：已送达 40 / 41，无法送达 1（已停用或收不到消息），失败 0。"
    ]
    assert "【通知】周五前报送主题党日开展情况" in fake.texts_to("user01")[0]
    assert accounts.member_at("wecom", "user07").reachable is False
    assert broadcasts.progress(broadcast_id).pending == 0
    assert elapsed >= 40 / 200 * 0.8  # paced
    api.close()


def test_the_wecom_process_starts_and_stops_with_its_sending_loop(
    env_settings: Path, monkeypatch
) -> None:
    from bot.channels.wecom.server import make_wecom_channel
    from bot.services import make_core_services, make_knowledge_base_from_settings
    from bot.settings import Settings

    with FakeWeComAPI() as fake:
        wecom_env(monkeypatch, fake)
        monkeypatch.setenv("PARTYBOT_EMBEDDING_MODEL", "e5-small")
        settings = Settings()
        kbase = make_knowledge_base_from_settings(settings)
        channel = make_wecom_channel(settings, make_core_services(settings, kbase))
        assert channel.outbox is not None
        with TestClient(channel.app()) as client:  # the lifespan starts the sending loop
            response = callback(client, text_message("nobody", "你好", 99))
            assert response.status_code == 200
        assert fake.texts_to("nobody") == [messages.NOT_REGISTERED]
        channel.conversation.close()
        channel.api.close()
