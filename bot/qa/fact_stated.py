"""Whether the passages quoted state the fact asked, for the ways of asking the kinds of fact in
`fact_kinds` leave out — a count asked with 几 and a measure word (至少要提几条, 委员要到几个才
能开), a point in time (从哪个月开始, 什么时候报) — and for a figure that is only a date's label
(上半年, 2023年): a work report's 上半年 does not say how long anything lasts.

A confident answer whose first passages do not state it, about all the question's nouns, is
lowered to the low-confidence tier. Nothing here decides a refusal and nothing names a topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.qa.clauses import FIGURE_CLAUSE_BREAKS, asks
from bot.qa.concept import Concept, focus_rank
from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.evidence import ASKED_ACT, FACT_NEAR, SENTENCE_BREAKS, fact_stated
from bot.qa.fact_kinds import FactKind, few_told, kind_asked
from bot.qa.passages import Passage
from bot.qa.vocabulary import Vocabulary, tagged_words

_NUMBER = r"[\d零〇一二三四五六七八九十百千万两半]+(?:\.\d+)?\s*"
# 届: terms served (连任最多能干几届), stated by 两届, never by a term's length
_MEASURES = "条项件户票张份篇名人位个次种届"

# ways of asking a kind of fact that fact_kinds does not read (it is asked first)
# a count asked with 几 and a measure word (至少要提几条, 几户选一个; 委员要到几个才能开, not
# 哪几个, a list) is stated by a numeral with the same measure word: 1次 does not say how many
# 条; 个, 名, 人 and 位 count people alike
_COUNT_ASKED = re.compile(
    rf"(?<![哪第好这那十])几(?P<measure>[{_MEASURES.replace('个', '')}])"
    r"|(?<![哪第好这那十])几(?P<measure2>个)(?=[才就能可以吗呢啊？?，,\s]|$)"
    r"|(?<![第])多少(?P<measure3>届)"
)
_PEOPLE = "个名人位"
_ITEMS = "条项"
# a point in time asked (从哪个月开始, 什么时候报, 啥时候评), stated by a date or a moment
_WHEN = FactKind(
    "的时间",
    re.compile(r"哪(?:个月|一?年|一?天|个时候|月)|什么时候|啥时候|何时|几月|几号"),
    re.compile(
        _NUMBER + r"(?:年|个?月|日|号)|之日|当月|次月|当年|每(?:年|月|季度)"
        r"|年底|年初|年末|届满|期满|(?:之|以)[前后]"
    ),
)

# when a document takes effect (修订后啥时候开始执行, 从哪天起施行), stated by its 施行 article:
# a rule's 每年 or a meeting's date is another matter's time
_EFFECTIVE = FactKind(
    "的施行时间",
    re.compile(
        r"(?:哪(?:个月|一?年|一?天|月)|什么时候|啥时候|何时|几月|几号)(?:开始|起)?"
        r"(?:执行|施行|生效|实施|实行)"
    ),
    re.compile(r"施行|生效"),
)

# the kinds of a thing asked (政务处分分哪几个档次, 能采取哪几种措施), stated by their number or
# an enumeration; the noun after the asking words names the kind (档次, 措施), not the subject
_SORTS = FactKind(
    "的种类",
    re.compile(
        r"哪几(?:个|种|类|档)?(?:档次|等级|级别|类别|种类|档|类|种)"
        r"|分(?:为|成)?几(?:种|类|档|级|个档次|个等级)|几种|几类|几档|几个(?:档次|等级)"
    ),
    re.compile(_NUMBER + r"(?:种|类|档|个档次|个等级)|分为|分成|（一）|包括"),
)


def _count_kind(question: str) -> FactKind | None:
    found = _COUNT_ASKED.search(question)
    if found is None:
        return None
    measure = found.group("measure") or found.group("measure2") or found.group("measure3")
    measures = _PEOPLE if measure in _PEOPLE else measure
    # not an article's label (第十八条)
    figure = rf"(?<![第\d零〇一二三四五六七八九十百千万两半]){_NUMBER}[{measures}]"
    # how many 条 or 项 a thing has is also told by listing them (党员必须履行下列义务：（一）…)
    listed = "|（一）|下列|以下" if measure in _ITEMS else ""
    stated = re.compile(figure + "|分之|半数|过半|多数" + listed)
    return FactKind("的数量", _COUNT_ASKED, stated)


# an amount taken off (县长要扣多少绩效, 减几分), stated by an amount, a score or a share: 一个月内
# 宣布 or 给予警告处分 says no amount
_DEDUCTED = FactKind(
    "的扣减标准",
    re.compile(r"(?:扣|减|扣除|扣减|核减)(?:掉|去)?(?:多少|几)"),
    re.compile(_NUMBER + r"(?:元|万元|块|分|个百分点|档|级)|百分之|%|分之"),
)


# a figure asked with a bare 多少 closing the clause (每年最多多少) or in 万 (能担保多少万): any
# amount with its unit states it
_FIGURE = FactKind(
    "的具体数额",
    re.compile(
        r"(?:最多|最少|至少|最高|最低|一共|总共)(?:能|可以|可)?[\u4e00-\u9fff]{0,2}?多少"
        r"(?=$|[，,。？?！!\s])|多少万(?![人个名次户])"
    ),
    re.compile(
        _NUMBER + r"(?:元|万|块|个|名|人|项|户|次|年|月|日|天|%|亩|平方|倍)|百分之|分之|半数"
    ),
)
# a size asked (党旗多大尺寸), stated by a length or the word for a size
_SIZE = FactKind(
    "的尺寸",
    re.compile(r"尺寸|规格|多长多宽|多宽|多高|多厚"),
    re.compile(_NUMBER + r"(?:厘米|米|公分|毫米|cm|寸)|尺寸|规格"),
)
# a paper asked for (终止资格要下发啥文件, 开什么证明), stated by a paper of that kind
_PAPER_ASKED = re.compile(
    r"(?:下发|发|出|开|出具|填|交|写)(?:个|张|份|一份|一张|一个)?(?:啥|什么|哪个|哪种|哪张|哪份|哪类)"
    r"(?P<paper>文件|通知|文书|表|证明|票据)"
)


def _paper_kind(question: str) -> FactKind | None:
    found = _PAPER_ASKED.search(question)
    if found is None:
        return None
    return FactKind("的文书", _PAPER_ASKED, re.compile(found.group("paper")))


# how many of the passages quoted first are read (as evidence.fact_stated and answer.tier do)
DEPTH = 3

# facts any passage quoted first may state, whatever it names: what befalls the one who did it
# (明知不是还给开了 会咋样, 要受什么处分), stated by a sanction or a handling — an article on how a
# branch is set up states none —, and whether a document was revised (后来改过没有), stated by a
# revision — an article on when it took effect states none
_ANYWHERE = (
    FactKind(
        "的处理",
        re.compile(
            r"会(?:咋样|怎么样|怎样|有(?:啥|什么)(?:后果|处理|处分))|(?:啥|什么)(?:后果|下场)"
            r"|(?:受|给|挨)(?:啥|什么)(?:样的)?(?:处分|处理|处罚)|(?:怎么|咋|如何)(?:处分|处罚|追责)"
        ),
        re.compile(
            r"处分|处理|处罚|追究|责令|给予|撤销|罢免|免职|开除|警告|问责|纠正|罚款|没收|赔偿"
            r"|法律责任|除名|脱党|取消|终止|停止|收缴|退赔|辞退"
        ),
    ),
    FactKind(
        "的修订",
        re.compile(
            r"(?:改|修订|修改|修正)过(?![来去])|(?:有没有|是否|有无)(?:修订|修改|修正|改)|新版|最新版"
            r"|(?:修订|修改|修正)了(?:吗|没)"
        ),
        re.compile(r"修订|修改|修正"),
    ),
)


def unstated_anywhere(question: str, passages: Sequence[Passage]) -> bool:
    """Whether the question asks what befalls an act or whether a document was revised, and
    none of the passages quoted first states it."""
    return any(
        kind.asked.search(question)
        and not any(kind.stated.search(p.heading + p.text) for p in passages[:DEPTH])
        for kind in _ANYWHERE
    )


# a figure that names when something was, not how long or how often: 上半年, 2023年
_DATE_LABEL = re.compile(r"[上下]半年|\d{4}\s*年")


def extra_kind(question: str) -> FactKind | None:
    """The kind of fact asked in a way fact_kinds does not read, when it reads none."""
    if kind_asked(question) is not None:
        return None
    if _SORTS.asked.search(question):
        return _SORTS
    if _DEDUCTED.asked.search(question):
        return _DEDUCTED
    if found := _count_kind(question) or _paper_kind(question):
        return found
    return next((k for k in (_EFFECTIVE, _WHEN, _SIZE, _FIGURE) if k.asked.search(question)), None)


# a count of a thing named right after the asking words: 给几个发展对象当介绍人; 参加几次志愿服务
_COUNT_OF = re.compile(r"(?<![哪第])(?:几|多少)(?P<measure>个|名|位|次|回)")
_TIMES = "次回"
# a figure of people or things (两名, 三至五人, 三个以上), not an article's label
_FIGURE_COUNTING = re.compile(
    rf"(?<![第\d零〇一二三四五六七八九十百千万两半]){_NUMBER}(?:至{_NUMBER})?[个名位人]"
    r"(?:以上|以下|左右)?的?"
)
# a figure of times (1次, 两次): 每月开展1次主题党日 counts 主题党日, not 志愿服务
_FIGURE_TIMES = re.compile(
    rf"(?<![第\d零〇一二三四五六七八九十百千万两半]){_NUMBER}(?:至{_NUMBER})?[次回](?:以上)?的?"
)
_NOUN_TAGS = ("n", "vn", "j")
_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


# not refusal_name._counted: only a count whose figures it can read, the thing in any form
def _counted(
    question: str, known: Sequence[Concept]
) -> tuple[Concept, re.Pattern[str], list[Concept]] | None:
    """The concept whose count is asked, named right after 几个 / 多少名 / 几次, with the figures
    that count it and what the rest of its clause says is done with it (给几个发展对象当入党
    介绍人: 入党介绍人)."""
    found = _COUNT_OF.search(question)
    if found is None or few_told(question, found.start()):
        return None
    rest = question[found.end() :]
    counted = next((c for c in known if any(rest.startswith(f) for f in c.forms)), None)
    if counted is None:
        return None
    figures = _FIGURE_TIMES if found.group("measure") in _TIMES else _FIGURE_COUNTING
    return counted, figures, _acts_after(rest, counted, known)


def _acts_after(rest: str, counted: Concept, known: Sequence[Concept]) -> list[Concept]:
    """The nouns, Party terms and specific verbs the rest of the counting clause says after the
    thing counted (几个发展对象当入党介绍人: 入党介绍人; 几个发展对象能不能一块表决: 表决): the
    count asked is of that act, so the figure must be said of it too."""
    form = next(f for f in counted.forms if rest.startswith(f))
    clause = FIGURE_CLAUSE_BREAKS.split(rest[len(form) :], maxsplit=1)[0]
    return [
        c
        for c in known
        if c is not counted
        and c.word in clause
        and (focus_rank(c.forms[0]) <= 1 or c.specificity >= ASKED_ACT)
    ]


def _counts(figure_end: int, text: str, counted: Concept) -> bool:
    """Whether the figure ending at `figure_end` counts the concept: the concept said in the
    rest of its clause (两名正式党员作入党介绍人 counts 入党介绍人), or no noun after the figure
    at all (三至五人组成); 两名正式党员作入党介绍人 does not count 发展对象."""
    rest = FIGURE_CLAUSE_BREAKS.split(text[figure_end:], maxsplit=1)[0]
    if counted.in_text(rest):
        return True
    for word, tag in tagged_words(rest[:12]):
        # x: a word jieba was given without a tag (the knowledge base's terms) or punctuation
        if tag.startswith(_NOUN_TAGS) or (tag == "x" and _TERM.fullmatch(word)):
            return False
        if not tag.startswith(("a", "b", "d", "m", "q", "u")):  # 正式, 以上 qualify a noun
            return True
    return True


def count_of_thing_unstated(
    question: str, passages: Sequence[Passage], known: Sequence[Concept]
) -> bool:
    """A count asked of a thing (几个发展对象) is stated only by a figure that counts that
    thing in the passages quoted first, with the thing near the figure."""
    found = _counted(question, known)
    if found is None:
        return False
    counted, figures, acts = found
    for passage in passages[:DEPTH]:
        text = passage.heading + passage.text
        for figure in figures.finditer(text):
            near = text[max(0, figure.start() - FACT_NEAR) : figure.end() + FACT_NEAR]
            if not counted.in_text(near) or not _counts(figure.end(), text, counted):
                continue
            # 讨论两个以上的发展对象入党时 counts 发展对象 discussed, not introduced
            if all(act.in_text(_sentence_at(text, figure.start())) for act in acts):
                return False
    return True


def _sentence_at(text: str, at: int) -> str:
    """The sentence of `text` holding the position `at`."""
    starts = [m.end() for m in SENTENCE_BREAKS.finditer(text, 0, at)]
    end = SENTENCE_BREAKS.search(text, at)
    return text[starts[-1] if starts else 0 : end.start() if end else len(text)]


def _subject_clauses(question: str, at: int) -> list[str]:
    """The clause asking at `at`, with the clauses that ask nothing (公职人员的政务处分 分哪几个
    档次: both); a clause offering alternatives (交申请书那天还是批准那天) asks."""
    found, start = [], 0
    for clause in FIGURE_CLAUSE_BREAKS.split(question):
        begin = question.find(clause, start)
        start = begin + len(clause)
        if begin <= at < start or not (asks(clause) or "还是" in clause):
            found.append(clause)
    return found


def _undated(text: str) -> str:
    """The passage with its date labels blanked, so they state no span."""
    return _DATE_LABEL.sub(lambda m: "\u3000" * len(m.group()), text)


def unstated(
    question: str,
    passages: Sequence[Passage],
    vocabulary: Vocabulary,
    knowledge: KnowledgeText,
) -> bool:
    """Whether the question asks a kind of fact that the first passages quoted do not state
    about all its nouns (the knowledge base's), read with the asking forms above or, for the
    kinds fact_kinds reads, with date labels taken for no figure."""
    kind = kind_asked(question)
    dated = kind is not None
    if kind is None:
        kind = extra_kind(question)
    if not passages:
        return False
    found = concepts(question, vocabulary, knowledge)
    known = [c for c in found if c.in_knowledge_base]
    if count_of_thing_unstated(question, passages, known):
        return True  # 党员每年至少要参加几次志愿服务: 每月开展1次主题党日 counts another thing
    if kind is None:
        return False
    about: list[Concept] = [c for c in known if focus_rank(c.forms[0]) <= 1]
    asked = kind.asked.search(question)
    if not dated and asked is not None:
        # what the asking clause and the clauses telling the subject name: not what another
        # question in the same message asks about (要走哪些步骤 啥时候宣布 档案咋弄)
        said = _subject_clauses(question, asked.start())
        about = [c for c in about if any(c.word in clause for clause in said)]
        if kind is _SORTS:
            after = question[asked.end() :]
            about = [c for c in about if not after.startswith(c.word)]
    if not about:
        return False
    texts = [p.heading + p.text for p in passages[:DEPTH]]
    if dated:
        # the kinds fact_kinds reads: lowered only when the figure is a date's label alone
        return fact_stated(kind, about, texts) == "yes" and (
            fact_stated(kind, about, [_undated(t) for t in texts]) != "yes"
        )
    return fact_stated(kind, about, texts) != "yes"
