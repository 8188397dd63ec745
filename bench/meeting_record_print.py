"""The 会议记录 page as LibreOffice prints it: real write-ups (shared/eval/reports_dev2.jsonl
and reports_dev3.jsonl, parsed as the bot parses them) written as pages, each with 0–4
photos, plus the longest page the bot can write (活动内容 at its 300-character cap, long
决议, five photos of which four fit); all converted to PDF by LibreOffice and counted: how many
print on one A4 page. The layout was tuned on a hand-made sample and the longest page only;
every write-up here is held out. One PNG a page with --png.

    PYTHONPATH=$PWD .venv/bin/python -m bench.meeting_record_print --output /tmp/minutes
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from bench.common import SHARED
from bot.reports.minutes_doc import write_minutes
from bot.reports.parsing import parse_activities
from bot.reports.rows import ReportRow

EVALS = [SHARED / "eval" / name for name in ("reports_dev2.jsonl", "reports_dev3.jsonl")]
COLOURS = ((180, 40, 40), (60, 90, 150), (90, 140, 70), (150, 120, 40), (120, 60, 140))


def sample_photos(folder: Path) -> list[str]:
    paths = []
    for number, colour in enumerate(COLOURS):
        image = Image.new("RGB", (800, 600), colour)
        ImageDraw.Draw(image).rectangle((100, 150, 700, 450), outline="white", width=8)
        path = folder / f"photo{number}.jpg"
        image.save(path)
        paths.append(str(path))
    return paths


def sample_rows(photos: list[str]) -> list[ReportRow]:
    rows: list[ReportRow] = []
    for source in EVALS:
        for line in source.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item.get("expect", {}).get("correction"):
                continue
            today = date.fromisoformat(item["today"])
            parsed = parse_activities(item["text"], today=today)[0]
            if parsed.plan or parsed.type is None or parsed.date is None:
                continue
            n = len(rows)
            rows.append(
                ReportRow(
                    n + 1, 1, parsed.village or "张家村", "城关镇", parsed.date, parsed.type,
                    list(parsed.tags), parsed.theme, parsed.expected, parsed.attended,
                    item["text"], photos[: n % 5], datetime(2026, 1, 1, tzinfo=UTC),
                    parsed.place, parsed.host, parsed.recorder, parsed.absent,
                    parsed.absent_reasons, parsed.topics, parsed.decisions,
                )
            )  # fmt: skip
    return rows


def longest(row: ReportRow, photos: list[str]) -> ReportRow:
    return replace(
        row,
        summary="会议传达学习了县委组织部关于冬季安全生产和森林防火的通知精神，" * 20,
        topics="一、冬季防火和安全生产；二、低保评议初步名单；三、党员冬训安排" * 2,
        decisions="成立5人巡山护林小组；2户低保对象入户复核后于12月5日前公示。" * 4,
        absent_reasons="柳青（外出务工）、王平（因病）、李强（外出务工）",
        photos=photos,
    )


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages"))
    return int(line.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0, help="只取前几份描述（0 为全部）")
    parser.add_argument("--png", action="store_true", help="每页再画一张 PNG")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    photos = sample_photos(args.output)
    rows = sample_rows(photos)[: args.limit or None]
    rows.append(longest(replace(rows[0], id=len(rows) + 1), photos))
    files = []
    for row in rows:
        path = args.output / f"{row.id:03d}.docx"
        path.write_bytes(write_minutes(row).data)
        files.append(path)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        print(f"写了 {len(files)} 份 .docx；没有 libreoffice，未转 PDF")
        return 0
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{args.output.resolve()}/.profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(args.output),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    counts = {path.stem: pages_of(path.with_suffix(".pdf")) for path in files}
    over = [stem for stem, pages in counts.items() if pages > 1]
    print(f"会议记录 {len(counts)} 份（真实描述 {len(rows) - 1} 份 + 最长的 1 份）")
    print(f"一页 A4：{len(counts) - len(over)} 份；超过一页：{len(over)} 份 {' '.join(over)}")
    print(f"最长的一份：{counts[files[-1].stem]} 页")
    if args.png:
        for path in files:
            pdf = path.with_suffix(".pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(path.with_suffix(""))])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
