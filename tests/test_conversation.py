"""The conversation's order, decided without any channel: a command's menu words, a pending
field (which a question escapes), help, plans (never logged), reports, ledger questions, policy
questions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.conversation import Route, help_text, plan_text, route_text
from bot.conversation.routing import command_named_by
from bot.people.accounts import Member, Role

TODAY = date(2026, 11, 24)
SECRETARY = Member(1, "张书记", Role.SECRETARY, "张家村", "城关镇", True)
STAFF = Member(2, "李干事", Role.STAFF, None, "城关镇", True)
ADMIN = Member(3, "管理员", Role.ADMIN, None, None, True)


def route(text: str, member: Member | None = SECRETARY, *, pending: bool = False) -> Route:
    return route_text(text, member=member, pending_field=pending, today=TODAY)[0]


@pytest.mark.parametrize(
    "value",
    ["11月20日", "28人", "主题党日", "二十三", "昨天", "2026-11-20", "王建国", "村委会会议室"],
)
def test_a_pending_field_takes_its_value(value: str) -> None:
    assert route(value, pending=True) == Route.FIELD


@pytest.mark.parametrize(
    ("text", "expected"),
    [("我们村这个月开了几次活动", Route.LEDGER), ("党费按啥标准交", Route.QUESTION)],
)
def test_a_colloquial_question_escapes_a_pending_field(text: str, expected: Route) -> None:
    assert route(text, pending=True) == expected


@pytest.mark.parametrize(
    "question", ["主题党日多久开展一次？", "发展党员要经过哪些程序", "预备期是多长时间呢"]
)
def test_a_question_escapes_a_pending_field(question: str) -> None:
    assert route(question, pending=True) == Route.QUESTION


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("我的记录", "myreports"),
        ("我登记的活动", "myreports"),
        (" 查看台账 ", "reports"),
        ("导出 Excel", "export"),
        ("统计图！", "stats"),
        ("主题党日日历", "calendar"),
        ("提醒设置", "mute"),
        ("网页版", "web"),
    ],
)
def test_a_commands_menu_words_are_the_command(text: str, command: str) -> None:
    assert command_named_by(text) == command
    assert route(text, pending=True) == Route.COMMAND  # a waiting card does not swallow it


@pytest.mark.parametrize("text", ["我的记录怎么改", "台账里有几次主题党日？", "统计一下党员人数"])
def test_a_sentence_with_menu_words_is_not_a_command(text: str) -> None:
    assert command_named_by(text) is None


@pytest.mark.parametrize(
    "text", ["怎么登记活动", "你能干啥", "你能做什么", "帮助", "/help", "怎么用这个", "有什么功能"]
)
def test_help_requests(text: str) -> None:
    for member in (SECRETARY, STAFF, None):
        assert route(text, member) == Route.HELP


@pytest.mark.parametrize(
    "text",
    [
        "王庄村定于11月28日开展主题党日活动，请全体党员准时参加",
        "我们村下周二搞主题党日",
        "明天上午九点召开支部委员会，研究发展党员工作",
        "计划12月5日组织党员开展志愿服务",
        "下周准备组织党员去敬老院",  # no day yet: still a plan, not a question
        "月底前要开一次组织生活会",
    ],
)
def test_plans_are_not_reports(text: str) -> None:
    found, parsed = route_text(text, member=SECRETARY, pending_field=False, today=TODAY)
    assert found == Route.PLAN and len(parsed) == 1
    assert "不会记入台账" in plan_text(parsed[0])


def test_reports_ledger_and_policy_questions() -> None:
    assert route("11月20日张家村开展主题党日活动，实到25人") == Route.REPORT
    # staff do not log reports: their sentence is a question or nothing
    assert route("11月20日张家村开展主题党日活动，实到25人", STAFF) == Route.QUESTION
    assert route("六月份哪些村开展了志愿服务？", STAFF) == Route.LEDGER
    assert route("入党介绍人的任务是什么", STAFF) == Route.QUESTION
    assert route("入党介绍人的任务是什么", None) == Route.QUESTION


def test_help_is_for_the_role() -> None:
    assert "/myreports" in help_text(SECRETARY) and "/invite" not in help_text(SECRETARY)
    assert "/export" in help_text(STAFF) and "/invite" not in help_text(STAFF)
    assert "/invite" in help_text(ADMIN)
    assert "/start" in help_text(None)
    assert "/" not in help_text(SECRETARY, commands=False)


@pytest.fixture
def ledger(tmp_path):
    """(accounts, reports) on a fresh SQLite database, on 24 November 2026."""
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.people.accounts import AccountService
    from bot.reports.service import ReportService

    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    clock = lambda: datetime(2026, 11, 24, 2, tzinfo=UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    return accounts, ReportService(session_factory=sessions, clock=clock, timezone=UTC)


def test_a_report_naming_another_village_is_logged_for_ones_own(ledger) -> None:
    accounts, reports = ledger
    member = accounts.add(
        1, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇"
    )
    draft = reports.start_draft(member, "11月20日李家村开展主题党日活动，实到25人")
    assert draft.fields.village == "张家村" and draft.fields.named_village == "李家村"
    row, _ = reports.confirm(draft.id, member)
    assert row is not None and (row.township, row.village) == ("城关镇", "张家村")
    ours = reports.start_draft(member, "我们村下午开展了主题党日活动，实到20人")
    assert ours.fields.village == "张家村" and ours.fields.named_village is None


def test_the_registered_branches_are_the_gazetteer_of_a_report(ledger) -> None:
    accounts, reports = ledger
    ours = accounts.add(
        1, Role.SECRETARY, channel="telegram", village="马家庄村", township="城关镇"
    )
    other = accounts.add(2, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇")
    # said without its 村, a registered branch is still the one named
    draft = reports.start_draft(other, "昨天马家庄开的党员大会，来了二十一个人")
    assert draft.fields.village == "张家村" and draft.fields.named_village == "马家庄村"
    own = reports.start_draft(ours, "昨天我们马家庄开的党员大会，来了二十一个人")
    assert own.fields.village == "马家庄村" and own.fields.named_village is None


def test_no_policy_question_of_the_question_sets_is_taken_for_a_report() -> None:
    """What a secretary asks must reach the knowledge base: every question of the dev and
    fresh sets routes as a question, never as a report or plan."""
    import json

    from tests.conftest import SHARED

    paths = [SHARED / "eval" / "qa_dev2.jsonl", SHARED / "eval" / "qa_dev.jsonl"]
    paths += [Path(__file__).resolve().parents[1] / "bench" / "qa_fresh.jsonl"]
    questions = [
        json.loads(line)["question"]
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(questions) > 200
    taken = [q for q in questions if route(q) in (Route.REPORT, Route.PLAN, Route.FIELD)]
    assert taken == []
