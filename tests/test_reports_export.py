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


def test_xlsx_ledger_and_summary(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    assert write_xlsx(_rows(), path, title="城关镇2023-06 党组织活动台账") == 3
    book = load_workbook(path)
    ledger = book["台账"]
    values = list(ledger.values)
    assert values[0][0] == "城关镇2023-06 党组织活动台账"
    assert values[1] == HEADERS
    assert values[2][3:9] == ("张家村", "主题党日", "集中学习", "学习贯彻党的二十大精神", 32, 28)
    assert values[2][10] == "data/media/a.jpg"
    summary = list(book["汇总"].values)
    assert summary[1] == ("乡镇", "村", "主题党日", "支部委员会", "志愿服务", "合计")
    assert summary[2] == ("城关镇", "张家村", 1, 1, 0, 2)
    assert summary[-1] == ("合计", None, 1, 1, 1, 3)


def test_csv_opens_in_excel(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    write_csv(_rows(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == list(HEADERS) and rows[1][1] == "2023-06-10" and len(rows) == 4


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


def test_cli_chart(env_settings: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "c.png"
    assert main(["report", "chart", "--month", "2023-06", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.real_model
def test_cli_reindex(env_settings: Path, capsys) -> None:
    assert main(["report", "reindex"]) == 0
    assert "已重建活动记录索引：0 条" in capsys.readouterr().out
