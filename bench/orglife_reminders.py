"""The quarter's 三会一课 reminders, simulated (run by bench.orglife): N branches, one secretary
each; every required kind held by 70 % of branches on a random day of its period, its record in
the ledger from that day on. Two processes (two engines on one SQLite file) tick together
through each reminder day; a third starts halfway through the first day's sending, as after a
restart. The expectation is worked out here from the generated records, not by the code under
test: a branch is due a reminder when one of the items whose period ends that month has fewer
records dated up to the reminder day than the rule asks."""

from __future__ import annotations

import asyncio
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.db.models import Identity, Report, User
from bot.ledger_query.periods import month_end
from bot.orglife.reminders import OrgLifeReminders
from bot.orglife.rules import DEFAULT_RULES
from bot.orglife.status import OrgLifeService, period_of
from bot.outbox.broadcasting import SendOutcome
from bot.outbox.handoff import hand_off
from bot.partyday.policy import ReminderPolicy
from bot.partyday.reminders import ReminderService
from bot.partyday.service import CalendarService
from bot.people.accounts import AccountService, Role

MONTHS = (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))
DAYS_BEFORE = 5


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Recorder:
    """The channel: every message that arrives, by address and the month it arrived in."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.sent: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    async def __call__(self, address: str, text: str) -> SendOutcome:
        await hand_off()
        with self._lock:
            self.sent.append((address, f"{self.clock.now:%Y-%m}"))
        return "sent"


def _worker(url: str, clock: Clock, policy: ReminderPolicy) -> OrgLifeReminders:
    sessions = make_session_factory(make_engine(url))
    accounts = AccountService(session_factory=sessions, clock=clock)
    outbox = ReminderService(
        session_factory=sessions,
        accounts=accounts,
        calendar=CalendarService(session_factory=sessions, clock=clock),
        policy=policy,
        clock=clock,
    )
    orglife = OrgLifeService(
        session_factory=sessions, today=lambda: clock().astimezone(policy.timezone).date()
    )
    return OrgLifeReminders(
        session_factory=sessions,
        accounts=accounts,
        orglife=orglife,
        outbox=outbox,
        days=DAYS_BEFORE,
        clock=clock,
    )


def simulate_reminders(*, branches: int, townships: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    policy = ReminderPolicy()
    created = datetime(2026, 9, 30, tzinfo=UTC)
    places = [(f"乡镇{n % townships:02d}镇", f"村{n:04d}村") for n in range(branches)]
    held: list[tuple[int, date, str]] = []  # (branch index, day, kind)
    for n in range(branches):
        for rule in DEFAULT_RULES.rules:
            starts = MONTHS if rule.every.value == "月" else MONTHS[:1]
            for first in starts:
                if rng.random() < 0.7:
                    start, end = period_of(rule.every, first)
                    start, end = max(start, MONTHS[0]), min(end, date(2026, 12, 31))
                    day = date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
                    held.append((n, day, rule.kind))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'reminders.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        sessions = make_session_factory(engine)
        with sessions() as session, session.begin():
            for n, (township, village) in enumerate(places, 1):
                session.add(
                    User(
                        id=n,
                        role=Role.SECRETARY.value,
                        name=f"书记{n}",
                        township=township,
                        village=village,
                        created_at=created,
                    )
                )
                session.add(Identity(user_id=n, channel="telegram", external_id=str(n)))
        clock = Clock(created)
        recorder = Recorder(clock)
        logged = 0
        expected: set[tuple[str, str]] = set()  # (address, month)
        started = time.perf_counter()
        for first in MONTHS:
            end = month_end(first)
            remind_day = end - timedelta(days=DAYS_BEFORE)
            # the records held up to the reminder day are in the ledger by then
            arrived = sorted((h for h in held if h[1] <= remind_day), key=lambda h: h[1])
            with sessions() as session, session.begin():
                for n, day, kind in arrived[logged:]:
                    logged += 1
                    township, village = places[n]
                    session.add(
                        Report(
                            draft_id=logged,
                            reporter_id=n + 1,
                            village=village,
                            township=township,
                            activity_date=day,
                            type=kind,
                            summary=kind,
                            created_at=created,
                            updated_at=created,
                        )
                    )
            logged = len(arrived)
            days: dict[tuple[int, str], set[date]] = {}
            for n, day, kind in arrived:
                days.setdefault((n, kind), set()).add(day)
            for n in range(branches):
                for rule in DEFAULT_RULES.rules:
                    start, period_end = period_of(rule.every, first)
                    meetings = [d for d in days.get((n, rule.kind), ()) if start <= d]
                    if period_end == end and len(meetings) < rule.times:
                        expected.add((str(n + 1), f"{first:%Y-%m}"))
                        break
            month_sent_before = len(recorder.sent)
            clock.now = datetime.combine(remind_day, datetime.min.time(), policy.timezone)
            clock.now += timedelta(hours=8, minutes=59)
            _tick_together([_worker(url, clock, policy)], recorder)
            early = len(recorder.sent) - month_sent_before
            clock.now += timedelta(minutes=1)
            workers = [_worker(url, clock, policy), _worker(url, clock, policy)]
            if first == MONTHS[0]:  # a process that stops after one batch, then a new one
                answers = iter([False, True])

                def after_one_batch(answers: Iterator[bool] = answers) -> bool:
                    return next(answers, True)

                asyncio.run(
                    workers[0].tick(recorder, channel="telegram", should_stop=after_one_batch)
                )
                workers[0] = _worker(url, clock, policy)
            _tick_together(workers, recorder)
            assert early == 0, f"{early} sent before 09:00"
        elapsed = time.perf_counter() - started
    sent = Counter(recorder.sent)
    duplicated = sum(n - 1 for n in sent.values() if n > 1)
    lost = len(expected - set(sent))
    to_done = len(set(sent) - expected)
    print(
        f"reminders, Q4 2026, {branches} branches, {len(held)} records: expected "
        f"{len(expected)}, sent {len(recorder.sent)}, duplicated {duplicated}, lost {lost}, "
        f"to branches with nothing due {to_done} ({elapsed:.1f} s for the three days, "
        "two processes and a restart)"
    )


def _tick_together(workers: list[OrgLifeReminders], recorder: Recorder) -> None:
    errors: list[BaseException] = []

    def run(worker: OrgLifeReminders) -> None:
        try:
            for _ in range(2):
                asyncio.run(worker.tick(recorder, channel="telegram"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
