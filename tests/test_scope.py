"""The one visibility rule, as a table of (who, what they may see), through every query path:
the ledger query, ledger questions (filtered and free text) and the reports' vector index."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.ledger_query.answering import answer_ledger_question
from bot.people.accounts import AccountService, Role
from bot.people.invite_words import InviteWordsError, read_invite_words
from bot.people.scope import scope_of
from bot.reports.service import ReportService

TODAY = date(2023, 7, 1)
BRANCHES = [
    ("城关镇", "张家村", 1),
    ("城关镇", "李庄村", 2),
    ("河口镇", "张家村", 3),  # the same name in another township
]


@pytest.fixture()
def county(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    clock = lambda: datetime(2023, 7, 1, 2, tzinfo=UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    reports = ReportService(session_factory=sessions, clock=clock, timezone=UTC)
    people = {}
    for township, village, uid in BRANCHES:
        member = accounts.add(
            uid, Role.SECRETARY, channel="telegram", village=village, township=township
        )
        people[(township, village)] = member
        text = f"6月{uid * 3}日{village}开展主题党日活动，实到{10 + uid}人"
        reports.confirm(reports.start_draft(member, text).id, member)
    people["城关镇 staff"] = accounts.add(10, Role.STAFF, channel="telegram", township="城关镇")
    people["county staff"] = accounts.add(11, Role.STAFF, channel="telegram")
    people["admin"] = accounts.add(12, Role.ADMIN, channel="telegram")
    return reports, people


SEES = [
    (("城关镇", "张家村"), {("城关镇", "张家村")}),
    (("河口镇", "张家村"), {("河口镇", "张家村")}),
    (("城关镇", "李庄村"), {("城关镇", "李庄村")}),
    ("城关镇 staff", {("城关镇", "张家村"), ("城关镇", "李庄村")}),
    ("county staff", {("城关镇", "张家村"), ("城关镇", "李庄村"), ("河口镇", "张家村")}),
    ("admin", {("城关镇", "张家村"), ("城关镇", "李庄村"), ("河口镇", "张家村")}),
]


@pytest.mark.parametrize(("who", "sees"), SEES)
def test_every_query_path_shows_exactly_the_scope(county, who, sees) -> None:
    reports, people = county
    viewer = people[who]
    branches = lambda rows: {(r.township, r.village) for r in rows}  # noqa: E731
    assert branches(reports.query(viewer)) == sees
    assert branches(reports.query(viewer, village="张家村")) == {
        b for b in sees if b[1] == "张家村"
    }
    asked = answer_ledger_question(reports, viewer, "6月份哪些村开展了主题党日？")
    assert branches(asked.reports) == sees
    for township, village, _ in BRANCHES:
        assert scope_of(viewer).may_see(township, village) == ((township, village) in sees)


def test_same_named_village_in_another_township_never_leaks(county) -> None:
    reports, people = county
    hekou = people[("河口镇", "张家村")]
    rows = reports.query(hekou, township="城关镇")
    assert rows == []


@pytest.mark.parametrize(
    ("words", "role", "township", "village"),
    [
        (["staff", "城关镇"], Role.STAFF, "城关镇", None),
        (["工作人员", "全县"], Role.STAFF, None, None),
        (["书记", "张家村", "城关镇"], Role.SECRETARY, "城关镇", "张家村"),
        (["城关镇", "张家村", "secretary"], Role.SECRETARY, "城关镇", "张家村"),
        (["城关镇张家村", "支书"], Role.SECRETARY, "城关镇", "张家村"),
        (["管理员"], Role.ADMIN, None, None),
    ],
)
def test_invites_read_as_admins_write_them(words, role, township, village) -> None:
    request = read_invite_words(words)
    assert (request.role, request.township, request.village) == (role, township, village)


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        (["城关镇"], "no_role"),
        (["书记", "张家村"], "secretary_needs_branch"),
        (["staff", "城关镇", "张家村"], "staff_no_village"),
        (["admin", "城关镇"], "admin_no_place"),
        (["书记", "工作人员", "城关镇"], "two_roles"),
        (["书记", "张三", "城关镇"], "unknown_word"),
    ],
)
def test_invite_words_that_cannot_be_bound_say_why(words, reason) -> None:
    with pytest.raises(InviteWordsError) as caught:
        read_invite_words(words)
    assert caught.value.reason == reason
