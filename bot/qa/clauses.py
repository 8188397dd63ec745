"""A question's clauses and what each asks: how it is cut into clauses, which clauses ask rather
than tell the story, the yes-or-no forms, the words that ask how many, and the words that ask
for a procedure or a list. Only how people ask; nothing here names a topic, and nothing here
reads the knowledge base.

Two tests of whether a clause asks live side by side and differ on purpose (kept as they were
fitted): `asks` (the evidence check's: also 谁, 多久, 为何, and a clause closed by 不 or 没) and
`asked_part` (the outline's: also a bare 么).
"""

from __future__ import annotations

import re

# white space and the punctuation that closes a clause, full-width or ASCII
CLAUSE_BREAKS = re.compile(r"[\s，。！？；,.!?;]+")
# the same for reading what a figure is asked of: the enumeration comma (、) also breaks a
# clause, the ASCII full stop does not (a decimal point: 1.5天)
FIGURE_CLAUSE_BREAKS = re.compile(r"[，,。？?！!；;、\s]+")


def clauses_of(text: str) -> list[str]:
    """The clauses of `text`, cut at CLAUSE_BREAKS, none empty."""
    return [clause for clause in CLAUSE_BREAKS.split(text) if clause]


def clause_around(text: str, at: int) -> str:
    """The clause of `text` around position `at` (between white space or punctuation)."""
    start = max((m.end() for m in CLAUSE_BREAKS.finditer(text, 0, at)), default=0)
    end = CLAUSE_BREAKS.search(text, at)
    return text[start : end.start() if end else len(text)]


# -- yes or no --------------------------------------------------------------------------------

# an either-or form: 要不要, 算不算, 有没有, 支不支(持); the group is the repeated character
EITHER_OR = r"(?P<repeated>.)[不没](?P=repeated)"
# a yes-or-no clause: what it asks about follows a modal or either-or form (能不能改种果树, 算不算
# 失职), or is the clause itself when the form closes it (奖金扣不扣, 还能评不, …能追认党员吗)
_YES_NO = re.compile(f"{EITHER_OR}|能否|是否|可否")
_YES_NO_CLOSING = re.compile(r"(?:吗|嘛|不|没有|没)$")


def yes_no_clauses(question: str) -> list[tuple[str, str]]:
    """Each clause asking yes or no, with the part that says what it asks whether: after its
    modal or either-or form (能不能申请: 申请), or before a closing one with its verb (奖金扣不扣:
    奖金扣), or the whole clause when a particle closes it (还能评优秀不)."""
    found = []
    for clause in FIGURE_CLAUSE_BREAKS.split(question):
        marker = _YES_NO.search(clause)
        if marker is not None:
            span = clause[marker.end() :] or clause[: marker.start()] + (
                marker.group("repeated") or ""
            )
            found.append((span, clause))
        elif _YES_NO_CLOSING.search(clause):
            found.append((clause, clause))
    return found


# -- asking or telling ------------------------------------------------------------------------

# a message closed as a statement (村里年轻人都走了, 党员老张去世啦): it tells, and asks nothing
_TOLD_CLOSING = re.compile(r"(?:了|啦|咯|喽)$")

# what makes a clause ask rather than tell: an asking word, an either-or form or a closing particle
_ASKS = re.compile(r"哪|几|啥|咋|多少|什么|怎|如何|谁|多久|多长|多大|为何|吗|呢|嘛")


def asks(clause: str) -> bool:
    """Whether the clause asks (政府支不支持这种活动, 按党纪咋处理) rather than tells the story
    (村里过年想搞个村晚, 有户人家种菜)."""
    return bool(_ASKS.search(clause) or yes_no_clauses(clause))


def asks_nothing(question: str) -> bool:
    """Whether the message only tells (村里年轻人都走了): no clause asks, no alternatives are
    offered (还是), no question mark, and it closes as a statement. A bare topic (公车私用)
    is a question as it stands."""
    if "还是" in question or "?" in question or "？" in question:
        return False
    clauses = [c for c in FIGURE_CLAUSE_BREAKS.split(question) if c]
    if not clauses or any(asks(c) for c in clauses):
        return False
    return _TOLD_CLOSING.search(clauses[-1]) is not None


def telling_and_asking(word: str, question: str) -> tuple[list[str], list[str]]:
    """The clauses that say the word, when none of them asks while another clause does (有户
    人家种菜还在打高毒农药 有没有法律管这个: 种菜 is told), and the clauses that ask; two empty
    lists when the word is said where the question asks."""
    clauses = [c for c in FIGURE_CLAUSE_BREAKS.split(question) if c]
    telling = [c for c in clauses if word in c]
    asking = [c for c in clauses if asks(c)]
    if not telling or not asking or any(c in asking for c in telling):
        return [], []
    return telling, asking


# a clause the outline reads as asking (项目手续 in 我帮老板跑了个项目手续 这算违纪吗 is told);
# unlike `asks`, a bare 么 counts and 谁, 多久, 为何 or a closing 不 do not
_ASKING_FOR_OUTLINE = re.compile(
    r"哪|几|什么|啥|咋|怎|如何|吗|么|呢|多少|是否|能否|可否|" + EITHER_OR
)


def asked_part(question: str) -> str:
    """The clauses of the question that ask something; the whole question when none or all
    do (组织关系转接的手续)."""
    asking = [c for c in clauses_of(question) if _ASKING_FOR_OUTLINE.search(c)]
    return " ".join(asking) if asking else question


# -- how many ---------------------------------------------------------------------------------

# a clause asking how many or how often (开几次, 领多少, 多长时间)
ASKS_HOW_MANY = re.compile(r"几|多少|多久|多长")
# what asks rather than says: 哪几个, 几种, 啥样, 多少个 (the question's words, not its subject)
ASKING_WORD = re.compile(
    r"(?:哪|几|啥|咋|多少|什么|多长|多大)[几个种样类条项回次位名些时候号户月年天]*(?:时间)?"
)

# -- procedures and lists ---------------------------------------------------------------------

# a process: told by the document's structure
PROCESS = r"流程|程序|步骤|手续|环节|阶段|哪几步|几步|怎么走|咋走"
# a list of kinds or cases: told by an article that enumerates them, else by the structure
KINDS = (
    r"哪几种|有几种|几种|哪几类|几类|分几|哪些情形|几种情形|哪些情况|几种情况|哪几个方面|"
    r"哪些方式|哪些形式|哪些措施|哪些路子|哪些处置"
)
ASKS_FOR_STEPS = re.compile(f"{PROCESS}|{KINDS}")
ASKS_PROCESS = re.compile(PROCESS)
# the whole procedure asked for by name: its stages (发展党员一共分几个阶段)
ASKS_WHOLE = re.compile(r"阶段|全过程|从头到尾|一共")
# the modal or either-or form that makes a clause ask yes or no, and a clause closed by 吗
_YES_NO_BEFORE = re.compile(f"(?:{EITHER_OR}|能否|是否|可否)")
_CLOSED_BY_MA = re.compile(r"[吗嘛]$")


def steps_asked(text: str) -> re.Match[str] | None:
    """The first ASKS_FOR_STEPS match that asks for steps or kinds. A bare 几 in a clause asking
    yes or no (after 能不能, 是否 …, or closed by 吗) is "some", not "how many": 村委会下面能不能
    分几个村民小组 asks whether, not for kinds; 哪几种 always asks."""
    for match in ASKS_FOR_STEPS.finditer(text):
        if "几" not in match.group() or "哪" in match.group():
            return match
        before = CLAUSE_BREAKS.split(text[: match.start()])[-1]
        after = CLAUSE_BREAKS.split(text[match.start() :])[0]
        if not (_YES_NO_BEFORE.search(before) or _CLOSED_BY_MA.search(after)):
            return match
    return None


# a process asked by its verb (村委会怎么选举, 党员如何处置)
ASKS_HOW = re.compile(r"(?:怎么(?!样)|怎样|如何|咋(?!样))(?:个|才能|才|来|去)?")
