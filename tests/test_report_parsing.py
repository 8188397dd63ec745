from __future__ import annotations

import json
from datetime import date

import pytest

from bot.cli import main
from bot.reports.parsing import find_attendance, find_date, find_types, find_village, parse_report
from tests.conftest import SHARED

TODAY = date(2023, 6, 14)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年6月10日开展活动", date(2023, 6, 10)),
        ("6月10日上午开展活动", date(2023, 6, 10)),
        ("六月十日开展活动", date(2023, 6, 10)),
        ("6.10 主题党日", date(2023, 6, 10)),
        ("10号开了支委会", date(2023, 6, 10)),
        ("本月10号开了支委会", date(2023, 6, 10)),
        ("今天开展", TODAY),
        ("昨天开展", date(2023, 6, 13)),
        ("前天开展", date(2023, 6, 12)),
        ("本周一开展", date(2023, 6, 12)),
        ("这周三开展", date(2023, 6, 14)),
        ("上周五开展", date(2023, 6, 9)),
        ("上星期日开展", date(2023, 6, 11)),
        ("2月30日开展", None),
        ("没有日期", None),
        ("面积3.5亩", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert find_date(text, today=TODAY) == expected


def test_december_reported_in_january_is_last_year() -> None:
    assert find_date("12月28日开展", today=date(2024, 1, 3)) == date(2023, 12, 28)
    assert find_date("28号开展", today=date(2024, 1, 3)) == date(2023, 12, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("应到党员32人，实到28人", (32, 28)),
        ("应到25 实到22", (25, 22)),
        ("全村23名党员有21人参加", (23, 21)),
        ("到会党员十九人", (None, 19)),
        ("5名支委全部参加", (5, 5)),
        ("讨论接收2名预备党员，走访12户老人，群众40余人参加", (None, None)),
        ("应参会党员41名，实参会37名，4名外出务工党员请假", (41, 37)),
    ],
)
def test_attendance(text: str, expected: tuple[int | None, int | None]) -> None:
    assert find_attendance(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张家村党支部开展活动", "张家村"),
        ("昨天下午李庄村召开支部党员大会", "李庄村"),
        ("在村委会召开支委会", None),
        ("在村党群服务中心开展学习", None),
        ("组织全村党员集中学习", None),
        ("昨日，和平村开展志愿活动", "和平村"),
        ("研究主题党日安排和村集体经济项目", None),
    ],
)
def test_village(text: str, expected: str | None) -> None:
    assert find_village(text) == expected


def test_type_is_the_activity_done_and_others_are_tags() -> None:
    assert find_types("今天召开支委会，研究八月主题党日安排") == ("支部委员会", ["主题党日"])
    assert find_types("开展民主评议党员，党员大会按程序进行") == ("民主评议党员", ["支部党员大会"])
    assert find_types("10.10 红星村 主题党日：喜迎国庆") == ("主题党日", [])
    assert find_types("村里修了路") == (None, [])


def test_dev_set_accuracy_per_field_is_at_least_95_percent() -> None:
    rows = [
        json.loads(line)
        for line in (SHARED / "eval" / "reports_dev.jsonl").read_text("utf-8").splitlines()
    ]
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for row in rows:
        parsed = parse_report(row["text"], today=date.fromisoformat(row["today"])).as_json()
        for field, want in row["expect"].items():
            total[field] = total.get(field, 0) + 1
            ok = parsed[field] in want if field == "type" else parsed[field] == want
            right[field] = right.get(field, 0) + ok
    assert {f: right[f] / total[f] for f in total} == pytest.approx(
        dict.fromkeys(total, 1.0), abs=0.05
    )


def test_cli_report_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    texts = [
        "6月10日上午，张家村党支部开展“学习贯彻党的二十大精神”主题党日活动，应到党员32人，实到28人",
        "随便说说",
    ]
    assert main(["report", "parse", "--json", "--today", "2023-06-12", *texts]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [set(obj) for obj in lines] == [
        {"date", "village", "type", "tags", "theme", "expected", "attended", "summary"}
    ] * 2
    assert lines[0] | {"summary": None} == {
        "date": "2023-06-10",
        "village": "张家村",
        "type": "主题党日",
        "tags": [],
        "theme": "学习贯彻党的二十大精神",
        "expected": 32,
        "attended": 28,
        "summary": None,
    }
    assert lines[1]["date"] is None and lines[1]["type"] is None and lines[1]["tags"] == []
