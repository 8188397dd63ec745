"""Export of a large ledger: time and memory.

.venv/bin/python -m bench.ledger_export [--reports 10000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import peak_rss_mib, synthetic_reports
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.people.accounts import Member, Role
from bot.reports.export import ledger_title, write_csv, write_xlsx
from bot.reports.service import ReportService


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'ledger.db'}")
        upgrade_schema(engine)
        sessions = make_session_factory(engine)
        with sessions() as session, session.begin():
            session.add_all(
                synthetic_reports(
                    args.reports,
                    first=date(2023, 6, 1),
                    days=30,
                    now=now,
                    reporter_of=lambda n: 1000 + n % 300,
                )
            )
        service = ReportService(
            session_factory=sessions, clock=lambda: now, timezone=ZoneInfo("Asia/Shanghai")
        )
        county = Member(0, "", Role.STAFF, None, None, True)
        rss_before = peak_rss_mib()
        started = time.perf_counter()
        rows = service.query(county, month="2023-06")
        queried = time.perf_counter() - started
        started = time.perf_counter()
        write_xlsx(rows, Path(tmp) / "ledger.xlsx", title=ledger_title("全县", "2023-06"))
        xlsx_s = time.perf_counter() - started
        started = time.perf_counter()
        write_csv(rows, Path(tmp) / "ledger.csv")
        csv_s = time.perf_counter() - started
        size = (Path(tmp) / "ledger.xlsx").stat().st_size / 1024 / 1024
        # a second, traced pass for the Python heap (tracemalloc slows it, so not timed)
        tracemalloc.start()
        write_xlsx(service.query(county, month="2023-06"), Path(tmp) / "x.xlsx", title="x")
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f"{len(rows)} reports | query {queried:.2f} s | xlsx {xlsx_s:.2f} s ({size:.1f} MiB) | csv {csv_s:.2f} s | "
        f"Python heap peak during export {traced_peak / 1024 / 1024:.0f} MiB | "
        f"process peak RSS {peak_rss_mib():.0f} MiB (before export {rss_before:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
