"""What kind of activity it was, the other kinds it names, and its theme."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.reports.parsing.dates import WRONG_BEFORE

# (type, the words that name it), in the order used when nothing else decides
ACTIVITY_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("主题党日", ("主题党日", "党日活动", "党日", "党员活动日")),
    ("组织生活会", ("组织生活会",)),
    ("民主评议党员", ("民主评议党员", "民主评议")),
    ("支部党员大会", ("支部党员大会", "党员大会", "支部大会", "党员会")),
    ("支部委员会", ("支部委员会", "支委会", "支委扩大会", "支委会议", "支委开会")),
    ("党小组会", ("党小组会", "小组会", "党小组开会", "党小组学习", "党小组活动")),
    ("党课", ("专题党课", "微党课", "党课", "宣讲会")),
    ("志愿服务", ("志愿服务", "志愿活动", "义务劳动", "志愿者")),
    ("集中学习", ("集中学习", "专题学习", "学习会", "集体学习", "读书会", "读书分享会")),
)
TYPE_NAMES = (*(name for name, _ in ACTIVITY_TYPES), "其他")
# a service that names no kind: 去敬老院打扫卫生, 义务理发, 帮留守老人收玉米
_SERVICE = re.compile(
    r"义务(?!教育)|义诊|打扫|敬老院|养老院|献血|学雷锋|送温暖|"
    r"(?:帮|给|为|替)(?:助)?.{0,8}(?:老人|群众|农户|村民|困难户|五保户|低保户|留守|孤寡|独居|残疾)"
)
_THEMED_PARTY_DAY = re.compile(
    "(?:" + "|".join(w for _, ws in ACTIVITY_TYPES[1:] for w in ws) + r")\s*主题党日"
)
# a party group that met: 第二党小组在小组长家开了会
_GROUP_MET = re.compile(
    r"党小组.{0,12}?(?:开了?(?:个|次)?会|学习|活动)|开了?(?:个|次|一次)?会.{0,12}?党小组"
)
# the rites of a 主题党日, when no kind is named: 重温入党誓词, 为7月入党的党员过政治生日
_PARTY_DAY_RITE = re.compile(r"重温入党誓词|政治生日")
# a study that names no kind: 组织全体党员学习了…精神
_STUDY = re.compile(r"组织.{0,10}党员.{0,4}学习|党员.{0,4}(?:一起|集体)学习|冬训|参学党员")
# an activity that is none of the named kinds
_OTHER = re.compile(
    r"走访慰问|慰问|走访|看望|探望|技术培训|培训|人居环境整治|环境整治|清理|观看|收看|参观|座谈|"
    r"观摩|学习[^，。；,;]{0,8}经验|祭扫|扫墓|敬献花篮|缅怀|升国旗"
)
# 组织 of 组织生活会 is the kind's own word, not a verb before another kind
_ACTIVITY_VERB = re.compile(
    r"召开|开展|组织(?!生活会)|举行|举办|开了|开的|讲|上了|进行|参加|搞了|搞"
)
# a verb after these announces another activity (会上研究决定7月20日召开党员大会), asks for one
# (镇里通知各村月底前要召开组织生活会) or tells of an earlier one (继9月5日召开支委会研究后)
_ANNOUNCING = re.compile(
    r"(?:决定|定于|拟于|拟|计划|准备|将于|将|再|还要|下一步|接下来|下周|下个月|明天|后天|"
    r"(?<![重主纪概摘])要(?![求点])|需要|必须|务必|应当|通知(?!后)|(?<!相)继)"
    r"[^，。；,;]{0,10}$"
)
# a kind named in what the meeting passed on is not the meeting: 传达…关于召开党员大会的通知
_PASSED_ON = re.compile(r"关于[^，。；,;]{0,20}?的(?:通知|意见|方案|安排|要求|文件|精神)")
# a record's heading names its meeting: 支部委员会会议记录, 2024年度组织生活会记录
_HEADING_TAIL = re.compile(r"\s*(?:会议)?(?:记录|纪要)")
_HEADING_REACH = 14


@lru_cache(maxsize=1)
def _said_wrong() -> re.Pattern[str]:
    """不是支委会，是党员大会: a kind said to be wrong is none; nor is one the activity built on
    (在9月2日召开支委会的基础上)."""
    words = sorted({w for _, ws in ACTIVITY_TYPES for w in ws} | {"党小组"}, key=len, reverse=True)
    return re.compile(
        WRONG_BEFORE.pattern.removesuffix(r"\s*$")
        + r"\s*(?:"
        + "|".join(map(re.escape, words))
        + r")|在[^，。；,;]{0,20}?的基础上"
    )


_VERB_REACH = 24

_THEME_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
_THEME_BOOK = re.compile(r"《([^》]{2,60})》")
_THEME_LEAD = re.compile(r"(?:题目|主题|题为|以|为题|党课|讲座|讲|讲的|讲了|叫)[是为：:]?\s*$")
_THEME_LABEL = re.compile(
    r"(?:主题|题目)\s*[:：为是]\s*(?:[“\"「『《]([^”\"」』》]{2,60})[”\"」』》]|([^\n，。；;“\"]{2,60}))"
)
_DECORATED = re.compile(
    r"[\U0001F300-\U0001FAFF\u2600-\u27BF]\s*([\u4e00-\u9fff][\u4e00-\u9fff ]{3,40}[\u4e00-\u9fff])"
    r"\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)


@lru_cache(maxsize=1)
def _fixer():
    from bot.qa.pinyin_input import SpellingFixer

    words = {w for _, names in ACTIVITY_TYPES for w in names if len(w) >= 2}
    words |= {"支部", "党员", "委员", "评议", "学习", "志愿", "会议", "党小组会"}
    return SpellingFixer(words)


def fix_slips(text: str) -> str:
    """Pinyin slips in the activity words: 党小组汇, 支布, 志原者, 民主评意, 集中学系."""
    return _fixer().fix_phrases(text)


# a branch's name is no meeting: 中共桑园村支部委员会, 党组织名称：…; a box not ticked is no kind
_ORGANIZATION = re.compile(
    r"中共[\u4e00-\u9fff]{1,16}?(?:总支部|支部)?委员会|(?:党组织|支部)名称\s*[:：][^\s，。；,;]*|"
    r"[□☐]\s*[\u4e00-\u9fff]{2,6}"
)
_TICKED = re.compile(r"[■☑✔√]\s*([\u4e00-\u9fff]{2,6})")


def find_types(text: str, *, infer: bool = True) -> tuple[str | None, list[str]]:
    """The activity the text reports (the one a verb such as 召开/开展 introduces), and the rest.
    With `infer`, a text naming no kind gets the one its deeds suggest (去敬老院打扫卫生 is
    志愿服务); a question filters by the kinds it names only. On a form, the ticked box says it."""
    text = _ORGANIZATION.sub(lambda m: " " * len(m.group()), text)
    text = _PASSED_ON.sub(lambda m: " " * len(m.group()), text)
    text = _said_wrong().sub(lambda m: " " * len(m.group()), text)
    for ticked in _TICKED.finditer(text):
        for name, words in ACTIVITY_TYPES:
            if any(ticked.group(1).startswith(word) for word in words):
                return name, []
    mentions: list[tuple[int, str]] = []
    heading = None
    for name, words in ACTIVITY_TYPES:
        said = [m for word in words for m in re.finditer(re.escape(word), text)]
        if any(m.start() <= _HEADING_REACH and _HEADING_TAIL.match(text, m.end()) for m in said):
            heading = heading or name
        if said:
            mentions.append((min(m.start() for m in said), name))
    if not mentions and _GROUP_MET.search(text):
        return "党小组会", []
    if not mentions and infer and _PARTY_DAY_RITE.search(text):
        return "主题党日", []
    if not mentions:
        if not infer:
            return None, []
        if _SERVICE.search(text):
            return "志愿服务", []
        if _STUDY.search(text):
            return "集中学习", []
        other = _OTHER.search(text)
        return ("其他", []) if other else (None, [])
    mentions.sort()
    if heading:
        return heading, [name for _, name in mentions if name != heading]
    main = None
    for verb in _ACTIVITY_VERB.finditer(text):
        if _ANNOUNCING.search(text[max(0, verb.start() - 12) : verb.start()]):
            continue
        reachable = [
            (position, name)
            for position, name in mentions
            if verb.end() <= position <= verb.end() + _VERB_REACH
            and not re.search(r"[，。；,;]", text[verb.end() : position])
        ]
        if reachable:
            main = reachable[0][1]
            break
    if main is None:
        main = mentions[0][1]
    if main != "主题党日" and _THEMED_PARTY_DAY.search(text):
        main = "主题党日"  # 志愿服务主题党日: the kind before 主题党日 is its theme
    return main, [name for _, name in mentions if name != main]


# a quote that names the activity: “…”主题党日, 开展“…”活动, 主题为“…”
_QUOTE_LEAD = re.compile(
    r"(?:(?:主题|题目|题为|开展|举办|以|围绕|讲授|宣讲)\s*[为是：:]?|"
    r"(?:主题党日|党日活动|党课|专题学习|活动)\s*[：:]?\s*(?:[（(][^）)]{0,10}[）)])?)\s*$"
)
_QUOTE_TAIL = re.compile(r"^\s*(?:主题|为主题|为题|专题|党课|微党课|活动|学习|宣讲|讲座)")
# a quoted word that is something else: “五好家庭”6户, “双报到双服务”工作要求, “三会一课”记录本
_NOT_A_THEME_AFTER = re.compile(
    r"^\s*(?:工作|要求|记录|台账|\d|[一二三四五六七八九十]+户|前夕|纪念章|称号)"
)
# a label's words run on into what follows it in voice input: 主题是喜迎国庆颂党恩应到二十九
_THEME_RUNS_ON = re.compile(r"(?:应到|实到|应参加|参加|到会|参会|时间|地点|主持|党员\d)")


def _tied_to_activity(text: str, quote: re.Match[str]) -> bool:
    before = text[max(0, quote.start() - 18) : quote.start()]
    if _NOT_A_THEME_AFTER.match(text[quote.end() :]):
        return False
    return bool(_QUOTE_LEAD.search(before) or _QUOTE_TAIL.match(text[quote.end() :]))


def find_theme(text: str) -> str | None:
    label = _THEME_LABEL.search(text)
    if label:
        theme = (label.group(1) or label.group(2) or "").strip()
        theme = _THEME_RUNS_ON.split(theme, maxsplit=1)[0].strip()
        if len(theme) >= 2:
            return theme
    quotes = list(_THEME_QUOTE.finditer(text))
    tied = [q for q in quotes if _tied_to_activity(text, q)]
    if tied:
        return tied[0].group(1).strip()
    for book in _THEME_BOOK.finditer(text):
        before = text[max(0, book.start() - 6) : book.start()]
        after = text[book.end() : book.end() + 6]
        if _THEME_LEAD.search(before) or re.match(r"(?:主题党日|党课|专题)", after):
            return book.group(1).strip()
    decorated = _DECORATED.search(text)
    if decorated:
        return decorated.group(1).strip()
    return None
