"""Calendar files (YAML, xlsx): import, re-import, bad entries; scope precedence; the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot import messages
from bot.cli import main
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.partyday.calendar_file import CalendarFileError, read_calendar_file
from bot.partyday.service import CalendarService
from bot.partyday.views import calendar_text
from tests.support.fakes import Clock

SAMPLE = Path(__file__).resolve().parent.parent / "knowledge" / "calendar" / "主题党日日历.yaml"


@pytest.fixture
def calendar(tmp_path: Path) -> CalendarService:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade_schema(engine)
    return CalendarService(
        session_factory=make_session_factory(engine),
        clock=Clock(datetime(2026, 11, 24, tzinfo=UTC)),
    )


def write(tmp_path: Path, text: str, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_sample_imports_and_reimports_to_the_same_calendar(calendar) -> None:
    summary = calendar.import_file(SAMPLE)
    assert summary.rules == 1 and summary.themes >= 12
    first = calendar.load()
    calendar.import_file(SAMPLE)
    again = calendar.load()
    assert again.rules == first.rules and again.themes == first.themes
    assert again.overrides == first.overrides
    december = first.party_day(2026, 12)
    assert december is not None and december.day == date(2026, 12, 10)
    assert first.theme(2026, 12).tasks[0] == "重温入党誓词"
    # the sample's override for February 2027
    assert first.party_day(2027, 2).day == date(2027, 2, 22)


def test_no_calendar_yet_tells_the_admin_how_and_others_whom_to_ask(calendar) -> None:
    months = [(2026, 12)]
    assert calendar_text(calendar.load(), months, show_rules=True) == messages.CALENDAR_NO_RULES
    told = calendar_text(calendar.load(), months, township="城关镇", village="张家村")
    assert told == messages.CALENDAR_NOT_SET and "partybot" not in told


def test_scope_precedence_village_then_township_then_county(calendar, tmp_path) -> None:
    calendar.import_file(
        write(
            tmp_path,
            """
rules:
  - rule: 每月10日
  - township: 城关镇
    rule: 每月第一个星期五
  - township: 城关镇
    village: 张家村
    rule: 每月最后一个工作日
overrides:
  - township: 城关镇
    month: 2023-07
    date: 2023-07-20
""",
        )
    )
    c = calendar.load()
    assert c.party_day(2023, 7, village="李庄村", township="河口镇").day == date(2023, 7, 10)
    assert c.party_day(2023, 8, village="李庄村", township="城关镇").day == date(2023, 8, 4)
    # the township's July override beats its rule, not a village's own rule
    assert c.party_day(2023, 7, village="李庄村", township="城关镇").day == date(2023, 7, 20)
    assert c.party_day(2023, 7, village="张家村", township="城关镇").day == date(2023, 7, 31)


def test_rules_are_replaced_themes_accumulate(calendar, tmp_path) -> None:
    calendar.import_file(
        write(tmp_path, "规则:\n  - 规则: 每月10日\n主题:\n  - 月份: 2023-07\n    主题: 七月\n")
    )
    calendar.import_file(
        write(tmp_path, "规则:\n  - 规则: 每月15日\n主题:\n  - 月份: 2023-08\n    主题: 八月\n")
    )
    c = calendar.load()
    assert [r.text for r in c.rules.values()] == ["每月15日"]
    assert {m: t.theme for m, t in c.themes.items()} == {"2023-07": "七月", "2023-08": "八月"}


def test_a_bad_file_lists_every_problem_and_writes_nothing(calendar, tmp_path) -> None:
    calendar.import_file(write(tmp_path, "规则:\n  - 规则: 每月10日\n", "good.yaml"))
    bad = write(
        tmp_path,
        """
规则:
  - 规则: 每周五
主题:
  - 月份: 2023-13
    主题: 不存在的月份
  - 月份: 2023-08
调整:
  - 月份: 2023-08
    日期: 2023-09-01
""",
    )
    with pytest.raises(CalendarFileError) as caught:
        calendar.import_file(bad)
    problems = caught.value.problems
    assert len(problems) == 4
    assert any("规则 第1项" in p and "每月第一个星期五" in p for p in problems)
    assert any("主题 第1项" in p for p in problems) and any("缺少“主题”" in p for p in problems)
    assert any("不在 2023-08 月内" in p for p in problems)
    assert [r.text for r in calendar.load().rules.values()] == ["每月10日"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("c.yaml", "规则: [每月10日", "不是有效的 YAML"),
        ("c.yaml", "- 每月10日\n", "没有 规则"),
        ("c.yaml", "日程:\n  - 规则: 每月10日\n", "不认识的部分"),
        ("c.xlsx", "not a workbook", "无法作为 Excel 文件打开"),
        ("c.csv", "规则\n每月10日\n", "只支持"),
    ],
)
def test_unreadable_files_get_a_clear_message(tmp_path, name, content, expected) -> None:
    with pytest.raises(CalendarFileError, match=expected):
        read_calendar_file(write(tmp_path, content, name))


def test_xlsx_with_chinese_sheets(calendar, tmp_path) -> None:
    workbook = Workbook()
    rules = workbook.active
    rules.title = "规则"
    rules.append(["乡镇", "村", "规则", "节假日"])
    rules.append([None, None, "每月第一个星期五", "顺延"])
    themes = workbook.create_sheet("主题")
    themes.append(["月份", "主题", "规定动作"])
    themes.append(["2023-07", "庆祝党的生日", "重温入党誓词、交纳党费；过政治生日"])
    themes.append([None, None, None])  # blank rows are skipped
    days = workbook.create_sheet("节假日")
    days.append(["日期", "上班", "说明"])
    days.append([datetime(2023, 7, 7), "否", "县里停电"])
    path = tmp_path / "日历.xlsx"
    workbook.save(path)
    summary = calendar.import_file(path)
    assert (summary.rules, summary.themes, summary.days) == (1, 1, 1)
    c = calendar.load()
    assert c.theme(2023, 7).tasks == ["重温入党誓词", "交纳党费", "过政治生日"]
    # the local day off on Friday the 7th moves the first Friday to Monday the 10th
    assert c.party_day(2023, 7).day == date(2023, 7, 10)


def test_cli_import_show_and_preview(env_settings: Path, tmp_path: Path, capsys) -> None:
    assert main(["calendar", "import", str(SAMPLE)]) == 0
    assert "已导入日历：规则 1 条" in capsys.readouterr().out
    assert (
        main(
            [
                "users",
                "add",
                "--telegram-id",
                "11",
                "--role",
                "secretary",
                "--name",
                "张三",
                "--village",
                "张家村",
                "--township",
                "城关镇",
            ]
        )
        == 0
    )
    assert main(["users", "add", "--telegram-id", "21", "--role", "staff", "--name", "王五"]) == 0
    capsys.readouterr()
    assert main(["calendar", "show", "--month", "2026-12"]) == 0
    assert "2026年12月：12月10日（星期四）" in capsys.readouterr().out
    assert main(["remind", "preview", "--month", "2023-07"]) == 0
    out = capsys.readouterr().out
    assert "2023-07 将发送 4 条提醒（未发送，仅预览）" in out
    assert "2023-07-07 09:00  提前提醒  → 张三（城关镇张家村）" in out
    assert "2023-07-13 09:30  登记情况汇总  → 王五" in out
    assert main(["remind", "status", "--month", "2023-07"]) == 0
    assert "还没有生成任何提醒" in capsys.readouterr().out
    assert main(["remind", "preview", "--month", "七月"]) == 0  # this year's July (bot/months.py)
    assert main(["remind", "preview", "--month", "十三月"]) == 2
    assert "看不懂月份" in capsys.readouterr().err
    broken = write(tmp_path, "规则:\n  - 规则: 每周五\n")
    assert main(["calendar", "import", str(broken)]) == 2
    assert "未导入任何内容" in capsys.readouterr().err


def test_the_server_timezone_changes_nothing(env_settings: Path) -> None:
    import os
    import subprocess
    import sys

    assert main(["calendar", "import", str(SAMPLE)]) == 0
    assert (
        main(["users", "add", "--telegram-id", "11", "--role", "secretary", "--village", "张家村"])
        == 0
    )
    # the three processes at once: each spends seconds importing, and they only read
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "remind", "preview", "--month", "2023-07"],
            env={**os.environ, "TZ": zone},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for zone in ("UTC", "America/Los_Angeles", "Asia/Shanghai")
    ]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        outputs.append(out)
    assert "2023-07-07 09:00  提前提醒" in outputs[0]
    assert outputs[0] == outputs[1] == outputs[2]


def test_bad_reminder_settings_stop_the_cli_with_a_clear_message(
    env_settings, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("REMINDER_OFFSETS", "3@09:00")
    assert main(["doctor"]) == 2
    assert "REMINDER_OFFSETS" in capsys.readouterr().err
    monkeypatch.setenv("REMINDER_OFFSETS", "-3@09:00")
    monkeypatch.setenv("QUIET_HOURS", "晚上九点到早上八点")
    assert main(["calendar", "show"]) == 2
    assert "QUIET_HOURS" in capsys.readouterr().err
