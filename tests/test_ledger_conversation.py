"""Ledger questions through the conversation core (so every channel has them): each kind of
question, the negation, two villages named 张家村, and the scope said plainly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.conversation.core import Conversation
from bot.conversation.turns import Command, Reply, Text, Who
from bot.db.models import Report
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over

NOW = datetime(2026, 12, 6, 2, tzinfo=UTC)  # Sunday 10:00 in Shanghai
REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日。\n\n"
    "第十五条　支部党员大会一般每季度召开1次。\n"
)
CG, HK = "城关镇", "河口镇"
LEDGER = [
    (CG, "张家村", date(2026, 12, 2), "主题党日", 30, 26),
    (CG, "张家村", date(2026, 11, 10), "支部委员会", 5, 5),
    (CG, "李庄村", date(2026, 11, 10), "主题党日", 22, 20),
    (CG, "柳河村", date(2026, 10, 20), "党课", 18, 15),
    (CG, "柳河村", date(2026, 11, 5), "党课", 18, 16),
    (HK, "张家村", date(2026, 11, 10), "支部委员会", 5, 4),
    (HK, "张家村", date(2026, 11, 20), "主题党日", 25, 22),
    (HK, "枫林村", date(2026, 11, 15), "主题党日", 34, 31),
]
PEOPLE = {
    "cg-zhang": (Role.SECRETARY, CG, "张家村"),
    "hk-zhang": (Role.SECRETARY, HK, "张家村"),
    "li": (Role.SECRETARY, CG, "李庄村"),
    "liuhe": (Role.SECRETARY, CG, "柳河村"),
    "fenglin": (Role.SECRETARY, HK, "枫林村"),
    "cg-staff": (Role.STAFF, CG, None),
    "hk-staff": (Role.STAFF, HK, None),
    "county": (Role.STAFF, None, None),
}


@pytest.fixture
def core(make_kb, knowledge_dir: Path, tmp_path: Path) -> Conversation:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    clock = lambda: NOW  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    for key, (role, township, village) in PEOPLE.items():
        accounts.add(key, role, channel="test", township=township, village=village)
    with kbase.sessions() as session, session.begin():
        for n, (township, village, day, kind, expected, attended) in enumerate(LEDGER, 1):
            session.add(
                Report(
                    draft_id=n,
                    reporter_id=1,
                    village=village,
                    township=township,
                    activity_date=day,
                    type=kind,
                    expected=expected,
                    attended=attended,
                    summary=f"{village}{kind}",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
    reports = ReportService(
        session_factory=kbase.sessions, clock=clock, timezone=ZoneInfo("Asia/Shanghai")
    )
    return conversation_over(
        kbase, clock=clock, accounts=accounts, reports=reports, media_dir=tmp_path / "media"
    )


def ask(core: Conversation, who: str, question: str) -> Reply:
    replies = core.handle(Who("test", who, chat=who), Text(question))
    assert len(replies) == 1, replies
    assert not replies[0].buttons, f"a policy answer, not the ledger: {replies[0].text}"
    return replies[0]


def test_a_list_and_a_count(core: Conversation) -> None:
    listed = ask(core, "cg-staff", "上个月哪些村开了主题党日？").text
    assert "李庄村" in listed and "张家村" not in listed and "枫林村" not in listed
    counted = ask(core, "cg-staff", "这个季度柳河村上了几次党课").text
    assert "共有 2 条党课记录" in counted


def test_which_have_not_is_the_branches_in_view_minus_those_that_did(core: Conversation) -> None:
    township = ask(core, "cg-staff", "上个月哪些村没开主题党日？").text
    assert "柳河村" in township and "张家村" in township and "李庄村" not in township.split("：")[1]
    county = ask(core, "county", "上个月哪几个村还没搞主题党日").text
    assert "还没有主题党日记录的村有 2 个（共 5 个村）：柳河村、城关镇张家村" in county


def test_attendance_and_whether_it_was_logged(core: Conversation) -> None:
    came = ask(core, "county", "枫林村11月15日主题党日实到多少人").text
    assert "应到 34 人，实到 31 人" in came
    logged = ask(core, "cg-zhang", "我们村这个月的主题党日登记上了没").text
    assert logged.startswith("已登记") and "2026-12-02" in logged
    not_yet = ask(core, "li", "我们村这个月的主题党日登记上了没").text
    assert not_yet.startswith("还没有登记")


def test_two_villages_named_zhangjia(core: Conversation) -> None:
    asked_back = ask(core, "county", "张家村上个月开了几次支委会").text
    assert asked_back.endswith(
        "请说明是哪一个：\n· 城关镇张家村上个月开了几次支委会\n· 河口镇张家村上个月开了几次支委会"
    )
    one = ask(core, "county", "城关镇张家村上个月开了几次支委会").text
    assert "共有 1 条支部委员会记录" in one and "河口镇" not in one
    listed = ask(core, "county", "上个月哪些村开了支委会").text
    assert "城关镇张家村" in listed and "河口镇张家村" in listed
    villages = ask(core, "county", "11月份有几个村开了主题党日").text
    assert "有 3 个村开展了主题党日" in villages  # 李庄村 and both 张家村: branches are counted
    own = ask(core, "hk-zhang", "上个月我们开了几次支委会").text
    assert "共有 1 条" in own and "实到 4 人" in own  # 河口镇's meeting, never 城关镇's


def test_the_ledger_list_names_the_township_of_a_shared_village_name(core: Conversation) -> None:
    county = core.handle(Who("test", "county", chat="county"), Command("reports", "2026-11"))
    assert "城关镇张家村" in county[0].text and "河口镇张家村" in county[0].text
    township = core.handle(Who("test", "cg-staff", chat="cg-staff"), Command("reports", "2026-11"))
    assert "张家村" in township[0].text and "城关镇张家村" not in township[0].text


def test_other_ways_to_ask_which_have_not(core: Conversation) -> None:
    who = ask(core, "hk-staff", "上个月谁还没报").text
    assert "还没有活动记录的村有 0 个" not in who and "全部" not in who
    assert "2 个村都已有活动记录" in who  # 河口镇: 张家村 and 枫林村 both reported
    none = ask(core, "cg-staff", "有没有村上个月一次活动都没搞").text
    assert "3 个村都已有活动记录" in none


def test_scope_said_plainly(core: Conversation) -> None:
    other_township = ask(core, "hk-staff", "城关镇上个月开了几次主题党日").text
    assert other_township == "城关镇不在您的查看范围（您可以查看：河口镇）。"
    other_village = ask(core, "li", "柳河村这个季度上了几次党课").text
    assert other_village.startswith("柳河村不在您的查看范围（您可以查看：城关镇李庄村）")
    county = ask(core, "cg-staff", "全县上个月哪些村没开支委会").text
    assert "不在您的查看范围（您可以查看：城关镇）" in county
    whole_township = ask(core, "li", "全镇这个月有几个村开了主题党日").text
    assert whole_township.startswith("您可以查看的是本村（城关镇李庄村）的台账")
    assert "张家村" not in whole_township and "柳河村" not in whole_township
    which = ask(core, "liuhe", "上个月哪些村上了党课").text
    assert which.startswith("您可以查看的是本村（城关镇柳河村）") and "2026-11-05" in which
    unknown = ask(core, "county", "桃花村上个月开了主题党日吗").text
    assert "没有找到“桃花村”" in unknown


def test_a_policy_question_still_works_in_the_same_chat(core: Conversation) -> None:
    ask(core, "cg-zhang", "我们村这个月开了几次活动")
    replies = core.handle(
        Who("test", "cg-zhang", chat="cg-zhang"), Text("我们村一年要开几次党员大会")
    )
    assert len(replies) == 1 and replies[0].buttons  # the policy answer's 👍/👎
    assert "台账" not in replies[0].text


def test_a_month_starts_at_midnight_in_shanghai(make_kb, tmp_path: Path) -> None:
    """At 00:30 on 1 January in Shanghai (16:30 UTC on 31 December) 这个月 is January."""
    from bot.ledger_query.answering import answer_ledger_question

    kbase = make_kb()
    clock = lambda: datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    staff = accounts.add("s", Role.STAFF, channel="test", township=CG)
    reports = ReportService(
        session_factory=kbase.sessions, clock=clock, timezone=ZoneInfo("Asia/Shanghai")
    )
    with kbase.sessions() as session, session.begin():
        for n, day in enumerate((date(2026, 12, 31), date(2027, 1, 1)), 1):
            session.add(
                Report(
                    draft_id=n,
                    reporter_id=1,
                    village="李庄村",
                    township=CG,
                    activity_date=day,
                    type="主题党日",
                    summary="",
                    created_at=clock(),
                    updated_at=clock(),
                )
            )
    this_month = answer_ledger_question(reports, staff, "这个月开了几次主题党日")
    assert [r.activity_date for r in this_month.reports] == [date(2027, 1, 1)]
    last_year = answer_ledger_question(reports, staff, "去年开了几次主题党日")
    assert [r.activity_date for r in last_year.reports] == [date(2026, 12, 31)]


def test_slips_and_short_forms(core: Conversation) -> None:
    slipped = ask(core, "county", "柳和村这个季度党课").text  # 和 typed for 河, no question word
    assert slipped.startswith("（按“柳河村”查询）") and "共有 2 条党课记录" in slipped
    unknown = ask(core, "county", "桃花村上个月开了主题党日吗").text
    assert "没有找到“桃花村”" in unknown and "您是说" not in unknown
    near = ask(core, "county", "李家村上个月开了主题党日吗").text  # no homophone: asked back
    assert "没有找到“李家村”" in near and near.endswith("您是说李庄村吗？")
    short = ask(core, "county", "上个月城关的主题党日").text  # 城关 for 城关镇
    assert "11月城关镇共有 1 条主题党日记录" in short
    each = ask(core, "cg-staff", "这个季度各村组织生活会开了没有").text
    assert "还没有组织生活会记录的村有 3 个（共 3 个村）" in each
