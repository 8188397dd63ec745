"""What a 会议记录 or a news item says beside the counts: who chaired and who kept the minutes,
where it was held, who was absent and why, what was discussed and decided.

主持人：村党支部书记袁方 · 由党总支书记宋文斌主持 · 记录人：褚慧 · 地点：村综合服务中心 ·
在村部开了支委会 · 来到镇烈士陵园 · 缺席11人：在外务工9人，因病2人 · 2人因病请假 ·
缺席人员及原因：褚国安（外出务工）、窦秀芝（住院） · 请假：4名 · 有三个请了假 ·
议题：… · 会议议定：… · 全票通过. A value that does not look like what it stands for (a person's
name of two to four characters, a place of a few characters) is left out: the card asks.
"""

from __future__ import annotations

import re

from bot.reports.parsing.numbers import NUM, ROUGH_AFTER, number

# titles said before a name: 村党支部书记袁方 → 袁方
_TITLE = re.compile(
    r"^.*(?:书记|主任|委员|组长|小组长|支书|支委|队长|主席|校长|老师|讲师|同志|第一书记|成员)"
    r"(?=[\u4e00-\u9fff]{2,4}$)"
)
_PERSON = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]某某?")
_NOT_PERSON = re.compile(
    r"书记|支部|党委|委员|全体|党员|村委|会议|大家|本人|镇|村$|乡$|我|^[今昨前明]天|上午|下午|晚上|"
    # an office: 主持：第一书记, 由组织委员代为主持, 党小组长
    r"^第[一二三四五]|^代为|^临时|^轮值|支委|党小|小组|^[副兼]"
)
# what people call someone (老王, 小李): a person, but not the name to file as host
_NICKNAME = re.compile(r"^[老小阿][\u4e00-\u9fff]$")
_HOST = (
    # 主持人：马鞍山村党支部书记 罗长青: a title, a space, the name
    re.compile(
        r"主持人?\s*[:：]\s*([^\n，。；; ]{0,14}(?:书记|主任|支书|支委|委员|组长)"
        r"\s+[\u4e00-\u9fff]{2,4})(?=\s|$|[，。；;])"
    ),
    re.compile(r"主持人?\s*(?:[:：]|为|是)\s*([^\n，。；;、 ]{2,16})"),
    # 主持人 宋平, typed as a form without its colon
    re.compile(r"主持人\s+([\u4e00-\u9fff]{2,4})(?=\s|$|[，。；;])"),
    re.compile(r"由([\u4e00-\u9fff]{2,16}?)(?:同志)?(?:[（(][^）)]{1,12}[）)])?(?:主持|召集)"),
    re.compile(
        r"(?:^|[，。；;、\n ])(?:[\u4e00-\u9fff]{0,8}(?:书记|主任|支书|委员|组长))?"
        r"(?!由)([\u4e00-\u9fff]{2,3})"
        r"(?:同志|书记|支书|主任)?(?:[（(][^）)]{1,10}[）)])?"
        r"主持(?:会议|宣讲会|活动|学习|召开|并|了|[。，；;\n]|$)"
    ),
)
_RECORDER = re.compile(r"(?:记录人|记录员|记\s*录)\s*[:：]\s*([^\n，。；;、 ]{2,16})")

_PLACE_SUFFIX = (
    r"(?:党群服务中心|服务中心|中心|会议室|活动室|村部|村委会|村委|广场|家里|家|院子里?|院坝里?|"
    r"基地|纪念馆|展览馆|教育馆|党史馆|博物馆|陈列馆|故居|陵园|礼堂|学校|小学|教室|祠堂|二楼|一楼|文明实践站|实践站|"
    r"教学点|党校|文化室|图书室|阅览室|办公室|会堂|大厅)"
)
_PLACE_LABEL = re.compile(
    rf"地点\s*[:：]\s*([^\n，。；;、]{{2,24}})|"
    rf"地点\s*(?:在|是|为)?\s*((?:村|镇|县)?[\u4e00-\u9fff]{{0,8}}?{_PLACE_SUFFIX})(?=\s|$|[，。；;])"
)
_PLACE_IN = re.compile(rf"(?<![存现实所])在((?:村|镇|县)?[\u4e00-\u9fff]{{0,12}}?{_PLACE_SUFFIX})")
_PLACE_TO = re.compile(
    rf"(?:来到|走进|前往|去了|去的|去|到了|到)((?:村|镇|乡|县|区|市|省)[\u4e00-\u9fff]{{0,12}}?{_PLACE_SUFFIX})"
)

_ABSENT_LIST = re.compile(
    r"(?:缺席|未参加|未到会?|请假)(?:人员)?(?:及|和)?(?:原因|事由)?\s*[:：]\s*([^\n]{2,120})"
)
_COUNT_FIRST = re.compile(rf"\s*{NUM}\s*(?:人|名|个|位)")
_LISTED_PERSON = re.compile(
    r"[\u4e00-\u9fff]{1,4}(?:某某?|[\u4e00-\u9fff])?\s*[（(][^）)]{1,12}[）)]"
)
# (pattern, group of the count): 缺席11人, 请假：4名, 2人因病请假, 有三个请了假, 除7名…, 没到会的6名
_SAME_LINE = r"[^\S\n]*"  # 实到：5人 / 缺席：无 — the 5 on the line above is not absent
_ABSENT_COUNT = (
    re.compile(
        rf"(?:缺席|请假|请了假|未到|没到|未参加|没来)(?:党员)?(?:人数)?\s*[:：]?\s*{NUM}\s*"
        r"(?:人|名|个|位|(?=[\s，,。；;]|$))"  # 缺席人数：2
    ),
    re.compile(
        rf"{NUM}\s*(?:人|名|个|位)(?:党员)?{_SAME_LINE}(?:因[\u4e00-\u9fff]{{1,6}})?{_SAME_LINE}"
        r"(?:请假|请了假|缺席|未到|没到)"
    ),
    re.compile(
        rf"(?:另有|有)\s*{NUM}\s*(?:人|名|个|位)?(?:因[\u4e00-\u9fff]{{1,6}})?\s*(?:请假|请了假|缺席)"
    ),
    re.compile(rf"(?:请假|请了假)\s*{NUM}\s*(?:人|名|个|位)?(?=[\s，,。；;（(]|$)"),
    re.compile(rf"除了?\s*{NUM}\s*(?:人|名|个|位)"),
    re.compile(rf"(?:没到会|未到会|没来|没参加|未参加)的\s*{NUM}\s*(?:人|名|个|位)"),
    re.compile(
        rf"{NUM}\s*(?:人|名|个|位)(?:党员)?[\u4e00-\u9fff]{{0,6}}(?:外出|在外|打工|务工)[\u4e00-\u9fff]{{0,4}}(?:没能|没有|未能|不能)(?:参加|到会|来)"
    ),
)
_REASONS_AFTER = re.compile(r"(?:缺席|请假)\s*\d+\s*(?:人|名)\s*[:：（(]\s*([^）)\n。]{2,40})")
_REASON_BEFORE = re.compile(r"因([\u4e00-\u9fff]{1,6}?)(?:请假|缺席|未到)")
_REASON_WORDS = re.compile(
    r"外出务工|在外务工|在外打工|外出打工|外出|因病|生病|住院|因事|出差|身体原因|卧病"
)

_TOPICS = re.compile(
    r"(?:议题|会议内容|活动内容|学习内容|内容|会议议程)\s*[:：]\s*([^\n]{2,200})|"
    r"(?:研究|讨论|部署|审议)了?((?!.{0,2}决定)[^，。；;\n“”\"]{2,40})"
)
_DECISIONS = re.compile(
    r"(?:决议|会议决定|研究决定|会议议定|议定|决定)\s*[:：]?\s*([^\n。]{2,80})|"
    r"([^，。；;\n]{2,30}(?:全票通过|一致通过|表决通过))"
)
BRIEF = 60
MAX_ABSENT = 300


# a sign-in list: 签到 then 1. 王守义 / 2. 李桂兰 …
_SIGNED = re.compile(
    r"^\s*(\d{1,3})\s*[.、．]\s*[\u4e00-\u9fff]{2,4}\s*(?:[（(][^）)\n]{1,10}[）)])?\s*$",
    re.MULTILINE,
)


def count_signed_in(text: str) -> int | None:
    """How many signed in on a 签到 list (a 接龙 to sign up for something is not attendance)."""
    if "签到" not in text:
        return None
    numbers = [int(m.group(1)) for m in _SIGNED.finditer(text)]
    if not numbers or numbers != list(range(1, len(numbers) + 1)):
        return None
    return len(numbers)


# 出席：刘强、王敏、张亮 — the names of those present, as minutes list them
_PRESENT_LIST = re.compile(
    r"(?:出席|到会|参会|参加|签到)(?:人员|的有|的是|的党员有|的党员是|的党员|党员)?\s*[:：]\s*"
    r"((?:[\u4e00-\u9fff]{2,3}\s*[、，,]\s*){1,60}[\u4e00-\u9fff]{2,3})(?=\s|$|[。；;，,])"
)


def count_listed_present(text: str) -> int | None:
    match = _PRESENT_LIST.search(text)
    if not match:
        return None
    names = re.split(r"\s*[、，,]\s*", match.group(1))
    return None if any(_NOT_PERSON.search(name) for name in names) else len(names)


def find_host(text: str) -> str | None:
    for pattern in _HOST:
        for match in pattern.finditer(text):
            name = _person(match.group(1))
            if name:
                return name
    said_by_writer = _HOST_IS_WRITER.search(text)
    return _speaker(text, said_by_writer.start()) if said_by_writer else None


# 主持是我, 我主持的, 由我主持: in a copied chat, the one who wrote that line
_HOST_IS_WRITER = re.compile(
    r"主持(?:人)?\s*(?:[:：]|是|为)\s*(?:我|本人)(?![\u4e00-\u9fff])|(?:由我|是我|我)主持(?:的|了)?"
)
# 08:15 张立群：… (a name before the message) or 张立群 08:15 on the line above the message
_SPEAKER_SAME_LINE = re.compile(r"^\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s*)?(\S{2,4})\s*[:：]")
_SPEAKER_LINE_ABOVE = re.compile(r"^\s*(\S{2,4})\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s*$")
# a nickname or a title is not the name the ledger needs: 老陈, 小吴, 会计, 镇组织办
_NOT_A_FULL_NAME = re.compile(r"^[老小阿]|会计|书记|主任|委员|办$")


def _speaker(text: str, at: int) -> str | None:
    lines = text[:at].split("\n")
    same = _SPEAKER_SAME_LINE.match(lines[-1])
    above = _SPEAKER_LINE_ABOVE.match(lines[-2]) if len(lines) > 1 and not same else None
    said = same or above
    if said is None or _NOT_A_FULL_NAME.search(said.group(1)):
        return None
    return _person(said.group(1))


def find_recorder(text: str) -> str | None:
    match = _RECORDER.search(text)
    return _person(match.group(1)) if match else None


# what may follow a name: 王大山（村党支部书记）, 王大山同志, 王大山书记
_AFTER_NAME = re.compile(r"(?:[（(][^）)]*[）)]?|同志|书记|支书|主任|委员|组长)+$")


def _person(said: str) -> str | None:
    name = _TITLE.sub("", _AFTER_NAME.sub("", "".join(said.split())))
    if not _PERSON.fullmatch(name) or _NOT_PERSON.search(name) or _NICKNAME.match(name):
        return None
    return name


def find_place(text: str) -> str | None:
    label = _PLACE_LABEL.search(text)
    if label:  # 地点：村委会二楼 主持人：张某
        said = (label.group(1) or label.group(2)).strip()
        return re.split(r"\s+(?=\S{1,6}[:：])", said)[0]
    for pattern in (_PLACE_IN, _PLACE_TO):
        for match in pattern.finditer(text):
            if match.group(1) in ("家", "家里") or _GATHERED_AFTER.match(text, match.end()):
                continue  # 在家党员, 在村委会门口集合后到陵园: no place of the activity
            return match.group(1)
    return None


_GATHERED_AFTER = re.compile(r"(?:门口|前|外)?\s*(?:集合|集中|出发|乘车)")


def find_absent(text: str) -> tuple[int | None, str | None]:
    """How many were absent, and why, as the text says it (not computed from the counts)."""
    listed = _ABSENT_LIST.search(text)
    if listed and not _COUNT_FIRST.match(listed.group(1)):  # 缺席：3名（2名在外务工…）
        people = _LISTED_PERSON.findall(listed.group(1))
        if people:
            return len(people), _brief(listed.group(1))
    count = None
    for pattern in _ABSENT_COUNT:
        for match in pattern.finditer(text):
            if ROUGH_AFTER.match(text[match.end(1) :]):
                continue
            value = number(match.group(1))
            if value is not None and value <= MAX_ABSENT:
                count = value
                break
        if count is not None:
            break
    return count, _reasons(text)


def _reasons(text: str) -> str | None:
    after = _REASONS_AFTER.search(text)
    if after:
        return _brief(after.group(1))
    before = _REASON_BEFORE.search(text)
    if before:
        return before.group(1)
    words = list(dict.fromkeys(m.group() for m in _REASON_WORDS.finditer(text)))
    return "、".join(words) if words else None


def find_topics(text: str) -> str | None:
    match = _TOPICS.search(text)
    if not match:
        return None
    return _brief(match.group(1) or match.group(2))


def find_decisions(text: str) -> str | None:
    match = _DECISIONS.search(text)
    if not match:
        return None
    return _brief(match.group(1) or match.group(2))


def _brief(said: str) -> str | None:
    said = " ".join(said.split()).strip("，,。；;：: ")
    if len(said) < 2:
        return None
    return said if len(said) <= BRIEF else said[: BRIEF - 1] + "…"
