from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.ledger_query.answering import answer_ledger_question
from bot.ledger_query.reading import LedgerQuery, is_ledger_question, read_question
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService

NOW = datetime(2023, 7, 5, 2, 0, tzinfo=UTC)
TODAY = date(2023, 7, 5)


@pytest.fixture
def ledger(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    accounts = AccountService(session_factory=sessions, clock=lambda: NOW)
    zhang = accounts.add(1, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇")
    li = accounts.add(2, Role.SECRETARY, channel="telegram", village="李庄村", township="城关镇")
    staff = accounts.add(3, Role.STAFF, channel="telegram", township="城关镇")
    reports = ReportService(
        session_factory=sessions, clock=lambda: NOW, timezone=ZoneInfo("Asia/Shanghai")
    )
    for member, text in [
        (zhang, "6月10日张家村开展主题党日，实到28人"),
        (zhang, "6月20日张家村开展志愿服务，参加党员12名"),
        (zhang, "3月5日张家村开展主题党日，实到25人"),
        (li, "6月5日李庄村开展志愿服务，参加党员15名"),
        (li, "7月1日李庄村开展主题党日，实到20人"),
    ]:
        reports.confirm(reports.start_draft(member, text).id, member)
    return reports, zhang, li, staff


def test_filters_from_the_question() -> None:
    def read(question: str) -> LedgerQuery:
        query = read_question(question, today=TODAY)
        assert query is not None, question
        return query

    june = read("六月份哪些村开展了志愿服务？")
    assert june.period is not None
    assert (june.period.start, june.period.end, june.kinds) == (
        date(2023, 6, 1),
        date(2023, 6, 30),
        ("志愿服务",),
    )
    this_year = read("张家村今年开了几次主题党日？")
    assert this_year.period is not None
    assert (this_year.period.start, this_year.place.village, this_year.kinds) == (
        date(2023, 1, 1),
        "张家村",
        ("主题党日",),
    )
    last_month = read("上个月哪些村开展了主题党日")
    assert last_month.period is not None
    assert (last_month.period.start, last_month.period.end) == (date(2023, 6, 1), date(2023, 6, 30))
    # a kind is a filter only when named: what a sentence's deeds suggest is for reports
    assert read("最近有哪些村组织党员学习？").kinds == ()
    assert read("哪些村去敬老院打扫过卫生").kinds == ()
    assert is_ledger_question("六月份哪些村开展了志愿服务？", today=TODAY)
    assert not is_ledger_question("主题党日多久开展一次？", today=TODAY)
    assert not is_ledger_question("6月10日张家村开展主题党日，实到28人", today=TODAY)
    # a report as a document (工作报告, 述职报告) is policy material, not a branch's activity
    assert not is_ledger_question("镇里今年的党建工作报告提了哪些不足", today=TODAY)
    assert is_ledger_question("今年哪些村报了主题党日", today=TODAY)


@pytest.mark.parametrize(
    ("question", "about_ledger"),
    [
        ("我们村这个月开了几次活动", True),
        ("上个月本村开过几次会", True),
        ("六月份我们开展了哪些活动？", True),
        ("我们村一年要开几次党员大会", False),  # what the rules ask, not what was done
        ("主题党日活动一个月开几次", False),
    ],
)
def test_a_branch_asking_what_it_did_names_no_kind(question: str, about_ledger: bool) -> None:
    assert is_ledger_question(question, today=TODAY) is about_ledger


@pytest.mark.parametrize(
    ("question", "about_ledger"),
    [
        # a place said only as 我们村 / 县里 / 本镇, with no kind named, nothing done, no period
        ("我们支部的入党志愿书上哪领", False),  # 志愿 inside 志愿书
        ("县里要求村里搞环境整治 费用谁来出", False),
        ("本村红白理事会谁来当会长", False),
        ("我们省有没有这个法的实施办法 该谁来定", False),
        # a kind named, something done, or a period: the ledger, whatever the place
        ("本镇主题党日情况", True),
        ("我们村志愿服务登记了没有", True),
        ("县里上个月的活动有哪些", True),
        # 老乡, 家乡, 城乡 are words, not a township's name
        ("副局长张罗老乡聚会还当会长 党员领导干部这样行吗", False),
        ("河口镇的活动有哪些", True),
    ],
)
def test_a_place_said_in_passing_is_no_ledger_question(question: str, about_ledger: bool) -> None:
    assert is_ledger_question(question, today=TODAY) is about_ledger


@pytest.mark.parametrize(
    ("question", "about_ledger"),
    [
        # whether something done counts, passes or breaks a rule is asked of the rules
        ("村主任没上会就把账本交出去了 这算违反哪条纪律", False),
        ("党员大会上个月投票 到了20个人 同意的11个 这算通过了吗", False),
        ("上个月的主题党日算上补开的一共几次", True),
        ("张家村这个月的党课开了没有", True),
        # whose duty a thing is; 吵起来了 is no one coming to a meeting
        ("邻里为地界吵起来了 镇里叫村委会去调解 这本来归村委会管吗", False),
        ("上个月我们村主题党日来了几个人", True),
        ("镇里各村这季度党课回来了几个流动党员参加", True),
    ],
)
def test_whether_a_deed_counts_is_a_policy_question(question: str, about_ledger: bool) -> None:
    assert is_ledger_question(question, today=TODAY) is about_ledger


def test_what_my_branch_did_in_a_month_lists_every_kind(ledger) -> None:
    reports, zhang, _, _ = ledger
    answer = answer_ledger_question(reports, zhang, "六月份我们村开了几次活动")
    assert [r.type for r in answer.reports] == ["主题党日", "志愿服务"]
    assert all(r.village == "张家村" for r in answer.reports)


def test_staff_see_the_township_and_secretaries_their_village(ledger) -> None:
    reports, _, li, staff = ledger
    answer = answer_ledger_question(reports, staff, "六月份哪些村开展了志愿服务？")
    assert "涉及 2 个村：李庄村、张家村" in answer.text  # in pinyin order (bot.ordering)
    assert "2023-06-05" in answer.text and "台账第" in answer.text
    count = answer_ledger_question(reports, staff, "张家村今年开了几次主题党日？")
    assert count.text.startswith("今年张家村共有 2 条主题党日记录")
    own = answer_ledger_question(reports, li, "六月份哪些村开展了志愿服务？")
    assert [r.village for r in own.reports] == ["李庄村"]  # not another village's reports
    none = answer_ledger_question(reports, staff, "五月份哪些村开展了党课？")
    assert none.reports == [] and "没有找到" in none.text


def _indexed(tmp_path, embeddings):
    from bot.index.vectors import make_vector_store
    from bot.reports.index import COLLECTION, ReportIndex

    engine = make_engine(f"sqlite:///{tmp_path / 'i.db'}")
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    accounts = AccountService(session_factory=sessions, clock=lambda: NOW)
    index = ReportIndex(
        vectors=make_vector_store(tmp_path / "chroma", COLLECTION), embeddings=embeddings
    )
    reports = ReportService(
        session_factory=sessions, clock=lambda: NOW, timezone=ZoneInfo("Asia/Shanghai"), index=index
    )
    people = {
        "张家村": accounts.add(
            1, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇"
        ),
        "李庄村": accounts.add(
            2, Role.SECRETARY, channel="telegram", village="李庄村", township="城关镇"
        ),
        "河口村": accounts.add(
            5, Role.SECRETARY, channel="telegram", village="河口村", township="河口镇"
        ),
    }
    for village, text in [
        ("张家村", "6月20日张家村组织党员开展人居环境整治志愿服务，清理村道垃圾，参加党员12名"),
        ("李庄村", "6月5日李庄村召开支部党员大会，讨论接收预备党员，实到20人"),
        ("河口村", "6月8日河口村开展人居环境整治志愿服务，清理河道垃圾，参加党员9名"),
    ]:
        reports.confirm(reports.start_draft(people[village], text).id, people[village])
    assert index.search("人居环境整治", people["张家村"]) == []  # nothing indexed on 确认
    assert reports.index_pending() == 3 and reports.index_pending() == 0
    staff = accounts.add(3, Role.STAFF, channel="telegram", township="城关镇")
    county = accounts.add(4, Role.STAFF, channel="telegram")
    return reports, index, people, staff, county


def _free_text_question_answered_from_the_index(tmp_path, embeddings) -> None:
    reports, index, people, staff, county = _indexed(tmp_path, embeddings)
    question = "哪些村搞过人居环境整治？"
    assert is_ledger_question(question, today=TODAY)
    answer = answer_ledger_question(reports, county, question, index)
    assert {r.village for r in answer.reports[:2]} == {"张家村", "河口村"}
    assert "台账第" in answer.text
    township = answer_ledger_question(reports, staff, question, index)
    assert "河口村" not in {r.village for r in township.reports}
    own = answer_ledger_question(reports, people["李庄村"], question, index)
    assert {r.village for r in own.reports} <= {"李庄村"}
    # deleted reports leave the index; reindex rebuilds it from the ledger
    zhang_report = reports.recent(people["张家村"].id)[0]
    assert reports.delete_own(people["张家村"].id, zhang_report.id)
    assert "张家村" not in {
        r.village for r in answer_ledger_question(reports, county, question, index).reports
    }
    assert reports.reindex() == 2


def test_free_text_ledger_question_with_the_test_embedder(tmp_path) -> None:
    from tests.support.fakes import HashingEmbeddings

    _free_text_question_answered_from_the_index(tmp_path, HashingEmbeddings())


@pytest.mark.real_model
def test_free_text_ledger_question_with_the_bundled_encoder(tmp_path) -> None:
    from bot.index.embeddings import USE_SPEC, make_embeddings

    _free_text_question_answered_from_the_index(tmp_path, make_embeddings(USE_SPEC))


def test_a_correction_is_indexed_again_and_a_failure_stays_pending(tmp_path) -> None:
    from tests.support.fakes import HashingEmbeddings

    reports, index, people, _, _ = _indexed(tmp_path, HashingEmbeddings())
    zhang = people["张家村"]
    (row,) = reports.query(zhang)
    assert reports.correct_own(zhang.id, row.id, "theme", "清理河道垃圾") is not None
    original_add, original_many = index.add, index.add_many

    def broken(rows):  # type: ignore[no-untyped-def]
        raise RuntimeError("vector store down")

    index.add = index.add_many = broken  # type: ignore[method-assign]
    assert reports.index_pending() == 0  # stays pending
    index.add, index.add_many = original_add, original_many  # type: ignore[method-assign]
    assert reports.index_pending() == 1 and reports.index_pending() == 0


def test_a_burst_of_triggers_ties_up_one_thread_and_misses_nothing(tmp_path) -> None:
    """A call while a run is in progress returns at once; the run goes round again and picks
    up what was confirmed meanwhile."""
    import threading

    from tests.support.fakes import HashingEmbeddings

    reports, index, people, _, _ = _indexed(tmp_path, HashingEmbeddings())
    zhang = people["张家村"]
    entered, release = threading.Event(), threading.Event()
    original = index.add_many

    def slow(rows):  # type: ignore[no-untyped-def]
        entered.set()
        release.wait(5)
        original(rows)

    index.add_many = slow  # type: ignore[method-assign]
    draft = reports.start_draft(zhang, "6月21日张家村开展主题党日活动，实到15人")
    reports.confirm(draft.id, zhang)
    first = threading.Thread(target=reports.index_pending)
    first.start()
    assert entered.wait(5)
    later = reports.start_draft(zhang, "6月22日张家村召开支委会，实到5人")
    reports.confirm(later.id, zhang)
    assert reports.index_pending() == 0  # returns at once: a run is in progress
    release.set()
    first.join(5)
    assert reports.index_pending() == 0  # the first run went round again and took both


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.STAFF])
def test_every_policy_question_of_the_dev_sets_stays_a_policy_question(role: Role) -> None:
    """What staff and secretaries ask about the rules reaches the knowledge base, never the
    ledger: every question of qa_dev*.jsonl and the fresh sets."""
    import json
    from pathlib import Path

    from bot.conversation.routing import Route, route_text
    from bot.people.accounts import Member
    from tests.conftest import SHARED

    paths = sorted((SHARED / "eval").glob("qa_dev*.jsonl"))
    paths += [Path(__file__).resolve().parents[1] / "bench" / "qa_fresh.jsonl"]
    questions = [
        json.loads(line)["question"]
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(questions) > 300
    member = Member(1, "", role, "张家村" if role == Role.SECRETARY else None, "城关镇", True)
    taken = [
        q
        for q in questions
        if route_text(q, member=member, pending_field=False, today=TODAY)[0] == Route.LEDGER
    ]
    assert taken == []


def test_facts_and_branches_on_each_database(sessions) -> None:
    """The narrow ledger query and the county's branches, on SQLite and PostgreSQL."""
    accounts = AccountService(session_factory=sessions, clock=lambda: NOW)
    zhang = accounts.add(1, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇")
    accounts.add(2, Role.SECRETARY, channel="telegram", village="张家村", township="河口镇")
    accounts.add(3, Role.SECRETARY, channel="telegram", village="李庄村", township=None)
    county = accounts.add(4, Role.STAFF, channel="telegram")
    reports = ReportService(
        session_factory=sessions, clock=lambda: NOW, timezone=ZoneInfo("Asia/Shanghai")
    )
    reports.confirm(reports.start_draft(zhang, "7月1日张家村开展主题党日，实到20人").id, zhang)
    assert reports.known_branches() == {("城关镇", "张家村"), ("河口镇", "张家村"), ("", "李庄村")}
    (fact,) = reports.facts(county, types=("主题党日",), branches=[("城关镇", "张家村")])
    assert (fact.township, fact.village, fact.attended) == ("城关镇", "张家村", 20)
    assert reports.facts(county, branches=[("河口镇", "张家村")]) == []
    assert reports.facts(county, start=date(2023, 7, 2)) == []
    missing = answer_ledger_question(reports, county, "这个月哪些村还没开主题党日")
    assert sorted(missing.branches) == [("", "李庄村"), ("河口镇", "张家村")]
