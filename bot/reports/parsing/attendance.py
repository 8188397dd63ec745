"""How many were expected and how many came, in the many ways a secretary says it.

应到32人实到28人 · 应到：31人 / 实到：28人 · 参会党员二十三名 · 听课党员24人 · 参学党员三十名 ·
来了十九个 · 党员廿七人参加 · 5个支委来了4个 · 支委5人 到会4人 · 7名支委全部到会 · 全村党员三十个
来了二十六个 · 小组党员11人到了9个 · 现场17人，另有8人视频参加，共计25人. A rough figure
(二十多人, 十几个) is not a count; people on leave, villagers and households are not attendance.
"""

from __future__ import annotations

import re

from bot.reports.parsing.numbers import NUM, ROUGH_AFTER, number

PEOPLE = r"\s*(?:人|名|位|个)?"
_WHO = r"(?:的)?(?:党员|支委|支部委员|委员)?(?:志愿者)?"
# (role, pattern): the first matching pattern of a role wins; "both" fills what is empty
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "pair",
        re.compile(
            rf"{NUM}\s*(?:个|名|位)?(?:支委|委员|党员)(?:委员)?\s*(?:只|就)?(?:来了|到了|到会|参加了?)\s*{NUM}"
        ),
    ),
    (
        "pair",
        re.compile(
            rf"(?:支委|小组党员|党员)\s*{NUM}{PEOPLE}\s*[，,、 ]?\s*"
            rf"(?:只|就)?(?:到会|来了|到了|实到|参加)\s*{NUM}"
        ),
    ),
    (
        "both",
        re.compile(
            rf"{NUM}\s*(?:个|名|位)?(?:支委|委员|党员)(?:委员)?\s*[，, ]?\s*"
            r"(?:全部|都|全体|均)\s*(?:参加|到会|出席|到了|来了|到齐)"
        ),
    ),
    ("both", re.compile(rf"支委\s*{NUM}{PEOPLE}\s*[（(，, ]?\s*(?:全体|全部|都|均)")),
    (
        "expected",
        re.compile(
            rf"应(?:到|参会|参加|出席|参学|参评|到会)(?:会)?(?:有表决权)?{_WHO}\s*[:：]?\s*{NUM}"
        ),
    ),
    (
        "attended",
        re.compile(
            rf"实(?:到|际到会|际参会|际参加|际出席|参会|参加|出席)(?:会)?{_WHO}\s*[:：]?\s*{NUM}"
        ),
    ),
    (
        "expected",
        re.compile(
            rf"(?:全村|全支部|本支部|支部共有|共有|全体|小组)(?:共有)?(?:党员|支委)\s*(?:共)?\s*{NUM}"
        ),
    ),
    ("expected", re.compile(rf"(?:全村|全支部|支部共有|共有)\s*{NUM}\s*名?党员")),
    ("attended", re.compile(rf"共计\s*{NUM}\s*(?:人|名)")),
    (
        "attended",
        re.compile(
            rf"(?:参会|到会|出席|参加|参与|参学|听课|参评|到场|出动|参加评议|参加学习|参加评议的)"
            rf"{_WHO}\s*(?:共计|共|计|有)?\s*[:：]?\s*(?:党员|支委)?\s*{NUM}"
        ),
    ),
    ("attended", re.compile(rf"(?:一共|总共|共)?(?:来了|到了)\s*{NUM}\s*(?:个|名|位|人)?")),
    ("attended", re.compile(rf"有\s*{NUM}\s*(?:人|名)(?:党员)?(?:参加|参会|到会|出席)")),
    (
        "attended",
        re.compile(
            rf"(?<![应实预备新])(?:党员)?{NUM}\s*(?:人|名|位)(?:党员)?\s*(?:参加|参会|到会|出席|参与|到场)"
        ),
    ),
    ("attended", re.compile(rf"党员{NUM}\s*(?:人|名)\s*(?:参加|参与|到)")),
)
# what comes right before a number that is not attendance
_NOT_ATTENDANCE = re.compile(
    r"(?:请假|缺席|外出|未到|群众|村民|老人|学生|儿童|户|代表|视频|线上|另有)\s*$"
)


def find_attendance(text: str) -> tuple[int | None, int | None]:
    expected = attended = None
    flat = re.sub(r"\s+", " ", text)
    for role, pattern in RULES:
        for match in pattern.finditer(flat):
            values = [_count(flat, match, group) for group in range(1, (pattern.groups or 0) + 1)]
            if any(v is None for v in values):
                continue
            if role == "pair":
                expected = expected if expected is not None else values[0]
                attended = attended if attended is not None else values[1]
            elif role == "both":
                expected = expected if expected is not None else values[0]
                attended = attended if attended is not None else values[0]
            elif role == "expected" and expected is None:
                expected = values[0]
            elif role == "attended" and attended is None:
                attended = values[0]
            break
    return expected, attended


def _count(text: str, match: re.Match[str], group: int) -> int | None:
    start, end = match.span(group)
    if ROUGH_AFTER.match(text[end:]):
        return None
    if _NOT_ATTENDANCE.search(text[max(0, start - 4) : start]):
        return None
    return number(match.group(group))
