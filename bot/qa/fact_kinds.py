"""The kinds of fact a question can ask for (how often, how long, how many, how old, how much
money, who approves …): read from its asking words, each with the figures that state it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.qa.clauses import FIGURE_CLAUSE_BREAKS, yes_no_clauses

_NUMBER = r"[\d零〇一二三四五六七八九十百千万两半几]+(?:\.\d+)?\s*"


@dataclass(frozen=True)
class FactKind:
    label: str  # how a refusal names it: 知识库里没有关于“支委会”{label}的规定
    asked: re.Pattern[str]
    stated: re.Pattern[str]


# What a question asks for, and how an answer to it reads; the first that matches is the kind.
FACT_KINDS: tuple[FactKind, ...] = (
    FactKind(  # a share: 百分之几, 按什么比例 — answered by 百分之, 三分之一, 半数
        "的比例",
        re.compile(
            r"百分之(?:多少|几)|几成|(?:什么|啥|多大|多少)比例"
            r"|比例[^，,。？?！!\s]{0,4}?多少"  # 差额比例至少要多少
        ),
        re.compile(r"百分之|%|分之|半数|过半|比例"),
    ),
    FactKind(
        "的金额标准",
        re.compile(
            r"多少钱|几块钱|多少元|(?:给|领|交|罚|补|发|缴|拿|赔)多少(?!年|天|次|个|人|票)"
            r"|(?:标准|费用|工资|补贴|报酬|党费)(?:是|为|有|定|给)?多少"
        ),
        re.compile(_NUMBER + r"(?:元|万元|块)|百分之|%"),
    ),
    FactKind("的温度", re.compile(r"多少度|几度"), re.compile(_NUMBER + r"(?:度|℃)")),
    FactKind(
        "的面积",
        re.compile(r"平方米|平米|多大面积|多少亩"),
        re.compile(_NUMBER + r"(?:平方米|平米|亩)"),
    ),
    FactKind(  # a term of office: 几年换一届, 一届干几年
        "的任期",
        re.compile(r"(?:几年|多久|多长时间).{0,4}届|届.{0,4}(?:几年|多久|多长时间)"),
        re.compile(r"任期|每届"),
    ),
    FactKind(  # how often: 一年开几次, 多久考察一次 — answered by 每月, 每半年, 至少1次
        "多久一次",
        re.compile(r"(?:几|多少)(?:次|回)|(?:多久|多长时间).{0,6}一(?:次|回)"),
        re.compile(
            r"每(?:年|月|季度|季|半年|周|星期|个月)|[\d一二三四五六七八九十两]+\s*(?:次|回)"
        ),
    ),
    FactKind(  # days: a span of days is also said in working days, weeks or months
        "的天数",
        re.compile(r"多少天|几天|(?:几|多少)个?工作日|住满|待满"),
        re.compile(_NUMBER + r"(?:天|日|个?工作日|个?星期|周(?!岁)|个月)"),
    ),
    FactKind(  # how old: 几岁, 多大岁数, 年纪多大
        "的年龄",
        re.compile(r"多少岁|几岁|年龄|多大(?:的)?(?:岁数|年纪)|(?:岁数|年纪)(?:有)?多大"),
        re.compile(_NUMBER + r"周?岁|年龄|年满"),
    ),
    FactKind(  # how long: 多长时间, 几年, 有效期 — answered by a span or a deadline
        "的期限",
        re.compile(r"多长时间|多久|几年|几个月|多少年|期限|有效期|影响期"),
        re.compile(_NUMBER + r"(?:年|个月|月|日|天|周(?!岁)|个?工作日)|以内|之日起"),
    ),
    FactKind(  # how many people
        "的人数",
        re.compile(r"几个人|多少人|多少名|几名|几位|多少个?党员"),
        re.compile(_NUMBER + r"(?:名|人|个|位)|半数|过半|分之|多数"),
    ),
    FactKind(  # who decides or approves: 找谁申请, 谁批, 哪级党组织审批 — answered by a body
        "由谁负责",
        re.compile(
            r"(?:找|问|向|归|由)谁|谁(?:来|去|能)?(?:批|审|定|决定|说了算|负责|管|签|认定|拍板)"
            r"|哪(?:个|级|一级|些)(?:部门|单位|机关|组织|党组织|党委|领导)"
        ),
        re.compile(
            r"批准|审批|审查|审议|决定|负责|认定|备案|由.{1,16}?(?:组织|党委|党组|委员会|部门|机关"
            r"|大会|会议|支部|小组|书记|主任|政府)|经.{1,16}?(?:同意|讨论|研究)"
        ),
    ),
    FactKind(  # how to apply: 怎么申请, 要啥材料 — answered by an application or its papers
        "的办理程序",
        re.compile(
            r"(?:怎么|咋|如何|怎样|去哪|到哪)(?:个|样)?(?:申请|申领|办理|申报)"
            r"|申请(?:流程|程序|手续)|(?:要|需要|带|交)(?:啥|什么|哪些)(?:材料|手续|证明)"
        ),
        re.compile(r"申请|提出|提交|材料|填写|手续|书面|证明|办理|报送"),
    ),
    FactKind(  # how many things: 指标是多少个 — answered by a count, not 配备一定数量
        "的数量",
        re.compile(r"多少(?:个|项|家|所)"),
        re.compile(_NUMBER + r"(?:个|名|人|项|家|所|位|条|种|次)|分之|半数"),
    ),
)


def kind_named(question: str) -> FactKind | None:
    """The first kind of fact whose asking words the question says, as said (the re-ranker's
    signal was fitted on this)."""
    named = _named(question, told=True)
    return named[0] if named else None


# 几 after these is "some", told, never asked: 好几年 (for years), 这几天, 前几次, 十几个人; but
# 提前几天 asks how long ahead
_TOLD_FEW = re.compile(r"(?<=[好这那近十])几|(?<!提前)(?<=前)几")


def _asking(question: str) -> str:
    """The question with its told 几 masked (好几年 → 好些年), positions kept."""
    return _TOLD_FEW.sub("些", question)


def _named(question: str, *, told: bool = False) -> tuple[FactKind, re.Match[str]] | None:
    """told: 好几年 read as asked too (kind_named, as the re-ranker was fitted)."""
    question = question if told else _asking(question)
    for kind in FACT_KINDS:
        found = kind.asked.search(question)
        if found is not None:
            return kind, found
    return None


# what makes an amount asked rather than told: 要培训几天, 得几个人, 是几年
_ASKING_BEFORE = re.compile(r"要|得|需|能|可|应|该|必须|是|有|最|至少|一共|总共")


def kind_asked(question: str) -> FactKind | None:
    """The kind of fact the question asks for — a deadline when it asks within how long —,
    unless its amount is told, not asked: 几 said as "a few" in the story (去海南玩几天 … 能去不),
    in a clause with no asking word before it, when a later clause asks yes or no."""
    named = _named(question)
    if named is None:
        return None
    kind, found = named
    if "几" not in found.group() or re.search(r"多少|多久|多长", found.group()):
        return deadline_asked(question, kind)
    if few_told(question, found.start()):
        return None
    return deadline_asked(question, kind)


def few_told(question: str, at: int) -> bool:
    """Whether the 几 at `at` is told as "a few", not asked: after 好, 这, 前 (好几年), or in a
    clause with no asking word before it when a later clause asks yes or no (几个党员自己约着
    去帮忙 … 这算志愿服务吗)."""
    if _TOLD_FEW.match(question, at):
        return True
    clauses = FIGURE_CLAUSE_BREAKS.split(question)
    seen = 0
    for number, clause in enumerate(clauses):
        start = question.find(clause, seen)
        seen = start + len(clause)
        if start <= at < seen:
            told = not _ASKING_BEFORE.search(question[start:at])
            return told and any(yes_no_clauses(c) for c in clauses[number + 1 :])
    return False


# a deadline asked (多少天内, 几个工作日内, 多久之内) is answered by a span within which, not by
# a threshold (外出6个月以上) nor a bare length
_DEADLINE_ASKED = re.compile(r"^(?:个)?(?:工作日|天|日|月|年|周|星期)?(?:之|以)?内")
_DEADLINE_STATED = re.compile(_NUMBER + r"(?:个)?(?:工作日|日|天|月|年|周|星期)?(?:之|以)?内")


def deadline_asked(question: str, kind: FactKind) -> FactKind:
    """The kind, narrowed to a deadline when the question asks within how long."""
    found = kind.asked.search(_asking(question))
    if found is None or not _DEADLINE_ASKED.search(question[found.end() :]):
        return kind
    return FactKind(kind.label, kind.asked, _DEADLINE_STATED)


def act_span(question: str, kind: FactKind) -> str:
    """What follows the asking words in their clause: the act whose figure is asked
    (上级多少天内要给答复: 内要给答复)."""
    found = kind.asked.search(_asking(question))
    if found is None:
        return ""
    end = FIGURE_CLAUSE_BREAKS.search(question, found.end())
    return question[found.end() : end.start() if end else len(question)]


# a rule asked: the conditions or the standard something is decided by, the document that lays
# it down, or a limit (要啥条件, 按啥标准认定, 哪个文件定的, 有啥规定, 每人最多补多少) — what
# only a rule-making text states; a work report tells what was done (整顿完成*个软弱涣散村,
# 发放补贴*万元), never by what standard or up to how much
_RULE_ASKED = re.compile(
    r"(?:什么|啥|哪些)(?:样的?)?(?:条件|标准|依据)|(?:条件|标准|依据)(?:是)?(?:什么|啥|有哪些)"
    r"|按(?:什么|啥|哪个|哪些)"
    r"|(?:哪个|什么|啥|哪份|哪一个|哪些)(?:文件|规定|法规|政策)里?(?:规定|定|说|要求|明确)"
    r"|(?:有|有没有|有啥|有什么)(?:相关)?规定"
    r"|(?:最多|最少|至少|最高|最低|上限|下限|不超过|不少于|不低于)(?:能|可以|可|要|得)?"
    r"[\u4e00-\u9fff]{0,4}?(?:多少|几)"
)


def rule_asked(question: str) -> bool:
    """Whether the question asks for a rule — conditions, a standard, the document laying it
    down, a limit — rather than for what was done."""
    return _RULE_ASKED.search(question) is not None


# what is required, allowed or usual in general (都要报啥, 都得填吗, 一般是什么级别, 能不能,
# 要不要): a norm, stated by a rule-making text
_NORM_ASKED = re.compile(
    r"都(?:要|得|需要?)|必须|务必|应当|应该|一般(?:是|由|要|都|得|在)|(?:什么|啥|哪个?)级别"
    r"|要不要|得不得|需不需要|能不能|可不可以|允不允许"
)
# the asker's own county and its work: the place, the report, its half-years, what was done
# (县里上半年, 我县, 报告里说, 整顿了多少, 怎么落实的, 进展如何)
_OWN_WORK_ASKED = re.compile(
    r"县里|县上|我县|本县|全县|咱(?:们)?县|我们县|报告(?:里|中|上|说|提)|汇报|上半年|下半年|今年|去年"
    r"|了(?:多少|几|没有?|吗|么)|怎么样了|进展|进度|落实|成效|做法"
)


def report_answers_not(question: str) -> bool:
    """Whether a work report, which tells what one county did, cannot answer the question:
    a rule asked, or a norm asked (what is required, allowed or usual) of no county's work."""
    if rule_asked(question):
        return True
    return _NORM_ASKED.search(question) is not None and _OWN_WORK_ASKED.search(question) is None
