from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.reports.export import HEADERS, write_csv, write_xlsx
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
        title="城关镇2023-06 党组织活动台账",
        reporters={10: "张书记", 11: "李书记"},
        branches=branches,
    )
    assert written == 3
    book = load_workbook(path)
    ledger = book["台账"]
    values = list(ledger.values)
    assert values[0][0] == "城关镇2023-06 党组织活动台账"
    assert values[1] == HEADERS
    for name in ("党组织名称", "活动地点", "主持人", "记录人", "缺席及原因", "上报人", "上报时间"):
        assert name in HEADERS
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
    assert first[column["上报人"]] == "张书记" and "集中学习" in first[column["备注"]]
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
    assert summary[-1] == ("合计", "3 个党组织", 1, 1, 1, 3, None)


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
        assert next(str(r) for r in sheet.merged_cells.ranges).startswith("A1:")
        header = sheet[2][0]
        assert header.border.left.style == "thin" and header.font.bold
    ledger = load_workbook(path)["台账"]
    assert ledger.row_dimensions[3].height >= 19  # the wrapped 活动内容 fits its row


def test_csv_opens_in_excel(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    write_csv(_rows(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == list(HEADERS) and rows[1][3] == "2023-06-05" and len(rows) == 4


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
