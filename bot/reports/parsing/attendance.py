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
from bot.reports.parsing.member_counts import (
    PEOPLE,
    count_at,
    from_rate,
    member_groups,
    members_among,
    members_at_work,
    offline_part_only,
    own_share,
    settled_count,
)
from bot.reports.parsing.numbers import (
    CHINESE_DIGITS,
    NUM,
    as_meant,
    corrected_roles,
)

# 到了3个村, 来了两个小时: what follows says the number counts no people (nor is it cut short)
_NO_PEOPLE_AFTER = (
    rf"(?![\d{CHINESE_DIGITS}]|\s*个?\s*(?:村|组|户|小时|点|地方|多|半|乡|镇|社区|单位))"
)
# up to 12 characters of a clause that say no other role's count (应到30名、实到28名参加)
_NOT_ANOTHER_ROLE = r"(?:(?!实到|实际|应到)[^，,。；;]){0,12}?"
_WHO = r"(?:的)?(?:正式|预备)?(?:党员|支委|支部委员|委员)?(?:志愿者)?(?:人数|人员)?"
# 应到32人, 实到：28人, 实际到会的有表决权的正式党员：26名
_EXPECTED_SAID = re.compile(
    rf"应(?:到|参会|参加|出席|参学|参评|到会|学|该来|该到|来)(?:会)?(?:有表决权)?{_WHO}\s*[:：]?\s*"
    rf"(?:应该是|应为|应是|是)?\s*{NUM}"
)
_ATTENDED_SAID = re.compile(
    rf"实(?:到|际到会|际参会|际参加|际出席|际到了|际来了|参会|参加|出席|学)(?:会)?"
    rf"(?:有表决权)?{_WHO}\s*[:：]?\s*"
    rf"(?:应该是|应为|应是|是)?\s*{NUM}"
)
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
    ("expected", _EXPECTED_SAID),
    ("attended", _ATTENDED_SAID),
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


def find_attendance(text: str) -> tuple[int | None, int | None]:
    flat = as_meant(re.sub(r"\s+", " ", text))
    expected, attended = None, member_groups(flat)
    if attended is None:
        attended = own_share(flat)
    for role, pattern in RULES:
        for match in pattern.finditer(flat):
            said = [count_at(flat, match, group) for group in range(1, (pattern.groups or 0) + 1)]
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
    for role in corrected_roles(text):  # 应到人数写错了，应该是35人: the later count stands
        said_again = _EXPECTED_SAID if role == "expected" else _ATTENDED_SAID
        last = [count_at(flat, m, 1) for m in said_again.finditer(flat)]
        if last and last[-1] is not None:
            expected, attended = (
                (last[-1], attended) if role == "expected" else (expected, last[-1])
            )
    by_cue = counts_by_cue(flat) if expected is None or attended is None else {}
    expected = expected if expected is not None else by_cue.get("expected")
    attended = attended if attended is not None else by_cue.get("attended")
    if expected is not None and attended is None:
        attended = from_rate(flat, expected)
    if attended is None and expected is None:
        attended = members_at_work(flat)
    absent = by_cue.get("absent")
    if absent is not None:
        # those expected are those who came and those who did not
        if expected is not None and attended is None and absent <= expected:
            attended = expected - absent
        elif attended is not None and expected is None:
            expected = attended + absent
    if attended is not None and offline_part_only(flat, attended):
        attended = None
    if attended is not None:
        attended = members_among(flat, attended)
    settled = settled_count(flat)
    return expected, settled if settled is not None else attended


_AT_HOME_BEFORE = re.compile(r"在家(?:的)?\s*$")
# 现有党员46名，其中…: the branch's make-up, not those who came
_MEMBERSHIP_BEFORE = re.compile(r"(?:现有|共有|总数|人口|户籍|全村|在册)[^。；;\n]{0,20}$")
