"""活动内容 as a printed 台账 carries it: the secretary's words with every relative day (昨天,
前天, 上周五) written as the date it meant, and without what the other columns already say (a
会议记录's 时间：/地点：/应到： lines) or chat noise (greetings, 收到, emoji)."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from bot.reports.parsing import find_date
from bot.reports.rows import ReportRow

SHANGHAI = ZoneInfo("Asia/Shanghai")
# the day words a report uses for days that have passed (明天 is a plan's, left as written)
_RELATIVE_DAY = re.compile(
    r"大前天|前天|昨天|昨日|昨晚|今天|今日|今早|今晚|(?:大前|前|昨|今)儿个?|"
    r"(?:上上|上|这|本)\s*(?:个)?(?:周|星期|礼拜)[一二三四五六日天七]|"
    r"(?<![上这本下])(?:周|星期|礼拜)[一二三四五六日天七]"
)
# lines of a 会议记录 whose content has a column of its own
_COLUMN_LINE = re.compile(
    r"^\s*(?:时\s*间|日\s*期|地\s*点|主\s*持\s*人?|记\s*录\s*人?|应到(?:党员|人数)?|实到(?:党员|人数)?|"
    r"参会人员|出席人员|缺席(?:人员)?)\s*[:：]"
)
_GREETING = re.compile(
    r"^(?:各位领导(?:好)?|领导(?:们)?好|大家好|您好|报告|汇报(?:一下)?|报一下|上报(?:一下)?)[，,：:！!。\s]*"
)
_NOISE = re.compile(
    r"\[(?:图片|表情|微笑|强|OK|玫瑰|抱拳|握手)\]|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
# a group chat's stamps: "08:15 张立群：", and "——— 昨天 上午9:12 ———" between messages
_TIME_STAMP = re.compile(r"^\s*\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*")
_SEPARATOR = re.compile(
    r"^\s*[—─\-=]{2,}.*[—─\-=]{2,}\s*$|"
    # a chat export's line naming who spoke when: "老陈 19:20"
    r"^\s*[^\s，,。：:]{1,10}\s+\d{1,2}:\d{2}(?::\d{2})?\s*$"
)
_SPACES = re.compile(r"[ \t\u3000]+")
CONTENT_LIMIT = 300


def activity_content(row: ReportRow) -> str:
    """The row's 活动内容 for the printed 台账."""
    lines = [
        _TIME_STAMP.sub("", line)
        for line in row.summary.splitlines()
        if line.strip() and not _SEPARATOR.match(line)
    ]
    if len(lines) > 1:
        lines = [line for line in lines if not _COLUMN_LINE.match(line)] or lines
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in lines)
    text = _NOISE.sub("", _GREETING.sub("", text)).strip()
    text = absolute_days(text, activity_date=row.activity_date, sent=_sent_day(row))
    if len(text) > CONTENT_LIMIT:
        text = text[: CONTENT_LIMIT - 1] + "…"
    return text


def absolute_days(text: str, *, activity_date: date, sent: date | None) -> str:
    """Each relative day written as 12月3日. They are read from the day the report was sent,
    moved so that the first lands on the activity's date (a report confirmed a day late, or
    whose date was corrected, still reads right)."""
    found = list(_RELATIVE_DAY.finditer(text))
    if not found:
        return text
    anchor = sent or activity_date
    first = find_date(found[0].group(0), today=anchor, happened=True)
    if first is not None:
        anchor += activity_date - first
    parts: list[str] = []
    end = 0
    for match in found:
        day = find_date(match.group(0), today=anchor, happened=True)
        parts.append(text[end : match.start()])
        parts.append(_day_words(day, activity_date) if day else match.group(0))
        end = match.end()
    parts.append(text[end:])
    return "".join(parts)


def _day_words(day: date, activity_date: date) -> str:
    if day.year != activity_date.year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"


def _sent_day(row: ReportRow) -> date | None:
    if row.created_at is None:
        return None
    return (row.created_at.astimezone(SHANGHAI) if row.created_at.tzinfo else row.created_at).date()
