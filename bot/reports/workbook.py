"""The look of a printed 台账 sheet: A4 landscape, a merged title, a grey header repeated on
every page, thin borders, wrapped text whose rows are tall enough; and user text written as
text, never as a formula (OWASP CSV/formula injection)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

LINE_HEIGHT_PT = 16.5  # a line of 11 pt Chinese as LibreOffice prints it (Noto Sans CJK)
A4 = 9  # the paper size code Excel uses
CJK_WIDTH = 1.8
# what a spreadsheet reads as the start of a formula (or of a DDE call) when a cell is typed
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_csv_text(value: object) -> object:
    """A CSV cell: user text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cell(sheet: Any, value: object) -> Any:
    """A write-only cell whose text stays text: openpyxl makes "=1+1" a formula otherwise."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def printed_lines(text: str, width: float) -> int:
    """Printed lines of `text` in a column `width` characters wide: what the row height must
    hold so wrapped text never runs into the next row. A Chinese character takes about 1.55
    widths of a digit in LibreOffice's PDF of bench.ledger_print's 台账 and about 2.1 in
    Excel; 1.8, with lines of 16.5 pt (Excel draws 11 pt in 14.25), fits both."""
    total = 0
    for paragraph in str(text).split("\n"):
        columns = sum(CJK_WIDTH if ord(c) > 0x2E7F else 1.0 for c in paragraph)
        total += max(1, math.ceil(columns / max(1, width - 1)))
    return total


def row_height(lines: int) -> float:
    return lines * LINE_HEIGHT_PT + 4


def styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "title_font": Font(bold=True, size=14),
        "header_font": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="D9D9D9"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "top": Alignment(vertical="top", horizontal="center", wrap_text=True),
    }


def styled(sheet: Any, values: Sequence[object], **style: Any) -> list[Any]:
    cells = []
    for value in values:
        cell = text_cell(sheet, value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        cells.append(cell)
    return cells


def register_cell_styles(workbook: Any, s: dict[str, Any]) -> None:
    """One named style per kind of cell: openpyxl then looks each up once, not per attribute."""
    from openpyxl.styles import NamedStyle

    kinds = {
        "ledger_wrap": {"alignment": s["wrap"]},
        "ledger_top": {"alignment": s["top"]},
        "ledger_date": {"alignment": s["top"], "number_format": "yyyy-mm-dd"},
    }
    for name, attributes in kinds.items():
        if name in workbook.named_styles:
            continue
        style = NamedStyle(name=name, border=s["border"])
        for attribute, value in attributes.items():
            setattr(style, attribute, value)
        workbook.add_named_style(style)


def start_sheet(
    sheet: Any,
    title: str,
    headers: Sequence[str],
    widths: Sequence[float],
    *,
    last_row: int,
) -> None:
    """Column widths, print setup, the merged title row and the header row (as tall as its
    longest wrapped name)."""
    from openpyxl.utils import get_column_letter

    s = styles()
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet, columns=len(headers), last_row=last_row)
    sheet.row_dimensions[1].height = 28
    sheet.row_dimensions[2].height = row_height(
        max(printed_lines(h, w) for h, w in zip(headers, widths, strict=True))
    )
    sheet.append(styled(sheet, [title], font=s["title_font"], alignment=s["center"]))
    sheet.append(
        styled(
            sheet,
            headers,
            font=s["header_font"],
            fill=s["header_fill"],
            border=s["border"],
            alignment=s["center"],
        )
    )


def _print_setup(sheet: Any, *, columns: int, last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    last = get_column_letter(columns)
    sheet.merged_cells.add(CellRange(f"A1:{last}1"))
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.auto_filter.ref = f"A2:{last}{max(2, last_row)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    # the columns are chosen to fit A4 landscape at 100 %; fitting only ever shrinks a sheet
    # that someone widened by hand
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
