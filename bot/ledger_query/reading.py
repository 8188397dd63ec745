"""A question about the ledger read into a typed query: what is asked, the kinds of activity,
the period and the place — or None when the text is not a question about the ledger (a policy
question such as 「我们村一年要开几次党员大会」 asks what the rules require, not what was done).

The kinds and villages are the report parser's finders (with its pinyin-slip fixer), so a
question names an activity and a village the way a report does.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.ledger_query.periods import Period, find_period
from bot.reports.parsing import find_types, find_village
from bot.reports.parsing.kinds import fix_slips


class Asked(StrEnum):
    LIST = "list"  # which reports, which villages did
    COUNT = "count"  # how many times, how many villages
    MISSING = "missing"  # which branches have NOT
    ATTENDANCE = "attendance"  # how many came
    LOGGED = "logged"  # whether it is in the ledger


THREE_MEETINGS_ONE_LESSON = ("支部党员大会", "支部委员会", "党小组会", "党课")


@dataclass(frozen=True)
class PlaceSaid:
    village: str | None = None  # as the gazetteer spells it
    typed_village: str | None = None  # as the question spelled it, when that differs
    township: str | None = None
    own_branch: bool = False  # 我们村, 本村
    own_township: bool = False  # 本镇, 全镇
    county: bool = False  # 全县
    across_villages: bool = False  # 哪些村, 各村, 几个村

    @property
    def names_a_place(self) -> bool:
        """A village, a township or the villages across, not only 我们村 / 本镇 / 县里."""
        return bool(self.village or self.typed_village or self.township or self.across_villages)


@dataclass(frozen=True)
class LedgerQuery:
    asked: Asked
    kinds: tuple[str, ...]  # empty: any activity
    kinds_label: str  # 主题党日, 三会一课, 活动
    period: Period | None
    place: PlaceSaid
    counts_villages: bool = False  # 有几个村…: a count of branches, not of reports


# what the rules require, how to do it: a policy question even when it names the ledger
_NORMATIVE = re.compile(
    r"要|应当|应该|需要|须|规定|违纪|违规|违法|处分|处理|还能|能[\u4e00-\u9fff]?吗|"
    r"([\u4e00-\u9fff])不\1|多久|多长时间|怎么(?!样)|怎样|如何|"
    r"咋|一般|至少|最少|最多|有效|的话|能不能|能否|可以|可不可以|包含|包括|标准|程序|流程|要点|"
    r"每个?月|每年|每季度?|(?<!近)一年(?!来)|(?<!近)一个月|为什么|为啥|意义|是什么(?!时候)|啥意思|算不算|"
    # whether a thing done counts, passes or breaks a rule: 这算违反啥纪律, 这算通过了没有
    r"这算|算(?:是|作|违|数|有效|合格|通过)|违反|纪律|通过了?(?:没|吗)|"
    # whose duty a thing is: 这本来就归村委会管吗
    r"归[\u4e00-\u9fff]{1,8}管|谁管|管不管|该不该管|"
    # who has the say over a rule: 这个该谁来定, 谁批
    r"谁来?(?:定|决定|批|审批|说了算)"
)
_ASKING = re.compile(
    r"[?？]|吗|哪|几|多少|什么|啥|谁|(?:参加|参会|到会|出席)率|没有?[?？。]?$|了没|列|看看|查|"
    r"情况|明细|台账|是否|有没有|人数"
)
_ACTIVITY = re.compile(r"活动|会|党课|台账|记录|报(?!告)|登记|党日|学习|志愿|搞|开展|举办|举行")
_DONE = re.compile(
    r"(?:开|搞|上|办|报|讲|学|组织|开展|召开|举行|举办|进行|登记|记|录)(?:了|过|上了)|"
    # 来了 as people come, not 吵起来了 or 回来了
    r"实到|到会|(?<![起回出过进上下])来了|参加|出席|人数|台账|登记|没(?:有)?(?:开|搞|报|上|召开|开展|组织|举行)|未(?:开|报)"
)
_OWN_BRANCH = re.compile(r"我们村|我村|本村|咱村|咱们村|俺村|俺们村|我们支部|本支部")
_OWN_TOWNSHIP = re.compile(r"本镇|全镇|我们镇|咱镇|咱们镇|镇里|本乡|全乡|我们乡|本街道|全街道")
_COUNTY = re.compile(r"全县|县里|各乡镇|所有乡镇|全部乡镇")
_ACROSS = re.compile(
    r"哪些村|哪个村|哪几个村|哪几村|那些村|各村|各个村|几个村|多少个村|所有村|每个村|有村"
)
# 老乡, 家乡, 城乡 are words, not a township's name
_TOWNSHIP_NAME = re.compile(
    r"([\u4e00-\u9fff]{2,4}?(?:镇|(?<![老家城下返回同故])乡|街道))(?!长|党委|政府|干部|里)"
)
_NOT_TOWNSHIP = re.compile(r"^(?:本|全|我们|咱们?|各|该|这个|乡|城|村|镇|县)")

_MISSING = re.compile(
    r"(?:还|都)?(?:没有?|未)(?:开|搞|报|上|召开|开展|组织|举行|登记|办)|还没|尚未|缺(?:报|了)"
)
_ATTENDANCE = re.compile(
    r"实到|应到|到会|到了?(?:几|多少)|来了?(?:几|多少)|(?:几|多少)(?:个)?人(?:参加|到|来)|"
    r"参加人数|参会人数|人数|出席|参加了?(?:几|多少)|(?:参加|参会|到会|出席)率"
)
_COUNT = re.compile(
    r"几次|多少次|几回|多少回|几场|多少场|几条|多少条|一共|总共|几个村|多少个村|几个"
)
_LOGGED = re.compile(r"有没有|了没|了吗|吗|没有?[?？。]?$|是否|登记上|报上")
_EACH_VILLAGE = re.compile(r"各村|各个村|每个村|所有村|全部村")
_VILLAGE_COUNT = re.compile(r"几个村|多少个村|几村")
_QUESTION_WORD = re.compile(r"有|没|哪|几|个|些|的|了|是|吗")
# in an unregistered name, what a question says around a village (这季度我村, 上个月我们村)
_NOT_A_NAME = re.compile(r"有|没|哪|几|个|些|的|了|是|吗|我|们|本|这|那|该|咱|俺|季|月|年|周|今|去")


def read_question(
    text: str,
    *,
    today: date,
    villages: Collection[str] = (),
    townships: Collection[str] = (),
    routed: bool = False,
) -> LedgerQuery | None:
    """`villages` and `townships`: the gazetteer (every branch the county has). `routed`: the
    text already goes to the ledger (/ask in a group), so read it whatever its form."""
    flat = fix_slips(" ".join(text.split()))
    kinds, kinds_label = _kinds(flat)
    period = find_period(flat, today=today)
    place = _place(flat, villages, townships)
    query = LedgerQuery(
        asked=_asked(flat),
        kinds=kinds,
        kinds_label=kinds_label,
        period=period,
        place=place,
        counts_villages=_VILLAGE_COUNT.search(flat) is not None,
    )
    if routed:
        return query
    if _NORMATIVE.search(flat):
        return None
    # 上个月城关的主题党日: a period and a kind with nothing else is a list, asked without words
    listed = kinds or re.search(r"台账|活动|记录", flat)
    told = re.search(r"[，,。；;]|\d+\s*[人名]", flat)  # clauses or a head count: a report
    if not _ASKING.search(flat) and not (period and listed and len(flat) <= 20 and not told):
        return None
    # 哪些村去敬老院打扫过卫生: which villages did something, whatever it is called
    did_something = place.across_villages and re.search(r"[过了]", flat) is not None
    about_activity = bool(kinds) or _ACTIVITY.search(flat) is not None or did_something
    # 我们村, 县里 alone is how people ask about the rules too (我们村…委员会都得单独成立吗): a
    # place said only so counts with an activity named by its kind
    said_place = place.names_a_place or (place != PlaceSaid() and bool(kinds))
    if not about_activity or (not _DONE.search(flat) and period is None and not said_place):
        return None
    return query


def _asked(text: str) -> Asked:
    without_either = text.replace("有没有", "")
    which = re.search(r"哪|几|多少|还|列|什么|谁|有没有村|有村", text)
    if _MISSING.search(without_either) and which:
        return Asked.MISSING
    if _ATTENDANCE.search(text):
        return Asked.ATTENDANCE
    if _COUNT.search(text):
        return Asked.COUNT
    if _LOGGED.search(text) and not re.search(r"哪|什么|啥", text):
        # 各村组织生活会开了没有: whether, for each village — those that have not
        return Asked.MISSING if _EACH_VILLAGE.search(text) else Asked.LOGGED
    return Asked.LIST


def _kinds(text: str) -> tuple[tuple[str, ...], str]:
    if "三会一课" in text:
        return THREE_MEETINGS_ONE_LESSON, "三会一课"
    main, others = find_types(text, infer=False)
    if main is None:
        return (), "活动"
    kinds = (main, *others)
    return kinds, "、".join(kinds)


def _place(text: str, villages: Collection[str], townships: Collection[str]) -> PlaceSaid:
    township = next((t for t in sorted(townships, key=len, reverse=True) if t and t in text), None)
    if township is None:  # 城关 for 城关镇
        stems = {t[:-1]: t for t in townships if len(t) >= 3 and t.endswith(("镇", "乡"))}
        township = next((t for stem, t in stems.items() if stem in text), None)
    if township is None:
        for match in _TOWNSHIP_NAME.finditer(text):
            name = match.group(1)
            if not _NOT_TOWNSHIP.search(name) and not _QUESTION_WORD.search(name):
                township = name
                break
    rest = text.replace(township, " ") if township else text
    village = find_village(rest, known=villages)
    typed = None
    if village is None or village not in villages:
        slipped = _slipped(rest, villages)
        if slipped is not None:
            village, typed = slipped
        elif village is not None and _NOT_A_NAME.search(village.removesuffix("村")):
            village = None
    return PlaceSaid(
        village=village,
        typed_village=typed,
        township=township,
        own_branch=_OWN_BRANCH.search(text) is not None,
        own_township=_OWN_TOWNSHIP.search(text) is not None,
        county=_COUNTY.search(text) is not None,
        across_villages=_ACROSS.search(text) is not None,
    )


def one_slip_apart(known: str, typed: str) -> bool:
    """张家庄村 and 马家庄村: the same length, one character different, 村 kept."""
    if len(known) != len(typed) or len(known) < 3 or known[-1] != typed[-1]:
        return False
    return sum(a != b for a, b in zip(known, typed, strict=True)) == 1


def _slipped(text: str, villages: Collection[str]) -> tuple[str, str] | None:
    """(registered, as typed) for a registered village typed with a homophone of one of its
    characters (马家装村, 柳和村): a keyboard slip, read as the village and said so."""
    from pypinyin import lazy_pinyin

    for known in sorted(villages):
        size = len(known)
        if size < 3 or known in text:
            continue
        for start in range(len(text) - size + 1):
            span = text[start : start + size]
            if not one_slip_apart(known, span):
                continue
            said, meant = next((b, a) for a, b in zip(known, span, strict=True) if a != b)
            if lazy_pinyin(said) == lazy_pinyin(meant):
                return known, span
    return None


def is_ledger_question(
    text: str, *, today: date, villages: Collection[str] = (), townships: Collection[str] = ()
) -> bool:
    """A question about what branches did, rather than about policy."""
    return read_question(text, today=today, villages=villages, townships=townships) is not None
