"""Setting up the WeCom app and its members: the menu, binding members from the address book,
invites from the menu, and WeCom's per-member message limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import messages
from bot.accounts import Role
from bot.wecom.admin import APP_MENU
from bot.wecom.pace import MemberBusy, MemberPace
from tests.fake_wecom import FakeWeComAPI
from tests.wecom_harness import callback, click_event, text_message, wecom_env, wecom_world


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
    invite = accounts.create_invite(Role.SECRETARY, village="李家村", township="河口镇")
    callback(client, click_event("newcomer", "/start", 1))  # 我的 → 输入邀请码
    assert "直接把邀请码发给我" in fake.texts_to("newcomer")[-1]
    callback(client, text_message("newcomer", "邀请码：" + invite.code.lower(), 501))
    assert fake.texts_to("newcomer")[-1].startswith("注册成功：村党组织书记，河口镇 李家村")
    member = accounts.member_at("wecom", "newcomer")
    assert member is not None and (member.township, member.village) == ("河口镇", "李家村")
    callback(client, text_message("stranger", invite.code, 502))  # spent: said, not asked
    assert fake.texts_to("stranger")[-1] == messages.TG_REGISTRATION_ERRORS["used"]


def test_members_are_bound_from_the_address_book_by_userid(
    env_settings: Path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
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
        assert main(["wecom", "bind", "lisi", "--role", "书记", "--village", "张家村"]) == 2
        assert "村书记要同时写明乡镇和村" in capsys.readouterr().err
        monkeypatch.setenv("WECOM_SECRET", "wrong")
        assert main(["wecom", "bind", "lisi", "--role", "工作人员"]) == 1
        assert (
            "企业微信拒绝了这个请求（错误码 40001）：应用的 Secret 不对" in capsys.readouterr().err
        )
    from bot.accounts import AccountService
    from bot.db.engine import make_engine, make_session_factory

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
