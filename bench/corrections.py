"""Correction detection on the report dev sets: precision and recall of `is_correction`, and
the new values it reads, on reports_dev3 (messages marked "correction": true) split by id —
even ids tuned on, odd ids held out — and the messages of every other set as non-corrections
(a report or a question read as a correction would offer to change a record), with
bench/'s own report and question sets.

    PYTHONPATH=$PWD .venv/bin/python -m bench.corrections
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from bench.common import SHARED
from bot.reports.corrections import is_correction, read_correction

VALUES = ("date", "village", "type", "expected", "attended")


def _part(item_id: str) -> str:
    digits = "".join(c for c in item_id if c.isdigit())
    return "tune" if int(digits or 0) % 2 == 0 else "held"


def main() -> int:
    folder = SHARED / "eval"
    counts: dict[str, dict[str, int]] = {}
    wrong: list[str] = []
    here = Path(__file__).resolve().parent
    for path in [*sorted(folder.glob("*.jsonl")), *sorted(here.glob("*.jsonl"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            text = item.get("text") or item.get("question") or ""
            if not text:
                continue
            today = date.fromisoformat(item.get("today", "2026-12-06"))
            expect = item.get("expect") if isinstance(item.get("expect"), dict) else {}
            truth = bool(expect.get("correction"))
            part = _part(item["id"]) if path.name == "reports_dev3.jsonl" else "other"
            said = is_correction(text, today=today)
            tally = counts.setdefault(
                part, {"n": 0, "tp": 0, "fp": 0, "fn": 0, "values": 0, "right": 0}
            )
            tally["n"] += 1
            if said and truth:
                tally["tp"] += 1
                values = read_correction(text, today=today).values
                for name in VALUES:
                    if name in expect and name != "village":
                        tally["values"] += 1
                        want = expect[name]
                        got = values.get(name)
                        ok = got in want if isinstance(want, list) else got == want
                        tally["right"] += ok
                        if not ok:
                            wrong.append(f"{item['id']} {name}: {got!r} ≠ {want!r}")
            elif said:
                tally["fp"] += 1
                wrong.append(f"{path.name} {item['id']} 误判为更正：{text[:40]}")
            elif truth:
                tally["fn"] += 1
                wrong.append(f"{item['id']} 漏判：{text[:40]}")
    print("part   messages  corrections  found  false  precision  recall  values right")
    for part, t in counts.items():
        found = t["tp"] + t["fp"]
        actual = t["tp"] + t["fn"]
        precision = f"{t['tp'] / found:.2f}" if found else "-"
        recall = f"{t['tp'] / actual:.2f}" if actual else "-"
        print(
            f"{part:6} {t['n']:8}  {actual:11}  {t['tp']:5}  {t['fp']:5}  {precision:>9}  {recall:>6}"
            f"  {t['right']}/{t['values']}"
        )
    for line in wrong:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
