"""Reading a calendar file (YAML or xlsx) into checked entries, all or nothing.

Sections and column names may be written in Chinese or English:

    规则 / rules        乡镇 township · 村 village · 规则 rule · 节假日 holiday
    调整 / overrides    乡镇 · 村 · 月份 month · 日期 date · 说明 note
    节假日 / days       日期 date · 上班 workday (是/否) · 说明 note
    主题 / themes       月份 month · 主题 theme · 规定动作 tasks

An xlsx file has one sheet per section, named as above, with the column names in row 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.months import year_month
from bot.partyday.rules import HolidayShift, PartyDayRule, RuleError, month_key

SECTIONS = {
    "规则": "rules",
    "rules": "rules",
    "调整": "overrides",
    "overrides": "overrides",
    "节假日": "days",
    "days": "days",
    "主题": "themes",
    "themes": "themes",
}
SECTION_NAMES = {"rules": "规则", "overrides": "调整", "days": "节假日", "themes": "主题"}
FIELDS = {
    "乡镇": "township",
    "村": "village",
    "规则": "rule",
    "节假日": "holiday",
    "节假日处理": "holiday",
    "月份": "month",
    "日期": "date",
    "说明": "note",
    "上班": "workday",
    "主题": "theme",
    "规定动作": "tasks",
    "任务": "tasks",
}
_TASK_SEPARATORS = re.compile(r"[、；;\n]+")
_YES = {"是", "上班", "true", "yes", "1", "y"}
_NO = {"否", "放假", "休息", "false", "no", "0", "n"}


class CalendarFileError(ValueError):
    """Everything wrong with a file, one Chinese line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RuleEntry:
    township: str
    village: str
    rule: PartyDayRule


@dataclass(frozen=True)
class OverrideEntry:
    township: str
    village: str
    month: str
    day: date
    note: str


@dataclass(frozen=True)
class DayEntry:
    day: date
    workday: bool
    note: str


@dataclass(frozen=True)
class ThemeEntry:
    month: str
    theme: str
    tasks: list[str]


@dataclass
class CalendarFile:
    rules: list[RuleEntry] = field(default_factory=list)
    overrides: list[OverrideEntry] = field(default_factory=list)
    days: list[DayEntry] = field(default_factory=list)
    themes: list[ThemeEntry] = field(default_factory=list)


def read_calendar_file(path: Path) -> CalendarFile:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        sections = _yaml_sections(path)
    elif suffix == ".xlsx":
        sections = _xlsx_sections(path)
    else:
        raise CalendarFileError([f"只支持 .yaml、.yml 和 .xlsx 文件，收到 {path.name}"])
    return _checked(sections)


def rules_yaml(rules: dict[tuple[str, str], PartyDayRule]) -> str:
    """The rules in force as the file's 规则 section: what the web's box starts from."""
    lines = ["规则:"]
    for (township, village), rule in sorted(rules.items()):
        first = "  - "
        for name, value in (("乡镇", township), ("村", village)):
            if value:
                lines.append(f"{first}{name}: {value}")
                first = "    "
        lines.append(f"{first}规则: {rule.text}")
        if rule.shift != HolidayShift.NEXT:
            lines.append(f"    节假日: {rule.shift.value}")
    return "\n".join(lines) + "\n"


def split_tasks(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else _TASK_SEPARATORS.split(str(value))
    return [str(item).strip() for item in items if str(item).strip()]


def parse_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _yaml_sections(path: Path) -> dict[str, list[dict[str, Any]]]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CalendarFileError([f"{path.name} 不是有效的 YAML：{exc}"]) from exc
    return _sections_of(data, path.name)


def _sections_of(data: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict):
        raise CalendarFileError([f"{name} 里没有 规则/调整/节假日/主题 等内容"])
    sections: dict[str, list[dict[str, Any]]] = {}
    for title, rows in data.items():
        section = SECTIONS.get(str(title).strip())
        if section is None:
            raise CalendarFileError([f"不认识的部分“{title}”，可以是：规则、调整、节假日、主题"])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise CalendarFileError([f"“{title}”应当是一个列表，每项写成 键: 值"])
        sections[section] = rows
    return sections


def read_calendar_text(text: str) -> CalendarFile:
    """The calendar's YAML as an admin typed it on the web: each problem names its line."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = f"第{line}行：格式不对（不是有效的 YAML），请检查缩进和冒号。"
        raise CalendarFileError([problem]) from None
    sections = _sections_of(data, "填写的内容")
    lines: dict[tuple[str, int], int] = {}
    if isinstance(root, MappingNode):
        for key, value in root.value:
            section = SECTIONS.get(str(key.value).strip()) if isinstance(key, ScalarNode) else None
            if section and isinstance(value, SequenceNode):
                for number, item in enumerate(value.value, start=1):
                    lines[(section, number)] = int(item.start_mark.line) + 1
    return _checked(sections, lines)


def _xlsx_sections(path: Path) -> dict[str, list[dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise CalendarFileError([f"{path.name} 无法作为 Excel 文件打开"]) from exc
    sections: dict[str, list[dict[str, Any]]] = {}
    try:
        for sheet in workbook.worksheets:
            section = SECTIONS.get(sheet.title.strip())
            if section is None:
                continue
            rows = list(sheet.iter_rows(values_only=True))
            if not rows:
                continue
            header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
            sections[section] = [
                {name: cell for name, cell in zip(header, row, strict=False) if name}
                for row in rows[1:]
                if any(cell not in (None, "") for cell in row)
            ]
    finally:
        workbook.close()
    if not sections:
        raise CalendarFileError([f"{path.name} 里没有名为 规则、调整、节假日 或 主题 的工作表"])
    return sections


def _checked(
    sections: dict[str, list[dict[str, Any]]], lines: dict[tuple[str, int], int] | None = None
) -> CalendarFile:
    result = CalendarFile()
    problems: list[str] = []
    for section, rows in sections.items():
        for number, raw in enumerate(rows, start=1):
            row = {FIELDS.get(str(k).strip(), str(k).strip()): v for k, v in raw.items()}
            where = f"{SECTION_NAMES[section]} 第{number}项"
            if lines and (section, number) in lines:
                where = f"第{lines[(section, number)]}行（{where}）"
            try:
                _add(result, section, row)
            except (RuleError, ValueError, KeyError) as exc:
                problems.append(f"{where}：{_reason(exc)}")
    if problems:
        raise CalendarFileError(problems)
    return result


def _add(result: CalendarFile, section: str, row: dict[str, Any]) -> None:
    township, village = _text(row.get("township")), _text(row.get("village"))
    if section == "rules":
        rule = PartyDayRule.parse(_required(row, "rule"), _text(row.get("holiday")) or "顺延")
        result.rules.append(RuleEntry(township, village, rule))
    elif section == "overrides":
        month = month_key(*year_month(str(_required(row, "month"))))
        day = parse_day(_required(row, "date"))
        if month_key(day.year, day.month) != month:
            raise ValueError(f"日期 {day} 不在 {month} 月内")
        result.overrides.append(
            OverrideEntry(township, village, month, day, _text(row.get("note")))
        )
    elif section == "days":
        flag = _text(row.get("workday")).lower()
        if flag not in _YES | _NO:
            raise ValueError("“上班”请填 是 或 否")
        result.days.append(
            DayEntry(parse_day(_required(row, "date")), flag in _YES, _text(row.get("note")))
        )
    else:
        month = month_key(*year_month(str(_required(row, "month"))))
        result.themes.append(
            ThemeEntry(month, _required(row, "theme"), split_tasks(row.get("tasks")))
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _required(row: dict[str, Any], name: str) -> str | Any:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        labels = {v: k for k, v in FIELDS.items()}
        raise ValueError(f"缺少“{labels.get(name, name)}”")
    return value.strip() if isinstance(value, str) else value


def _reason(exc: Exception) -> str:
    if isinstance(exc, RuleError):
        return str(exc)
    text = str(exc)
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else f"看不懂“{text}”"
