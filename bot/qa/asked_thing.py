"""The thing a question asks for by name — the noun after 哪个, 什么 or 有没有 (上缴到哪个账户,
有没有一个官方名单) — when it holds a word the knowledge base never uses: no passage can say
which one it is, or that one exists, so a passage found near the rest of the question is no
answer. It only lowers a confident answer to the low-confidence tier; nothing here refuses and
nothing names a topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.qa.clauses import FIGURE_CLAUSE_BREAKS
from bot.qa.concept import NOUN_CLASSES, Concept
from bot.qa.vocabulary import word_class

# the asking words that name the kind of thing wanted (哪个账户, 什么名单, 有没有一份清单), with
# a measure word between (哪一个, 有没有一个)
_ASKING_FOR = re.compile(
    r"(?:哪|什么|啥|有没有|有无|是否有)(?:一)?(?:个|些|种|类|家|份|张|项|样的?)?"
)
# everyday words (意思, 情况): the asking word with them asks what something is or how it
# stands, which a passage may answer
_SPECIFIC = 10.0
# words that ask for a kind of answer, not a thing (有什么流程, 会有什么后果, 什么级别): a
# passage's steps, sanctions or figures state it without the word (副科级以上, 三十日内)
_ANSWER_KINDS = re.compile(
    r"流程|程序|步骤|手续|环节|阶段|过程|后果|下场|结果|影响|区别|不同|路子|法子|办法|方法|方式|途径"
    r"|级别|等级|档次|天数|人数|数量|时间|期限|标准|比例|金额|名称|名字"
)
# a set named by its count (哪四化, 哪两个): its members are what is asked, not the word
_COUNTED = re.compile(r"^[一二两三四五六七八九十\d]")


def asked_thing_unheld(question: str, found: Sequence[Concept]) -> str | None:
    """The noun the knowledge base never uses said right after an asking word (哪个账户: 账户;
    有没有一个官方名单: 官方), or None."""
    unused = [
        c
        for c in found
        if not c.in_knowledge_base
        and c.specificity >= _SPECIFIC
        and word_class(c.word).startswith(NOUN_CLASSES)
        and not _ANSWER_KINDS.search(c.word)
        and not _COUNTED.match(c.word)
    ]
    for asking in _ASKING_FOR.finditer(question):
        clause = FIGURE_CLAUSE_BREAKS.split(question[asking.end() :], maxsplit=1)[0]
        for concept in unused:
            if clause.startswith(concept.word):
                return concept.word
    return None
