"""Report-parsing accuracy per field on ../shared/eval/reports_dev.jsonl and bench/reports_extra.jsonl.

    .venv/bin/python -m bench.report_parsing

Also checks that `partybot report parse --json` prints valid JSON with exactly the agreed keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from bench.common import SHARED, load_questions
from bot.reports.parsing import parse_report

SETS = {
    "reports_dev": SHARED / "eval" / "reports_dev.jsonl",
    "reports_extra": Path(__file__).resolve().parent / "reports_extra.jsonl",
}
FIELDS = ("date", "village", "type", "theme", "expected", "attended")
KEYS = {"date", "village", "type", "tags", "theme", "expected", "attended", "summary"}


def field_ok(name: str, want: object, got: object) -> bool:
    if name == "type":
        return got in want  # type: ignore[operator]
    return got == want


def main() -> None:
    for name, path in SETS.items():
        rows = load_questions(path)
        right = dict.fromkeys(FIELDS, 0)
        total = dict.fromkeys(FIELDS, 0)
        misses = []
        for row in rows:
            parsed = parse_report(row["text"], today=date.fromisoformat(row["today"])).as_json()
            for field, want in row["expect"].items():
                total[field] += 1
                if field_ok(field, want, parsed[field]):
                    right[field] += 1
                else:
                    misses.append(f"{row['id']} {field}: want {want!r}, got {parsed[field]!r}")
        cells = "  ".join(
            f"{f} {right[f]}/{total[f]} ({right[f] / total[f]:.0%})" for f in FIELDS if total[f]
        )
        print(f"{name:<14} n={len(rows):<3} {cells}")
        for miss in misses:
            print(f"   miss {miss}")
        texts = [row["text"] for row in rows]
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "report",
                "parse",
                "--json",
                "--today",
                rows[0]["today"],
                *texts,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        valid = sum(1 for line in out if set(json.loads(line)) == KEYS)
        print(f"{'':<14} CLI JSON: {valid}/{len(texts)} valid lines with exactly the agreed keys")


if __name__ == "__main__":
    main()
