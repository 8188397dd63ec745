"""Ledger questions over a known ledger: right per kind, rows out of scope, false 「没有记录」,
and the time of a question over 10,000 reports.

.venv/bin/python -m bench.ledger_questions [--part all|tune|held] [--reports 10000] [--show]
    [--database-url postgresql+psycopg://…]  (a fresh schema each, dropped afterwards)

The set (bench/ledger_questions.jsonl) was written before tuning: even ids tune, odd ids are
held out. The ledger: 城关镇 (张家村, 李庄村, 马家庄村, 柳河村) and 河口镇 (张家村, 枫林村,
桃园村, 石桥村), today Sunday 2026-12-06 in Asia/Shanghai. A question is right when it takes
the ledger route (or stays a policy question), is read as the kind asked, and names exactly the
expected reports or the expected branches that have not; out of scope and ask-back questions
must be answered as such.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bench.common import fresh_database_url, percentile, synthetic_reports

if TYPE_CHECKING:
    from bot.ledger_query.answering import LedgerAnswer
    from bot.people.members import Member
    from bot.reports.service import ReportService

SET = Path(__file__).with_name("ledger_questions.jsonl")
NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # 10:00 in 城关镇
CG, HK = "城关镇", "河口镇"
# key: (乡镇, 村, date, kind, 应到, 实到)
LEDGER: dict[str, tuple[str, str, str, str, int | None, int | None]] = {
    "c1": (CG, "张家村", "2026-12-02", "主题党日", 30, 26),
    "c2": (CG, "张家村", "2026-11-10", "支部委员会", 5, 5),
    "c3": (CG, "张家村", "2026-11-28", "主题党日", 30, 27),
    "c4": (CG, "张家村", "2026-10-15", "党课", 30, 24),
    "c5": (CG, "张家村", "2026-06-18", "志愿服务", None, 12),
    "c6": (CG, "张家村", "2026-03-05", "支部党员大会", 30, 28),
    "l1": (CG, "李庄村", "2026-11-10", "主题党日", 22, 20),
    "l2": (CG, "李庄村", "2026-11-25", "党小组会", 8, 8),
    "l3": (CG, "李庄村", "2026-09-20", "党课", 22, 18),
    "l4": (CG, "李庄村", "2026-12-01", "支部委员会", 5, 4),
    "m1": (CG, "马家庄村", "2026-11-12", "主题党日", 35, 31),
    "m2": (CG, "马家庄村", "2026-11-30", "集中学习", 35, 29),
    "m3": (CG, "马家庄村", "2026-07-01", "支部党员大会", 35, 33),
    "h1": (CG, "柳河村", "2026-10-20", "党课", 18, 15),
    "h2": (CG, "柳河村", "2026-11-05", "党课", 18, 16),
    "h3": (CG, "柳河村", "2026-12-04", "党课", 18, 17),
    "h4": (CG, "柳河村", "2026-09-28", "党课", 18, 14),
    "k1": (HK, "张家村", "2026-11-10", "支部委员会", 5, 4),
    "k2": (HK, "张家村", "2026-11-20", "主题党日", 25, 22),
    "k3": (HK, "张家村", "2026-12-03", "志愿服务", None, 10),
    "f1": (HK, "枫林村", "2026-11-15", "主题党日", 34, 31),
    "f2": (HK, "枫林村", "2026-11-29", "支部委员会", 5, 5),
    "f3": (HK, "枫林村", "2026-04-10", "组织生活会", 34, 30),
    "t1": (HK, "桃园村", "2026-08-08", "志愿服务", None, 9),
    "t2": (HK, "桃园村", "2026-01-15", "主题党日", 20, 18),
    "t3": (HK, "桃园村", "2025-12-20", "主题党日", 20, 17),
}
# who asks: (role, 乡镇, 村)
PEOPLE = {
    "Z1": ("secretary", CG, "张家村"),
    "L": ("secretary", CG, "李庄村"),
    "M": ("secretary", CG, "马家庄村"),
    "H": ("secretary", CG, "柳河村"),
    "Z2": ("secretary", HK, "张家村"),
    "F": ("secretary", HK, "枫林村"),
    "T": ("secretary", HK, "桃园村"),
    "SQ": ("secretary", HK, "石桥村"),
    "S1": ("staff", CG, None),
    "S2": ("staff", HK, None),
    "C": ("staff", None, None),
}


def build(
    database_url: str, filler: int
) -> tuple[ReportService, dict[str, Member], dict[int, str]]:
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.db.models import Report
    from bot.people.accounts import AccountService, Role
    from bot.reports.service import ReportService

    engine = make_engine(database_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    accounts = AccountService(session_factory=sessions, clock=lambda: NOW)
    people = {
        key: accounts.add(n, Role(role), channel="telegram", township=township, village=village)
        for n, (key, (role, township, village)) in enumerate(PEOPLE.items(), start=1)
    }
    ids: dict[int, str] = {}
    with sessions() as session, session.begin():
        if filler:
            session.add_all(
                synthetic_reports(
                    filler, first=date(2025, 1, 1), days=700, now=NOW, reporter_of=lambda n: 1
                )
            )
        for n, (key, (township, village, day, kind, expected, attended)) in enumerate(
            LEDGER.items(), start=1
        ):
            report = Report(
                draft_id=10_000_000 + n,
                reporter_id=1,
                village=village,
                township=township,
                activity_date=date.fromisoformat(day),
                type=kind,
                tags="[]",
                expected=expected,
                attended=attended,
                summary=f"{village}{kind}",
                created_at=NOW,
                updated_at=NOW,
            )
            session.add(report)
            session.flush()
            ids[report.id] = key
    reports = ReportService(
        session_factory=sessions, clock=lambda: NOW, timezone=ZoneInfo("Asia/Shanghai")
    )
    return reports, people, ids


def judge(
    row: dict[str, Any], route: str, answer: LedgerAnswer, ids: dict[int, str]
) -> tuple[bool, str]:
    kind = row["kind"]
    if kind == "policy":
        return route == "question", f"route {route}"
    if route != "ledger":
        return False, f"route {route}"
    if answer.kind != kind:
        return False, f"read as {answer.kind}"
    if kind == "missing":
        got = sorted(t + v for t, v in answer.branches)
        return got == sorted(row["branches"]), f"missing {got}"
    if kind in ("scope", "ask"):
        return True, ""
    got = sorted(ids.get(r.id, f"#{r.id}") for r in answer.reports)
    if got != sorted(row["reports"]):
        return False, f"reports {got}"
    if kind == "attendance":
        wanted = [str(LEDGER[k][5]) for k in row["reports"]]
        if not all(f"实到 {n} 人" in answer.text for n in wanted):
            return False, "attendance figures"
    return True, ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("all", "tune", "held"), default="all")
    parser.add_argument("--reports", type=int, default=10_000, help="filler for the timing run")
    parser.add_argument("--show", action="store_true", help="print every miss")
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite files")
    args = parser.parse_args()

    from bot.conversation.routing import route_text
    from bot.ledger_query.answering import answer_ledger_question
    from bot.people.scope import scope_of

    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line]
    if args.part != "all":
        rows = [r for r in rows if (r["id"] % 2 == 0) == (args.part == "tune")]
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        known = stack.enter_context(fresh_database_url(args.database_url, Path(tmp) / "known.db"))
        big = stack.enter_context(fresh_database_url(args.database_url, Path(tmp) / "big.db"))
        reports, people, ids = build(known, 0)
        today = reports.today()
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        out_of_scope = false_nothing = 0
        misses = []
        for row in rows:
            member = people[row["who"]]
            route, _ = route_text(row["question"], member=member, pending_field=False, today=today)
            answer = answer_ledger_question(reports, member, row["question"])
            ok, why = judge(row, str(route), answer, ids)
            total[row["kind"]] += 1
            right[row["kind"]] += ok
            scope = scope_of(member)
            out_of_scope += sum(not scope.may_see(r.township, r.village) for r in answer.reports)
            said_nothing = "没有找到" in answer.text or "还没有登记" in answer.text
            said_scope = "查看范围" in answer.text or "您可以查看的是本村" in answer.text
            false_nothing += said_nothing and (
                bool(row.get("reports")) or (row["kind"] == "scope" and not said_scope)
            )
            if not ok:
                misses.append((row["id"], row["who"], row["question"], row["kind"], why))
        print(f"part={args.part} questions={len(rows)} (even ids tune, odd ids held out)")
        for kind in sorted(total):
            print(f"  {kind:<11} {right[kind]:>3}/{total[kind]:<3}")
        share = 100 * sum(right.values()) / len(rows)
        print(f"  right {sum(right.values())}/{len(rows)} = {share:.1f}%")
        print(f"  rows out of scope: {out_of_scope}   false 「没有记录」: {false_nothing}")
        if args.show:
            for miss in misses:
                print("  MISS", *miss)

        timed, people, _ = build(big, args.reports)
        times = []
        for row in rows:
            member = people[row["who"]]
            start = time.perf_counter()
            route, _ = route_text(row["question"], member=member, pending_field=False, today=today)
            if str(route) == "ledger":
                answer_ledger_question(timed, member, row["question"])
            times.append(1000 * (time.perf_counter() - start))
        print(
            f"  at {args.reports + len(LEDGER)} reports ({big.partition(':')[0]}): "
            f"p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms, "
            f"max {max(times):.0f} ms"
        )


if __name__ == "__main__":
    main()
