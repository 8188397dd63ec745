"""三会一课 at county scale: a simulated quarter (2026 Q4) for N branches, each required kind
reported by 70 % of branches at random (seeded).

1. status for one branch p95 (as a secretary asks) and the county table (every branch, as
   `partybot orglife status` computes it);
2. the quarter's reminders (bench/orglife_reminders.py): two processes on one database tick
   through each reminder day while the records arrive on their dates; reminders expected vs
   sent, duplicated, lost, and sent to a branch with nothing due.

.venv/bin/python -m bench.orglife [--branches 2000] [--townships 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.orglife_reminders import simulate_reminders
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.db.models import Report, User
from bot.orglife.asking import branch_text, county_text
from bot.orglife.rules import DEFAULT_RULES, Every
from bot.orglife.status import OrgLifeService, period_of
from bot.people.accounts import Member, Role

QUARTER = (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))
TODAY = date(2026, 12, 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=2000)
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--asks", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    now = datetime(2026, 12, 20, 2, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'orglife.db'}")
        upgrade_schema(engine)
        sessions = make_session_factory(engine)
        branches = [
            (f"乡镇{n % args.townships:02d}镇", f"村{n:04d}村") for n in range(args.branches)
        ]
        reports = 0
        with sessions() as session, session.begin():
            for n, (township, village) in enumerate(branches, 1):
                session.add(
                    User(
                        id=n,
                        role=Role.SECRETARY.value,
                        name=f"书记{n}",
                        township=township,
                        village=village,
                        created_at=now,
                    )
                )
            for n, (township, village) in enumerate(branches, 1):
                for rule in DEFAULT_RULES.rules:
                    months = QUARTER if rule.every == Every.MONTH else QUARTER[:1]
                    for month in months:
                        if rng.random() >= 0.7:
                            continue
                        start, end = period_of(rule.every, month)
                        end = min(end, TODAY)
                        start = max(start, QUARTER[0])
                        day = date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
                        reports += 1
                        session.add(
                            Report(
                                draft_id=reports,
                                reporter_id=n,
                                village=village,
                                township=township,
                                activity_date=day,
                                type=rule.kind,
                                summary=rule.kind,
                                created_at=now,
                                updated_at=now,
                            )
                        )
        service = OrgLifeService(session_factory=sessions, today=lambda: TODAY)
        secretaries = rng.sample(range(1, args.branches + 1), min(args.asks, args.branches))
        one: list[float] = []
        warm = Member(1, "书记", Role.SECRETARY, branches[0][1], branches[0][0], reachable=True)
        service.status(warm, month=QUARTER[2])  # the process's first call loads pypinyin
        for user_id in secretaries:
            township, village = branches[user_id - 1]
            member = Member(user_id, "书记", Role.SECRETARY, village, township, reachable=True)
            started = time.perf_counter()
            (status,) = service.status(member, month=QUARTER[2])
            branch_text(status, "2026年12月")
            one.append(time.perf_counter() - started)
        county = Member(0, "县委组织部", Role.STAFF, None, None, reachable=True)
        table: list[float] = []
        for _ in range(5):
            started = time.perf_counter()
            found = service.status(county, month=QUARTER[2])
            county_text(found, "2026年12月")
            table.append(time.perf_counter() - started)
        due = sum(1 for s in found if s.due)
    p95 = statistics.quantiles(one, n=20)[-1] * 1000
    print(
        f"branches {args.branches}, townships {args.townships}, reports {reports} (seed {args.seed})"
    )
    print(f"one branch status: p50 {statistics.median(one) * 1000:.1f} ms, p95 {p95:.1f} ms")
    print(
        f"county table ({len(found)} branches, {due} with items due): "
        f"median {statistics.median(table) * 1000:.0f} ms, max {max(table) * 1000:.0f} ms"
    )
    simulate_reminders(branches=args.branches, townships=args.townships, seed=args.seed)


if __name__ == "__main__":
    main()
