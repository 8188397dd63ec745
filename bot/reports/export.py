"""The 台账 as staff hand it in: one row per activity, grouped by 乡镇, 村 and date, printed
landscape one page wide with the header on every page; and a summary of every registered
branch in a fixed order (乡镇, then 村), those with no activity marked — never ranked."""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.ordering import branch_key, ledger_key
from bot.reports.parsing import TYPE_NAMES
from bot.reports.rows import ReportRow

# (header, column width in characters)
COLUMNS = (
    ("序号", 5),
    ("乡镇", 9),
    ("党组织名称", 14),
    ("活动时间", 11),
    ("活动地点", 10),
    ("活动类型", 10),
    ("主题", 18),
    ("主持人", 7),
    ("记录人", 7),
    ("应到", 5),
    ("实到", 5),
    ("缺席及原因", 10),
    ("活动内容", 40),
    ("照片", 6),
    ("上报人", 8),
    ("上报时间", 11),
    ("备注", 12),
)
HEADERS = tuple(name for name, _ in COLUMNS)
WRAPPED = {"党组织名称", "主题", "活动内容", "缺席及原因", "备注", "活动地点"}
SUMMARY_TITLE = "汇总"
LEDGER_TITLE = "台账"
NO_ACTIVITY = "本月未开展活动"
NO_PARTY_DAY = "未开展主题党日"
LINE_HEIGHT_PT = 15
A4 = 9  # the paper size code Excel uses
CJK_WIDTH = 1.7
Branch = tuple[str | None, str]  # (乡镇, 村)


def sorted_rows(rows: Iterable[ReportRow]) -> list[ReportRow]:
    """Grouped as staff read a 台账: by 乡镇, then 村, then date."""
    return sorted(rows, key=lambda r: ledger_key(r.township, r.village, r.activity_date, r.id))


def organisation_name(row: ReportRow) -> str:
    return f"{row.village}党支部"


def _cells(number: int, row: ReportRow, reporters: Mapping[int, str]) -> list[object]:
    absent = None
    if row.expected is not None and row.attended is not None and row.expected > row.attended:
        absent = f"{row.expected - row.attended}人"
    return [
        number,
        row.township or "",
        organisation_name(row),
        row.activity_date,
        row.place or "",
        row.type,
        row.theme or "",
        row.host or "",
        "",  # 记录人: not asked on the card yet
        row.expected,
        row.attended,
        absent or "",
        row.summary,
        f"{len(row.photos)}张" if row.photos else "",
        reporters.get(row.reporter_id, ""),
        row.created_at.date() if row.created_at else None,
        f"另有：{'、'.join(row.tags)}" if row.tags else "",
    ]


def write_csv(
    rows: Iterable[ReportRow], path: Path, *, reporters: Mapping[int, str] | None = None
) -> int:
    count = 0
    # utf-8-sig so that Excel on Windows opens the Chinese text correctly
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for count, row in enumerate(sorted_rows(rows), start=1):
            cells = _cells(count, row, reporters or {})
            writer.writerow([c.isoformat() if hasattr(c, "isoformat") else c for c in cells])
    return count


def write_photo_zip(
    rows: Iterable[ReportRow], path: Path, *, limit_bytes: int | None = None
) -> tuple[int, int]:
    """The reports' kept photos in one zip, named by the 台账's 序号 (`照片/003-张家村-1.jpg`),
    so staff find a row's photos by its number. (photos written, photos left out: missing
    files, or past `limit_bytes`)."""
    import zipfile

    written = left_out = total = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, row in enumerate(sorted_rows(rows), start=1):
            for index, stored in enumerate(row.photos, start=1):
                source = Path(stored)
                if not source.is_file():
                    left_out += 1
                    continue
                size = source.stat().st_size
                if limit_bytes is not None and total + size > limit_bytes:
                    left_out += 1
                    continue
                name = f"照片/{number:03d}-{row.village}-{index}{source.suffix or '.jpg'}"
                archive.write(source, name)
                written += 1
                total += size
    return written, left_out


def _lines(text: str, width: int) -> int:
    """Printed lines of `text` in a column `width` characters wide: what the row height must
    hold so wrapped text never runs into the next row. A Chinese character takes about 1.7
    widths of a digit (measured on the LibreOffice PDF of a month's 台账)."""
    total = 0
    for paragraph in str(text).split("\n"):
        columns = sum(CJK_WIDTH if ord(c) > 0x2E7F else 1.0 for c in paragraph)
        total += max(1, math.ceil(columns / max(1, width - 1)))
    return total


def write_xlsx(
    rows: Sequence[ReportRow],
    path: Path,
    *,
    title: str,
    reporters: Mapping[int, str] | None = None,
    branches: Sequence[Branch] = (),
) -> int:
    """Streamed (write-only) so that tens of thousands of rows stay small in memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ordered = sorted_rows(rows)
    _write_ledger(workbook, ordered, title=title, reporters=reporters or {})
    _write_summary(workbook, ordered, title=title, branches=branches)
    workbook.save(path)
    return len(ordered)


def _print_setup(sheet: Any, *, columns: int, last_row: int, title_rows: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    last = get_column_letter(columns)
    sheet.merged_cells.add(CellRange(f"A1:{last}1"))
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = title_rows
    sheet.auto_filter.ref = f"A2:{last}{max(2, last_row)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _styled(sheet: Any, values: Sequence[object], **style: Any) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        cells.append(cell)
    return cells


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "title_font": Font(bold=True, size=14),
        "header_font": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="D9D9D9"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "top": Alignment(vertical="top", horizontal="center"),
    }


def _start_sheet(
    sheet: Any,
    s: dict[str, Any],
    title: str,
    headers: Sequence[str],
    widths: Sequence[float],
    *,
    last_row: int,
) -> None:
    """Column widths, print setup, the merged title row and the header row."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet, columns=len(headers), last_row=last_row, title_rows="1:2")
    sheet.row_dimensions[1].height = 28
    sheet.append(_styled(sheet, [title], font=s["title_font"], alignment=s["center"]))
    sheet.append(
        _styled(
            sheet,
            headers,
            font=s["header_font"],
            fill=s["header_fill"],
            border=s["border"],
            alignment=s["center"],
        )
    )


def _register_styles(workbook: Any, s: dict[str, Any]) -> dict[str, str]:
    from openpyxl.styles import NamedStyle

    kinds = {
        "ledger_wrap": {"alignment": s["wrap"]},
        "ledger_top": {"alignment": s["top"]},
        "ledger_date": {"alignment": s["top"], "number_format": "yyyy-mm-dd"},
    }
    for name, attributes in kinds.items():
        style = NamedStyle(name=name, border=s["border"])
        for attribute, value in attributes.items():
            setattr(style, attribute, value)
        workbook.add_named_style(style)
    return {name: name for name in kinds}


def _write_ledger(
    workbook: Any, rows: Sequence[ReportRow], *, title: str, reporters: Mapping[int, str]
) -> None:
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(LEDGER_TITLE)
    s = _styles()
    _start_sheet(sheet, s, title, HEADERS, [w for _, w in COLUMNS], last_row=len(rows) + 2)
    widths = dict(COLUMNS)
    # one named style per kind of cell: openpyxl then looks each up once, not per attribute
    styles = _register_styles(workbook, s)
    column_style = [
        "ledger_date"
        if name in ("活动时间", "上报时间")
        else "ledger_wrap"
        if name in WRAPPED
        else "ledger_top"
        for name in HEADERS
    ]
    for number, row in enumerate(rows, start=1):
        values = _cells(number, row, reporters)
        lines = max(
            (
                _lines(str(value), widths[name])
                for name, value in zip(HEADERS, values, strict=True)
                if name in WRAPPED and value
            ),
            default=1,
        )
        sheet.row_dimensions[number + 2].height = lines * LINE_HEIGHT_PT + 4
        cells = []
        for style, value in zip(column_style, values, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            cell.style = styles[style]
            cells.append(cell)
        sheet.append(cells)


def _write_summary(
    workbook: Any, rows: Sequence[ReportRow], *, title: str, branches: Sequence[Branch]
) -> None:
    """Every registered branch (and any other that reported), in a fixed order; counts per
    type; those with no activity, or no 主题党日, said so. No totals per branch are ranked."""

    sheet = workbook.create_sheet(SUMMARY_TITLE)
    s = _styles()
    counts = Counter((row.township or "", row.village, row.type) for row in rows)
    known = {(t or "", v) for t, v in branches} | {(t, v) for t, v, _ in counts}
    ordered = sorted(known, key=branch_key)
    types = [name for name in TYPE_NAMES if any(k[2] == name for k in counts)]
    if "主题党日" not in types:
        types.insert(0, "主题党日")
    headers = ["乡镇", "党组织名称", *types, "合计", "情况"]
    widths = [10, 16, *[max(8, len(t) * 2 + 2) for t in types], 7, 16]
    _start_sheet(sheet, s, title, headers, widths, last_row=len(ordered) + 2)
    for township, village in ordered:
        numbers = [counts[(township, village, name)] for name in types]
        status = NO_ACTIVITY if not sum(numbers) else ""
        if sum(numbers) and not counts[(township, village, "主题党日")]:
            status = NO_PARTY_DAY
        values = [township, f"{village}党支部", *numbers, sum(numbers), status]
        sheet.append(_styled(sheet, values, border=s["border"], alignment=s["center"]))
    totals = [sum(counts[(t, v, name)] for t, v in ordered) for name in types]
    sheet.append(
        _styled(
            sheet,
            ["合计", f"{len(ordered)} 个党组织", *totals, sum(totals), ""],
            font=s["header_font"],
            border=s["border"],
            alignment=s["center"],
        )
    )
