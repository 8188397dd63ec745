from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.reports.content import activity_content
from bot.reports.export import HEADERS, MORE_HEADERS, ledger_title, write_csv, write_xlsx
from bot.reports.rows import ReportRow


def _rows() -> list[ReportRow]:
    return [
        ReportRow(
            1,
            10,
            "张家村",
            "城关镇",
            date(2023, 6, 10),
            "主题党日",
            ["集中学习"],
            "学习贯彻党的二十大精神",
            32,
            28,
            "重温入党誓词",
            ["data/media/a.jpg"],
        ),
        ReportRow(
            2, 11, "李庄村", "城关镇", date(2023, 6, 5), "志愿服务", [], None, None, 15, "清理村道"
        ),
        ReportRow(
            3, 10, "张家村", "城关镇", date(2023, 6, 20), "支部委员会", [], None, 5, 5, "研究工作"
        ),
    ]


def test_xlsx_ledger_grouped_with_the_columns_a_taizhang_has(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    branches = [("城关镇", "张家村"), ("城关镇", "李庄村"), ("城关镇", "桃花村")]
    written = write_xlsx(
        _rows(),
        path,
        title=ledger_title("城关镇", "2023-06"),
        reporters={10: "张书记", 11: "李书记"},
        branches=branches,
    )
    assert written == 3
    book = load_workbook(path)
    assert book.sheetnames == ["台账", "台账续表", "汇总"]
    ledger = book["台账"]
    values = list(ledger.values)
    assert values[0][0] == "城关镇 2023年6月 党组织活动台账"
    assert values[1] == HEADERS and len(HEADERS) <= 12
    for name in ("党组织名称", "活动地点", "主持人", "缺席及原因", "活动内容"):
        assert name in HEADERS
    # the columns that do not fit A4 landscape at 100 % are on the second sheet, same 序号
    more = list(book["台账续表"].values)
    assert more[0][0] == "城关镇 2023年6月 党组织活动台账（续表）"
    assert more[1] == MORE_HEADERS
    for name in ("序号", "记录人", "上报人", "上报时间", "备注"):
        assert name in MORE_HEADERS
    column = {name: i for i, name in enumerate(HEADERS)}
    # grouped by 乡镇, then 村, then date: 李庄村 before 张家村, 张家村's two by date
    order = [(r[column["党组织名称"]], r[column["活动类型"]]) for r in values[2:]]
    assert order == [
        ("李庄村党支部", "志愿服务"),
        ("张家村党支部", "主题党日"),
        ("张家村党支部", "支部委员会"),
    ]
    assert [r[column["序号"]] for r in values[2:]] == [1, 2, 3]
    first = values[3]
    assert (first[column["应到"]], first[column["实到"]], first[column["缺席及原因"]]) == (
        32,
        28,
        "4人",
    )
    assert first[column["照片"]] == "1张"  # a count, never a server path or a channel's id
    extra = {name: i for i, name in enumerate(MORE_HEADERS)}
    assert more[3][extra["序号"]] == 2 and more[3][extra["上报人"]] == "张书记"
    assert "集中学习" in more[3][extra["备注"]]
    summary = list(book["汇总"].values)
    assert summary[1] == (
        "乡镇",
        "党组织名称",
        "主题党日",
        "支部委员会",
        "志愿服务",
        "合计",
        "情况",
    )
    # every registered branch, in pinyin order, the one with nothing marked; never ranked
    assert summary[2] == ("城关镇", "李庄村党支部", 0, 0, 1, 1, "未开展主题党日")
    assert summary[3] == ("城关镇", "桃花村党支部", 0, 0, 0, 0, "本月未开展活动")
    assert summary[4] == ("城关镇", "张家村党支部", 1, 1, 0, 2, None)
    assert summary[5] == ("合计", "3 个党组织", 1, 1, 1, 3, None)
    # per kind, the branches that held none of it
    kinds = {r[0]: r[1:3] for r in summary[7:] if r[0]}
    assert kinds["活动类型"] == ("未开展的党组织数", "未开展的党组织")
    assert kinds["主题党日"] == (2, "李庄村、桃花村")
    assert kinds["支部委员会"] == (2, "李庄村、桃花村")
    assert kinds["党课"] == (3, "李庄村、桃花村、张家村")


def test_content_is_a_clean_summary_with_absolute_dates(tmp_path: Path) -> None:
    sent = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # Thursday 3 December in Shanghai
    said = "各位领导好，前天下午张家村开展主题党日，昨天又组织党员打扫村道[强]"
    row = ReportRow(
        1,
        10,
        "张家村",
        "城关镇",
        date(2026, 12, 1),
        "主题党日",
        [],
        None,
        30,
        28,
        said,
        created_at=sent,
    )
    assert activity_content(row) == "12月1日下午张家村开展主题党日，12月2日又组织党员打扫村道"
    # confirmed a day late: still the day it meant
    late = replace(row, created_at=sent.replace(day=5), summary="前天开了支委会，昨天走访")
    assert activity_content(late) == "12月1日开了支委会，12月2日走访"
    minutes = "支委会记录\n时间：2026年12月1日\n地点：村委会\n主持人：王明\n议题：研究低保评议"
    assert activity_content(replace(row, summary=minutes)) == "支委会记录\n议题：研究低保评议"
    path = tmp_path / "t.xlsx"
    write_xlsx([row], path, title="t")
    printed = list(load_workbook(path)["台账"].values)[2][HEADERS.index("活动内容")]
    assert "前天" not in printed and "12月1日" in printed


def test_rows_name_the_township_where_two_villages_share_a_name(tmp_path: Path) -> None:
    rows = [
        ReportRow(1, 10, "张家村", "城关镇", date(2026, 11, 3), "支部委员会", [], None, 5, 5, "a"),
        ReportRow(2, 11, "张家村", "河口镇", date(2026, 11, 4), "支部委员会", [], None, 5, 4, "b"),
    ]
    path = tmp_path / "t.xlsx"
    branches = [("城关镇", "张家村"), ("河口镇", "张家村"), ("河口镇", "马坪村")]
    write_xlsx(rows, path, title=ledger_title("全县", "2026-11"), branches=branches)
    book = load_workbook(path)
    names = [r[HEADERS.index("党组织名称")] for r in list(book["台账"].values)[2:]]
    assert names == ["城关镇张家村党支部", "河口镇张家村党支部"]
    kinds = {r[0]: r[1:3] for r in list(book["汇总"].values)[7:] if r[0]}
    assert kinds["主题党日"] == (3, "城关镇张家村、河口镇马坪村、河口镇张家村")
    assert kinds["支部委员会"] == (1, "河口镇马坪村")
    csv_path = tmp_path / "t.csv"
    write_csv(rows, csv_path)
    lines = list(csv.reader(csv_path.open(encoding="utf-8-sig")))
    assert [line[1] for line in lines[1:]] == ["城关镇张家村党支部", "河口镇张家村党支部"]


HOSTILE = ("=1+1", "=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=1", "\r=1")


def test_user_text_is_never_a_formula(tmp_path: Path) -> None:
    """OWASP CSV injection: user text that starts with = + - @ tab or CR stays text."""
    rows = [
        ReportRow(
            i,
            10,
            "张家村",
            "城关镇",
            date(2026, 11, 3),
            "主题党日",
            [bad],
            bad,
            5,
            5,
            bad,
            place=bad,
            host=bad,
        )
        for i, bad in enumerate(HOSTILE, start=1)
    ]
    path = tmp_path / "t.xlsx"
    write_xlsx(rows, path, title="t", reporters={10: "=HYPERLINK(1)"}, branches=[("=x", "@y")])
    book = load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "=1+1" in texts and "=cmd|' /C calc'!A0" in texts  # kept as written, as text
    csv_path = tmp_path / "t.csv"
    write_csv(rows, csv_path, reporters={10: "=HYPERLINK(1)"})
    lines = list(csv.reader(csv_path.open(encoding="utf-8-sig", newline="")))
    for line in lines[1:]:
        for value in line:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert "'=1+1" in lines[1] and "'=HYPERLINK(1)" in lines[1]


def test_xlsx_prints_one_page_wide_with_the_header_on_every_page(tmp_path: Path) -> None:
    """What staff need to hand it in as printed: asserted on the file, checked by eye on the
    LibreOffice PDF (README)."""
    path = tmp_path / "台账.xlsx"
    write_xlsx(_rows() * 10, path, title="t")
    for sheet in load_workbook(path).worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$2"
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref.startswith("A2:")
        assert any(str(r).startswith("A1:") for r in sheet.merged_cells.ranges)
        header = sheet[2][0]
        assert header.border.left.style == "thin" and header.font.bold
    ledger = load_workbook(path)["台账"]
    assert ledger.row_dimensions[3].height >= 19  # the wrapped 活动内容 fits its row


def test_csv_opens_in_excel(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    write_csv(_rows(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][: len(HEADERS)] == list(HEADERS) and "上报人" in rows[0]
    assert rows[1][HEADERS.index("活动时间")] == "2023-06-05" and len(rows) == 4


def test_cli_export(env_settings: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.xlsx"
    assert main(["report", "export", "--month", "2023-06", "--output", str(out)]) == 0
    assert "已导出 0 条" in capsys.readouterr().out and out.exists()
    assert main(["report", "export", "--month", "2023-6x"]) == 2


def test_chart_png_with_chinese_font(tmp_path: Path) -> None:
    from bot.reports.chart import draw_monthly_chart, find_cjk_font

    assert find_cjk_font()  # scripts/setup installs one where none is present
    path = draw_monthly_chart(
        _rows(), tmp_path / "chart.png", title="城关镇 2023-06 各村党组织活动"
    )
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG")
    from PIL import Image

    width, height = Image.open(path).size
    assert 800 <= width <= 1000 and height >= 400  # a phone screen's width


def test_chart_keeps_a_fixed_order_and_shows_branches_with_nothing(
    tmp_path: Path, monkeypatch
) -> None:
    """Bars in pinyin order of 乡镇 then 村 whatever the counts (no ranking), the branch with
    no activity shown; above 30 branches one bar per 乡镇 plus who held no 主题党日."""
    import bot.reports.chart as chart

    drawn: list[tuple[list[str], str]] = []
    monkeypatch.setattr(
        chart,
        "_draw_bars",
        lambda path, title, labels, keys, counts, **kw: drawn.append((labels, kw.get("note", ""))),
    )
    branches = [
        ("城关镇", "张家村"),
        ("城关镇", "李庄村"),
        ("城关镇", "桃花村"),
        ("河口镇", "马坪村"),
    ]
    chart.draw_monthly_chart(_rows(), tmp_path / "c.png", title="t", branches=branches)
    assert drawn[-1][0] == ["城关镇 李庄村", "城关镇 桃花村", "城关镇 张家村", "河口镇 马坪村"]
    county = [(f"{t}镇", f"{t}{n}村") for t in ("甲", "乙", "丙") for n in range(12)]
    chart.draw_monthly_chart(_rows(), tmp_path / "c.png", title="t", branches=county)
    labels, note = drawn[-1]
    assert labels == ["丙镇", "城关镇", "甲镇", "乙镇"]
    assert "（37 个）" in note and "城关镇 李庄村" in note and "城关镇 张家村" not in note


def test_cli_chart(env_settings: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "c.png"
    assert main(["report", "chart", "--month", "2023-06", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.real_model
def test_cli_reindex(env_settings: Path, capsys) -> None:
    assert main(["report", "reindex"]) == 0
    assert "已重建活动记录索引：0 条" in capsys.readouterr().out


def test_the_printed_sheets_fit_a4_landscape_at_100_percent() -> None:
    """LibreOffice prints a character of column width as 0.246 cm; A4 landscape holds 27.7 cm
    between the margins: 112 characters (bench.ledger_print measures every page at 100 %)."""
    from bot.reports.export import COLUMNS, MORE_COLUMNS

    assert len(COLUMNS) <= 12
    assert sum(c.width for c in COLUMNS) <= 112 and sum(c.width for c in MORE_COLUMNS) <= 112


def test_content_drops_a_chat_exports_stamps() -> None:
    chat = "——— 昨天 上午9:12 ———\n08:15 张立群：昨晚开了党员大会\n老陈 19:20\n对，按26个报"
    row = ReportRow(
        1,
        10,
        "张家村",
        "城关镇",
        date(2026, 12, 1),
        "支部党员大会",
        [],
        None,
        None,
        None,
        chat,
        created_at=datetime(2026, 12, 2, 2, tzinfo=UTC),
    )
    assert activity_content(row) == "张立群：12月1日开了党员大会\n对，按26个报"
