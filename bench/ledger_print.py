"""The printed 台账 as LibreOffice prints it: a month of reports read from real write-ups
(shared/eval/reports_dev3.jsonl, parsed as the bot parses them), exported for 城关镇 and for
the county (two 张家村), converted to PDF by LibreOffice and to PNG by pdftoppm, one image a
page — to look at, and to check that the printed sheet is one page wide at 100 %.

    PYTHONPATH=$PWD .venv/bin/python -m bench.ledger_print --output /tmp/taizhang
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bench.common import SHARED
from bot.reports.export import ledger_title, write_xlsx
from bot.reports.parsing import parse_report
from bot.reports.rows import ReportRow

EVAL = SHARED / "eval" / "reports_dev3.jsonl"
TOWNSHIP_VILLAGES = {
    "城关镇": ("张家村", "李庄村", "桃花村", "枫林村", "马家庄村", "柳河村"),
    "河口镇": ("张家村", "马坪村", "堰塘村"),
}
MONTH = date(2026, 12, 1)
NAMES_A_DATE = re.compile(
    r"\d{1,2}\s*月|\d{4}\s*年|[一二三四五六七八九十正腊]+月|\d{1,2}\s*[日号]|[./]\d"
)


def sample_rows(count: int) -> list[ReportRow]:
    """`count` reports in December 2026, their texts real write-ups that date themselves by
    昨天/上周五 (or not at all) with the village names replaced by the sample county's, sent
    the day after the activity, dated as the bot dates them."""
    items = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]
    branches = [(t, v) for t, villages in TOWNSHIP_VILLAGES.items() for v in villages]
    rows: list[ReportRow] = []
    for item in items:
        if len(rows) == count or item.get("expect", {}).get("correction"):
            continue
        if NAMES_A_DATE.search(item["text"]):  # its own date would not be December's
            continue
        township, village = branches[len(rows) % len(branches)]
        sent_day = MONTH + timedelta(days=2 + (len(rows) * 3) % 27)
        sent = datetime.combine(sent_day, time(2), tzinfo=UTC)
        parsed = parse_report(item["text"], today=sent.date())
        if parsed.plan or parsed.type is None or parsed.date is None:
            continue
        if parsed.date.month != MONTH.month:
            continue
        day = parsed.date
        summary = item["text"].replace(parsed.village or "\0", village)
        rows.append(
            ReportRow(
                len(rows) + 1,
                len(rows) % 5,
                village,
                township,
                day,
                parsed.type,
                list(parsed.tags),
                parsed.theme,
                parsed.expected,
                parsed.attended,
                summary[:300],
                ["p.jpg"] * (len(rows) % 3),
                sent,
                parsed.place,
                parsed.host,
            )
        )
    return rows


def printed_scales(pdf: Path) -> str:
    """The scale each page printed at, from the width of its title's first word: the title
    is 14 pt and opens every page (its rows repeat), each Chinese character as wide as high."""
    found = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    scales = []
    for page in found.split("<page ")[1:]:
        word = re.search(r'<word xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]+)</word>', page)
        if word:
            width = float(word.group(2)) - float(word.group(1))
            scales.append(f"{width / len(word.group(3)) / 14:.0%}")
    return " ".join(scales)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--reports", type=int, default=24)
    parser.add_argument("--dpi", type=int, default=80, help="PNG 的分辨率")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    rows = sample_rows(args.reports)
    reporters = {n: f"书记{n}" for n in range(5)}
    month = f"{MONTH:%Y-%m}"
    exports = {
        "城关镇": (
            [r for r in rows if r.township == "城关镇"],
            [("城关镇", v) for v in TOWNSHIP_VILLAGES["城关镇"]],
        ),
        "全县": (rows, [(t, v) for t, vs in TOWNSHIP_VILLAGES.items() for v in vs]),
    }
    office = shutil.which("libreoffice") or shutil.which("soffice")
    for scope, (chosen, branches) in exports.items():
        path = args.output / f"台账-{scope}-{month}.xlsx"
        write_xlsx(
            chosen, path, title=ledger_title(scope, month), reporters=reporters, branches=branches
        )
        print(f"{path}: {len(chosen)} 条")
        if office is None or shutil.which("pdftoppm") is None:
            print("  没有 libreoffice / pdftoppm：只写了 xlsx")
            continue
        subprocess.run(
            [
                office,
                # a profile of its own: another LibreOffice running does not block this one
                f"-env:UserInstallation=file://{args.output.resolve()}/.profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(args.output),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = path.with_suffix(".pdf")
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(path.with_suffix(""))],
            check=True,
            timeout=120,
        )
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = next(line for line in info.stdout.splitlines() if line.startswith("Pages"))
        size = next(line for line in info.stdout.splitlines() if line.startswith("Page size"))
        print(f"  {pdf.name}: {pages.split()[-1]} 页，{size.split(':', 1)[1].strip()}")
        print(f"  每页的缩放（标题 14 磅）：{printed_scales(pdf)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
