"""The conversation core with no channel at all: every path a person can take, through
Conversation.handle, and a restart (a new core over the same database) in the middle of each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot import messages
from bot.conversation.core import Conversation
from bot.conversation.turns import (
    AlbumSettled,
    Command,
    Photo,
    Press,
    Reply,
    Text,
    Unsupported,
    Who,
    incoming_text,
)
from bot.partyday.policy import ReminderPolicy
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over

NOW = datetime(2026, 11, 24, 2, tzinfo=UTC)  # 10:00 in Shanghai, a Tuesday
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日。\n\n"
    "第十条　党支部每年至少召开1次组织生活会。\n\n第十一条　党员应当按期交纳党费。\n"
)
SECRETARY = Who("test", "sec", chat="sec")
OTHER_SECRETARY = Who("test", "sec2", chat="sec2")
STAFF = Who("test", "staff", chat="staff")
GROUP_STAFF = Who("test", "staff", chat="group-1", private=False)
STRANGER = Who("test", "nobody", chat="nobody")


class World:
    """The services over one database; `core()` builds a fresh core, as a restart would."""

    def __init__(self, kbase, tmp_path: Path) -> None:
        clock = lambda: NOW  # noqa: E731
        self.kbase, self.tmp_path, self.clock = kbase, tmp_path, clock
        self.accounts = AccountService(session_factory=kbase.sessions, clock=clock)
        self.reports = ReportService(
            session_factory=kbase.sessions, clock=clock, timezone=_shanghai()
        )
        self.calendar = CalendarService(session_factory=kbase.sessions, clock=clock)
        self.reminders = ReminderService(
            session_factory=kbase.sessions,
            accounts=self.accounts,
            calendar=self.calendar,
            policy=ReminderPolicy(),
            clock=clock,
        )
        self.accounts.add(
            "sec", Role.SECRETARY, channel="test", village="张家村", township="城关镇"
        )
        self.accounts.add(
            "sec2", Role.SECRETARY, channel="test", village="张家村", township="河口镇"
        )
        self.accounts.add("staff", Role.STAFF, channel="test", township="城关镇")

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


def _shanghai():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> World:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    return World(kbase, tmp_path)


def action(reply: Reply, fragment: str) -> str:
    return next(b.action for row in reply.buttons for b in row if fragment in b.action)


def only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]


def test_report_card_confirm_once(world: World) -> None:
    core = world.core()
    card = only(
        core.handle(SECRETARY, Text("11月20日召开支部委员会，研究发展党员工作，应到7人实到6人"))
    )
    assert "支部委员会" in card.text and "张家村" in card.text
    ok = action(card, ":ok:")
    saved = only(core.handle(SECRETARY, Press(ok)))
    assert saved.replace and "已记入台账" in saved.text
    again = only(world.core().handle(SECRETARY, Press(ok)))  # a redelivered press, after restart
    assert "不会重复保存" in again.text and again.notice and not again.replace
    (row,) = world.reports.recent(world.accounts.user_id_at("test", "sec") or 0)
    assert (row.township, row.village, row.attended, row.expected) == ("城关镇", "张家村", 6, 7)


def label(reply: Reply, fragment: str) -> str:
    return next(b.label for row in reply.buttons for b in row if fragment in b.action)


def test_a_typed_label_presses_its_button_after_a_restart_for_that_person_only(
    world: World,
) -> None:
    """Channels that show buttons as reply words (WeCom's text fallback, DingTalk, the terminal)
    send the label back as text; the core keeps what it offered, not the channel."""
    card = only(world.core().handle(SECRETARY, Text("11月20日开展主题党日，应到9人实到8人")))
    confirm = label(card, ":ok:")
    # another person typing the same word, or the secretary in a group, presses nothing
    assert not any(":ok:" in r.text for r in world.core().handle(OTHER_SECRETARY, Text(confirm)))
    group = Who("test", "sec", chat="group-1", private=False)
    world.core().handle(group, Text(confirm))
    user_id = world.accounts.user_id_at("test", "sec") or 0
    assert world.reports.recent(user_id) == []
    saved = only(world.core().handle(SECRETARY, Text(f" {confirm} ")))  # a new core: a restart
    assert "已记入台账" in saved.text
    (row,) = world.reports.recent(user_id)
    assert (row.attended, row.expected) == (8, 9)


def test_a_typed_label_presses_the_newest_card_before_an_older_one(world: World) -> None:
    """Tried in the terminal: after a record was confirmed, a correction card offered 确认更正;
    the 确认 typed for it pressed the old, finished card and was told the draft was gone."""
    core = world.core()
    card = only(core.handle(SECRETARY, Text("11月20日开展主题党日，应到9人实到8人")))
    assert "已记入台账" in only(core.handle(SECRETARY, Text(label(card, ":ok:")))).text
    offer = only(world.core().handle(SECRETARY, Text("更正：11月20日的主题党日实到应该是7人")))
    assert "8 → 7" in offer.text and any(
        b.label == "确认更正" for row in offer.buttons for b in row
    )
    done = world.core().handle(SECRETARY, Text("确认"))  # the start of 确认更正, typed
    assert any("已更正" in r.text for r in done), [r.text for r in done]
    (row,) = world.reports.recent(world.accounts.user_id_at("test", "sec") or 0)
    assert row.attended == 7


def test_a_typed_label_is_plain_text_once_the_offer_is_a_week_old(world: World) -> None:
    from datetime import timedelta

    card = only(world.core().handle(SECRETARY, Text("11月20日开展主题党日，应到9人实到8人")))
    later = world.clock() + timedelta(days=8)
    world.clock = lambda: later  # type: ignore[method-assign]
    replies = world.core().handle(SECRETARY, Text(label(card, ":ok:")))
    assert not any("已记入台账" in r.text for r in replies)
    assert world.reports.recent(world.accounts.user_id_at("test", "sec") or 0) == []


def test_a_report_message_is_parsed_once(world: World, monkeypatch) -> None:
    """The routing's parse is the draft's: one parse of the text per message, not two."""
    import bot.conversation.minutes
    import bot.conversation.routing
    import bot.reports.drafts
    from bot.reports.parsing import parse_activities

    parsed: list[str] = []

    def counted(text: str, **options):
        parsed.append(text)
        return parse_activities(text, **options)

    for module in (bot.conversation.routing, bot.conversation.minutes, bot.reports.drafts):
        monkeypatch.setattr(module, "parse_activities", counted)
    text = "11月20日召开支部委员会，研究发展党员工作，应到7人实到6人"
    card = only(world.core().handle(SECRETARY, Text(text)))
    assert "支部委员会" in card.text and parsed == [text]


def test_a_card_cancelled_twice_keeps_saying_so(world: World) -> None:
    card = only(world.core().handle(SECRETARY, Text("11月20日开展主题党日，应到9人实到8人")))
    cancelled = only(world.core().handle(SECRETARY, Press(action(card, ":no:"))))
    assert cancelled.replace and cancelled.text == messages.REPORT_CANCELLED
    again = only(world.core().handle(SECRETARY, Press(action(card, ":no:"))))  # a double tap
    assert again.notice and not again.replace and again.text == messages.REPORT_CANCELLED
    late = only(world.core().handle(SECRETARY, Press(action(card, ":ok:"))))
    assert late.text == messages.REPORT_EXPIRED
    assert world.reports.recent(world.accounts.user_id_at("test", "sec") or 0) == []


def test_a_pending_field_survives_a_restart_and_a_question_escapes_it(world: World) -> None:
    card = only(world.core().handle(SECRETARY, Text("召开支部委员会，研究发展党员工作，实到5人")))
    assert "还缺日期" in card.text and not any(":ok:" in b.action for b in card.buttons[0])
    answer = only(world.core().handle(SECRETARY, Text("主题党日多久开展一次？")))
    assert "第九条" in answer.text  # answered, and the card still waits
    filled = only(world.core().handle(SECRETARY, Text("11月20日")))
    assert "日期：2026-11-20" in filled.text
    assert "已记入台账" in only(world.core().handle(SECRETARY, Press(action(filled, ":ok:")))).text


def test_edit_a_field_through_the_buttons(world: World) -> None:
    core = world.core()
    card = only(core.handle(SECRETARY, Text("11月20日开展主题党日，实到20人")))
    fields = only(core.handle(SECRETARY, Press(action(card, ":edit:"))))
    assert fields.replace and not fields.text  # only the buttons change
    asked = only(core.handle(SECRETARY, Press(action(fields, ":attended"))))
    assert "实到人数" in asked.text
    updated = only(world.core().handle(SECRETARY, Text("22人")))
    assert "实到：22" in updated.text.replace(" ", "")


def test_plans_are_offered_a_reminder_never_logged(world: World) -> None:
    reply = only(world.core().handle(SECRETARY, Text("我们村定于11月28日开展主题党日活动")))
    assert "不会记入台账" in reply.text
    remind = action(reply, "pl:")
    pressed = world.core().handle(SECRETARY, Press(remind))
    assert pressed[0].notice and "11月28日" in pressed[0].text
    assert pressed[1].replace and not pressed[1].buttons  # the button has done its work
    assert world.reports.recent(world.accounts.user_id_at("test", "sec") or 0) == []


def test_a_future_report_is_not_a_record(world: World) -> None:
    reply = only(world.core().handle(SECRETARY, Command("report", "12月20日开展主题党日")))
    assert "不会记入台账" in reply.text or "还没到" in reply.text


def test_photos_wait_for_their_sentence_across_a_restart(world: World) -> None:
    asked = only(world.core().handle(SECRETARY, Photo("test:p1", JPEG + b"1")))
    assert asked.text == messages.REPORT_PHOTO_NEEDS_TEXT
    card = only(world.core().handle(SECRETARY, Text("11月20日开展主题党日，实到20人")))
    assert "照片：1 张" in card.text
    world.core().handle(SECRETARY, Press(action(card, ":ok:")))
    (row,) = world.reports.recent(world.accounts.user_id_at("test", "sec") or 0)
    assert len(row.photos) == 1 and Path(row.photos[0]).read_bytes() == JPEG + b"1"


def test_an_album_is_one_report_and_is_asked_about_once(world: World) -> None:
    core = world.core()
    for n in range(3):  # the parts without a caption come first
        assert core.handle(SECRETARY, Photo(f"test:a{n}", JPEG + bytes([n]), album="A")) == []
    card = only(
        world.core().handle(  # the captioned part, after a restart
            SECRETARY, Photo("test:a9", JPEG, caption="11月20日开展主题党日，实到20人", album="A")
        )
    )
    assert "照片：4 张" in card.text
    assert core.handle(SECRETARY, Photo("test:a10", None, album="A")) == []  # a late part joins
    assert core.handle(SECRETARY, AlbumSettled("A")) == []  # nothing waits: nobody is asked
    draft = world.reports.open_draft(world.accounts.user_id_at("test", "sec") or 0)
    assert draft is not None and draft.photos == 5
    # an album with no caption at all: asked once, however many parts say it has settled
    for n in range(4):
        core.handle(SECRETARY, Photo(f"test:b{n}", None, album="B"))
    settled = [core.handle(SECRETARY, AlbumSettled("B")) for _ in range(4)]
    assert sum(len(r) for r in settled) == 1


def test_only_the_owner_may_press_a_card(world: World) -> None:
    card = only(world.core().handle(SECRETARY, Text("11月20日开展主题党日，实到20人")))
    for forged in (action(card, ":ok:"), action(card, ":no:"), "rp:ok:999", "rp:zz:1", "x"):
        replies = world.core().handle(OTHER_SECRETARY, Press(forged))
        assert all("已记入台账" not in r.text for r in replies)
    assert world.reports.recent(world.accounts.user_id_at("test", "sec2") or 0) == []
    stale = only(world.core().handle(STAFF, Press(action(card, ":ok:"))))
    assert stale.notice and stale.text == messages.BUTTON_STALE


def test_correct_and_delete_own_reports(world: World) -> None:
    core = world.core()
    card = only(core.handle(SECRETARY, Text("11月20日开展主题党日，实到20人")))
    core.handle(SECRETARY, Press(action(card, ":ok:")))
    listed = only(core.handle(SECRETARY, Command("myreports")))
    fix = only(core.handle(SECRETARY, Press(action(listed, "rp:fix:"))))
    asked = only(core.handle(SECRETARY, Press(action(fix, ":attended"))))
    assert "实到人数" in asked.text
    corrected = only(world.core().handle(SECRETARY, Text("25")))  # after a restart
    assert "已更正" in corrected.text
    deleted = only(core.handle(SECRETARY, Press(action(listed, "rp:del:"))))
    assert "已删除" in deleted.text


def test_a_command_typed_as_its_menu_words(world: World) -> None:
    """What the menus call a command, typed, does what the command does; even while a card waits
    for a field (the card keeps waiting). A sentence that only contains the words is not one."""
    core = world.core()
    card = only(core.handle(SECRETARY, Text("召开支部委员会，研究发展党员工作，实到5人")))
    assert "还缺日期" in card.text
    assert core.handle(SECRETARY, Text("我的记录")) == core.handle(SECRETARY, Command("myreports"))
    assert core.handle(SECRETARY, Text("日历。")) == core.handle(SECRETARY, Command("calendar"))
    exported = only(core.handle(STAFF, Text("导出 Excel")))
    assert exported.text == only(core.handle(STAFF, Command("export"))).text
    assert only(core.handle(STRANGER, Text("台账"))).text == messages.NOT_REGISTERED
    filled = only(core.handle(SECRETARY, Text("11月20日")))
    assert "日期：2026-11-20" in filled.text
    asked = core.handle(SECRETARY, Text("台账里这个月开了几次支委会？"))
    assert asked != core.handle(SECRETARY, Command("reports"))


def test_ledger_questions_go_privately_and_stay_in_scope(world: World) -> None:
    for who, village in ((SECRETARY, "张家村"), (OTHER_SECRETARY, "张家村")):
        card = only(world.core().handle(who, Text(f"11月20日{village}开展主题党日，实到9人")))
        world.core().handle(who, Press(action(card, ":ok:")))
    in_group = world.core().handle(GROUP_STAFF, Text("这个月哪些村开展了主题党日？"))
    assert in_group[0].private and "1 条" in in_group[0].text  # 城关镇's only
    assert not in_group[1].private and in_group[1].text == messages.LEDGER_SENT_PRIVATELY
    private = only(world.core().handle(OTHER_SECRETARY, Text("这个月开了几次主题党日？")))
    assert "1 条" in private.text


def test_staff_export_and_chart_with_any_month_wording(world: World) -> None:
    card = only(world.core().handle(SECRETARY, Text("11月20日开展主题党日，实到20人")))
    world.core().handle(SECRETARY, Press(action(card, ":ok:")))
    for month in ("2026-11", "2026-11", "2026年11月", "11月", ""):
        reply = only(world.core().handle(STAFF, Command("export", month)))
        assert reply.attachment is not None and reply.attachment.kind == "document"
        sheet = load_workbook(BytesIO(reply.attachment.data)).active
        assert any("张家村" in str(c.value) for row in sheet.iter_rows() for c in row)
    assert only(world.core().handle(STAFF, Command("export", "13月"))).text == messages.EXPORT_USAGE
    refused = only(world.core().handle(SECRETARY, Command("export")))
    assert refused.text == messages.STAFF_ONLY and refused.attachment is None


def test_policy_answers_buttons_and_a_follow_up_after_a_restart(world: World) -> None:
    who = Who("test", "staff", chat="staff")
    answer = only(world.core().handle(who, Text("主题党日多久开展一次？")))
    assert "第九条" in answer.text
    source = only(world.core().handle(who, Press(action(answer, "src:"))))
    assert "每月相对固定1天" in source.text
    thanks = only(world.core().handle(who, Press(action(answer, "fb:1:"))))
    assert thanks.notice
    follow = only(world.core().handle(who, Text("那第十条呢")))
    assert "组织生活会" in follow.text
    # another chat cannot use this chat's buttons
    other = Who("test", "sec", chat="sec")
    assert only(world.core().handle(other, Press(action(answer, "src:")))).notice


def test_newcomers_help_registration_and_media(world: World) -> None:
    core = world.core()
    assert only(core.handle(STRANGER, Text("主题党日多久开展一次？"))).text == (
        messages.NOT_REGISTERED
    )
    invite = world.accounts.invites.create_invite(
        Role.SECRETARY, village="李庄村", township="城关镇"
    )
    registered = only(core.handle(STRANGER, Command("start", invite.code)))
    assert registered.menu == Role.SECRETARY and "登记活动" in registered.text
    assert "/myreports" in only(core.handle(STRANGER, Text("怎么登记活动"))).text
    unknown = only(core.handle(STRANGER, incoming_text("/foo bar")))
    assert "/foo" in unknown.text and "/myreports" in unknown.text
    assert only(core.handle(STRANGER, Unsupported("voice"))).text == messages.MEDIA_UNSUPPORTED
    assert core.handle(GROUP_STAFF, Command("export")) == []  # not in a group


def test_incoming_text_reads_commands() -> None:
    assert incoming_text("/report 今天开会") == Command("report", "今天开会")
    assert incoming_text("/help@partybot") == Command("help", "")
    assert incoming_text("/") == Text("/")
    assert incoming_text("今天/明天") == Text("今天/明天")


def test_export_month_parser_is_the_shared_one() -> None:
    from bot.months import parse_month

    assert parse_month("2023年6月", today=date(2026, 1, 1)) == "2023-06"


def test_place_and_host_from_the_sentence_reach_the_ledger(world: World) -> None:
    text = "11月20日在村党群服务中心开展主题党日，由支部书记王红主持，应到30人实到27人"
    card = only(world.core().handle(SECRETARY, Text(text)))
    assert "地点：村党群服务中心" in card.text and "主持人：王红" in card.text
    fields = only(world.core().handle(SECRETARY, Press(action(card, ":edit:"))))
    asked = only(world.core().handle(SECRETARY, Press(action(fields, ":place"))))
    assert "地点" in asked.text
    updated = only(world.core().handle(SECRETARY, Text("村委会二楼会议室")))
    assert "地点：村委会二楼会议室" in updated.text
    world.core().handle(SECRETARY, Press(action(updated, ":ok:")))
    reply = only(world.core().handle(STAFF, Command("export", "2026-11")))
    assert reply.attachment is not None
    sheet = load_workbook(BytesIO(reply.attachment.data))["台账"]
    values = list(sheet.values)
    row = dict(zip(values[1], values[2], strict=True))
    assert (row["活动地点"], row["主持人"], row["缺席及原因"]) == (
        "村委会二楼会议室",
        "王红",
        "3人",
    )


def test_the_same_photo_kept_by_many_threads_at_once(tmp_path: Path) -> None:
    """An album may hold one photo twice; its parts are kept by concurrent threads."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.reports.media import MediaStore

    store = MediaStore(tmp_path)
    with ThreadPoolExecutor(8) as pool:
        paths = set(pool.map(store.keep_photo, [JPEG] * 64))
    (path,) = paths
    assert path is not None and Path(path).read_bytes() == JPEG
    assert not list(tmp_path.rglob("*.part"))


def test_export_sends_the_photos_named_by_row_number(world: World) -> None:
    core = world.core()
    core.handle(SECRETARY, Photo("test:x1", JPEG + b"x1"))
    core.handle(SECRETARY, Photo("test:x2", JPEG + b"x2"))
    card = only(core.handle(SECRETARY, Text("11月20日开展主题党日，实到20人")))
    core.handle(SECRETARY, Press(action(card, ":ok:")))
    workbook, photos = core.handle(STAFF, Command("export", "11月"))
    assert workbook.attachment is not None and photos.attachment is not None
    import zipfile

    names = zipfile.ZipFile(BytesIO(photos.attachment.data)).namelist()
    assert names == ["照片/001-张家村-1.jpg", "照片/001-张家村-2.jpg"]
    assert "2 张" in photos.text


def test_calendar_and_mute_in_any_channel(world: World) -> None:
    reply = only(world.core().handle(SECRETARY, Command("calendar", "2026年12月")))
    assert "2026" in reply.text or "日历" in reply.text
    assert only(world.core().handle(SECRETARY, Command("calendar", "十三月"))).text == (
        messages.CALENDAR_USAGE
    )
    menu = only(world.core().handle(SECRETARY, Command("mute")))
    first = menu.buttons[0][0]
    assert first.action.startswith("mute:") and "✅" in first.label
    notice, keyboard = world.core().handle(SECRETARY, Press(first.action))
    assert notice.notice and keyboard.replace and "🔕" in keyboard.buttons[0][0].label
    again = only(world.core().handle(SECRETARY, Command("mute")))
    assert "🔕" in again.buttons[0][0].label  # kept in the database
    assert only(world.core().handle(STAFF, Press("mute:before"))).notice  # not staff's kind


def test_an_invite_code_sent_alone_is_read_as_one() -> None:
    from bot.conversation.routing import invite_code_in

    assert invite_code_in("K7P3QX9M") == "K7P3QX9M"
    assert invite_code_in(" 邀请码：k7p3qx9m。") == "K7P3QX9M"
    assert invite_code_in("邀请码 K7P3QX9M") == "K7P3QX9M"
    for text in (
        "主题党日多久开展一次",
        "PASSWORD",
        "K7P3QX9M5",
        "我的邀请码是K7P3QX9M吗",
        "12345678",
    ):
        assert invite_code_in(text) is None, text
