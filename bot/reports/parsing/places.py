"""Where: the village (a branch) and its township.

The registered branches are a gazetteer: a name from it is taken as written, or without its
村 when three characters remain (我们马家庄开的党员大会 → 马家庄村). Otherwise a
village is a short name ending in 村 that starts after a boundary — punctuation, a time word,
a township (河口镇马坪村) — and where 村 ends the name (村集体, 村民, 村委会 are not names).
“我们村/本村” is the sender's own branch, returned as None here and filled in by the service.
A first secretary introducing themselves (“我是芦苇荡村第一书记”, “派驻X村”) names their own
village; the activity's village is another one the message names, if any.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.reports.parsing.dates import WRONG_BEFORE

_TOWNSHIP = r"[\u4e00-\u9fff]{1,4}?(?:镇|乡|街道)"
# 嘎查 is a village in Inner Mongolia (巴彦嘎查)
_NAME = (
    r"[\u4e00-\u9fff]{1,7}?(?:村|嘎查)"  # left context kept, then cut at the words before a name
)
# at most 4 characters before 村 (马鞍山村, 梅子垭村): a longer run is a phrase, unless registered
MAX_NAME = 5
STEM_MIN = 3  # 马家庄 is a name without its 村; 张家, 前进, 桃园 are words
# after 村: a word that makes 村 a modifier, not the end of a name (农业农村局, 村办企业)
_NOT_AFTER = "集民委务级里部道干规内外中头口子庄容貌局厅站所社行办名居"
_CANDIDATE = re.compile(rf"(?:({_TOWNSHIP}))?({_NAME})(?![{_NOT_AFTER}])")
# words that end whatever came before a village's name ("昨天下午李庄村" -> "李庄村")
_BEFORE_NAME = (
    re.compile(
        r"^.*(?:上午|下午|中午|晚上|早上|今早|今晚|昨晚|前晚|当晚|今天|今日|昨天|昨日|前天|明天|当天|那天|这天|我是|我们|咱们|俺们|他们|你们|"
        r"组织|开展|召开|结对的|结对|帮扶的|帮扶|协助|派驻|本周|上周|这周|周[一二三四五六日]|"
        r"礼拜[一二三四五六日天]|星期[一二三四五六日天]|周天|\d[日号]|^[日号]|"
        # other words of time: 上周末石门村, 月初, 前几天, 国庆节前一天, 近日
        r"周末|月初|月中|月底|月末|年初|年底|年末|几天|一天|近日|日前|最近|近期|节日?|"
        # a heading's or a phrase's words: 中共桑园村, 结合村, 参加村党支部委员会, 我们是腰店村的
        r"中共|参加|结合|宣讲|走进|来到|前往|深入|回到|返回|联合|共同|是|隔壁|邻近|来自|"
        # words that link clauses: 共45名党员，其中下坝村党员27名 → 下坝村
        r"其中|包括|以及|还有|另外|其余|分别|特别是|尤其是|"
        # a forward names who wrote it: 转发杨树沟村王书记发的
        r"转发|转载|转自)"
    ),
    # one-character words only when something precedes them: 和平村 is a name, 安排和村 is not;
    # the last one that leaves a name of two characters or more (会在和平村 → 和平村), else the last
    re.compile(
        r"^.+(?:帮|给|到|在|为|和|与|及|对|向|跟|同|驻|的|了|[日号])(?=[\u4e00-\u9fff]{2,}(?:村|嘎查)$)"
    ),
    re.compile(r"^(?:在|的|了|到|为|给|帮|驻)"),
    # 我们和黄家湾村 → 黄家湾村, but 和平村 and 同心村 are names
    re.compile(r"^(?:和|与|跟|同|及)(?=[\u4e00-\u9fff]{3,}(?:村|嘎查)$)"),
    re.compile(r"^.+(?:帮|给|到|在|为|和|与|及|对|向|跟|同|驻|的|了|[日号])"),
    re.compile(r"^(?:在|的|了|到|为|给|帮|驻)"),
)
_DESCRIPTION = re.compile(
    r"(?:示范|重点|老区|文明|先进|贫困|帮扶|试点|红色|明星|标杆|样板|美丽|特色|传统|生态|旅游|"
    r"空心|软弱涣散|后进)村$"
)
# common words that end in 村; the first two also end a phrase (讲的是乡村治理 → 是乡村)
_WORDS = {"乡村", "农村", "山村", "渔村", "城中村", "美丽乡村", "新农村"}
_WORD_TAILS = ("乡村", "农村")
_NOT_NAMES = {
    "哪些村",
    "哪个村",
    "几个村",
    "全村",
    "本村",
    "该村",
    "各村",
    "每村",
    "我村",
    "村村",
    "一村",
    "两村",
    "行政村",
    "自然村",
    "我们村",
    "咱们村",
    "俺们村",
    "他们村",
    "你们村",
    "咱村",
    "俺村",
    "这个村",
}
_SELF = re.compile(
    rf"(?:我是|我系)(?:县[\u4e00-\u9fff]{{0,8}}?派驻)?({_NAME})(?:的)?(?:第一书记|书记|支书)|派驻({_NAME})"
)
# a two-character "name" that is a verb, a pronoun or a link and 村 (回村, 各村, 和村两委), and
# phrases counting villages (5个村), or a phrase with people in it (党员们回村)
_PHRASE = re.compile(
    r"^[进回驻入到出在去来返全本该每各邻外同个几这那此和与跟及对给把从向]村$|(?:个村|回村|驻村|入村)$|党员|群众|干部|们"
)
# 来我村, 到贵村: a word before a pronoun and 村
_NOT_NAME_TAILS = ("全村", "本村", "我村", "该村", "你村", "贵村", "咱村", "俺村", "此村")
_OWN = re.compile(r"我们村|我村|本村|咱村|俺村|咱们村|我们支部|本支部")
_PARTNER_BEFORE = re.compile(r"(?:跟|和|与|同)(?:隔壁|邻近|相邻的|邻村)?$")
_PARTNER_AFTER = re.compile(r"^.{0,4}?(?:一起|一道|联合|共同)")
# a name never asks: 六月份哪些村, 有几个村
_ASKING = re.compile(r"哪|几|多少|什么|啥|各|每")


# 到邻近的桃花村参观学习: a village visited to see how it works is not the one reporting
_VISITED_AFTER = re.compile(r"^.{0,2}?(?:参观|考察|观摩|取经|学习.{0,6}经验)")


# a short quote or a title is a theme, a slogan or a book, not where it happened: “清廉村居”,
# 《青山村的故事》; a long one is a forwarded message, and its village is the sender's
_QUOTED = re.compile(r"[“\"「『《][^”\"」』》，。；\n]{1,24}[”\"」』》]")
# a news headline's slogan: 法治进村, 送医下村, 宪法进村入户
# … unless it is a branch's or a group's name: 转发自「桐子坪村第二党小组」群聊
_BRANCH_AFTER = re.compile(
    r"(?:第[一二三四五六七八九十\d]{1,2})?(?:党小组|党支部|支部|党总支|两委)"
)
_SLOGAN = re.compile(r"[\u4e00-\u9fff]{2,}[进入下到]村$")
_SENTENCE_MARK = re.compile(r"[，。；,;！!？?]")
HEADLINE_MAX = 30


def find_village(text: str, *, known: Collection[str] = ()) -> str | None:
    """`text` may keep its line breaks: a first line that is a headline is read last."""
    own: set[str] = set()
    for match in _SELF.finditer(text):
        own.update(c for n in match.groups() if n and (c := _clean(n)))
    registered = [name for _, name in sorted(_known_in(text, known)) if name not in own]
    if registered:  # the gazetteer first
        return registered[0]
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    headline = _headline_end(text)
    named = [
        (m, name)
        for m in _CANDIDATE.finditer(text)
        if (name := _clean(m.group(2)))
        and not _VISITED_AFTER.match(text[m.end() : m.end() + 12])
        and not WRONG_BEFORE.search(text[max(0, m.end() - len(name) - 4) : m.end() - len(name)])
        and not (
            any(start < m.end() <= end for start, end in quoted)
            and not _BRANCH_AFTER.match(text[m.end() : m.end() + 6])
        )
        and not (m.end() <= headline and _SLOGAN.search(name))
    ]
    # a body that names a village says it better than its headline
    named.sort(key=lambda item: item[0].end() <= headline)
    found = [name for m, name in named if not _is_partner(text, m.end() - len(name), m.end())]
    if not found and not _OWN.search(text):  # 县审计局与苇塘村联合…: the village is the partner
        found = [name for _, name in named]
    others = [name for name in found if name not in own]
    if others and _JOINT_LIST.search(text) and len(set(others)) > 1 and not _OWN.search(text):
        return _named_again(text, others)
    if others:
        return others[0]
    return found[0] if found else None


def _headline_end(text: str) -> int:
    """Where the first line ends, when it is a headline: a short line, no sentence, before more."""
    first, newline, rest = text.partition("\n")
    if not newline or not rest.strip() or len(first) > HEADLINE_MAX:
        return 0
    return 0 if _SENTENCE_MARK.search(first) else len(first)


# villages listed as the doers of one joint activity
_JOINT_LIST = re.compile(
    rf"{_NAME}(?:党支部)?\s*[、和与及]\s*{_NAME}(?:党支部)?\s*(?:两个|两|三个|几个)?(?:党支部|支部)?"
    r"\s*(?:联合|共同|一起|一道|携手)"
)


def _named_again(text: str, listed: list[str]) -> str | None:
    """上湾村、下湾村两个党支部联合开展…: either may be the sender, unless one is said to be ours
    or named again on its own (…长岭村党员24人参加)."""
    for name in listed:
        if re.search(f"(?:我们|咱们|俺们){name}", text):  # 我们上坝村和下坝村…
            return name
    times = {name: text.count(name) for name in listed}
    most = max(times.values())
    again = [name for name, n in times.items() if n == most]
    return again[0] if most > 1 and len(again) == 1 else None


def _is_partner(text: str, start: int, end: int) -> bool:
    """跟隔壁黄家湾村一起搞了主题党日: the other branch of a joint activity, not the sender's."""
    return bool(
        _PARTNER_BEFORE.search(text[max(0, start - 4) : start])
        and _PARTNER_AFTER.match(text[end : end + 8])
    )


def _known_in(text: str, known: Collection[str]) -> set[tuple[int, str]]:
    """(where, name) of each registered branch the text names, by its name or, for a name of
    three characters or more before 村, without the 村 (“我们马家庄” is 马家庄村)."""
    hits: set[tuple[int, str]] = set()
    for name in known:
        stem = name.removesuffix("村")
        for said in {name, stem} if len(stem) >= STEM_MIN else {name}:
            where = text.find(said)
            if said and where >= 0:
                hits.add((where, name))
    return hits


def find_township(text: str) -> str | None:
    match = _CANDIDATE.search(text)
    return match.group(1) if match and match.group(1) else None


def _clean(name: str) -> str | None:
    for words in _BEFORE_NAME:
        name = words.sub("", name)
    length = len(name) - 1 if name.endswith("嘎查") else len(name)
    if length < 2 or length > MAX_NAME or name in _NOT_NAMES or name in _WORDS:
        return None
    if _DESCRIPTION.search(name):  # 示范村桃源村, 老区村: what a village is, not its name
        return None
    # 青峰乡村支书群: a township's 乡 and 村 — no village's name ends in 乡村 or 农村
    if name.endswith(_WORD_TAILS):
        return None
    if name.endswith(_NOT_NAME_TAILS) or _ASKING.search(name) or _PHRASE.search(name):
        return None
    return name
