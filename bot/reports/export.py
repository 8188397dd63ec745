"""The 台账 as 组织部 files it: a title naming the place and the month; one row per activity,
grouped by 乡镇, 村 and date, in at most 12 columns that print on A4 landscape at 100 %; the
other columns on a second sheet (续表) found by the same 序号; and a summary of every registered
branch in a fixed order (乡镇, then 村) — counts per kind, and per kind the branches with none of
it, never ranked. Where the rows span more than one 乡镇 (so two 张家村 may be in view), every
row names its 乡镇. User text is written as text, never as a formula."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import messages
from bot.ordering import branch_key, ledger_key
from bot.reports.content import activity_content
from bot.reports.parsing import TYPE_NAMES
from bot.reports.rows import ReportRow
from bot.reports.workbook import (
    as_csv_text,
    printed_lines,
    register_cell_styles,
    row_height,
    start_sheet,
    styled,
    styles,
    text_cell,
)

Branch = tuple[str | None, str]  # (乡镇, 村)
SUMMARY_TITLE = "汇总"
LEDGER_TITLE = "台账"
MORE_TITLE = "台账续表"
NO_ACTIVITY = "本月未开展活动"
NO_PARTY_DAY = "未开展主题党日"
# the kinds every branch is expected to hold (主题党日 and 三会一课): the summary lists, for
# each, the branches that held none
EXPECTED_KINDS = ("主题党日", "支部党员大会", "支部委员会", "党小组会", "党课")


@dataclass(frozen=True)
class Line:
    """One printed row: its 序号, the report, and how the row names its branch."""

    number: int
    row: ReportRow
    organisation: str
    reporter: str


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Callable[[Line], object]
    kind: str = "top"  # top | wrap | date


def _absent(line: Line) -> str:
    return line.row.absent_text


def _text(value: str | None) -> str:
    return value or ""


# The printed sheet: 12 columns, 111.5 characters wide: A4 landscape at 100 % as LibreOffice
# prints it (a character of width is 0.246 cm there, 0.185 cm in Excel; 27.7 cm between the
# margins) — measured by bench.ledger_print.
COLUMNS = (
    Column("序号", 4, lambda x: x.number),
    Column("党组织名称", 12, lambda x: x.organisation, "wrap"),
    Column("活动时间", 10.5, lambda x: x.row.activity_date, "date"),
    Column("活动类型", 9, lambda x: x.row.type),
    Column("主题", 13, lambda x: x.row.theme or "", "wrap"),
    Column("活动地点", 8, lambda x: x.row.place or "", "wrap"),
    Column("主持人", 6.5, lambda x: x.row.host or ""),
    Column("应到", 4.5, lambda x: x.row.expected),
    Column("实到", 4.5, lambda x: x.row.attended),
    Column("缺席及原因", 8, _absent, "wrap"),
    Column("活动内容", 27, lambda x: activity_content(x.row), "wrap"),
    Column("照片", 4.5, lambda x: f"{len(x.row.photos)}张" if x.row.photos else ""),
)
# The second sheet: the row's 序号, name and date again, then the rest. A new field is one line.
MORE_COLUMNS = (
    Column("序号", 4, lambda x: x.number),
    Column("党组织名称", 12, lambda x: x.organisation, "wrap"),
    Column("活动时间", 10.5, lambda x: x.row.activity_date, "date"),
    Column("记录人", 7, lambda x: _text(x.row.recorder)),
    Column("议题", 20, lambda x: _text(x.row.topics), "wrap"),
    Column("决议", 20, lambda x: _text(x.row.decisions), "wrap"),
    Column("上报人", 7, lambda x: x.reporter),
    Column(
        "上报时间", 10.5, lambda x: x.row.created_at.date() if x.row.created_at else None, "date"
    ),
    Column("备注", 14, lambda x: f"另有：{'、'.join(x.row.tags)}" if x.row.tags else "", "wrap"),
)
HEADERS = tuple(c.header for c in COLUMNS)
MORE_HEADERS = tuple(c.header for c in MORE_COLUMNS)
# the CSV has no page: every column once
CSV_COLUMNS = (*COLUMNS, *(c for c in MORE_COLUMNS if c.header not in HEADERS))


def ledger_title(scope: str, month: str | None) -> str:
    """城关镇 2026年12月 党组织活动台账 (month "2026-12"; None for every month)."""
    if month and len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
        when = f"{int(month[:4])}年{int(month[5:])}月"
    else:
        when = month or "全部"
    return messages.LEDGER_TITLE.format(scope=scope, month=when)


def sorted_rows(rows: Iterable[ReportRow]) -> list[ReportRow]:
    """Grouped as staff read a 台账: by 乡镇, then 村, then date."""
    return sorted(rows, key=lambda r: ledger_key(r.township, r.village, r.activity_date, r.id))


def organisation_name(township: str | None, village: str, *, name_township: bool) -> str:
    return f"{township or ''}{village}党支部" if name_township else f"{village}党支部"


def names_township(rows: Iterable[ReportRow], branches: Iterable[Branch] = ()) -> bool:
    """Whether rows must name their 乡镇: when they span more than one (two 张家村 may be in
    view, and the 台账 has no 乡镇 column)."""
    townships = {r.township or "" for r in rows} | {t or "" for t, _ in branches}
    return len(townships) > 1


def _lines(
    rows: Sequence[ReportRow], reporters: Mapping[int, str], branches: Sequence[Branch]
) -> list[Line]:
    ordered = sorted_rows(rows)
    both = names_township(ordered, branches)
    return [
        Line(
            number,
            row,
            organisation_name(row.township, row.village, name_township=both),
            reporters.get(row.reporter_id, ""),
        )
        for number, row in enumerate(ordered, start=1)
    ]


def write_csv(
    rows: Iterable[ReportRow], path: Path, *, reporters: Mapping[int, str] | None = None
) -> int:
    lines = _lines(list(rows), reporters or {}, ())
    # utf-8-sig so that Excel on Windows opens the Chinese text correctly
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in CSV_COLUMNS])
        for line in lines:
            cells = [c.value(line) for c in CSV_COLUMNS]
            writer.writerow(
                [c.isoformat() if hasattr(c, "isoformat") else as_csv_text(c) for c in cells]
            )
    return len(lines)


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
    register_cell_styles(workbook, styles())
    lines = _lines(rows, reporters or {}, branches)
    _write_rows(workbook, LEDGER_TITLE, title, COLUMNS, lines)
    _write_rows(workbook, MORE_TITLE, f"{title}（续表）", MORE_COLUMNS, lines)
    _write_summary(workbook, [x.row for x in lines], title=title, branches=branches)
    workbook.save(path)
    return len(lines)


def _write_rows(
    workbook: Any, name: str, title: str, columns: Sequence[Column], lines: Sequence[Line]
) -> None:
    sheet = workbook.create_sheet(name)
    headers = [c.header for c in columns]
    start_sheet(sheet, title, headers, [c.width for c in columns], last_row=len(lines) + 2)
    style_of = {"top": "ledger_top", "wrap": "ledger_wrap", "date": "ledger_date"}
    for index, line in enumerate(lines, start=3):
        values = [c.value(line) for c in columns]
        tallest = max(
            (
                printed_lines(str(value), c.width)
                for c, value in zip(columns, values, strict=True)
                if c.kind == "wrap" and value
            ),
            default=1,
        )
        sheet.row_dimensions[index].height = row_height(tallest)
        cells = []
        for column, value in zip(columns, values, strict=True):
            cell = text_cell(sheet, value)
            cell.style = style_of[column.kind]
            cells.append(cell)
        sheet.append(cells)


def _write_summary(
    workbook: Any, rows: Sequence[ReportRow], *, title: str, branches: Sequence[Branch]
) -> None:
    """Every registered branch (and any other that reported), in a fixed order; counts per
    kind; those with no activity, or no 主题党日, said so; then per expected kind the branches
    that held none. No totals per branch are ranked."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    sheet = workbook.create_sheet(SUMMARY_TITLE)
    s = styles()
    counts = Counter((row.township or "", row.village, row.type) for row in rows)
    known = {(t or "", v) for t, v in branches} | {(t, v) for t, v, _ in counts}
    ordered = sorted(known, key=branch_key)
    types = [name for name in TYPE_NAMES if any(k[2] == name for k in counts)]
    if "主题党日" not in types:
        types.insert(0, "主题党日")
    headers = ["乡镇", "党组织名称", *types, "合计", "情况"]
    # a kind's name wraps in its header: ten kinds still print at 100 %
    widths = [8, 13, *[7 for _ in types], 6, 14]
    kinds = [k for k in EXPECTED_KINDS if k in TYPE_NAMES]
    start_sheet(sheet, title, headers, widths, last_row=len(ordered) + 2)
    for township, village in ordered:
        numbers = [counts[(township, village, name)] for name in types]
        status = NO_ACTIVITY if not sum(numbers) else ""
        if sum(numbers) and not counts[(township, village, "主题党日")]:
            status = NO_PARTY_DAY
        values = [township, f"{village}党支部", *numbers, sum(numbers), status]
        sheet.append(styled(sheet, values, border=s["border"], alignment=s["center"]))
    totals = [sum(counts[(t, v, name)] for t, v in ordered) for name in types]
    bold = {"font": s["header_font"], "border": s["border"], "alignment": s["center"]}
    sheet.append(
        styled(sheet, ["合计", f"{len(ordered)} 个党组织", *totals, sum(totals), ""], **bold)
    )
    # per kind, who held none of it: what a 组织部 follows up
    sheet.append([])
    first = len(ordered) + 5
    last = get_column_letter(len(headers))
    sheet.merged_cells.add(CellRange(f"C{first}:{last}{first}"))
    spare = [""] * (len(headers) - 3)  # the merged cells' borders are their own cells'
    sheet.append(styled(sheet, ["活动类型", "未开展的党组织数", "未开展的党组织", *spare], **bold))
    both = names_township(rows, branches)
    names_width = sum(widths[2:])
    for offset, kind in enumerate(kinds, start=1):
        missing = [
            organisation_name(t, v, name_township=both).removesuffix("党支部")
            for t, v in ordered
            if not counts[(t, v, kind)]
        ]
        listed = "、".join(missing) or "无"
        sheet.merged_cells.add(CellRange(f"C{first + offset}:{last}{first + offset}"))
        tallest = max(printed_lines(listed, names_width), printed_lines(kind, widths[0]))
        sheet.row_dimensions[first + offset].height = row_height(tallest)
        cells = styled(sheet, [kind, len(missing)], border=s["border"], alignment=s["center"])
        cells += styled(sheet, [listed, *spare], border=s["border"], alignment=s["left"])
        sheet.append(cells)
