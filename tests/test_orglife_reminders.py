"""三会一课 reminders with a hand-moved clock, on SQLite and PostgreSQL: month, quarter and year
ends, nothing to branches that are done, a muted secretary, quiet hours, each message once across
a restart and two processes, no message naming another branch, and the staff summary only for
those who asked and only for their scope."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.conversation.typed_buttons import TypedButtons
from bot.db.engine import make_engine, make_session_factory
from bot.db.models import OrgLifeReminderPlan, ReminderMessage, Report
from bot.orglife.reminders import OrgLifeReminders, summary_optin_reply
from bot.orglife.status import OrgLifeService
from bot.partyday.policy import ReminderKind, ReminderPolicy
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Member, Role
from bot.people.linking import IdentityLinks
from tests.support.fakes import Clock
from tests.support.partyday_setup import SHANGHAI, RecordingSender, local

CG, HK = "城关镇", "河口镇"
# telegram id -> (role, township, village)
PEOPLE = {
    1: (Role.SECRETARY, CG, "张家村"),
    2: (Role.SECRETARY, CG, "李庄村"),
    3: (Role.SECRETARY, HK, "枫林村"),
    4: (Role.STAFF, CG, None),
    5: (Role.STAFF, None, None),
}
VILLAGES = {village for _, _, village in PEOPLE.values() if village}
MONTHLY = ("主题党日", "支部委员会", "党小组会")
QUARTERLY = ("支部党员大会", "党课")
YEARLY = ("组织生活会", "民主评议党员")


class County:
    def __init__(
        self, sessions: sessionmaker[Session], *, policy: ReminderPolicy | None = None
    ) -> None:
        self.sessions = sessions
        self.clock = Clock(local("2026-11-01 08:00"))
        self.policy = policy or ReminderPolicy()
        self.accounts = AccountService(session_factory=sessions, clock=self.clock)
        self.people: dict[int, Member] = {
            tid: self.accounts.add(
                tid, role, channel="telegram", name=f"用户{tid}", township=town, village=village
            )
            for tid, (role, town, village) in PEOPLE.items()
        }
        self.reminders = self.service()
        self._drafts = 0

    def service(
        self, sessions: sessionmaker[Session] | None = None, *, rules_path: Path | None = None
    ) -> OrgLifeReminders:
        """A reminder source as a (restarted, or second) process builds it."""
        chosen = sessions or self.sessions
        accounts = AccountService(session_factory=chosen, clock=self.clock)
        outbox = ReminderService(
            session_factory=chosen,
            accounts=accounts,
            calendar=CalendarService(session_factory=chosen, clock=self.clock),
            policy=self.policy,
            clock=self.clock,
        )
        orglife = OrgLifeService(
            session_factory=chosen,
            today=lambda: self.clock().astimezone(SHANGHAI).date(),
            rules_path=rules_path,
        )
        return OrgLifeReminders(
            session_factory=chosen,
            accounts=accounts,
            orglife=orglife,
            outbox=outbox,
            days=5,
            clock=self.clock,
        )

    def log(self, village: str, day: date, *kinds: str) -> None:
        township = HK if village == "枫林村" else CG
        with self.sessions() as session, session.begin():
            for kind in kinds:
                self._drafts += 1
                session.add(
                    Report(
                        draft_id=self._drafts,
                        reporter_id=1,
                        village=village,
                        township=township,
                        activity_date=day,
                        type=kind,
                        tags="[]",
                        summary=f"{village}{kind}",
                        created_at=self.clock(),
                        updated_at=self.clock(),
                    )
                )

    def tick(self, sender: RecordingSender, service: OrgLifeReminders | None = None) -> None:
        asyncio.run((service or self.reminders).tick(sender, channel="telegram"))

    def outbox(self) -> list[ReminderMessage]:
        with self.sessions() as session:
            return list(session.scalars(select(ReminderMessage).order_by(ReminderMessage.id)))


@pytest.fixture
def county(sessions) -> County:
    return County(sessions)


def items_of(text: str) -> list[str]:
    return [line[2:].split("（")[0] for line in text.splitlines() if line.startswith("○ ")]


def test_a_month_end_reminds_only_branches_with_items_due(county: County) -> None:
    county.log("张家村", date(2026, 11, 3), *MONTHLY)  # done with everything November asks
    county.log("李庄村", date(2026, 11, 3), "主题党日")
    sender = RecordingSender(county.clock)
    county.clock.now = local("2026-11-25 08:59")  # five days before the 30th, at 09:00
    county.tick(sender)
    assert sender.sent == []
    county.clock.now = local("2026-11-25 09:00")
    county.tick(sender)
    assert sender.to(1) == []  # 张家村 is done
    ((li, at),) = sender.to(2)
    assert at == local("2026-11-25 09:00")
    assert li.startswith("【三会一课提醒】李庄村党支部")
    # the month's items only: the quarter's and the year's periods do not end in November
    assert items_of(li) == ["支部委员会", "党小组会"]
    assert "11月还剩6天" in li
    ((fenglin, _),) = sender.to(3)
    assert items_of(fenglin) == list(MONTHLY)
    for _ in range(3):  # later ticks, and a process restarted, plan and send nothing more
        county.clock.now += timedelta(hours=1)
        county.tick(sender, county.service())
    assert len(sender.sent) == 2
    assert {(m.kind, m.status) for m in county.outbox()} == {("orglife", "sent")}


@pytest.mark.parametrize(
    ("month", "due_day", "kinds", "labels"),
    [
        ("2026-09", "2026-09-25", MONTHLY + QUARTERLY, ["9月还剩6天", "第三季度还剩6天"]),
        ("2026-12", "2026-12-26", MONTHLY + QUARTERLY + YEARLY, ["第四季度", "2026年还剩6天"]),
    ],
)
def test_quarter_and_year_ends_add_their_items(
    county: County, month: str, due_day: str, kinds: tuple[str, ...], labels: list[str]
) -> None:
    first = date.fromisoformat(f"{month}-01")
    county.log("李庄村", first, "党课")  # held this quarter: not listed
    county.clock.now = local(f"{due_day} 09:00")
    sender = RecordingSender(county.clock)
    county.tick(sender)
    ((li, _),) = sender.to(2)
    assert items_of(li) == [k for k in kinds if k != "党课"]
    assert all(label in li for label in labels), li


def test_nothing_to_branches_that_are_done(county: County) -> None:
    for village in VILLAGES:
        county.log(village, date(2026, 12, 1), *MONTHLY, *QUARTERLY, *YEARLY)
    county.clock.now = local("2026-12-26 09:00")
    sender = RecordingSender(county.clock)
    county.tick(sender)
    assert sender.sent == [] and county.outbox() == []


def test_a_muted_secretary_gets_nothing_and_the_rest_do(county: County) -> None:
    outbox = county.reminders._outbox
    outbox.set_muted(county.people[2].id, ReminderKind.ORGLIFE, True)
    county.clock.now = local("2026-11-25 09:00")
    sender = RecordingSender(county.clock)
    county.reminders.plan_due()
    # muted after planning, before sending: settled at the claim, like a Party-day reminder
    outbox.set_muted(county.people[3].id, ReminderKind.ORGLIFE, True)
    county.tick(sender)
    assert [tid for tid, _, _ in sender.sent] == [1]
    statuses = {int(m.external_id): m.status for m in county.outbox()}
    assert statuses == {1: "sent", 2: "muted", 3: "muted"}


def test_quiet_hours_hold_the_reminder_until_they_end(sessions) -> None:
    county = County(sessions, policy=ReminderPolicy(quiet_start=time(20), quiet_end=time(10)))
    sender = RecordingSender(county.clock)
    county.clock.now = local("2026-11-25 09:30")
    county.tick(sender)
    assert sender.sent == []
    county.clock.now = local("2026-11-25 10:00")
    county.tick(sender)
    assert sorted(tid for tid, _, _ in sender.sent) == [1, 2, 3]
    assert {at for _, _, at in sender.sent} == {local("2026-11-25 10:00")}


def test_no_message_names_another_branch(county: County) -> None:
    for n in range(30):
        county.accounts.add(
            100 + n, Role.SECRETARY, channel="telegram", township=HK, village=f"村{n:02d}"
        )
    county.log("张家村", date(2026, 12, 2), "主题党日")
    county.clock.now = local("2026-12-26 09:00")
    sender = RecordingSender(county.clock)
    county.tick(sender)
    villages = VILLAGES | {f"村{n:02d}" for n in range(30)}
    own = {tid: village for tid, (_, _, village) in PEOPLE.items() if village}
    own |= {100 + n: f"村{n:02d}" for n in range(30)}
    assert len(sender.sent) == len(own)
    for tid, text, _ in sender.sent:
        others = {v for v in villages if v != own[tid] and v in text}
        assert not others, (tid, others)
        assert CG not in text and HK not in text


def _second_sessions(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """A separate engine (its own connection pool) on the same database: another process."""
    url = sessions.kw["bind"].url
    return make_session_factory(make_engine(url.render_as_string(hide_password=False)))


def test_each_reminder_once_across_a_restart_and_two_processes(county: County) -> None:
    many = 80
    for n in range(many):
        county.accounts.add(
            1000 + n, Role.SECRETARY, channel="telegram", township=HK, village=f"村{n:02d}"
        )
    county.clock.now = local("2026-11-25 09:00")
    sender = RecordingSender(county.clock, delay_s=0.002)

    # a graceful stop after the first batch; the restarted process sends the rest
    stop_after = iter([False, True])
    asyncio.run(
        county.reminders.tick(
            sender, channel="telegram", should_stop=lambda: next(stop_after, True)
        )
    )
    assert 0 < len(sender.sent) < many + 3
    county.tick(sender, county.service())
    assert sorted(tid for tid, _, _ in sender.sent) == sorted([1, 2, 3, *range(1000, 1000 + many)])

    # December's, planned and sent by two processes at once, each message once
    sender.sent.clear()
    county.clock.now = local("2026-12-26 09:00")
    workers = [county.service(), county.service(_second_sessions(county.sessions))]
    errors: list[BaseException] = []

    def run(service: OrgLifeReminders) -> None:
        try:
            for _ in range(3):
                asyncio.run(service.tick(sender, channel="telegram"))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    per_recipient = Counter(tid for tid, _, _ in sender.sent)
    assert set(per_recipient) == {1, 2, 3, *range(1000, 1000 + many)}
    assert set(per_recipient.values()) == {1}
    with county.sessions() as session:
        plans = session.scalars(
            select(OrgLifeReminderPlan).where(OrgLifeReminderPlan.period == "2026-12")
        ).all()
    assert len(plans) == many + 3


def test_a_rules_edit_mid_period_reaches_only_branches_not_reminded(
    county: County, tmp_path
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("规则:\n  - 活动: 主题党日\n    要求: 每月1次\n", encoding="utf-8")
    service = county.service(rules_path=rules)
    county.log("李庄村", date(2026, 11, 2), "主题党日")
    county.clock.now = local("2026-11-25 09:00")
    sender = RecordingSender(county.clock)
    county.tick(sender, service)
    assert sorted(tid for tid, _, _ in sender.sent) == [1, 3]
    rules.write_text(
        "规则:\n  - 活动: 主题党日\n    要求: 每月1次\n  - 活动: 支部委员会\n    要求: 每月1次\n",
        encoding="utf-8",
    )
    county.clock.now += timedelta(hours=1)
    county.tick(sender, service)
    # 李庄村 now has 支部委员会 due; 张家村 and 枫林村 were reminded already
    assert sorted(tid for tid, _, _ in sender.sent) == [1, 2, 3]


def test_staff_summary_only_when_opted_in_and_only_their_scope(county: County) -> None:
    secretary, township_staff, county_staff = (county.people[i] for i in (1, 4, 5))
    assert "只发给乡镇和县里" in summary_optin_reply(county.reminders, secretary, "on")
    assert "已订阅" in summary_optin_reply(county.reminders, township_staff, "on")
    assert "未订阅" in summary_optin_reply(county.reminders, county_staff, "")
    county.log("张家村", date(2026, 11, 3), *MONTHLY)
    sender = RecordingSender(county.clock)
    county.clock.now = local("2026-11-30 09:29")  # the last working day, at 09:30
    county.tick(sender)
    assert sender.to(4) == []
    county.clock.now = local("2026-11-30 09:30")
    county.tick(sender)
    ((summary, _),) = sender.to(4)
    assert summary.startswith(
        "【三会一课月度汇总】城关镇 11月（截至30日）：2个支部，2个还有待开展事项。"
    )
    # the month's items, and the quarter's and the year's so far
    assert "支部委员会：1个支部待开展" in summary and "党课：2个支部待开展" in summary
    assert not VILLAGES & {v for v in VILLAGES if v in summary}  # numbers, never a name
    assert sender.to(5) == []

    # December: the county's staff asks too; the township's stops
    assert "已订阅" in summary_optin_reply(county.reminders, county_staff, "on")
    assert "已退订" in summary_optin_reply(county.reminders, township_staff, "off")
    county.clock.now = local("2026-12-31 09:30")
    county.tick(sender)
    assert len(sender.to(4)) == 1
    ((whole, _),) = sender.to(5)
    assert whole.startswith(
        "【三会一课月度汇总】全县 12月（截至31日）：3个支部，3个还有待开展事项。"
    )


def test_a_wrong_remind_days_setting_is_refused() -> None:
    from pydantic import ValidationError

    from bot.settings import Settings

    with pytest.raises(ValidationError):
        Settings(orglife_remind_days=40)
    assert Settings(orglife_remind_days=0).orglife_remind_days == 0


def test_zero_days_sends_no_reminder(county: County) -> None:
    county.reminders.days = 0
    county.clock.now = local("2026-11-25 09:00")
    county.tick(RecordingSender(county.clock))
    assert county.outbox() == []


def test_the_summary_is_switched_by_a_command_in_any_channel(sessions, make_kb, tmp_path) -> None:
    from bot.conversation.turns import Command, Who
    from bot.qa.memory import AnswerMemory
    from bot.qa.service import QAService
    from bot.reports.service import ReportService
    from bot.services import build_conversation

    county = County(sessions)
    kbase = make_kb()
    core = build_conversation(
        qa=QAService(kbase.retriever, sessions=kbase.sessions),
        answers=AnswerMemory(session_factory=sessions, clock=county.clock),
        accounts=county.accounts,
        reports=ReportService(session_factory=sessions, clock=county.clock, timezone=SHANGHAI),
        report_index=None,
        reminders=None,
        media_dir=tmp_path / "media",
        public_qa=False,
        orglife_reminders=county.reminders,
        links=IdentityLinks(session_factory=sessions, clock=county.clock),
        typed_buttons=TypedButtons(session_factory=sessions, clock=county.clock),
    )
    staff = Who("telegram", "4", chat="4")
    (on,) = core.handle(staff, Command("orglife_summary", "on"))
    assert on.text.startswith("已订阅") and "城关镇" in on.text
    assert county.reminders.summary_opted_in(county.people[4].id)
    (state,) = core.handle(staff, Command("orglife_summary", ""))
    assert "已订阅" in state.text
    (off,) = core.handle(staff, Command("orglife_summary", "off"))
    assert off.text == "已退订三会一课月度汇总。"
    assert not county.reminders.summary_opted_in(county.people[4].id)
    (refused,) = core.handle(Who("telegram", "1", chat="1"), Command("orglife_summary", "on"))
    assert "只发给乡镇和县里" in refused.text


def test_plans_of_settled_periods_are_pruned_with_their_messages(county: County) -> None:
    from bot.runtime.housekeeping import prune

    county.clock.now = local("2026-10-26 09:00")
    county.tick(RecordingSender(county.clock))
    county.clock.now = local("2026-11-25 09:00")
    county.tick(RecordingSender(county.clock))
    county.clock.now = local("2026-12-28 10:00")  # November is still looked at
    result = prune(
        session_factory=county.sessions,
        clock=county.clock,
        retention=timedelta(days=30),
        timezone=SHANGHAI,
    )
    assert result.orglife_plans == 3  # October's; November's are kept a month longer
    with county.sessions() as session:
        periods = set(session.scalars(select(OrgLifeReminderPlan.period)))
    assert periods == {"2026-11"}
