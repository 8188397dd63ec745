"""Setting up the WeCom app and its members: the menu, binding members from the address book,
invites from the menu, and WeCom's per-member message limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import messages
from bot.channels.wecom.admin import APP_MENU
from bot.channels.wecom.pace import MemberBusy, MemberPace
from bot.people.accounts import Role
from tests.support.fake_wecom import SECRET, FakeWeComAPI
from tests.support.wecom_harness import callback, click_event, text_message, wecom_env, wecom_world


@pytest.fixture
def wecom(make_kb, knowledge_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with wecom_world(make_kb, knowledge_dir, tmp_path) as world:
        yield world


class VirtualClock:
    """Seconds that pass only when something sleeps: a minute of limits in no time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_menu_is_set_and_every_item_is_a_command_the_assistant_knows(
    env_settings: Path, monkeypatch, capsys, wecom
) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    with FakeWeComAPI() as fake:
        wecom_env(monkeypatch, fake)
        assert main(["wecom", "menu"]) == 0
        assert "已设置企业微信应用的菜单" in capsys.readouterr().out
        assert fake.menu == APP_MENU
    fake, client, _, _, _ = wecom
    keys = [item["key"] for top in APP_MENU["button"] for item in top["sub_button"]]
    for number, key in enumerate(keys):
        callback(client, click_event("zhangsan", key, number))
    texts = fake.texts_to("zhangsan") + [
        c["main_title"]["title"] for c in fake.cards_to("zhangsan")
    ]
    assert len(texts) >= len(keys)
    unknown = messages.UNKNOWN_COMMAND.split("{")[0]
    assert not [t for t in texts if t.startswith(unknown)], texts


def test_a_guest_joins_from_the_menu_by_sending_the_code_alone(wecom) -> None:  # type: ignore[no-untyped-def]
    fake, client, _, accounts, _ = wecom
    invite = accounts.invites.create_invite(Role.SECRETARY, village="李家村", township="河口镇")
    callback(client, click_event("newcomer", "/start", 1))  # 我的 → 输入邀请码
    assert "直接把邀请码发给我" in fake.texts_to("newcomer")[-1]
    callback(client, text_message("newcomer", "邀请码：" + invite.code.lower(), 501))
    assert fake.texts_to("newcomer")[-1].startswith("注册成功：村党组织书记，河口镇 李家村")
    member = accounts.member_at("wecom", "newcomer")
    assert member is not None and (member.township, member.village) == ("河口镇", "李家村")
    callback(client, text_message("stranger", invite.code, 502))  # spent: said, not asked
    assert fake.texts_to("stranger")[-1] == messages.REGISTRATION_ERRORS["used"]


def test_members_are_bound_from_the_address_book_by_userid(
    env_settings: Path, monkeypatch, capsys, caplog
) -> None:  # type: ignore[no-untyped-def]
    import logging

    from bot.cli import main
    from bot.settings import Settings

    with FakeWeComAPI() as fake:
        fake.directory = {
            "LiSi": {"userid": "LiSi", "name": "李四", "department": [3]},
            "wangwu": {"userid": "wangwu", "name": "王五", "department": [9]},
        }
        fake.invisible = {"wangwu"}
        wecom_env(monkeypatch, fake)
        words = ["--role", "书记", "--township", "城关镇", "--village", "张家村"]
        assert main(["wecom", "bind", "lisi", "wangwu", "zhaoliu", *words]) == 1
        out, err = capsys.readouterr()
        assert "已绑定 lisi（李四）：村党组织书记，城关镇 张家村" in out
        assert "wangwu 不在本应用的可见范围内" in err and "通讯录里没有 zhaoliu" in err
        # the command's API client keeps the app's secret and tokens out of every log line
        logging.getLogger("bot.channels.wecom").error(
            "GET gettoken?corpsecret=%s&access_token=t1", SECRET
        )
        assert "gettoken" in caplog.text
        assert SECRET not in caplog.text and "access_token=t1" not in caplog.text
        assert main(["wecom", "bind", "lisi", "--role", "书记", "--village", "张家村"]) == 2
        assert "村书记要同时写明乡镇和村" in capsys.readouterr().err
        monkeypatch.setenv("WECOM_SECRET", "wrong")
        assert main(["wecom", "bind", "lisi", "--role", "工作人员"]) == 1
        assert (
            "企业微信拒绝了这个请求（错误码 40001）：应用的 Secret 不对" in capsys.readouterr().err
        )
    from bot.db.engine import make_engine, make_session_factory
    from bot.people.accounts import AccountService

    sessions = make_session_factory(make_engine(Settings().sqlalchemy_url))
    accounts = AccountService(session_factory=sessions, clock=lambda: None)  # type: ignore[arg-type,return-value]
    bound = accounts.member_at("wecom", "LiSi")  # as WeCom writes it in every callback
    assert bound is not None and bound.name == "李四" and bound.role == Role.SECRETARY
    assert accounts.member_at("wecom", "wangwu") is None


def test_member_pace_keeps_inside_thirty_a_minute_and_a_thousand_an_hour() -> None:
    clock = VirtualClock()
    pace = MemberPace(clock=clock, sleep=clock.sleep)
    for _ in range(30):
        pace.take("zhangsan")
    assert clock.now == 1000.0  # thirty at once are within the limit
    pace.take("zhangsan")
    assert clock.now == pytest.approx(1060.0)  # the 31st waits for the first to be a minute old
    assert pace.reserve("lisi") == 0.0  # other members are not held up
    clock.now = 5000.0
    for _ in range(1000):
        pace.take("wangwu")
    assert clock.now < 5000.0 + 3600  # paced at 30 a minute, so 1000 take about 33 minutes
    with pytest.raises(MemberBusy):  # the 1001st in that hour would wait far too long
        pace.take("wangwu")


def test_replies_beyond_thirty_a_minute_wait_and_none_is_dropped(wecom) -> None:  # type: ignore[no-untyped-def]
    fake, client, _, _, api = wecom
    clock = VirtualClock()
    fake.clock = clock
    fake.member_per_minute = 30
    api.pace = MemberPace(clock=clock, sleep=clock.sleep)
    for number in range(40):
        callback(client, text_message("zhangsan", "/help", 600 + number))
    assert fake.rate_violations == 0
    assert len(fake.texts_to("zhangsan")) == 40
    assert clock.now >= 1000.0 + 60  # the last ten waited for their minute


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_start_runs_the_web_console_and_the_wecom_callback_in_one_process(
    env_settings: Path, knowledge_dir: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A county with no Telegram: `scripts/start` serves the web page and WeCom together."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    from tests.support.wecom_harness import REGULATION, verification_params

    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    web_port, wecom_port = _free_port(), _free_port()
    with FakeWeComAPI() as fake:
        wecom_env(monkeypatch, fake)
        monkeypatch.setenv("WEB_ENABLED", "true")
        monkeypatch.setenv("WEB_PORT", str(web_port))
        monkeypatch.setenv("WECOM_PORT", str(wecom_port))
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "start"],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    web_up = httpx.get(f"http://127.0.0.1:{web_port}/healthz").status_code
                    params = verification_params("echo-42")
                    echo = httpx.get(f"http://127.0.0.1:{wecom_port}/wecom/callback", params=params)
                    if web_up == 200 and echo.text == "echo-42":
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            else:
                raise AssertionError("the channels did not come up")
            with httpx.Client(base_url=f"http://127.0.0.1:{wecom_port}") as client:
                assert callback(client, text_message("nobody", "你好", 7)).status_code == 200
            for _ in range(100):
                if fake.texts_to("nobody"):
                    break
                time.sleep(0.1)
            assert fake.texts_to("nobody") == [messages.NOT_REGISTERED]
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0]
        assert "企业微信回调服务已启动" in output, output
        assert "Traceback" not in output, output


def test_without_template_cards_the_buttons_are_named_and_a_reply_presses_one(wecom) -> None:  # type: ignore[no-untyped-def]
    """An older 政务微信 that refuses template_card: the report is still confirmed."""
    fake, client, _, _, _ = wecom
    fake.template_cards = False
    text = "11月20日张家村开展主题党日，学习全会精神，应到30人实到26人"
    callback(client, text_message("zhangsan", text, 801))
    texts = fake.texts_to("zhangsan")
    assert "请核对活动记录" in texts[-2] and texts[-1] == "请回复：“确认”、“修改”、“取消”"
    callback(client, text_message("zhangsan", "确认", 802))
    saved, offered = fake.texts_to("zhangsan")[-2:]
    assert saved.startswith("已记入台账") and offered == "请回复：“生成会议记录”"
    callback(client, text_message("zhangsan", "主题党日多久开展一次", 803))
    assert fake.texts_to("zhangsan")[-1] == "请回复：“查看原文”、“有用”、“没用”"
    callback(client, text_message("zhangsan", "查看原文", 804))
    assert "第九条" in fake.texts_to("zhangsan")[-1]
    assert fake.cards_to("zhangsan") == []
