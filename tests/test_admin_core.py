"""The admin's work through the conversation core, from channels with no admin code of their
own: the terminal chat and WeCom (against the fake WeCom API). Invite → preview → code → a new
member registers; users, roles, revoke, restore; a broadcast confirmed once; a document
uploaded, listed and deleted; the calendar; and a non-admin refused each time."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient
from wechatpy.enterprise.crypto import WeChatCrypto

from bot import messages
from bot.channels.terminal import run_chat
from bot.channels.wecom.api import WeComAPI
from bot.channels.wecom.callback import WeComChannel
from bot.conversation.core import Conversation
from bot.conversation.turns import Document, Press, Who
from bot.db.models import BroadcastDelivery
from bot.outbox.broadcasting import BroadcastService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Role
from bot.qa.library import LibraryService
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over
from tests.support.fake_wecom import AES_KEY, AGENT_ID, CORP_ID, SECRET, TOKEN, FakeWeComAPI
from tests.support.wecom_harness import callback, card_event, text_message

REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日。\n\n"
    "第十条　党支部每年至少召开1次组织生活会。\n"
)
VILLAGE_RULES = "# 村规民约\n\n第一条　村民应当遵守法律。\n\n第二条　爱护公物。\n\n第三条　本规约自公布之日起施行。\n"
CALENDAR_FILE = (
    "themes:\n  - month: 2026-12\n    theme: 学习贯彻全会精神\n    tasks: [重温入党誓词]\n"
)
ADMIN_COMMANDS = [
    "/invite 书记 城关镇 李庄村",
    "/users",
    "/setrole zhangsan staff",
    "/revoke zhangsan",
    "/restore zhangsan",
    "/broadcast 全体 周五前报送",
    "/docs",
    "/deldoc 村规民约.md",
    "/settheme 2026-12 主题",
    "/setday 2026-12 2026-12-12",
]


@dataclass
class AdminWorld:
    conversation: Conversation
    accounts: AccountService
    broadcasts: BroadcastService
    library: LibraryService
    calendar: CalendarService
    sessions: Any
    wakes: list[int]

    def deliveries(self) -> int:
        with self.sessions() as session:
            count = session.scalar(select(func.count()).select_from(BroadcastDelivery))
        return int(count or 0)


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> Iterator[AdminWorld]:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    clock = lambda: datetime(2026, 11, 24, 2, tzinfo=UTC)  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    reports = ReportService(session_factory=kbase.sessions, clock=clock, timezone=UTC)
    broadcasts = BroadcastService(session_factory=kbase.sessions, accounts=accounts, clock=clock)
    library = LibraryService(
        ingestor=kbase.ingestor,
        session_factory=kbase.sessions,
        knowledge_dir=knowledge_dir,
        uploads_dir=tmp_path / "uploads",
        clock=clock,
    )
    calendar = CalendarService(session_factory=kbase.sessions, clock=clock)
    conversation = conversation_over(
        kbase,
        clock=clock,
        accounts=accounts,
        reports=reports,
        media_dir=tmp_path / "media",
        calendar=calendar,
        broadcasts=broadcasts,
        library=library,
        max_upload_bytes=64 * 1024,
    )
    wakes: list[int] = []
    conversation.wake_outbox = lambda: wakes.append(1)
    yield AdminWorld(conversation, accounts, broadcasts, library, calendar, kbase.sessions, wakes)
    conversation.close()


# -- the terminal chat ----------------------------------------------------------------------------


def _chat(world: AdminWorld, external_id: str, *lines: str, save_dir: Path = Path()) -> str:
    stdin, stdout = io.StringIO("\n".join(lines) + "\n"), io.StringIO()
    who = Who(channel="terminal", external_id=external_id, chat=external_id)
    run_chat(
        world.conversation,
        stdin=stdin,
        stdout=stdout,
        interactive=False,
        who=who,
        name=external_id,
        save_dir=save_dir,
    )
    return stdout.getvalue()


def test_terminal_admin_invites_and_a_new_member_registers_with_the_code(world) -> None:
    world.accounts.add("root", Role.ADMIN, channel="terminal", name="管理员")
    out = _chat(world, "root", "/invite 书记 城关镇 李庄村", "生成邀请码")
    assert "范围：城关镇李庄村" in out and "[生成邀请码] [取消]" in out  # the preview first
    code = re.search(r"邀请码：(\w+)", out).group(1)  # type: ignore[union-attr]
    out = _chat(world, "lisi", f"/start {code}")
    assert "注册成功：村党组织书记，城关镇 李庄村" in out
    member = world.accounts.member_at("terminal", "lisi")
    assert member is not None and member.village == "李庄村"

    out = _chat(world, "root", "/invite 工作人员 城关镇", "取消")
    assert messages.INVITE_CANCELLED in out
    out = _chat(world, "root", "/invite 书记 张家村")
    assert "村书记要同时写明乡镇和村" in out and "用法：/invite" in out


def test_terminal_admin_lists_users_sets_roles_revokes_and_restores(world) -> None:
    world.accounts.add("root", Role.ADMIN, channel="terminal", name="管理员")
    world.accounts.add(
        "lisi",
        Role.SECRETARY,
        channel="terminal",
        name="李书记",
        village="李庄村",
        township="城关镇",
    )
    world.accounts.add("wang", Role.SECRETARY, channel="wecom", village="王村", township="河口镇")
    out = _chat(
        world,
        "root",
        "/users",
        "/setrole lisi staff",
        "/setrole lisi boss",
        "/revoke lisi",
        "/users",
        "/restore lisi",
        "/restore lisi",
        "/revoke nobody",
        "/setrole wecom:wang staff",
    )
    assert "lisi  李书记  村党组织书记" in out
    assert "wecom:wang" in out  # a member on another channel is named with it
    assert "已将 lisi 的角色改为组织部门工作人员。" in out
    assert messages.SETROLE_USAGE in out
    assert "已停用 lisi 的使用权限。" in out
    assert "已恢复 lisi 的使用权限：组织部门工作人员" in out
    assert "lisi 没有被停用（或不存在）。" in out
    assert messages.USER_NOT_FOUND in out
    assert "已将 wecom:wang 的角色改为组织部门工作人员。" in out
    assert world.accounts.member_at("wecom", "wang").role == Role.STAFF  # type: ignore[union-attr]


def test_terminal_broadcast_is_previewed_and_confirmed_once(world) -> None:
    world.accounts.add("root", Role.ADMIN, channel="terminal", name="管理员")
    for n in range(3):
        world.accounts.add(
            f"s{n}", Role.SECRETARY, channel="telegram", village=f"{n}村", township="城关镇"
        )
    world.accounts.add("h", Role.SECRETARY, channel="telegram", village="河村", township="河口镇")
    out = _chat(world, "root", "/broadcast township:城关镇 周五前报送", "/broadcast 谁 内容")
    assert "将发送给 3 人（城关镇）" in out and "[确认发送] [取消]" in out
    assert messages.BROADCAST_USAGE in out
    assert world.deliveries() == 0 and world.wakes == []  # nothing before 确认
    out = _chat(world, "root", "/broadcast township:城关镇 周五前报送", "确认发送", "确认发送")
    assert messages.BROADCAST_STARTED in out and messages.BROADCAST_ALREADY in out
    assert world.deliveries() == 3  # one row per recipient; the outbox delivers them
    assert world.wakes == [1]
    out = _chat(world, "root", "/broadcast 全体 不发了", "取消")
    assert messages.BROADCAST_CANCELLED in out and world.deliveries() == 3


def test_terminal_admin_uploads_lists_and_deletes_a_document(
    world, knowledge_dir: Path, tmp_path: Path
) -> None:
    world.accounts.add("root", Role.ADMIN, channel="terminal", name="管理员")
    upload = tmp_path / "村规民约.md"
    upload.write_text(VILLAGE_RULES, encoding="utf-8")
    (tmp_path / "病毒.exe").write_bytes(b"MZ")
    (tmp_path / "大文件.md").write_bytes(b"#" * 100_000)
    out = _chat(
        world,
        "root",
        f"/file {upload}",
        f"/file {tmp_path / '病毒.exe'}",
        f"/file {tmp_path / '大文件.md'}",
        f"/file {tmp_path / '没有.md'}",
        "/docs",
    )
    assert "已收到《村规民约.md》" in out and "《村规民约》已编入知识库" in out
    assert messages.UPLOAD_TYPE in out
    assert "文件太大（0.1 MB），请上传 0.0625 MB 以内的文件。" in out  # the limit is 64 KB
    assert "没有这个文件" in out
    assert "1. 《村规民约》 日期不详 — 村规民约.md" in out
    assert (knowledge_dir / "村规民约.md").exists()
    out = _chat(world, "root", "/deldoc 村规民约.md", "/deldoc 村规民约.md", "/deldoc")
    assert "已从知识库删除：村规民约.md" in out
    assert "知识库中没有这个文件：村规民约.md" in out and messages.DELDOC_USAGE in out
    assert not (knowledge_dir / "村规民约.md").exists()
    assert [d.source for d in world.library.documents()] == ["条例.md"]


def test_terminal_admin_sets_the_calendar_and_imports_a_calendar_file(
    world, tmp_path: Path
) -> None:
    world.accounts.add("root", Role.ADMIN, channel="terminal", name="管理员")
    calendar_file = tmp_path / "日历.yaml"
    calendar_file.write_text(CALENDAR_FILE, encoding="utf-8")
    bad_file = tmp_path / "坏日历.yaml"
    bad_file.write_text("themes:\n  - month: 2026-13\n", encoding="utf-8")
    out = _chat(
        world,
        "root",
        "/settheme 2026-11 学习党章 | 重温入党誓词；交纳党费",
        "/settheme 2026-11",
        "/setday 2026-11 2026-11-12 城关镇",
        "/setday 2026-11 2026-12-12",
        "/setday 2026-11 取消 城关镇",
        f"/file {calendar_file}",
        f"/file {bad_file}",
    )
    assert "已设置 2026-11 的主题：学习党章（规定动作 2 项）。" in out
    assert messages.SETTHEME_USAGE in out
    assert "已把 城关镇 2026-11 的主题党日调整为 2026-11-12" in out
    assert "日期 2026-12-12 不在 2026-11 内。" in out
    assert "已取消 城关镇 2026-11 的调整" in out
    assert "已导入日历：规则 0 条，调整 0 条，节假日 0 条，主题 1 个月。" in out
    assert "日历文件有问题，未导入任何内容" in out
    theme = world.calendar.load().theme(2026, 12)
    assert theme is not None and theme.theme == "学习贯彻全会精神"


def test_a_non_admin_at_the_terminal_is_refused_everything(world, tmp_path: Path) -> None:
    world.accounts.add("root", Role.ADMIN, channel="terminal", name="管理员")
    world.accounts.add("zhang", Role.STAFF, channel="terminal", township="城关镇")
    _chat(world, "root", "/broadcast 全体 周五前报送")  # a draft someone else might press
    upload = tmp_path / "村规民约.md"
    upload.write_text(VILLAGE_RULES, encoding="utf-8")
    out = _chat(world, "zhang", *ADMIN_COMMANDS, f"/file {upload}")
    assert out.count(messages.ADMIN_ONLY) == len(ADMIN_COMMANDS) + 1
    for action in ("bc:ok:1", "iv:ok:secretary:城关镇:李庄村"):
        (stale,) = world.conversation.handle(Who("terminal", "zhang", "zhang"), Press(action))
        assert stale.text == messages.BUTTON_STALE and stale.notice
    assert world.deliveries() == 0 and world.wakes == []
    (refused,) = world.conversation.handle(
        Who("terminal", "guest", "guest"), Document("x.md", b"# x\n")
    )
    assert refused.text == messages.ADMIN_ONLY
    assert [d.source for d in world.library.documents()] == ["条例.md"]


# -- WeCom ----------------------------------------------------------------------------------------


@pytest.fixture
def wecom(world) -> Iterator[tuple[FakeWeComAPI, TestClient]]:
    world.accounts.add("admin01", Role.ADMIN, channel="wecom", name="管理员")
    world.accounts.add(
        "zhangsan", Role.SECRETARY, channel="wecom", village="张家村", township="城关镇"
    )
    with FakeWeComAPI() as fake:
        api = WeComAPI(base_url=fake.base_url, corp_id=CORP_ID, secret=SECRET, agent_id=AGENT_ID)
        channel = WeComChannel(
            conversation=world.conversation,
            accounts=world.accounts,
            api=api,
            crypto=WeChatCrypto(TOKEN, AES_KEY, CORP_ID),
        )
        with TestClient(channel.app()) as client:
            yield fake, client
        api.close()


def _file_message(user: str, name: str, media_id: str, msg_id: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[file]]></MsgType>"
        f"<MediaId><![CDATA[{media_id}]]></MediaId><FileName><![CDATA[{name}]]></FileName>"
        f"<MsgId>{msg_id}</MsgId><AgentID>{AGENT_ID}</AgentID></xml>"
    )


def _key(fake: FakeWeComAPI, user: str, label: str) -> str:
    card = fake.cards_to(user)[-1]
    return next(b["key"] for b in card["button_list"] if b["text"] == label)


def test_wecom_admin_invites_and_a_new_member_registers(world, wecom) -> None:
    fake, client = wecom
    callback(client, text_message("admin01", "/invite 书记 城关镇 李庄村", 1))
    assert "范围：城关镇李庄村" in fake.texts_to("admin01")[-1]
    create = _key(fake, "admin01", messages.INVITE_BUTTON_CREATE)
    callback(client, card_event("admin01", create))
    callback(client, card_event("admin01", create))  # WeCom's retry: handled once
    codes = [t for t in fake.texts_to("admin01") if t.startswith("邀请码：")]
    assert len(codes) == 1
    code = re.search(r"邀请码：(\w+)", codes[0]).group(1)  # type: ignore[union-attr]
    callback(client, text_message("lisi", code, 2))  # the code alone is enough
    assert "注册成功：村党组织书记，城关镇 李庄村" in fake.texts_to("lisi")[0]

    callback(client, text_message("admin01", "/setrole lisi staff", 3))
    callback(client, text_message("admin01", "/revoke lisi", 4))
    callback(client, text_message("admin01", "/users", 5))
    callback(client, text_message("admin01", "/restore lisi", 6))
    said = fake.texts_to("admin01")
    assert "已将 lisi 的角色改为组织部门工作人员。" in said
    assert "已停用 lisi 的使用权限。" in said
    assert "zhangsan" in said[-2] and "lisi" not in said[-2]  # revoked, not listed
    assert said[-1].startswith("已恢复 lisi 的使用权限：组织部门工作人员")


def test_wecom_broadcast_writes_one_delivery_row_per_recipient(world, wecom) -> None:
    fake, client = wecom
    callback(client, text_message("admin01", "/broadcast role:secretary 周五前报送", 1))
    assert "将发送给 1 人" in fake.texts_to("admin01")[-1]
    confirm = _key(fake, "admin01", messages.BROADCAST_CONFIRM)
    callback(client, card_event("zhangsan", confirm))  # not theirs to press
    assert world.deliveries() == 0
    callback(client, card_event("admin01", confirm))
    assert messages.BROADCAST_STARTED in fake.texts_to("admin01")
    assert world.deliveries() == 1 and world.wakes == [1]
    assert len(fake.card_updates) == 1  # the pressed card is spent


def test_wecom_admin_uploads_lists_and_deletes_a_document(world, wecom, knowledge_dir) -> None:
    fake, client = wecom
    fake.media["m-1"] = VILLAGE_RULES.encode()
    fake.media["m-2"] = b"#" * 100_000
    callback(client, _file_message("zhangsan", "村规民约.md", "m-1", 1))
    assert fake.texts_to("zhangsan") == [messages.ADMIN_ONLY]
    callback(client, _file_message("admin01", "村规民约.md", "m-1", 2))
    said = fake.texts_to("admin01")
    assert said[0] == "已收到《村规民约.md》，正在编入知识库……"
    assert "《村规民约》已编入知识库" in said[1]
    callback(client, _file_message("admin01", "大文件.md", "m-2", 3))
    assert fake.texts_to("admin01")[-1].startswith("文件太大（")
    callback(client, _file_message("admin01", "丢了.md", "m-404", 4))
    assert fake.texts_to("admin01")[-1] == "没能收到《丢了.md》，请重新发送。"
    callback(client, text_message("admin01", "/docs", 5))
    assert "村规民约.md" in fake.texts_to("admin01")[-1]
    callback(client, text_message("zhangsan", "/deldoc 村规民约.md", 6))
    assert fake.texts_to("zhangsan")[-1] == messages.ADMIN_ONLY
    callback(client, text_message("admin01", "/deldoc 村规民约.md", 7))
    assert fake.texts_to("admin01")[-1] == "已从知识库删除：村规民约.md"
    assert not (knowledge_dir / "村规民约.md").exists()


def test_wecom_non_admin_is_refused_every_admin_command(world, wecom) -> None:
    fake, client = wecom
    for n, command in enumerate(ADMIN_COMMANDS, start=1):
        callback(client, text_message("zhangsan", command, n))
    assert fake.texts_to("zhangsan") == [messages.ADMIN_ONLY] * len(ADMIN_COMMANDS)
    callback(client, card_event("zhangsan", "iv:ok:secretary:城关镇:李庄村"))
    assert fake.texts_to("zhangsan")[-1] == messages.BUTTON_STALE


def test_a_broadcast_preview_names_its_audience_in_chinese() -> None:
    from bot.outbox.broadcasting import Audience

    assert Audience.parse("全体").label == "全体"
    assert Audience.parse("role:secretary").label == "村党组织书记"
    assert Audience.parse("township:城关镇").label == "城关镇"
