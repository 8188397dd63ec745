"""Whose count a number is: the branch's member groups summed, its share beside another body's,
members at work, a count a chat settled on, the room's part beside those online, a rate.

Each reads the whole flattened text; `count_at` reads one number of a match, refusing a rough
figure and a number said of people who are not those who came.
"""

from __future__ import annotations

import re

from bot.reports.parsing.count_cues import of_other_body
from bot.reports.parsing.numbers import CHINESE_DIGITS, NUM, ROUGH_AFTER, ROUGH_BEFORE, number

PEOPLE = r"\s*(?:个人|人|名|位|个)?"

# what comes right before a number that is not attendance
_NOT_ATTENDANCE = re.compile(
    r"(?:请假|缺席|外出|未到|群众|村民|老人|学生|儿童|户|(?<!党员)代表|另有|(?:群众|村民)志愿者|"
    r"村民小组长|村民组长|"
    r"(?:预计|计划|拟|预定|报名)(?:参加|参会|到会|出席)?(?:的)?(?:党员)?|"  # 原计划参加25人
    r"累计(?:参加|参与|出动|参学|服务)?(?:的)?(?:党员)?|"  # 累计参加党员286人次: many activities
    r"邀请[\u4e00-\u9fff]{0,4}|"  # 邀请县妇联2名同志参加: guests
    r"(?:视频|线上|连线)(?:参加|参会|连线)?|"
    r"不是|而非|写成了?|打成了?|误写为|误报为|错报为)\s*$"  # 实到应该是31人，不是13人
)


_ONLINE_PART = re.compile(
    rf"(?:线上|视频|网上|连线|远程)\s*(?:参会|参加|参学|连线)?\s*(?:党员)?\s*{NUM}|"
    rf"{NUM}\s*(?:人|名|位)(?:党员)?\s*(?:通过)?\s*(?:线上|视频|网上|远程)"
)
_OFFLINE_PART = re.compile(rf"(?:线下|现场)\s*(?:参会|参加|参学|到会|出席)?\s*(?:党员)?\s*{NUM}")


def offline_part_only(text: str, attended: int) -> bool:
    """线下参会30人，线上参会12人: the count in the room is not all who came."""
    if not _ONLINE_PART.search(text):
        return False
    return any(number(m.group(1)) == attended for m in _OFFLINE_PART.finditer(text))


# 按31个报, 以26人为准: the count a chat settled on after someone corrected the first one
_SETTLED = re.compile(
    rf"(?:按|以)\s*{NUM}\s*(?:个|人|名|位)\s*(?:党员)?\s*(?:报|上报|算|登记|填|为准)|"
    # 签到的一共29个 … 不对，是27个: the writer corrects the count just given
    rf"(?:不对|错了|说错了|打错了|更正一下|纠正一下)\s*[，,：:]?\s*(?:应该)?(?:是|为)\s*{NUM}\s*(?:个|人|名|位)"
)


def settled_count(text: str) -> int | None:
    found = [
        number(m.group(1) or m.group(2))
        for m in _SETTLED.finditer(text)
        if m.group(1) or "应" not in text[max(0, m.start() - 8) : m.start()]  # 应到写错了，是35个
    ]
    return found[-1] if found else None


# 来了28个，其中有3个是入党积极分子: those among the count who are no members
_NON_MEMBERS_WITHIN = re.compile(
    rf"其中\s*(?:有)?\s*{NUM}\s*(?:个|人|名|位)\s*(?:是)?\s*"
    r"(?:入党积极分子|积极分子|发展对象|群众|村民代表|村民|非党员)"
)
_MEMBERS_WITHIN = re.compile(rf"其中\s*(?:有)?\s*[\u4e00-\u9fff]{{0,4}}党员\s*{NUM}")


def members_among(text: str, attended: int) -> int:
    """Those who came less the non-members said to be among them (unless the members are
    counted apart: 其中党员25人)."""
    if _MEMBERS_WITHIN.search(text):
        return attended
    found = [count_at(text, m, 1) for m in _NON_MEMBERS_WITHIN.finditer(text)]
    if len(found) != 1 or found[0] is None or not 0 < found[0] < attended:
        return attended
    return attended - found[0]


# 人社局党员15人、新华村党员20人共35人参加: beside another body's members, the branch's own
_OTHER_BODY_MEMBERS = re.compile(
    r"(?:[院局校厂所]|公司|单位|企业|机关|部队)(?:党支部|支部)?(?:的)?(?:党员|干部职工|职工)"
)
_OWN_MEMBERS = re.compile(rf"(?:我村|本村|本支部|[\u4e00-\u9fff]{{1,4}}村)党员\s*{NUM}\s*(?:人|名)")


def own_share(text: str) -> int | None:
    if not _OTHER_BODY_MEMBERS.search(text):
        return None
    own = {
        count_at(text, match, 1)
        for match in _OWN_MEMBERS.finditer(text)
        if not of_other_body(text, match.start())
    }
    return own.pop() if len(own) == 1 else None


# 流动党员19名、在家党员23名参加: groups of the branch's members that share one verb
_GROUPS = re.compile(
    rf"(?:[\u4e00-\u9fff]{{0,6}}?党员\s*(?:\d+|[{CHINESE_DIGITS}]+){PEOPLE}\s*[、和及]\s*){{1,4}}"
    rf"[\u4e00-\u9fff]{{0,6}}?党员\s*(?:\d+|[{CHINESE_DIGITS}]+){PEOPLE}\s*"
    r"(?:共|都|均|全部)?\s*(?:参加|参与|参会|出席|到会)"
)
_GROUP = re.compile(rf"([\u4e00-\u9fff]{{0,6}}?)党员\s*{NUM}")
# a group that is not the branch's own members: 供电公司党员8人, 竹溪村党员20名, 镇机关党员
_FOREIGN_GROUP = re.compile(r"[院局校厂司]|单位|企业|机关|社区|(?:^|[^本我返回下])[镇乡县村]$")
# nor a count with another role: 应到党员30名、实到…, 其中党员…, 请假党员2名
_OTHER_ROLE = re.compile(r"应|实到|请假|缺席|未|没|其中|另有|还有")


def member_groups(text: str) -> int | None:
    """The sum, when every group is the branch's own (本村在家党员, 流动党员, 老党员)."""
    match = _GROUPS.search(text)
    if not match or of_other_body(text, match.start()):
        return None
    total = 0
    for part in re.split(r"\s*[、和及]\s*", match.group()):
        group = _GROUP.search(part)
        if group is None or _FOREIGN_GROUP.search(group.group(1)):
            return None
        if _OTHER_ROLE.search(group.group(1)):
            return None
        value = number(group.group(2))
        if value is None:
            return None
        total += value
    return total


# 组织15名党员到敬老院…, 十五名党员帮村里的留守老人修缮房屋: the members who did the work
_AT_WORK = (
    re.compile(
        rf"{NUM}\s*(?:名|位|个)(?:女|老|青年|年轻|流动|返乡|在家)?党员(?:志愿者)?\s*"
        r"(?:到|来到|前往|深入|走进|为|帮|给|一起|在|开展|参与)"
    ),
    # 组织党员代表15人到县烈士陵园
    re.compile(rf"党员(?:代表|志愿者)?\s*{NUM}\s*(?:人|名)\s*(?:到|来到|前往|深入|走进|一起|参与)"),
)
# … but not members served, honoured or received (为7名党员过政治生日, 表彰优秀党员5名)
_NOT_AT_WORK_BEFORE = re.compile(
    r"(?:为|给|向|对|表彰|评选|发展|接收|慰问|邀请|看望|其中|另有|还有)\s*$"
)


def members_at_work(text: str) -> int | None:
    """Only when nothing else counts those who came, and only the one such count."""
    found = []
    for match in (found_at for pattern in _AT_WORK for found_at in pattern.finditer(text)):
        start = match.start()
        clause = re.split(r"[，,。；;\n]", text[:start])[-1]
        if _NOT_AT_WORK_BEFORE.search(clause) or of_other_body(text, start):
            continue
        if re.search(r"[院局校厂]|公司|单位|企业|机关|卫生|医院|学校", clause):
            continue  # 县审计局机关党支部书记带领12名党员: another body's members
        found.append(count_at(text, match, 1))
    values = {v for v in found if v is not None}
    return values.pop() if len(values) == 1 and len(found) == 1 else None


_RATE = re.compile(
    r"(?:到会|参会|出席|参学|到课|参加)率\s*(?:为|达|是|达到)?\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]"
)


def from_rate(text: str, expected: int) -> int | None:
    """应到30人，到会率90% → 27."""
    match = _RATE.search(text)
    if not match or float(match.group(1)) > 100:
        return None
    return round(expected * float(match.group(1)) / 100)


def count_at(text: str, match: re.Match[str], group: int) -> int | None:
    start, end = match.span(group)
    if ROUGH_AFTER.match(text[end:]) or ROUGH_BEFORE.search(text[max(0, start - 4) : start]):
        return None
    if _NOT_ATTENDANCE.search(text[max(0, start - 6) : start]) or _NO_HEAD_COUNT_AFTER.match(
        text, end
    ):
        return None
    return number(match.group(group))


# what follows a number that counts no people, or is garbled: 到会党员12月5日, 实到 2O
# (not 时: 应到二十九时到二十六 is voice input's 实到)
_NO_HEAD_COUNT_AFTER = re.compile(
    r"\s*(?:月|日|号|年|点|岁|周岁|条|款|章|届|期|天|周|小时|分钟|元|万|亩|户|张|票|次(?!人))|"
    r"[A-Za-z]|[.．]\d"
)
