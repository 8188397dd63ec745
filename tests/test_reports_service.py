"""The ledger service on SQLite and, where it answers, PostgreSQL."""

from __future__ import annotations

import concurrent.futures
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.people.accounts import AccountService, Member, Role
from bot.reports.export import sorted_rows
from bot.reports.service import FieldError, ReportService

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2023, 6, 12, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TEXT = "6月10日上午，张家村党支部开展“学习贯彻党的二十大精神”主题党日活动，应到党员32人，实到28人"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def people(sessions, clock):
    accounts = AccountService(session_factory=sessions, clock=clock)
    secretary = accounts.add(
        1, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇"
    )
    other = accounts.add(2, Role.SECRETARY, channel="telegram", village="李庄村", township="城关镇")
    staff = accounts.add(3, Role.STAFF, channel="telegram", township="城关镇")
    county = accounts.add(4, Role.STAFF, channel="telegram")
    far = accounts.add(5, Role.SECRETARY, channel="telegram", village="河口村", township="河口镇")
    return secretary, other, staff, county, far


@pytest.fixture
def reports(sessions, clock) -> ReportService:
    return ReportService(session_factory=sessions, clock=clock, timezone=TZ)


def test_draft_edit_confirm_once(reports: ReportService, people) -> None:
    secretary: Member = people[0]
    draft = reports.start_draft(secretary, TEXT)
    assert draft.fields.date == "2023-06-10" and draft.fields.type == "主题党日"
    assert draft.missing == []
    assert reports.begin_edit(draft.id, "attended", owner=people[1].id) is None
    assert reports.set_field(draft.id, "attended", "3", owner=people[1].id) is None
    assert reports.cancel(draft.id, owner=people[1].id) == "refused"
    reports.begin_edit(draft.id, "attended", owner=secretary.id)
    edited = reports.set_field(draft.id, "attended", "二十九", owner=secretary.id)
    assert edited.fields.attended == 29 and edited.editing is None
    with pytest.raises(FieldError):
        reports.set_field(draft.id, "date", "下个月", owner=secretary.id)
    with pytest.raises(FieldError):
        reports.set_field(draft.id, "date", "2023-07-01", owner=secretary.id)
    report, created = reports.confirm(draft.id, secretary)
    assert created and report.attended == 29 and report.township == "城关镇"
    again, created_again = reports.confirm(draft.id, secretary)
    assert not created_again and again.id == report.id
    assert [r.id for r in reports.recent(people[0].id)] == [report.id]


def test_missing_village_falls_back_to_the_registered_one_and_date_is_asked(
    reports, people
) -> None:
    draft = reports.start_draft(people[0], "召开支委会，5名支委全部参加")
    assert draft.fields.village == "张家村"
    assert draft.missing == ["date"]
    assert reports.confirm(draft.id, people[0]) == (None, False)
    reports.set_field(draft.id, "date", "昨天", owner=people[0].id)
    report, created = reports.confirm(draft.id, people[0])
    assert created and report.activity_date == date(2023, 6, 11)


def test_a_weekday_given_as_the_date_is_the_last_one(reports, people) -> None:
    draft = reports.start_draft(people[0], "召开支委会，5名支委全部参加")
    # sent on Monday 12 June: the Saturday it happened was the 10th, not the coming 17th
    edited = reports.set_field(draft.id, "date", "周六", owner=people[0].id)
    assert edited is not None and edited.fields.date == "2023-06-10"


def test_concurrent_confirms_store_one_report(reports, people) -> None:
    draft = reports.start_draft(people[0], TEXT)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: reports.confirm(draft.id, people[0]), range(8)))
    ids = {r.id for r, _ in results if r is not None}
    assert len(ids) == 1
    assert sum(created for _, created in results) == 1


def test_drafts_expire_and_a_new_one_replaces_the_old(reports, people, clock) -> None:
    first = reports.start_draft(people[0], TEXT)
    second = reports.start_draft(people[0], TEXT)
    assert reports.get_draft(first.id).status == "cancelled"
    clock.now = NOW + timedelta(days=2)
    assert reports.open_draft(people[0].id) is None
    assert reports.get_draft(second.id).status == "expired"


def test_scopes_and_filters(reports, people, clock) -> None:
    secretary, other, staff, county, far = people
    for member, text in [
        (secretary, TEXT),
        (other, "6月5日李庄村开展志愿服务，参加党员15名"),
        (far, "6月8日河口村召开支委会，5名支委全部参加"),
        (secretary, "5月20日张家村开展志愿服务，参加党员10名"),
    ]:
        reports.confirm(reports.start_draft(member, text).id, member)
    assert {r.village for r in reports.query(secretary)} == {"张家村"}
    assert {r.village for r in reports.query(staff)} == {"张家村", "李庄村"}
    assert {r.village for r in reports.query(county)} == {"张家村", "李庄村", "河口村"}
    june_service = reports.query(county, month="2023-06", type="志愿服务")
    assert [r.village for r in june_service] == ["李庄村"]


def test_ledger_pages_are_the_sorted_ledger_cut_in_scope(reports, people) -> None:
    secretary, other, staff, county, far = people
    for day in range(1, 8):
        for member in (far, other, secretary):
            text = f"6月{day}日召开支委会，5名支委全部参加"
            reports.confirm(reports.start_draft(member, text).id, member)
    whole = sorted_rows(reports.query(county))
    pages = [reports.page(county, number=n, size=5) for n in (1, 2, 3, 4, 5)]
    assert [p.total for p in pages] == [21] * 5 and pages[0].pages == 5
    assert [r.id for p in pages for r in p.rows] == [r.id for r in whole]
    assert reports.page(county, number=99, size=5).number == 5  # past the end: the last page
    assert [r.village for r in pages[0].rows] == ["李庄村"] * 5  # 城关镇 before 河口镇, by pinyin
    mine = reports.page(secretary, number=1, size=50)
    assert mine.total == 7 and {r.village for r in mine.rows} == {"张家村"}
    assert reports.page(staff, number=1, size=50, township="河口镇").total == 0
    assert reports.reported_branches(staff, "2023-06") == {
        ("城关镇", "张家村"),
        ("城关镇", "李庄村"),
    }
    assert reports.reported_branches(county, "2023-05") == set()


def test_own_report_deleted_only_within_seven_days(reports, people, clock) -> None:
    report, _ = reports.confirm(reports.start_draft(people[0], TEXT).id, people[0])
    assert reports.delete_own(people[1].id, report.id) is False  # not theirs
    clock.now = NOW + timedelta(days=8)
    assert reports.delete_own(people[0].id, report.id) is False
    clock.now = NOW + timedelta(days=6)
    assert reports.delete_own(people[0].id, report.id) is True
    assert reports.recent(people[0].id) == []


def test_racing_broadcast_confirms_write_deliveries_once(sessions, clock) -> None:
    from sqlalchemy import func, select

    from bot.db.models import BroadcastDelivery
    from bot.outbox.broadcasting import Audience, BroadcastService

    accounts = AccountService(session_factory=sessions, clock=clock)
    for n in range(20):
        accounts.add(
            100 + n, Role.SECRETARY, channel="telegram", village=f"{n}村", township="城关镇"
        )
    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
    broadcast_id, _ = broadcasts.draft(1, "通知", Audience.parse("all"))
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: broadcasts.confirm(broadcast_id), range(8)))
    assert results.count(True) == 1
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(BroadcastDelivery)) == 20
    assert broadcasts.cancel(broadcast_id) is False


def test_own_report_corrected_only_within_seven_days(reports, people, clock) -> None:
    report, _ = reports.confirm(reports.start_draft(people[0], TEXT).id, people[0])
    assert reports.correct_own(people[1].id, report.id, "attended", "30") is None  # not theirs
    corrected = reports.correct_own(people[0].id, report.id, "date", "6月9日")
    assert corrected.activity_date == date(2023, 6, 9)
    with pytest.raises(FieldError):
        reports.correct_own(people[0].id, report.id, "expected", "很多")
    clock.now = NOW + timedelta(days=8)
    assert reports.correct_own(people[0].id, report.id, "attended", "30") is None


def test_numbers_are_read_whole_and_checked_against_each_other(reports, people) -> None:
    secretary = people[0]
    big = reports.start_draft(
        secretary, "6月10日张家村召开党员大会，应到党员一百二十三人，实到118人"
    )
    assert (big.fields.expected, big.fields.attended) == (123, 118)
    assert big.problems == []
    # no village branch has 12345 or 2000 members: a count past the bound is asked, not filled
    impossible = reports.start_draft(
        secretary, "6月10日张家村召开党员大会，应到党员12345人，实到12000人"
    )
    assert (impossible.fields.expected, impossible.fields.attended) == (None, None)
    two_thousand = reports.start_draft(secretary, "6月10日张家村开展志愿服务，两千名党员参加")
    assert two_thousand.fields.attended is None

    more = reports.start_draft(secretary, "6月10日张家村开展主题党日，应到党员30人，实到40人")
    assert [(p.field, p.reason) for p in more.problems] == [("attended", "more_than_expected")]
    assert more.missing == ["attended"]  # the card asks, and offers no 确认
    assert reports.confirm(more.id, secretary) == (None, False)
    with pytest.raises(FieldError) as caught:
        reports.set_field(more.id, "attended", "35", owner=secretary.id)
    assert caught.value.reason == "more_than_expected"
    fixed = reports.set_field(more.id, "expected", "45", owner=secretary.id)
    assert fixed.problems == [] and fixed.missing == []
    report, created = reports.confirm(more.id, secretary)
    assert created and (report.expected, report.attended) == (45, 40)
    with pytest.raises(FieldError) as caught:
        reports.correct_own(secretary.id, report.id, "attended", "50")
    assert caught.value.reason == "more_than_expected"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2099年6月1日张家村开展主题党日，实到20人", "future_date"),
        ("1900年6月1日张家村开展主题党日，实到20人", "too_old"),
    ],
)
def test_dates_in_the_future_or_before_the_start_are_asked_again(
    reports, people, text: str, reason: str
) -> None:
    secretary = people[0]
    draft = reports.start_draft(secretary, text)
    assert [(p.field, p.reason) for p in draft.problems] == [("date", reason)]
    assert draft.missing == ["date"]
    assert reports.confirm(draft.id, secretary) == (None, False)
    with pytest.raises(FieldError) as caught:
        reports.set_field(draft.id, "date", "1999-01-01", owner=secretary.id)
    assert caught.value.reason == "too_old"
    fixed = reports.set_field(draft.id, "date", "2023-06-01", owner=secretary.id)
    assert fixed.missing == []


def test_a_submission_token_makes_one_draft_even_posted_at_once(reports, people) -> None:
    secretary = people[0]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        drafts = list(
            pool.map(
                lambda _: reports.start_draft(secretary, TEXT, submission="tok-123456"), range(6)
            )
        )
    assert len({d.id for d in drafts}) == 1
    report, created = reports.confirm(drafts[0].id, secretary)
    assert created
    again = reports.start_draft(secretary, TEXT, submission="tok-123456")
    assert again.id == drafts[0].id and again.report_id == report.id
    # another person's token of the same text is theirs alone
    assert reports.start_draft(people[1], TEXT, submission="tok-123456").id != again.id


def test_every_change_of_a_stored_report_is_kept_with_who_and_when(reports, people, clock) -> None:
    secretary = people[0]
    draft = reports.start_draft(secretary, TEXT)
    report, _ = reports.confirm(draft.id, secretary)
    assert reports.amendments.history(report.id) == []
    reports.correct_own(secretary.id, report.id, "attended", "30")
    found = reports.amendments.propose(secretary, "更正：6月10日主题党日应到应为33人")
    assert found.changes == {"expected": (32, 33)}
    assert reports.amendments.apply(people[1], report.id)[1] == "expired"  # not theirs
    row, outcome, _ = reports.amendments.apply(secretary, report.id)
    assert outcome == "applied" and row.expected == 33
    assert reports.delete_own(secretary.id, report.id)
    history = reports.amendments.history(report.id)
    assert [(h.field, h.old, h.new, h.user_id, h.source) for h in history] == [
        ("attended", "28", "30", secretary.id, "修改按钮"),
        ("expected", "32", "33", secretary.id, "更正消息"),
        ("deleted", None, "已删除", secretary.id, "删除按钮"),
    ]
    assert all(h.changed_at == NOW for h in history)


def test_a_correction_offers_only_the_senders_records_within_the_window(
    reports, people, clock
) -> None:
    secretary = people[0]
    draft = reports.start_draft(secretary, TEXT)
    reports.confirm(draft.id, secretary)
    clock.now = NOW + timedelta(days=8)  # past the 7-day correction window
    found = reports.amendments.propose(secretary, "更正：6月10日主题党日实到应为30人")
    assert found.record is None and found.problem == "none_found"
