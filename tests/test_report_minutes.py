"""What a 会议记录 says beside the counts (主持人, 记录人, 地点, 缺席, 议题, 决议), kept from the
message to the card, the ledger row and the confirmed report; several activities in one message."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.people.accounts import AccountService, Role
from bot.reports.parsing import parse_activities, parse_report
from bot.reports.service import ReportService
from bot.reports.views import card_text

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)
MINUTES = (
    "会议名称：柏树村党支部委员会\n时间：2025年11月18日晚上\n地点：村委会二楼会议室\n"
    "主持人：支部书记陶德明\n记录人：简红\n应到：7人　实到：6人\n"
    "缺席人员及原因：柳青（外出务工）\n议题：研究冬季防火和低保评议\n会议决定：成立巡山小组"
)


def test_minutes_fields_are_read() -> None:
    parsed = parse_report(MINUTES, today=date(2025, 11, 20))
    assert (parsed.date, parsed.type, parsed.expected, parsed.attended) == (
        date(2025, 11, 18),
        "支部委员会",
        7,
        6,
    )
    assert (parsed.host, parsed.recorder, parsed.place) == ("陶德明", "简红", "村委会二楼会议室")
    assert parsed.absent == 1 and parsed.absent_reasons == "柳青（外出务工）"
    assert parsed.topics == "研究冬季防火和低保评议" and parsed.decisions == "成立巡山小组"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("昨天开了党员大会，实到30人，5人因病请假", 5),
        ("昨天开了党员大会，到了22个，有两个请了假", 2),
        ("昨天开了党员大会，全支部党员40名，除4名外出务工的都来了", 4),
        ("昨天开了党员大会，应到35人，实到35人", 0),
        ("昨天开了党员大会，实到30人", None),
    ],
)
def test_absent_count(text: str, absent: int | None) -> None:
    assert parse_report(text, today=date(2025, 11, 20)).absent == absent


@pytest.mark.parametrize(
    ("text", "village"),
    [
        ("中共桑园村支部委员会\n昨天召开党员大会，实到20人", "桑园村"),
        ("结合村里实际，昨天组织党员开展志愿服务，参加党员12人", None),
        ("党员们回村后，昨天召开了党员大会，实到18人", None),
        ("全镇5个村昨天联合开展主题党日", None),
    ],
)
def test_a_phrase_or_heading_is_no_village(text: str, village: str | None) -> None:
    parsed = parse_report(text, today=date(2025, 11, 20))
    assert parsed.village == village
    assert parsed.type != "支部委员会"


def test_a_year_is_no_head_count() -> None:
    parsed = parse_report("柳林村主题党日 时间2024年3月5日 实到 2024", today=date(2024, 3, 6))
    assert parsed.attended is None and parsed.date == date(2024, 3, 5)


def test_two_activities_and_an_announcement() -> None:
    text = (
        "11月17日上午柏树村召开支委会，5名支委全部参加，研究冬季防火；当天下午接着召开党员大会，"
        "应到党员40人，实到36人。明天上午组织党员志愿者给五保户送温暖。"
    )
    first, second = parse_activities(text, today=date(2025, 11, 20))
    assert (first.type, first.date, first.expected, first.attended) == (
        "支部委员会",
        date(2025, 11, 17),
        5,
        5,
    )
    assert (second.type, second.date, second.expected, second.attended) == (
        "支部党员大会",
        date(2025, 11, 17),
        40,
        36,
    )
    assert second.village == "柏树村"
    (only,) = parse_activities(
        "今天上午开了主题党日，实到28人。下周二准备组织党员去县里参观展览。",
        today=date(2025, 11, 20),
    )
    assert only.type == "主题党日" and only.attended == 28 and not only.plan
    (plan,) = parse_activities("下周二准备组织党员去县里参观展览", today=date(2025, 11, 20))
    assert plan.plan


def test_lunar_days() -> None:
    assert parse_report("正月初八召开党员大会，实到40人", today=date(2023, 2, 1)).date == date(
        2023, 1, 29
    )
    assert parse_report("重阳节那天组织党员志愿者给老人理发", today=date(2025, 10, 31)).date == (
        date(2025, 10, 29)
    )


def test_saved_on_confirm_and_shown_on_the_card(sessions) -> None:
    accounts = AccountService(session_factory=sessions, clock=lambda: NOW)
    secretary = accounts.add(
        1, Role.SECRETARY, channel="telegram", village="柏树村", township="青峰乡"
    )
    reports = ReportService(session_factory=sessions, clock=lambda: NOW, timezone=TZ)
    draft = reports.start_draft(secretary, MINUTES)
    card = card_text(draft)
    assert "主持人：陶德明" in card and "记录人：简红" in card
    assert "缺席：1 人（柳青（外出务工））" in card and "决议：成立巡山小组" in card
    assert draft.missing == []  # nothing the record needs is empty: nothing is asked
    row, created = reports.confirm(draft.id, secretary)
    assert created and row is not None
    assert (row.recorder, row.absent, row.topics, row.decisions) == (
        "简红",
        1,
        "研究冬季防火和低保评议",
        "成立巡山小组",
    )
    assert row.absent_text == "1人（柳青（外出务工））"
    corrected = reports.correct_own(secretary.id, row.id, "recorder", "简红梅")
    assert corrected is not None and corrected.recorder == "简红梅"


def test_a_sign_in_list_counts_who_came_and_a_sign_up_list_does_not() -> None:
    names = "\n".join(f"{n}. {name}" for n, name in enumerate(["王一", "李二", "张三"], 1))
    signed = parse_report(f"#接龙\n11月18日 柏树村主题党日 签到\n{names}", today=date(2025, 11, 20))
    assert signed.attended == 3
    signing_up = parse_report(f"#接龙 周六志愿服务报名\n{names}", today=date(2025, 11, 20))
    assert signing_up.attended is None


def test_kinds_said_without_their_names() -> None:
    met = parse_report("昨晚第二党小组在组长家开了会，到了6个", today=date(2025, 11, 20))
    assert met.type == "党小组会"
    lecture = parse_report(
        "11月18日县委宣讲团来村里开宣讲会，党员31名参加", today=date(2025, 11, 20)
    )
    assert lecture.type == "党课"
    assert parse_report("明天计划带党员去敬老院打扫卫生", today=date(2025, 11, 20)).plan


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("12.13 红土村 主题党日（国家公祭日）“铭记历史 珍爱和平” 实到18名", "铭记历史 珍爱和平"),
        ("昨天开展“党旗红 安全行”主题党日，实到20人", "党旗红 安全行"),
        ("昨天召开党员大会，评选出“五好家庭”6户，实到36人", None),
        ("昨天召开党员大会，传达“双报到双服务”工作要求，实到36人", None),
        ("高桥村“三会一课”记录本 昨晚党小组会 实到8人", None),
    ],
)
def test_a_quote_is_a_theme_only_when_it_names_the_activity(text: str, theme: str | None) -> None:
    assert parse_report(text, today=date(2025, 11, 20)).theme == theme


def test_found_on_messages_written_after_the_tuning() -> None:
    """Written in the styles of the real write-ups, after the rules: a joint activity's other
    branch, a party group that studied, the names of those present."""
    joint = parse_report(
        "我们村昨天跟隔壁黄家湾村一起搞了个主题党日，我村来了18个党员", today=date(2025, 6, 20)
    )
    assert joint.village is None and joint.attended == 18  # the sender's own branch
    assert (
        parse_report("县审计局与苇塘村联合开展主题党日，实到24人", today=date(2025, 6, 20)).village
        == "苇塘村"
    )
    studied = parse_report(
        "本周二晚第一党小组在组长家学习，组里党员9名，到了8名", today=date(2025, 6, 20)
    )
    assert (studied.type, studied.expected, studied.attended) == ("党小组会", 9, 8)
    listed = parse_report(
        "支委会会议记录\n时间：2025年6月17日晚\n出席：刘强、王敏、张亮、李红\n缺席：赵刚（出差）",
        today=date(2025, 6, 20),
    )
    assert (listed.expected, listed.attended, listed.absent) == (5, 4, 1)
