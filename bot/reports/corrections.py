"""A message that corrects an earlier report (「更正：上午报的枫林村主题党日人数有误，应到34人，
实到31人」): whether a text is one, which of the sender's records it means, and what it changes.

A correction says so (更正/纠正/有误/写错/应为/改为 …) and either opens with 更正/纠正, refers
back to what was sent (上一条, 刚才, 上午报的), quotes the old value (原报28名) or says which field
is wrong (人数有误, 日期错了). The old values it quotes (不是92人, 原报28名, 昨天上报的) are
taken out before the rest is read as a report, so that only the new values remain; the record
is the sender's own that matches most of what the text names, the latest on a tie
(刚才/上一条 mean the latest)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.reports.fields import EDITABLE
from bot.reports.parsing import parse_report
from bot.reports.rows import ReportRow
from ingest.numerals import parse_number

_SAYS_WRONG = re.compile(
    r"更正|纠正|订正|勘误|有误|有错|[写打填报发弄搞记输说]错|错了|[写搞弄]反|"
    r"应为|应该为|应当为|改为|改成|更改为|修改为|原报"
)
_REFERS_BACK = re.compile(
    r"上一条|上条|刚才|刚刚|前面|之前|那条|那个|这条|(?:上报|报|发|登记|填)的"
)
# a message that opens by saying it corrects: 更正：…, 纠正一下：…
_OPENS_AS_CORRECTION = re.compile(r"^\s*(?:更正|纠正|订正|勘误)|原(?:报|填|写|来报)")
# a field said to be wrong: 人数有误, 日期错了, 主持人写错了, 实到人数应为
_FIELD_WRONG = re.compile(
    r"(?:日期|时间|人数|应到|实到|类型|主题(?!党日)|题目|地点|主持人?|村名)[^，,。；;！!]{0,8}?"
    r"(?:有误|有错|[写打填报发弄搞记输说]错|错了|[写搞弄]反|应为|应该为|应该是|应是|改为|改成)"
)
_ASKS = re.compile(r"[?？]|吗|怎么|怎样|如何|能不能|可不可以|可以.{0,4}[吗么]")
# what the correction quotes of the record as it stands, or of when it was sent
_OLD_VALUE = (
    re.compile(r"[（(][^）)]*(?:原|不是|有误)[^）)]*[）)]"),
    re.compile(r"(?:而)?不是[^，,。；;！!]{1,16}"),
    re.compile(r"原(?:报|来|先|填|写)(?:的)?[^，,。；;！!]{0,12}"),
    re.compile(
        r"(?:大前天|前天|昨天|今天|上午|下午|早上|晚上|刚才|刚刚|之前|前面|先前|上次)?"
        r"(?:上报|报|发|登记|填报|提交)(?:的|了)(?:那条|这条|那个)?"
    ),
    re.compile(r"上一条|上条|这条|那条"),
)
# a clause that says what stays: 其他都不变, 群众30余人不变
_UNCHANGED = re.compile(r"不变|没错|不用改|都对|没问题")
_CLAUSES = re.compile(r"[，,。；;！!\n]")
# a field changes only when the text speaks of it (a theme, place or host read off a
# correction's wording would be a guess)
_NAMES_FIELD = {
    "theme": re.compile(r"主题(?!党日)|题目"),
    "place": re.compile(r"地点|地方|在.{1,10}(?:开|举行|召开)"),
    "host": re.compile(r"主持"),
}
_NEW = r"(?:应为|应该为|应该是|应是|改为|改成|更正为|换成|是)\s*"
# a new text value said outright: 主持人应该是王建国, 地点改为村党群服务中心, 主题应为“…”
_SAID_VALUE = {
    "host": (
        re.compile(
            r"主持人?[^。；;！!]{0,8}?"
            + _NEW
            + r"([\u4e00-\u9fa5]{2,4}?)(?:同志)?(?=主持|[，,。；;！!]|$)"
        ),
        re.compile(_NEW + r"([\u4e00-\u9fa5]{2,4}?)(?:同志)?主持"),
    ),
    "place": (re.compile(r"地点[^。；;！!]{0,8}?(?:" + _NEW + r"|在)([^，,。；;！!]{2,30})"),),
    "theme": (
        re.compile(
            r"(?:主题(?!党日)|题目)[^。；;！!]{0,8}?"
            + _NEW
            + r"[“\"《]?([^”\"》，,。；;！!]{2,40})"
        ),
    ),
}


# a head count said outright, a clause after the field it corrects: 实到人数有误，应为30人
_SAID_COUNT = re.compile(
    r"(实到|应到|参加|参会|到会)(?:人数|党员)?[^。；;！!]{0,10}?"
    r"(?:应为|应该为|应该是|应是|改为|改成|更正为|为|是)\s*([0-9]{1,4}|[一二两三四五六七八九十百]{1,5})\s*[人名位]"
)
_COUNT_FIELD = {"实到": "attended", "参加": "attended", "参会": "attended", "到会": "attended"}


@dataclass(frozen=True)
class CorrectionReading:
    """What a correction names: values read after the old ones were taken out."""

    values: dict[str, Any] = field(default_factory=dict)
    refers_back: bool = False


def is_correction(text: str, *, today: date) -> bool:
    """A message that corrects a stored report (not a question about how to correct one)."""
    text = text.strip()
    if not _SAYS_WRONG.search(text) or _ASKS.search(text):
        return False
    return bool(
        _OPENS_AS_CORRECTION.search(text) or _REFERS_BACK.search(text) or _FIELD_WRONG.search(text)
    )


def read_correction(text: str, *, today: date, villages: Collection[str] = ()) -> CorrectionReading:
    kept = [c for c in _CLAUSES.split(text) if c.strip() and not _UNCHANGED.search(c)]
    cleaned = "，".join(kept)
    for pattern in _OLD_VALUE:
        cleaned = pattern.sub("", cleaned)
    parsed = parse_report(cleaned, today=today, villages=set(villages)).as_json()
    values = {
        name: parsed[name]
        for name in ("date", "village", "type", "expected", "attended", "theme", "place", "host")
        if parsed.get(name) not in (None, "", [])
    }
    for name, says in _NAMES_FIELD.items():
        if name in values and not says.search(text):
            del values[name]
    for said_count in _SAID_COUNT.finditer(cleaned):
        count = parse_number(said_count.group(2))
        if count is not None:
            values[_COUNT_FIELD.get(said_count.group(1), "expected")] = count
    for name, patterns in _SAID_VALUE.items():
        said = next((m.group(1) for p in patterns if (m := p.search(cleaned))), None)
        if said:
            values[name] = said.strip()
    return CorrectionReading(values, bool(_REFERS_BACK.search(text)))


def candidate_records(reading: CorrectionReading, records: Sequence[ReportRow]) -> list[ReportRow]:
    """The records that match most of what the correction names, latest first: one when the
    text refers back (刚才, 上一条: the latest of them), several when it cannot tell them
    apart (then the sender is asked), none when it names nothing any record has."""

    def points(row: ReportRow) -> int:
        said = reading.values
        found = 2 * (said.get("type") == row.type)
        found += 2 * (said.get("date") == row.activity_date.isoformat())
        return found + (said.get("village") == row.village)

    if not records:
        return []
    best = max(points(r) for r in records)
    if best == 0 and not reading.refers_back:
        return []
    tied = sorted(
        (r for r in records if points(r) == best),
        key=lambda r: (r.created_at or r.activity_date, r.id),
        reverse=True,
    )
    return tied[:1] if reading.refers_back else tied


def changes_to(record: ReportRow, reading: CorrectionReading) -> dict[str, Any]:
    """The editable fields whose new value differs from the record's, as typed values."""
    now = {
        "date": record.activity_date.isoformat(),
        "type": record.type,
        "theme": record.theme,
        "expected": record.expected,
        "attended": record.attended,
        "place": record.place,
        "host": record.host,
    }
    return {
        name: value
        for name, value in reading.values.items()
        if name in EDITABLE and value != now.get(name)
    }
