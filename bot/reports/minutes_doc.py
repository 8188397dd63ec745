"""The 会议记录 page of a 三会一课记录本, written from a confirmed report (.docx, one A4 page
where the text fits). What the report does not say stays blank, to be written by hand: the page
never invents a 记录人 or a 议题."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell, _Row

from bot.reports.content import SHANGHAI, activity_content
from bot.reports.rows import ReportRow

# what the page needs and a sentence often leaves out: asked back before the page is written
MINUTES_ASKED = ("host", "recorder", "topics")
MINUTES_FIELD_NAMES = {"host": "主持人", "recorder": "记录人", "topics": "议题"}
# the photos a page has room for; the rest are counted
PHOTOS_ON_PAGE = 4
PHOTO_HEIGHT = Cm(3.2)
FONT = "SimSun"
LABEL_WIDTH = Cm(3.0)
VALUE_WIDTH = Cm(5.5)
# the least height of each row, room to write by hand in what the report left blank
ROW_HEIGHT = Cm(0.9)
LONG_ROW_HEIGHTS = {"缺席人员及原因": 0.9, "议题": 1.4, "内容摘要": 5.0, "决议": 2.6}
# more lines than this in 活动内容 run on in one paragraph
MAX_CONTENT_LINES = 6
PAGE_TITLE = "会议记录"
SIGNATURES = "主持人（签字）：________________　　　　记录人（签字）：________________"


@dataclass(frozen=True)
class MinutesPage:
    name: str
    data: bytes
    photos_shown: int
    photos_total: int


def minutes_topics(row: ReportRow) -> str:
    """议题: as the report listed them, else the activity's theme (a 主题党日's subject)."""
    return row.topics or row.theme or ""


def unsaid_fields(row: ReportRow, *, skipped: Sequence[str] = ()) -> list[str]:
    """The asked fields the report leaves empty, in the order they are asked."""
    values = {"host": row.host, "recorder": row.recorder, "topics": minutes_topics(row)}
    return [name for name in MINUTES_ASKED if not values[name] and name not in skipped]


def cn_date(row: ReportRow) -> str:
    day = row.activity_date
    return f"{day.year}年{day.month}月{day.day}日"


def minutes_file_name(row: ReportRow) -> str:
    return f"会议记录-{row.village}-{row.activity_date:%Y%m%d}-{row.type}.docx"


def write_minutes(row: ReportRow) -> MinutesPage:
    """The page as .docx bytes."""
    document = Document()
    _page_setup(document)
    branch = f"{row.township or ''}{row.village}党支部"
    _paragraph(document, PAGE_TITLE, size=18, bold=True, center=True)
    _paragraph(document, branch, size=12, center=True)

    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    pairs = [
        ("会议类型", row.type, "时间", cn_date(row)),
        ("地点", row.place or "", "主持人", row.host or ""),
        ("记录人", row.recorder or "", "应到人数", _count(row.expected)),
        ("实到人数", _count(row.attended), "缺席人数", _absent_count(row)),
    ]
    for left, left_value, right, right_value in pairs:
        cells = _row(table, ROW_HEIGHT).cells
        for number, text in enumerate((left, left_value, right, right_value)):
            _cell_text(cells[number], text, bold=number % 2 == 0, middle=True)
    long_rows = [
        ("缺席人员及原因", row.absent_reasons or ""),
        ("议题", minutes_topics(row)),
        ("内容摘要", _flowing(activity_content(row))),
        ("决议", row.decisions or ""),
    ]
    for label, text in long_rows:
        cells = _row(table, Cm(LONG_ROW_HEIGHTS[label])).cells
        _cell_text(cells[0], label, bold=True, middle=True)
        merged = cells[1].merge(cells[3])
        _cell_text(merged, text)
    photo_cells = _row(table, Cm(2.6)).cells
    _cell_text(photo_cells[0], "照片", bold=True, middle=True)
    shown = _photos(photo_cells[1].merge(photo_cells[3]), row.photos)
    for number, column in enumerate(table.columns):
        column.width = LABEL_WIDTH if number % 2 == 0 else VALUE_WIDTH
    for table_row in table.rows:
        for number, cell in enumerate(table_row.cells):
            cell.width = LABEL_WIDTH if number % 2 == 0 else VALUE_WIDTH
    _paragraph(document, "", size=6, center=False)
    _paragraph(document, SIGNATURES, size=11, center=False)
    footer = f"据台账第 {row.id} 号记录生成"
    if row.created_at is not None:
        confirmed = row.created_at.astimezone(SHANGHAI)
        footer += f"（{confirmed.year}年{confirmed.month}月{confirmed.day}日确认）"
    _paragraph(document, footer, size=9, center=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return MinutesPage(minutes_file_name(row), buffer.getvalue(), shown, len(row.photos))


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(2)


def _paragraph(
    document: DocxDocument,
    text: str,
    *,
    size: int,
    bold: bool = False,
    center: bool,
) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(8)


def _row(table: Table, height: Length) -> _Row:
    row = table.add_row()
    row.height, row.height_rule = height, WD_ROW_HEIGHT_RULE.AT_LEAST
    return row


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, middle: bool = False) -> None:
    if middle:  # labels and one-line values; long text starts at the top of its box
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.splitlines() or [""]
    paragraph = cell.paragraphs[0]
    paragraph.add_run(lines[0]).bold = bold
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold


def _flowing(text: str) -> str:
    """A list of many short lines (a 接龙's sign-in names) runs on in one paragraph: line by
    line it would take the page's height, not its width."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "　".join(lines) if len(lines) > MAX_CONTENT_LINES else "\n".join(lines)


def _count(number: int | None) -> str:
    return "" if number is None else f"{number}人"


def _absent_count(row: ReportRow) -> str:
    count = row.absent
    if count is None and row.expected is not None and row.attended is not None:
        count = row.expected - row.attended if row.attended <= row.expected else None
    return _count(count)


def _photos(cell: _Cell, paths: Sequence[str]) -> int:
    """The first photos that are on disk, side by side; the line under them counts them all."""
    paragraph = cell.paragraphs[0]
    shown = 0
    for path in paths:
        if shown == PHOTOS_ON_PAGE:
            break
        if not Path(path).is_file():
            continue
        try:
            paragraph.add_run().add_picture(path, height=PHOTO_HEIGHT)
        except (OSError, UnrecognizedImageError):  # counted, not shown
            continue
        paragraph.add_run(" ")
        shown += 1
    if paths:
        note = f"共 {len(paths)} 张" + (f"，此页附 {shown} 张" if shown < len(paths) else "")
        cell.add_paragraph().add_run(note)
    else:
        paragraph.add_run("无")
    return shown
