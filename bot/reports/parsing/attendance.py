"""How many were expected and how many came, in the many ways a secretary says it.

应到32人实到28人 · 应到：31人 / 实到：28人 · 参会党员二十三名 · 听课党员24人 · 参学党员三十名 ·
来了十九个 · 党员廿七人参加 · 5个支委来了4个 · 支委5人 到会4人 · 7名支委全部到会 · 全村党员三十个
来了二十六个 · 小组党员11人到了9个 · 现场17人，另有8人视频参加，共计25人 · 到会22/25 ·
参加人数31人 · 党员17人全部参加 · 总共二十六个党员 · 应到30人，到会率90% · 一共十八个党员，有两个
没来. A rough figure (二十多人, 十几个) is not a count; people on leave, villagers and households
are not attendance, but with the number expected they give the number who came.
"""

from __future__ import annotations

import re

from bot.reports.parsing.count_cues import counts_by_cue, of_other_body
from bot.reports.parsing.numbers import (
    CHINESE_DIGITS,
    NUM,
    ROUGH_AFTER,
    ROUGH_BEFORE,
    as_meant,
    number,
)

PEOPLE = r"\s*(?:个人|人|名|位|个)?"
# 到了3个村, 来了两个小时: what follows says the number counts no people (nor is it cut short)
_NO_PEOPLE_AFTER = (
    rf"(?![\d{CHINESE_DIGITS}]|\s*个?\s*(?:村|组|户|小时|点|地方|多|半|乡|镇|社区|单位))"
)
# up to 12 characters of a clause that say no other role's count (应到30名、实到28名参加)
_NOT_ANOTHER_ROLE = r"(?:(?!实到|实际|应到)[^，,。；;]){0,12}?"
_WHO = r"(?:的)?(?:正式|预备)?(?:党员|支委|支部委员|委员)?(?:志愿者)?(?:人数|人员)?"
# (role, pattern): the first matching pattern of a role wins; "both" fills what is empty
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "pair",
        re.compile(
            rf"{NUM}\s*(?:个|名|位)?(?:支委|委员|党员)(?:委员)?\s*(?:只|就)?(?:来了|到了|到会|参加了?)\s*"
            rf"{NUM}{_NO_PEOPLE_AFTER}"
        ),
    ),
    (
        "pair",
        re.compile(
            rf"(?<!在家)(?<!在家的)(?:支委|小组党员|党员)\s*{NUM}{PEOPLE}\s*[，,、 ]?\s*"
            rf"(?:只|就)?(?:到会|来了|到了|实到|参加)\s*{NUM}{_NO_PEOPLE_AFTER}"
        ),
    ),
    # 5名支委4名到会, 9名党员，7名参加
    (
        "pair",
        re.compile(
            rf"{NUM}\s*(?:个|名|位)?(?:支委|委员|党员)\s*[，, ]?\s*(?:只有|有)?\s*"
            rf"{NUM}\s*(?:个|名|位|人)\s*(?:到会|参加|出席|来了|到了|参会)"
        ),
    ),
    (
        "both",
        re.compile(
            rf"{NUM}\s*(?:个|名|位)?(?:支委|委员|党员)(?:委员)?\s*[，, ]?\s*"
            r"(?:全部|都|全体|均)\s*(?:参加|到会|出席|到了|来了|到齐)"
        ),
    ),
    ("both", re.compile(rf"支委\s*{NUM}{PEOPLE}\s*[（(，, ]?\s*(?:全体|全部|都|均|全到|到齐)")),
    (
        "both",
        re.compile(
            rf"(?:党员|委员|成员)\s*{NUM}{PEOPLE}\s*[，, ]?\s*(?:全部|都|全体|均)\s*"
            r"(?:参加|到会|出席|到了|来了|到齐|参会)"
        ),
    ),
    # 全组八个人来了七个: of the people counted, those who came (a part, never more)
    (
        "part",
        re.compile(
            rf"{NUM}\s*(?:个人|个|名|位|人)\s*(?:只|就)?(?:来了|到了|到会|参加了)\s*"
            rf"{NUM}{_NO_PEOPLE_AFTER}"
        ),
    ),
    # 9名党员，都来了 / 一共十五个党员，一个没少: all of them came
    (
        "both",
        re.compile(
            rf"{NUM}\s*(?:个|名|位)?(?:党员|支委|人)\s*[，,]\s*"
            r"(?:一(?:个|人)(?:都|也)?(?:没|不)少|无一缺席|(?:全|都|全都)(?:到了|来了|到齐了?))"
        ),
    ),
    # 应到二十九时到二十六: 实到 as voice input mishears it
    (
        "pair",
        re.compile(rf"应到{_WHO}\s*{NUM}{PEOPLE}\s*[，, ]?\s*(?:时到|是到|石到|十到)\s*{NUM}"),
    ),
    # 党员24名中22名参加: of those expected, those who came
    (
        "pair",
        re.compile(
            rf"{NUM}\s*(?:个|名|位|人)?(?:党员|支委)?\s*中\s*(?:有)?\s*(?:到会|实到|参加|出席|来了|到了)?\s*{NUM}"
        ),
    ),
    # 到会22/25: those who came, of those expected
    (
        "came_of",
        re.compile(
            rf"(?<!应)(?:实到|到会|参会|出席|参加|到)\s*(?:党员|情况)?\s*[:：]?\s*{NUM}\s*[/／]\s*{NUM}"
        ),
    ),
    # a breakdown of a total: 到会45人（党员36人，列席的村民代表9人）, 共60余人参加，其中党员31名
    (
        "attended",
        re.compile(
            rf"(?:到会|参会|参加|出席|共)\s*(?:\d+|[{CHINESE_DIGITS}]+){PEOPLE}\s*[（(]\s*(?:其中)?\s*"
            rf"党员\s*{NUM}"
        ),
    ),
    # …其中下坝村党员27名, 其中我村党员12人: the branch's own share of a joint total
    (
        "attended",
        re.compile(
            rf"其中\s*(?:有)?\s*(?:[\u4e00-\u9fff]{{2,5}}村|我村|本村|本支部|村)?\s*党员\s*{NUM}"
        ),
    ),
    # the branch's members beside another body's: 我村党员7人协助组织，卫生院党员6人参加
    (
        "attended",
        re.compile(rf"(?:我村|本村|本支部)党员\s*{NUM}{PEOPLE}\s*(?:协助|配合|帮忙|参与|参加)"),
    ),
    # groups that share one verb: 我村党员25人、供电公司党员8人参加; 32名党员和4名积极分子参加
    (
        "attended",
        re.compile(
            rf"(?<!应到)(?:我村|本村|本支部)?党员\s*{NUM}{PEOPLE}\s*[、和及]\s*{_NOT_ANOTHER_ROLE}"
            rf"(?:参加|参与|参会|出席)"
        ),
    ),
    (
        "attended",
        re.compile(
            rf"{NUM}\s*(?:名|位|个)党员\s*[、和及]\s*{_NOT_ANOTHER_ROLE}(?:参加|参与|参会|出席)"
        ),
    ),
    # 三个支部共87名党员，到会72名: the members, then those who came
    (
        "expected",
        re.compile(
            rf"(?<![参加会到学与席])共\s*{NUM}\s*(?:名|个|位)党员(?=\s*[，,]\s*(?:到会|实到|参加|出席|来了|到了))"
        ),
    ),
    (
        "expected",
        re.compile(
            rf"应(?:到|参会|参加|出席|参学|参评|到会|学|该来|该到|来)(?:会)?(?:有表决权)?{_WHO}\s*[:：]?\s*"
            rf"(?:应该是|应为|应是|是)?\s*{NUM}"
        ),
    ),
    (
        "attended",
        re.compile(
            rf"实(?:到|际到会|际参会|际参加|际出席|际到了|际来了|参会|参加|出席|学)(?:会)?"
            rf"(?:有表决权)?{_WHO}\s*[:：]?\s*"
            rf"(?:应该是|应为|应是|是)?\s*{NUM}"
        ),
    ),
    (
        "expected",
        re.compile(
            rf"(?:全村|全支部|本支部|支部共有|共有|全体|小组)(?:共有)?(?:党员|支委)\s*[（(]?\s*(?:共)?\s*"
            rf"{NUM}"
        ),
    ),
    (
        "expected",
        re.compile(
            rf"(?:全村|全支部|支部共有|共有|总共|一共)\s*{NUM}\s*(?:个|名|位)?党员"
            r"(?!\s*(?:参加|到会|出席|参会|参与))"  # 共有29名党员参加: those who came
        ),
    ),
    ("attended", re.compile(rf"共计\s*{NUM}\s*(?:人|名)")),
    # a minutes form's list of those present, and its total: 参加人员：全体支委及党员代表 共15人
    (
        "attended",
        re.compile(
            rf"(?:参加|参会|出席|到会)人员\s*[:：][^。；;\n:：]{{0,20}}?(?:共计|合计|共)\s*{NUM}\s*(?:人|名)"
        ),
    ),
    # the party that went: 书记带领支委和党员代表一行8人, 我和两名支委一共3个人,
    # 两委干部和党员代表共12人，前往…
    (
        "attended",
        re.compile(
            rf"(?:干部|党员|支委|代表|委员)[^，,。；;\d]{{0,8}}?(?:共计|一共|共)\s*{NUM}\s*(?:人|名)"
            r"\s*[，,]?\s*(?:前往|来到|赶赴|赴|走进|深入|走访)"
        ),
    ),
    ("attended", re.compile(rf"一行\s*(?:共)?\s*{NUM}\s*(?:人|名|位)")),
    (
        "attended",
        re.compile(
            rf"我(?:(?:和|与|跟)[^，,。；;\d村]{{1,10}}?|们)(?:一共|总共|共计|共)\s*{NUM}\s*(?:个人|人)"
            r"(?!\s*党员)"
        ),
    ),
    # 在家党员都来了，一共29人; 来的都是党员，二十九个: the total of those who came
    (
        "attended",
        re.compile(
            rf"(?:都|全|全部|全都)(?:来了|到了|到齐了?|参加了|到会了)\s*[，,]\s*"
            rf"(?:一共|总共|共计|共)\s*(?:是|有)?\s*{NUM}\s*(?:个人|人|名|个|位)"
        ),
    ),
    (
        "attended",
        re.compile(rf"来的(?:都是|全是)?党员\s*[，,]?\s*(?:有|一共|总共|共)?\s*{NUM}"),
    ),
    # members listed beside others who came: 党员26人、学生50人 (not 全村党员46名、村民…)
    (
        "listed",
        re.compile(
            rf"(?:^|(?<=[，,。；;：:\s]))党员\s*{NUM}\s*(?:人|名|个)\s*[、，,]\s*"
            r"[\u4e00-\u9fff]{0,3}?(?:积极分子|学生|群众|村民代表|群众代表|师生|教师|老师|医生|青少年|少先队员|"
            r"团员|志愿者)"
            r"\s*(?:\d|[一二三四五六七八九十])"
        ),
    ),
    # 党员12人，群众30余人参加: the verb at the end is the members' too
    (
        "attended",
        re.compile(
            rf"党员\s*{NUM}{PEOPLE}\s*[，,、和及]\s*(?:群众|村民)[^，,。；;]{{0,8}}?(?:参加|参与|参会)"
        ),
    ),
    (
        "attended",
        re.compile(
            rf"(?<!应)(?:参会|到会|出席|参加|参与|参学|听课|参评|到场|出动|参加评议|参加学习|参加评议的)"
            rf"{_WHO}\s*(?:共计|一共|总共|共|计|有)?\s*[:：]?\s*(?:全体)?(?:在家)?(?:党员|支委)?\s*{NUM}"
        ),
    ),
    # 来了十九个, 到了19: not 争起来了两边
    (
        "attended",
        re.compile(
            rf"(?:一共|总共|共)?(?<![起出])(?:来了|到了)\s*{NUM}\s*"
            r"(?:个(?!村|组|户|小时|地方|点|支部|党支部)|名|位|人|(?=[，,。；;\s]|$))"
        ),
    ),
    ("attended", re.compile(rf"有\s*{NUM}\s*(?:人|名)(?:党员)?(?:参加|参会|到会|出席)")),
    (
        "attended",
        re.compile(
            rf"(?<![应实预备新])(?:党员)?{NUM}\s*(?:人|名|位)(?:党员)?\s*(?:参加|参会|到会|出席|参与|到场)"
        ),
    ),
    (
        "attended",
        re.compile(rf"党员{NUM}\s*(?:人|名)\s*(?:参加|参与|到(?!\s*[\d{CHINESE_DIGITS}]))"),
    ),
)
# what comes right before a number that is not attendance
_NOT_ATTENDANCE = re.compile(
    r"(?:请假|缺席|外出|未到|群众|村民|老人|学生|儿童|户|(?<!党员)代表|另有|(?:群众|村民)志愿者|"
    r"村民小组长|村民组长|"
    r"(?:预计|计划|拟|预定|报名)(?:参加|参会|到会|出席)?(?:的)?(?:党员)?|"  # 原计划参加25人
    r"累计(?:参加|参与|出动|参学|服务)?(?:的)?(?:党员)?|"  # 累计参加党员286人次: many activities
    r"(?:视频|线上|连线)(?:参加|参会|连线)?|"
    r"不是|而非|写成了?|打成了?|误写为|误报为|错报为)\s*$"  # 实到应该是31人，不是13人
)


def find_attendance(text: str) -> tuple[int | None, int | None]:
    flat = as_meant(re.sub(r"\s+", " ", text))
    expected, attended = None, _member_groups(flat)
    if attended is None:
        attended = _own_share(flat)
    for role, pattern in RULES:
        for match in pattern.finditer(flat):
            said = [_count(flat, match, group) for group in range(1, (pattern.groups or 0) + 1)]
            values = [v for v in said if v is not None]
            if len(values) < len(said):
                continue
            if of_other_body(flat, match.start()) or of_other_body(flat, match.start(1)):
                continue
            if role == "pair":
                expected = expected if expected is not None else values[0]
                attended = attended if attended is not None else values[1]
            elif role == "both":
                if expected is None and not _AT_HOME_BEFORE.search(flat, 0, match.start()):
                    expected = values[0]  # 在家的34名党员都参加了: not the whole branch
                attended = attended if attended is not None else values[0]
            elif role == "listed":
                if attended is not None or _MEMBERSHIP_BEFORE.search(flat, 0, match.start()):
                    continue
                attended = values[0]
            elif role == "part":
                if values[1] > values[0]:
                    continue
                expected = expected if expected is not None else values[0]
                attended = attended if attended is not None else values[1]
            elif role == "came_of":
                attended = attended if attended is not None else values[0]
                expected = expected if expected is not None else values[1]
            elif role == "expected" and expected is None:
                expected = values[0]
            elif role == "attended" and attended is None:
                attended = values[0]
            break
    by_cue = counts_by_cue(flat) if expected is None or attended is None else {}
    expected = expected if expected is not None else by_cue.get("expected")
    attended = attended if attended is not None else by_cue.get("attended")
    if expected is not None and attended is None:
        attended = _from_rate(flat, expected)
    if attended is None and expected is None:
        attended = _members_at_work(flat)
    absent = by_cue.get("absent")
    if absent is not None:
        # those expected are those who came and those who did not
        if expected is not None and attended is None and absent <= expected:
            attended = expected - absent
        elif attended is not None and expected is None:
            expected = attended + absent
    if attended is not None and _offline_part_only(flat, attended):
        attended = None
    settled = _settled(flat)
    return expected, settled if settled is not None else attended


_ONLINE_PART = re.compile(
    rf"(?:线上|视频|网上|连线|远程)\s*(?:参会|参加|参学|连线)?\s*(?:党员)?\s*{NUM}|"
    rf"{NUM}\s*(?:人|名|位)(?:党员)?\s*(?:通过)?\s*(?:线上|视频|网上|远程)"
)
_OFFLINE_PART = re.compile(rf"(?:线下|现场)\s*(?:参会|参加|参学|到会|出席)?\s*(?:党员)?\s*{NUM}")


def _offline_part_only(text: str, attended: int) -> bool:
    """线下参会30人，线上参会12人: the count in the room is not all who came."""
    if not _ONLINE_PART.search(text):
        return False
    return any(number(m.group(1)) == attended for m in _OFFLINE_PART.finditer(text))


_AT_HOME_BEFORE = re.compile(r"在家(?:的)?\s*$")
# 现有党员46名，其中…: the branch's make-up, not those who came
_MEMBERSHIP_BEFORE = re.compile(r"(?:现有|共有|总数|人口|户籍|全村|在册)[^。；;\n]{0,20}$")

# 按31个报, 以26人为准: the count a chat settled on after someone corrected the first one
_SETTLED = re.compile(
    rf"(?:按|以)\s*{NUM}\s*(?:个|人|名|位)\s*(?:党员)?\s*(?:报|上报|算|登记|填|为准)"
)


def _settled(text: str) -> int | None:
    found = [number(m.group(1)) for m in _SETTLED.finditer(text)]
    return found[-1] if found else None


# 人社局党员15人、新华村党员20人共35人参加: beside another body's members, the branch's own
_OTHER_BODY_MEMBERS = re.compile(
    r"(?:[院局校厂所]|公司|单位|企业|机关|部队)(?:党支部|支部)?(?:的)?(?:党员|干部职工|职工)"
)
_OWN_MEMBERS = re.compile(rf"(?:我村|本村|本支部|[\u4e00-\u9fff]{{1,4}}村)党员\s*{NUM}\s*(?:人|名)")


def _own_share(text: str) -> int | None:
    if not _OTHER_BODY_MEMBERS.search(text):
        return None
    own = {
        _count(text, match, 1)
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


def _member_groups(text: str) -> int | None:
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
        rf"{NUM}\s*(?:名|位|个)党员(?:志愿者)?\s*(?:到|来到|前往|深入|走进|为|帮|给|一起|在|开展|参与)"
    ),
    # 组织党员代表15人到县烈士陵园
    re.compile(rf"党员(?:代表|志愿者)?\s*{NUM}\s*(?:人|名)\s*(?:到|来到|前往|深入|走进|一起|参与)"),
)
# … but not members served, honoured or received (为7名党员过政治生日, 表彰优秀党员5名)
_NOT_AT_WORK_BEFORE = re.compile(
    r"(?:为|给|向|对|表彰|评选|发展|接收|慰问|邀请|看望|其中|另有|还有)\s*$"
)


def _members_at_work(text: str) -> int | None:
    """Only when nothing else counts those who came, and only the one such count."""
    found = []
    for match in (found_at for pattern in _AT_WORK for found_at in pattern.finditer(text)):
        start = match.start()
        clause = re.split(r"[，,。；;\n]", text[:start])[-1]
        if _NOT_AT_WORK_BEFORE.search(clause) or of_other_body(text, start):
            continue
        if re.search(r"[院局校厂]|公司|单位|企业|机关|卫生|医院|学校", clause):
            continue  # 县审计局机关党支部书记带领12名党员: another body's members
        found.append(_count(text, match, 1))
    values = {v for v in found if v is not None}
    return values.pop() if len(values) == 1 and len(found) == 1 else None


_RATE = re.compile(
    r"(?:到会|参会|出席|参学|到课|参加)率\s*(?:为|达|是|达到)?\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]"
)


def _from_rate(text: str, expected: int) -> int | None:
    """应到30人，到会率90% → 27."""
    match = _RATE.search(text)
    if not match or float(match.group(1)) > 100:
        return None
    return round(expected * float(match.group(1)) / 100)


def _count(text: str, match: re.Match[str], group: int) -> int | None:
    start, end = match.span(group)
    if ROUGH_AFTER.match(text[end:]) or ROUGH_BEFORE.search(text[max(0, start - 4) : start]):
        return None
    if _NOT_ATTENDANCE.search(text[max(0, start - 6) : start]):
        return None
    return number(match.group(group))
