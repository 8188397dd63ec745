"""Reminders, follow-ups and summaries with a hand-moved clock, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import time, timedelta

import pytest
from sqlalchemy.orm import sessionmaker

from bot.db.engine import make_engine, make_session_factory
from bot.partyday.policy import Offset, ReminderKind, ReminderPolicy
from bot.partyday.reminder_delivery import CLAIM_LEASE
from bot.people.accounts import Role
from tests.support.partyday_setup import County, RecordingSender, local, make_county


@pytest.fixture
def county(sessions, tmp_path) -> County:
    return make_county(sessions, tmp_path)


def kinds_sent(county: County) -> Counter[tuple[int, str]]:
    return Counter((int(m.external_id), m.kind) for m in county.outbox() if m.status == "sent")


def test_a_month_of_reminders_each_once_at_its_time(county: County) -> None:
    sender = RecordingSender(county.clock)
    for now in county.walk(
        sender, local("2023-07-01 00:00"), local("2023-07-31 23:30"), timedelta(minutes=30)
    ):
        if now == local("2023-07-10 12:00"):
            county.report_party_day(1, "今天张家村党支部开展主题党日活动，应到30人，实到28人")

    # 城关镇 keeps the county's 10th (a Monday); 河口镇 the first Friday, 7 July
    assert [at for _, at in sender.to(1)] == [local("2023-07-07 09:00"), local("2023-07-10 08:00")]
    assert [at for _, at in sender.to(2)] == [
        local("2023-07-07 09:00"),
        local("2023-07-10 08:00"),
        local("2023-07-13 09:00"),  # 李庄村 never reported: one follow-up
    ]
    assert [at for _, at in sender.to(5)] == [
        local("2023-07-04 09:00"),
        local("2023-07-07 08:00"),
        local("2023-07-10 09:00"),
    ]
    before = sender.to(2)[0][0]
    assert "7月10日（星期一）" in before and "庆祝党的生日" in before
    assert "1. 重温入党誓词" in before and "《中国共产党党员教育管理工作条例》第十六条" in before
    assert "台账里还没有看到记录" in sender.to(2)[2][0]

    # staff: one private summary each, for their township or the county
    ((township_summary, at),) = sender.to(3)
    assert at == local("2023-07-13 09:30")
    assert (
        "城关镇" in township_summary
        and "共 2 个党支部：已登记 1 个，尚未登记 1 个" in township_summary
    )
    assert "尚未登记：李庄村" in township_summary and "河口村" not in township_summary
    ((county_summary, _),) = sender.to(4)
    assert (
        "全县" in county_summary and "共 3 个党支部：已登记 1 个，尚未登记 2 个" in county_summary
    )

    # nothing twice; June's slots, due before the bot started, were recorded as skipped
    assert all(n == 1 for n in kinds_sent(county).values())
    june = [m for m in county.outbox() if m.month == "2023-06"]
    assert june and {m.status for m in june} == {"skipped"}


def test_a_tick_repeated_at_the_same_minute_sends_nothing_new(county: County) -> None:
    sender = RecordingSender(county.clock)
    county.clock.now = local("2023-07-07 09:00")
    for _ in range(3):
        county.tick(sender)
    # 城关镇's three-day reminders, and 河口村's on-the-day one (08:00, within grace)
    assert sorted(tid for tid, _, _ in sender.sent) == [1, 2, 5]
    assert "今天（7月7日）" in sender.to(5)[0][0]


def test_quiet_hours_hold_a_late_message_until_morning(sessions, tmp_path) -> None:
    policy = ReminderPolicy(
        before=(Offset(-3, time(20)),), followup=Offset(3, time(9)), grace=timedelta(hours=14)
    )
    county = make_county(sessions, tmp_path, policy=policy)
    sender = RecordingSender(county.clock)
    # the bot was down at 20:00 on the 7th and came back at 21:30: quiet hours
    county.clock.now = local("2023-07-07 21:30")
    county.tick(sender)
    assert sender.to(1) == []
    county.clock.now = local("2023-07-08 07:59")
    county.tick(sender)
    assert sender.to(1) == []
    county.clock.now = local("2023-07-08 08:00")
    county.tick(sender)
    assert [at for _, at in sender.to(1)] == [local("2023-07-08 08:00")]


def test_reminders_configured_inside_quiet_hours_go_when_they_end(sessions, tmp_path) -> None:
    policy = ReminderPolicy(before=(Offset(-1, time(22)), Offset(0, time(6))))
    county = make_county(sessions, tmp_path, policy=policy)
    sender = RecordingSender(county.clock)
    list(
        county.walk(
            sender, local("2023-07-09 00:00"), local("2023-07-10 12:00"), timedelta(minutes=15)
        )
    )
    # the day-before reminder (22:00 on the 9th) and the 06:00 one both go at 08:00 on the 10th
    assert [at for _, at in sender.to(1)] == [local("2023-07-10 08:00")] * 2


def test_downtime_sends_late_within_grace_else_records_skipped(county: County) -> None:
    sender = RecordingSender(county.clock)
    county.clock.now = local("2023-07-07 11:00")  # down since before 08:00; 09:00 is 2 h ago
    county.tick(sender)
    assert sorted(tid for tid, _, _ in sender.sent) == [1, 2, 5]  # 5: its 08:00 day reminder
    sender.sent.clear()
    county.clock.now = local("2023-07-10 15:30")  # down again: 08:00 and 09:00 are past grace
    county.tick(sender)
    assert sender.sent == []
    july = {(int(m.external_id), m.kind): m.status for m in county.outbox() if m.month == "2023-07"}
    assert july[(1, "day")] == july[(2, "day")] == july[(5, "followup")] == "skipped"
    assert county.reminders.month_counts("2023-07")[("day", "skipped")] == 2


def test_muted_users_get_nothing_of_that_kind(county: County) -> None:
    sender = RecordingSender(county.clock)
    county.reminders.set_muted(county.accounts.user_id_at("telegram", 2), ReminderKind.BEFORE, True)
    assert county.reminders.muted_kinds(county.accounts.user_id_at("telegram", 2)) == {"before"}
    county.clock.now = local("2023-07-07 09:00")
    county.tick(sender)
    assert [tid for tid, _, _ in sender.sent if tid != 5] == [1]
    # muted after its row was written, before it went out
    county.clock.now = local("2023-07-10 08:00")
    assert county.reminders.plan_due() > 0
    county.reminders.set_muted(county.accounts.user_id_at("telegram", 1), ReminderKind.DAY, True)
    asyncio.run(county.reminders.deliver_due(sender, channel="telegram"))
    assert [tid for tid, _, _ in sender.sent if tid != 5] == [1, 2]
    statuses = {
        (int(m.external_id), m.kind): m.status for m in county.outbox() if m.month == "2023-07"
    }
    assert statuses[(2, "before")] == "muted" and statuses[(1, "day")] == "muted"
    # unmuting does not bring back what was not sent
    county.reminders.set_muted(
        county.accounts.user_id_at("telegram", 2), ReminderKind.BEFORE, False
    )
    county.tick(sender)
    assert [tid for tid, _, _ in sender.sent if tid != 5] == [1, 2]


def test_users_who_blocked_the_bot_are_not_chased(county: County) -> None:
    sender = RecordingSender(county.clock, blocked={5})
    county.clock.now = local("2023-07-04 09:00")
    county.tick(sender)
    member = county.accounts.member_at("telegram", 5)
    assert member is not None and not member.reachable
    sender.blocked.clear()
    county.clock.now = local("2023-07-07 08:00")
    county.tick(sender)
    assert sender.to(5) == []  # not tried again while marked unreachable
    county.clock.now = local("2023-07-13 09:30")
    county.tick(sender)
    ((summary, _),) = sender.to(4)
    assert "1 位书记无法收到机器人消息" in summary and "河口镇河口村" in summary
    county.accounts.set_reachable(
        county.accounts.user_id_at("telegram", 5), True
    )  # pressed Start again
    assert county.accounts.member_at("telegram", 5).reachable


def test_a_report_after_planning_cancels_the_follow_up(county: County) -> None:
    sender = RecordingSender(county.clock)
    county.clock.now = local("2023-07-13 09:00")
    county.reminders.plan_due()
    county.report_party_day(2, "7月10日李庄村党支部开展主题党日，应到20人实到18人")
    asyncio.run(county.reminders.deliver_due(sender, channel="telegram"))
    followups = {
        int(m.external_id): m.status
        for m in county.outbox()
        if m.kind == "followup" and m.month == "2023-07"
    }
    assert followups == {1: "sent", 2: "done", 5: "skipped"}
    assert [tid for tid, text, _ in sender.sent if "台账里还没有看到记录" in text] == [1]


def test_a_report_tagged_as_party_day_counts_as_done(county: County) -> None:
    sender = RecordingSender(county.clock)
    county.clock.now = local("2023-07-12 18:00")
    county.report_party_day(
        1, "7月10日张家村召开支部党员大会，结合主题党日重温入党誓词，应到20人实到18人"
    )
    county.clock.now = local("2023-07-13 09:00")
    county.tick(sender)
    assert sender.to(1) == [] and len(sender.to(2)) == 1


def test_restart_mid_tick_neither_repeats_nor_loses(county: County) -> None:
    sender = RecordingSender(county.clock)
    many = 70
    for n in range(many):
        county.accounts.add(
            1000 + n, Role.SECRETARY, channel="telegram", village=f"村{n:02d}", township="城关镇"
        )
    county.clock.now = local("2023-07-07 09:00")

    # 1. a graceful stop after the first batch: the rest go out from the next process
    first = county.reminders
    stop_after = iter([False, True])
    asyncio.run(first.tick(sender, channel="telegram", should_stop=lambda: next(stop_after, True)))
    sent_first = len(sender.sent)
    assert 0 < sent_first < many + 3
    second = county.service()
    asyncio.run(second.tick(sender, channel="telegram"))
    # 70 + 张家村 + 李庄村 three days ahead, and 河口村 on its day
    assert len(sender.sent) == many + 3
    assert len({tid for tid, _, _ in sender.sent}) == many + 3

    # 2. a hard kill while claimed rows wait in the rate limiter: they never left, so they go
    #    out once the dead process's claim runs out
    sender.sent.clear()
    county.clock.now = local("2023-07-10 08:00")
    killed = county.service()
    killed.plan_due()
    queued = killed.claim_due(limit=10, channel="telegram")  # claimed, then the process dies
    assert len(queued) == 10
    survivor = county.service()
    asyncio.run(survivor.tick(sender, channel="telegram"))
    assert len(sender.sent) == many + 2 - 10
    assert not {int(d.external_id) for d in queued} & {tid for tid, _, _ in sender.sent}
    county.clock.now += CLAIM_LEASE + timedelta(minutes=1)
    asyncio.run(survivor.tick(sender, channel="telegram"))
    assert sorted(tid for tid, _, _ in sender.sent) == sorted([1, 2, *range(1000, 1000 + many)])

    # 3. a hard kill while requests are on the wire: they may have arrived, so never again
    sender.sent.clear()
    county.clock.now = local("2023-07-13 09:00")
    killed = county.service()
    killed.plan_due()
    on_the_wire = killed.claim_due(limit=5, channel="telegram")
    for delivery in on_the_wire:
        assert killed.mark_sending(delivery.id)
    county.clock.now += CLAIM_LEASE + timedelta(minutes=1)
    survivor = county.service()
    asyncio.run(survivor.tick(sender, channel="telegram"))
    uncertain = {int(m.external_id) for m in county.outbox() if m.status == "uncertain"}
    assert uncertain == {int(d.external_id) for d in on_the_wire}
    assert not uncertain & {tid for tid, _, _ in sender.sent}
    assert len(sender.sent) == many + 2 - 5  # every follow-up but those five


def test_a_claim_taken_back_is_not_sent_by_its_old_holder(county: County) -> None:
    """A process so slow that its claim ran out must not send what another process resent."""
    sender = RecordingSender(county.clock)
    county.clock.now = local("2023-07-07 09:00")
    slow = county.service()
    slow.plan_due()
    (held,) = slow.claim_due(limit=1, channel="telegram")
    county.clock.now += CLAIM_LEASE + timedelta(minutes=1)
    asyncio.run(
        county.service().tick(sender, channel="telegram")
    )  # releases the stale claim and sends it
    assert not slow.mark_sending(held.id)
    assert [tid for tid, _, _ in sender.sent].count(int(held.external_id)) == 1


def _second_sessions(sessions: sessionmaker) -> sessionmaker:
    """A separate engine (its own connection pool) on the same database: another process."""
    url = sessions.kw["bind"].url
    return make_session_factory(make_engine(url.render_as_string(hide_password=False)))


def test_two_processes_on_one_database_send_each_reminder_once(county: County) -> None:
    for n in range(120):
        county.accounts.add(
            2000 + n, Role.SECRETARY, channel="telegram", village=f"村{n:03d}", township="城关镇"
        )
    sender = RecordingSender(county.clock, delay_s=0.002)
    other = county.service(sessions=_second_sessions(county.sessions))
    workers = [county.reminders, other]
    times = [local("2023-07-07 09:00"), local("2023-07-10 08:00"), local("2023-07-13 09:00")]
    for now in times:
        county.clock.now = now
        errors: list[BaseException] = []

        def run(service, errors=errors) -> None:
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
    keys = Counter(m.key for m in county.outbox() if m.status == "sent")
    assert all(n == 1 for n in keys.values())
    per_recipient = Counter(tid for tid, _, _ in sender.sent)
    assert per_recipient[2000] == 3  # before, day, follow-up
    assert sum(per_recipient.values()) == len(keys)
    workers_used = {m.claimed_by for m in county.outbox() if m.status == "sent"}
    assert len(workers_used) == 2, "both processes should have shared the sending"


def test_preview_shows_the_month_without_writing(county: County) -> None:
    county.clock.now = local("2023-06-20 10:00")
    planned = county.reminders.preview(2023, 7)
    assert county.outbox() == []
    by_kind = Counter(p.kind for p in planned)
    assert by_kind == {"before": 3, "day": 3, "followup": 3, "summary": 2}
    first = min(planned, key=lambda p: p.due_at)
    assert int(first.external_id) == 5 and first.due_at == local("2023-07-04 09:00")


def test_month_boundaries(sessions, tmp_path) -> None:
    """A Party day on the 1st has its three-day reminder in the month before; one on the last
    working day has its follow-up in the month after."""
    county = make_county(sessions, tmp_path)
    path = tmp_path / "boundaries.yaml"
    path.write_text(
        "规则:\n  - 规则: 每月1日\n  - 乡镇: 河口镇\n    规则: 每月最后一个工作日\n",
        encoding="utf-8",
    )
    county.calendar.import_file(path)
    sender = RecordingSender(county.clock)
    list(
        county.walk(
            sender, local("2023-07-27 00:00"), local("2023-08-04 12:00"), timedelta(minutes=30)
        )
    )
    # 1 August 2023 is a Tuesday: reminded on Saturday 29 July
    assert [at for _, at in sender.to(1)][:2] == [
        local("2023-07-29 09:00"),
        local("2023-08-01 08:00"),
    ]
    assert "8月1日（星期二）" in sender.to(1)[0][0]
    # 河口镇: Monday 31 July, its follow-up on 3 August, for July
    followup = [(text, at) for text, at in sender.to(5) if "台账里还没有看到记录" in text]
    assert [at for _, at in followup] == [local("2023-08-03 09:00")]
    assert "7月31日" in followup[0][0]
    assert all(n == 1 for n in kinds_sent(county).values())


def test_a_planned_activity_is_reminded_once_that_afternoon(county: County) -> None:
    """“当天提醒我登记”: one outbox row however often asked, sent once at 17:00 on the day."""
    sender = RecordingSender(county.clock)
    county.clock.now = local("2023-07-10 10:00")
    service = county.service()
    secretary = county.accounts.member_at("telegram", 1)
    assert service.remember_plan(secretary, local("2023-07-12 00:00").date(), "主题党日")
    assert not service.remember_plan(secretary, local("2023-07-12 00:00").date(), "主题党日")
    assert not service.remember_plan(secretary, local("2023-07-09 00:00").date(), "党课")
    for _ in county.walk(
        sender, local("2023-07-12 16:00"), local("2023-07-12 19:00"), timedelta(minutes=30)
    ):
        pass
    plan_texts = [text for text, _ in sender.to(1) if "您安排主题党日的日子" in text]
    assert len(plan_texts) == 1
    (sent_at,) = [at for text, at in sender.to(1) if "您安排主题党日的日子" in text]
    assert sent_at == local("2023-07-12 17:00")
