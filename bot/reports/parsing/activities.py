"""A message that tells of more than one activity: 7月12日上午召开支委会…；当天下午接着召开
党员大会…, a 第一书记's diary with two dated days, 上周三开了党小组会…；上周五又搞了一次志愿服务.
Each is logged on its own; an announcement at the end (明天上午组织党员志愿者去敬老院…)
is not logged.

A new activity starts where a sentence begins with its own time (a date, a weekday, 当天下午,
晚上) and names a different kind of activity than the one told so far, which must itself have a
time. A line that is only a date (12月15日 星期五 阴) goes with what follows it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.reports.parsing.dates import find_date
from bot.reports.parsing.kinds import find_types

_SENTENCE = re.compile(r"[^。；;！!\n]*(?:[。；;！!\n]+|$)")
_TIME_OF_DAY = r"(?:上午|下午|晚上|早上|中午|傍晚|晚|早)"
_STARTS_WITH_TIME = re.compile(
    r"^\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}\s*[年./-]|"
    r"(?:上上|上|本|这|下)?个?(?:周|星期|礼拜)[一二三四五六日天]|"
    r"当天|同日|当日|次日|第二天|昨天|前天|今天|明天|后天|昨晚|今晚|今早|明早|"
    rf"{_TIME_OF_DAY}[：:]?|\d{{1,2}}\s*[日号])"
)
# more than this is a pasted ledger or a flood, not a message about a day's work: read it whole
MAX_ACTIVITIES = 6
_NEXT_DAY = re.compile(r"^\s*(?:次日|第二天)")
_DATE_LINE_MAX = 16
_CLAUSE_REACH = 40  # how far after a comma the kind of a new activity is looked for
_TIME_IN = re.compile(_TIME_OF_DAY[:-1] + r"|今天|当天|昨天|前天)")


def split_activities(text: str, *, today: date) -> list[str]:
    """The message cut where another activity starts; one piece when it tells of one."""
    chunks = [c for c in _chunks(text) if c.strip()]
    if len(chunks) < 2:
        return [text]
    segments: list[str] = []
    current = ""
    pending = ""  # a line that is only a date
    told: str | None = None  # the first kind of activity `current` tells of
    timed = False  # whether `current` has a time of its own
    for chunk in chunks:  # each chunk is read once: a long message costs no more than its length
        starts = bool(_STARTS_WITH_TIME.match(chunk))
        kind = find_types(chunk)[0]
        if (
            current
            and (starts or pending)
            and kind is None
            and len(chunk.strip()) <= _DATE_LINE_MAX
        ):
            if pending:
                current += pending
                timed = timed or _has_time(pending, today=today)
            pending = chunk
            continue
        if (
            current
            and (starts or pending)
            and kind is not None
            and told is not None
            and kind != told
            and timed
        ):
            segments.append(current)
            current, told, timed = "", None, False
        added = pending + chunk
        current += added
        told = told or kind or (find_types(pending)[0] if pending else None)
        timed = timed or _has_time(added, today=today)
        pending = ""
    segments.append(current + pending)
    return segments if len(segments) <= MAX_ACTIVITIES else [text]


def _chunks(text: str) -> list[str]:
    """Sentences, and within one the clauses after a comma that begin with a time."""
    pieces: list[str] = []
    for sentence in _SENTENCE.findall(text):
        start = 0
        for comma in re.finditer(r"[，,]", sentence):
            clause = sentence[comma.end() : comma.end() + _CLAUSE_REACH]
            if _STARTS_WITH_TIME.match(clause) and find_types(clause)[0]:
                pieces.append(sentence[start : comma.end()])
                start = comma.end()
        pieces.append(sentence[start:])
    return pieces


def _has_time(text: str, *, today: date) -> bool:
    return bool(_TIME_IN.search(text)) or find_date(text, today=today) is not None


def date_from_before(segment: str, previous: date | None) -> date | None:
    """当天下午 or a bare 晚上 is the day told before; 次日 the day after it."""
    if previous is None:
        return None
    return previous + timedelta(days=1) if _NEXT_DAY.match(segment) else previous


def starts_with_time_of_day(text: str) -> bool:
    """上午的支委会开完了: said the same day."""
    return bool(re.match(rf"^\s*(?:今天)?{_TIME_OF_DAY}", text))
