"""The long tail of head counts: a count of people takes the role of the cue word nearest to it.

出席会议33人 · 来听的党员有二十七个 · 5名支委参会 · 党员总数36人 · 其余27名全部参加 ·
支委一共五个人都到了.
Also which counts belong to another body (卫生院党员6人参加, 双方共45名党员), shared with the rules.
"""

from __future__ import annotations

import re

from bot.reports.parsing.numbers import NUM, ROUGH_AFTER, ROUGH_BEFORE, number

# a count of another body's members or of several villages together: 卫生院党员6人参加, 双方共45名
# 党员 (not 三个支部共87名党员: a 党总支's own branches)
_OTHER_BODY = re.compile(
    r"(?:[院局校厂]|公司|单位|企业|机关|双方|两村|各村|[两三四五六七八九]个村(?:党支部)?|"
    r"片区|全镇|全乡|全县|镇里|乡里|县里|镇上)"
    r"(?:党支部|支部)?(?:的)?(?:党员)?(?:共|共有|一共|共计|总共)?\s*(?:有)?\s*(?:党员)?\s*"
    r"(?:来了|到了|去了)?\s*$"
)


def of_other_body(text: str, start: int) -> bool:
    clause = re.split(r"[，,。；;、\n]", text[max(0, start - 14) : start])[-1]
    return bool(_OTHER_BODY.search(clause))


# The long tail (出席会议33人, 来听的党员有二十七个, 5名支委参会, 党员总数36人): a count of people
# takes the role of the nearest cue in its clause — the last one before it, else the first one
# after it — with no other count in between.
# 个 counts people, not 两个小时, 三个村, 四个方面
_COUNT = re.compile(
    rf"{NUM}\s*(?:人次|个人|人|名|位|个(?!小时|多小时|半小时|钟头|月|星期|礼拜|工作日|村|组|项|方面|"
    r"主题|党(?!员)|会|活动|支部|小组|志愿服务|集中|专题|微|组织|民主|学习))"
)
_ROLE_SAID = re.compile(r"应到|实到|到会|参会|出席|参加|缺席|请假|没来|未到")
_SENTENCE_ENDS = {"。", "；", ";", "！", "!", "？", "?", "\n", ""}
_CLAUSE_END = re.compile(r"[，,。；;！!？?、\n（）()]")
_CUES = (
    (
        "expected",
        r"应到|应参加|应出席|应参会|应学|应该来|应该到|应来|共有|现有|在册|总数|总共|一共|全体|全村|全支部|本支部|"
        r"(?<![委子])成员|正式党员|(?<!村民)小组(?!长)",  # not 两委成员, 班子成员
    ),
    (
        "attended",
        r"实到|实学|(?<!应)到会|参会|出席|参加|参与|参学|参训|听课|来听|参评|评议|到场|(?<![起出])来了|到了|去了|签到|出勤|"
        r"全到|到齐|党员志愿者|党员代表|参观党员|听讲党员|(?:参加|参与)?学习的?党员",
    ),
    ("absent", r"请假|缺席|缺勤|未到|没到|没来|未参加|没参加|在外|外出务工|外出打工"),
    (
        "other",
        r"群众|村民|老人|户|学生|儿童|(?<!党员)代表|列席|视频|线上|预备|不是|写成|打成|"
        r"人士|乡贤|能人|创业者|邀请|嘉宾",  # 在外创业人士5名, 邀请县妇联2名同志: not members
    ),
)
_OTHERS_AFTER = re.compile(
    r"(?:独居|留守|孤寡|空巢|高龄|困难|贫困|脱贫|五保|低保|在校|残疾)?(?:老人|群众|村民|学生|儿童|师生|孩子|农户|困难户|脱贫户|家庭|教师)"
)
_QUALIFIED_MEMBERS_AFTER = re.compile(r"\s*(?:的)?(?!正式)[\u4e00-\u9fff]{1,5}?党员")
_SUBSET_BEFORE = re.compile(
    r"(?:其中|当中|(?:党员|人员|人)中)(?:(?!到会|参加|参会|出席|实到|来了|到了)[^，,。；;])*$"
)
_REST_BEFORE = re.compile(r"(?:其余|其他|剩下的?|余下的?)\s*$")
_MEMBERS_NAMED = re.compile(r"\s*(?:党员|支委)\s*")  # 支部31名党员，这次到了27名
_ALL_CAME_BEFORE = re.compile(r"(?:都|全|全部|全都)(?:来了|到了|到齐了?|参加了|到会了)\s*$")
_PLANNED_BEFORE = re.compile(
    r"(?:预计|计划|拟|预定|报名)(?:参加|参会|到会|出席)?(?:的)?(?:党员)?(?:人数)?\s*[:：]?\s*$"
)
_ONLINE_BEFORE = re.compile(r"(?:视频|线上|连线|网上)(?:参加|参会)?\s*$")
_TOTAL_BEFORE = re.compile(r"(?:共有|一共|总共)\s*$")
_CAME_AFTER = re.compile(r"\s*(?:党员)?\s*(?:参加|到会|出席|参会|参与)")
_BARE_MEMBERS = re.compile(
    r"\s*(?:支部)?(?:有|现有)?(?:党员|支委|支部委员|委员)\s*(?:共|共计|总数)?\s*"
)
_ALL_CAME = re.compile(
    r"\s*(?:党员|支委)?\s*(?:(?:都|全部|全都|均)\s*(?:到了|来了|到会|参加|出席|到齐|参会|在)|"
    r"一(?:个|人)(?:都|也)?(?:没|不)少|无一缺席)"
)
# a count said right after these: 到8人 came; 除4名外出的都来了 did not
_CAME_RIGHT_BEFORE = re.compile(r"(?<![应实未没迟])到\s*[:：]?\s*$")
_EXCEPT_RIGHT_BEFORE = re.compile(r"除了?\s*$")
_TOTALS = {"一共", "总共"}
_CUE = re.compile("|".join(f"(?P<{role}>{words})" for role, words in _CUES))


def counts_by_cue(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    torn: set[str] = set()
    previous = ""
    in_parts = False  # after 其中 until the sentence ends: 其中第一党小组12人，第二党小组20人
    pieces = re.split(f"({_CLAUSE_END.pattern})", text)
    for clause, ended_by in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
        came_before, previous = _ALL_CAME_BEFORE.search(previous), clause
        listing_parts = in_parts and not _ROLE_SAID.search(clause)
        in_parts = in_parts or "其中" in clause
        counts = [] if listing_parts else list(_COUNT.finditer(clause))
        if ended_by in _SENTENCE_ENDS:
            in_parts = False
        for n, count in enumerate(counts):
            if ROUGH_AFTER.match(clause[count.end(1) :]) or ROUGH_BEFORE.search(
                clause[max(0, count.start() - 4) : count.start()]
            ):
                continue
            before = clause[counts[n - 1].end() if n else 0 : count.start()]
            after = clause[count.end() : counts[n + 1].start() if n + 1 < len(counts) else None]
            value = number(count.group(1))
            if value is None or of_other_body(clause, count.start()):
                continue
            if _OTHERS_AFTER.match(clause, count.end()):
                continue  # 为村里的12位独居老人: those served, not those who came
            if _SUBSET_BEFORE.search(before):
                continue  # 参会党员中60岁以上的有15名: a part of those who came
            if _REST_BEFORE.search(before):  # 其余27名全部参加: those who came, not all
                found.setdefault("attended", value)
                continue
            if _ALL_CAME.match(clause, count.end()):  # 支委一共五个人都到了, …一个没少
                if "在家" not in before:  # 在家的34名党员都参加了: not the whole branch
                    found.setdefault("expected", value)
                found.setdefault("attended", value)
                continue
            if _PLANNED_BEFORE.search(before) or "累计" in before:
                continue  # 原计划参加25人, 累计参加286人次: planned, or over many activities
            if _ONLINE_BEFORE.search(before):
                continue  # 线上参加5人: a part of those who came
            role = _role_of(before, after)
            if role == "expected" and _TOTAL_BEFORE.search(before) and _CAME_AFTER.match(after):
                role = "attended"  # 共有29名党员参加: a total of those who came
            if role == "expected" and (
                "在家" in before or _QUALIFIED_MEMBERS_AFTER.match(clause, count.end())
            ):
                role = None  # 全体在家党员16人, 全村12名生活困难党员: a part, not the branch
            if role == "expected" and came_before and _TOTAL_BEFORE.search(before):
                role = "attended"  # 在家党员都来了，一共29人: the total of those who came
            if role is None and (
                _BARE_MEMBERS.fullmatch(before) or _MEMBERS_NAMED.fullmatch(after)
            ):
                role = "members"  # 党员32名，实际参加29名: the branch's members, if someone came
            if role in ("expected", "attended", "absent", "members"):
                if found.get(role, value) != value:
                    torn.add(role)
                found.setdefault(role, value)
    for role in torn:  # two different counts for one role: which is the branch's is unsure
        found.pop(role)
    members, attended = found.get("members"), found.get("attended")
    if members is not None and attended is not None and attended <= members:
        found.setdefault("expected", members)
    return found


def _role_of(before: str, after: str) -> str | None:
    if _CAME_RIGHT_BEFORE.search(before):
        return "attended"
    if _EXCEPT_RIGHT_BEFORE.search(before):
        return "absent"
    cues_before = list(_CUE.finditer(before))
    if cues_before:
        last = cues_before[-1]
        if last.group() in _TOTALS and any(c.lastgroup == "attended" for c in cues_before):
            return "attended"  # 参加学习的党员一共19名: the total of those who came
        return last.lastgroup
    cue_after = _CUE.search(after)
    return cue_after.lastgroup if cue_after else None
