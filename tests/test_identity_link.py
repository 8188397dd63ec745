"""One person on several channels is one user: /link on the channel they registered on gives a
code; sent from an unregistered identity elsewhere it makes that identity theirs (same id, role,
scope, reports, reminder settings) — never a second user, never a silent merge of two."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import messages
from bot.cli import main
from bot.conversation.core import Conversation
from bot.conversation.turns import Command, Press, Reply, Text, Who
from bot.partyday.policy import ReminderPolicy
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over

NOW = datetime(2026, 11, 24, 2, tzinfo=UTC)  # 10:00 in Shanghai
TELEGRAM = Who("telegram", "111", chat="111", name="张书记")
DINGTALK = Who("dingtalk", "dt-zhang", chat="dt-zhang")
WECOM = Who("wecom", "ZhangSan", chat="ZhangSan")
OTHER_ON_DINGTALK = Who("dingtalk", "dt-li", chat="dt-li")
STRANGER = Who("telegram", "999", chat="999")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class World:
    def __init__(self, kbase, tmp_path: Path) -> None:
        self.kbase, self.tmp_path, self.clock = kbase, tmp_path, Clock()
        self.accounts = AccountService(session_factory=kbase.sessions, clock=self.clock)
        self.reports = ReportService(
            session_factory=kbase.sessions, clock=self.clock, timezone=ZoneInfo("Asia/Shanghai")
        )
        self.calendar = CalendarService(session_factory=kbase.sessions, clock=self.clock)
        self.reminders = ReminderService(
            session_factory=kbase.sessions,
            accounts=self.accounts,
            calendar=self.calendar,
            policy=ReminderPolicy(),
            clock=self.clock,
        )
        self.secretary = self.accounts.add(
            "111", Role.SECRETARY, channel="telegram", village="张家村", township="城关镇"
        )
        self.other = self.accounts.add(
            "dt-li", Role.SECRETARY, channel="dingtalk", village="李家村", township="河口镇"
        )

    def core(self) -> Conversation:
        return conversation_over(
            self.kbase,
            clock=self.clock,
            accounts=self.accounts,
            reports=self.reports,
            media_dir=self.tmp_path / "media",
            reminders=self.reminders,
            calendar=self.calendar,
        )

    def link_code(self, who: Who = TELEGRAM) -> str:
        reply = only(self.core().handle(who, Command("link")))
        assert reply.private
        found = re.search(r"绑定码：([A-Z2-9]{8})", reply.text)
        assert found, reply.text
        return found.group(1)


@pytest.fixture
def world(make_kb, tmp_path: Path) -> World:
    return World(make_kb(), tmp_path)


def only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]


def action(reply: Reply, fragment: str) -> str:
    return next(b.action for row in reply.buttons for b in row if fragment in b.action)


def test_the_code_from_another_channel_makes_the_same_user(world: World) -> None:
    core = world.core()
    card = only(core.handle(TELEGRAM, Text("11月20日召开支部委员会，研究发展党员工作，实到6人")))
    assert "已记入台账" in only(core.handle(TELEGRAM, Press(action(card, ":ok:")))).text
    muted = only(core.handle(TELEGRAM, Command("mute")))
    core.handle(TELEGRAM, Press(muted.buttons[0][0].action))

    code = world.link_code()
    linked = only(world.core().handle(DINGTALK, Text(code.lower())))  # typed on a phone
    assert linked.text.startswith("绑定成功") and "张家村" in linked.text

    via_dingtalk = world.accounts.member_at("dingtalk", "dt-zhang")
    via_telegram = world.accounts.member_at("telegram", "111")
    assert via_dingtalk is not None and via_telegram is not None
    assert via_dingtalk.id == via_telegram.id == world.secretary.id
    assert (via_dingtalk.role, via_dingtalk.township, via_dingtalk.village) == (
        Role.SECRETARY,
        "城关镇",
        "张家村",
    )
    assert via_dingtalk.channel == "dingtalk"  # messages now go where they were last seen
    mine = only(core.handle(DINGTALK, Text("我的记录")))
    assert "支部委员会" in mine.text
    assert mine.text == only(core.handle(TELEGRAM, Command("myreports"))).text
    assert core.handle(DINGTALK, Command("mute")) == core.handle(TELEGRAM, Command("mute"))
    entry = next(e for e in world.accounts.directory() if e.member.id == world.secretary.id)
    assert entry.identities == (("telegram", "111"), ("dingtalk", "dt-zhang"))
    audit = world.accounts.role_history(world.secretary.id)[-1]
    assert (audit.action, audit.actor) == ("link:dingtalk", f"link:{code}")
    assert (audit.old_role, audit.new_role) == ("secretary", "secretary")


def test_the_chinese_words_and_who_may_ask(world: World) -> None:
    core = world.core()
    worded = only(core.handle(TELEGRAM, Text("绑定其他渠道")))
    assert worded.private and "绑定码" in worded.text
    assert only(core.handle(STRANGER, Command("link"))).text == messages.NOT_REGISTERED
    in_group = Who("telegram", "111", chat="group-1", private=False)
    assert core.handle(in_group, Command("link")) == []


def test_a_code_is_spent_once(world: World) -> None:
    code = world.link_code()
    world.core().handle(DINGTALK, Text(code))
    again = only(world.core().handle(WECOM, Command("start", code)))
    assert again.text == messages.LINK_ERRORS["used"]
    assert world.accounts.user_id_at("wecom", "ZhangSan") is None


def test_an_expired_code_is_refused(world: World) -> None:
    code = world.link_code()
    world.clock.now = NOW + timedelta(minutes=10)
    refused = only(world.core().handle(DINGTALK, Text(code)))
    assert refused.text == messages.LINK_ERRORS["expired"] and "过期" in refused.text
    assert world.accounts.user_id_at("dingtalk", "dt-zhang") is None


def test_an_identity_that_is_someone_already_is_never_merged(world: World) -> None:
    code = world.link_code()
    taken = only(world.core().handle(OTHER_ON_DINGTALK, Text(code)))
    assert taken.text == messages.LINK_ERRORS["taken"] and "不会自动合并" in taken.text
    assert world.accounts.user_id_at("dingtalk", "dt-li") == world.other.id
    assert world.accounts.member_at("dingtalk", "dt-li") == world.other
    yours = only(world.core().handle(TELEGRAM, Text(code)))
    assert yours.text == messages.LINK_ERRORS["yours"]
    # neither refusal spent the code
    assert only(world.core().handle(DINGTALK, Text(code))).text.startswith("绑定成功")


def test_a_revoked_user_cannot_link(world: World) -> None:
    code = world.link_code()
    assert world.accounts.revoke(world.secretary.id)
    refused = only(world.core().handle(DINGTALK, Text(code)))
    assert refused.text == messages.LINK_ERRORS["revoked"]
    assert world.accounts.user_id_at("dingtalk", "dt-zhang") is None
    assert only(world.core().handle(TELEGRAM, Command("link"))).text == messages.NOT_REGISTERED


def test_guessing_is_limited_with_the_invites(world: World) -> None:
    code = world.link_code()
    core = world.core()
    for _ in range(5):
        wrong = only(core.handle(DINGTALK, Text("ABCDEFGH")))
        assert wrong.text == messages.REGISTRATION_ERRORS["unknown"]
    assert only(core.handle(DINGTALK, Text(code))).text == messages.LINK_ERRORS["throttled"]
    assert world.accounts.user_id_at("dingtalk", "dt-zhang") is None
    # another chat is not held back by this one's guesses
    assert only(core.handle(WECOM, Text(code))).text.startswith("绑定成功")


def test_an_invite_code_still_registers(world: World) -> None:
    invite = world.accounts.invites.create_invite(Role.STAFF, township="城关镇")
    registered = only(world.core().handle(DINGTALK, Text(invite.code)))
    assert registered.text.startswith("注册成功")
    assert world.accounts.member_at("dingtalk", "dt-zhang") != world.secretary


def test_the_admin_links_from_the_command_line(
    env_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["users", "add", "--role", "书记", "--village", "张家村", "--township", "城关镇"]
    assert main([*add, "--telegram-id", "111", "--name", "张书记"]) == 0
    assert main([*add, "--channel", "dingtalk", "--external-id", "dt-li"]) == 0
    capsys.readouterr()
    link = ["users", "link", "1", "--channel", "dingtalk"]
    assert main([*link, "--external-id", "dt-zhang"]) == 0
    assert "已把 dingtalk:dt-zhang 绑定到用户 #1" in capsys.readouterr().out
    assert main(["users", "list"]) == 0
    assert "111 dingtalk:dt-zhang\t张书记\t村党组织书记\t城关镇 张家村\t#1" in (
        capsys.readouterr().out
    )
    for external_id, reason in (("dt-zhang", "yours"), ("dt-li", "taken")):
        assert main([*link, "--external-id", external_id]) == 2
        assert messages.LINK_ERRORS[reason] in capsys.readouterr().err
    assert main(["users", "link", "7", "--channel", "wecom", "--external-id", "x"]) == 2
    assert messages.LINK_ERRORS["no_user"] in capsys.readouterr().err


def test_housekeeping_drops_codes_long_expired(world: World) -> None:
    from bot.runtime.housekeeping import prune

    code = world.link_code()
    world.clock.now = NOW + timedelta(days=6)
    week = timedelta(days=7)
    kept = prune(
        session_factory=world.kbase.sessions,
        clock=world.clock,
        retention=week,
        timezone=ZoneInfo("Asia/Shanghai"),
    )
    assert kept.link_codes == 0
    assert only(world.core().handle(DINGTALK, Text(code))).text == messages.LINK_ERRORS["expired"]
    world.clock.now = NOW + timedelta(days=8)
    gone = prune(
        session_factory=world.kbase.sessions,
        clock=world.clock,
        retention=week,
        timezone=ZoneInfo("Asia/Shanghai"),
    )
    assert gone.link_codes == 1
