"""The 台账 as a spreadsheet: one row per activity, and a villages × types summary."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.reports.parsing import TYPE_NAMES
from bot.reports.rows import ReportRow

HEADERS = (
    "序号",
    "活动日期",
    "乡镇",
    "村",
    "活动类型",
    "其他类型",
    "主题",
    "应到人数",
    "实到人数",
    "活动内容",
    "照片",
)
SUMMARY_TITLE = "汇总"
LEDGER_TITLE = "台账"


def _cells(number: int, row: ReportRow) -> list[object]:
    return [
        number,
        row.activity_date,
        row.township or "",
        row.village,
        row.type,
        "、".join(row.tags),
        row.theme or "",
        row.expected,
        row.attended,
        row.summary,
        "\n".join(row.photos),
    ]


def write_csv(rows: Iterable[ReportRow], path: Path) -> int:
    count = 0
    # utf-8-sig so that Excel on Windows opens the Chinese text correctly
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for count, row in enumerate(rows, start=1):
            cells = _cells(count, row)
            cells[1] = row.activity_date.isoformat()
            writer.writerow(cells)
    return count


def write_xlsx(rows: Sequence[ReportRow], path: Path, *, title: str) -> int:
    """Streamed (write-only) so that tens of thousands of rows stay small in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    ledger = workbook.create_sheet(LEDGER_TITLE)
    widths = (6, 12, 10, 10, 12, 14, 24, 9, 9, 50, 20)
    for index, width in enumerate(widths, start=1):
        ledger.column_dimensions[chr(64 + index)].width = width
    bold = Font(bold=True)

    def header(sheet: Any, values: Sequence[object]) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    ledger.append([title])
    header(ledger, HEADERS)
    wrap = Alignment(wrap_text=True, vertical="top")
    date_format = "yyyy-mm-dd"
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(_cells(number, row)):
            cell = WriteOnlyCell(ledger, value=value)
            if column == 1:
                cell.number_format = date_format
            if column == 9:
                cell.alignment = wrap
            cells.append(cell)
        ledger.append(cells)

    summary = workbook.create_sheet(SUMMARY_TITLE)
    counts = Counter((row.township or "", row.village, row.type) for row in rows)
    villages = sorted({(t, v) for t, v, _ in counts})
    types = [name for name in TYPE_NAMES if any(k[2] == name for k in counts)]
    summary.append([title])
    header(summary, ["乡镇", "村", *types, "合计"])
    for township, village in villages:
        numbers = [counts[(township, village, name)] for name in types]
        summary.append([township, village, *numbers, sum(numbers)])
    totals = [sum(counts[(t, v, name)] for t, v in villages) for name in types]
    summary.append(["合计", "", *totals, sum(totals)])
    workbook.save(path)
    return len(rows)
