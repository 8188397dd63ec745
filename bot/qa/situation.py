"""Where a word of the question sits: in a clause that tells the situation (有户人家种菜还在打
高毒农药) or in one that asks (有没有法律管这个). A word told only in the story is a detail of it,
not what a rule would be about, when the passage found names the rest of the story and what is
asked. Nothing here names a topic."""

from __future__ import annotations

from collections.abc import Sequence

from bot.qa.clauses import telling_and_asking
from bot.qa.concept import NOUN_CLASSES, Concept, focus_rank
from bot.qa.vocabulary import word_class

# a noun the knowledge base never uses, told only in the situation, is a detail of the story
# (种菜, 水泥厂) when the passage quoted first names the story's nouns it does use and every
# noun of the asking clauses at least this specific (not 法律 in 有没有法律管这个)
STORY_NOUN = 9.0


def story_detail(
    absent: Concept, question: str, found: Sequence[Concept], first: Sequence[str]
) -> bool:
    """Whether a noun the knowledge base never uses is a detail of the situation told rather
    than what is asked about: said only in clauses that tell (有户人家种菜还在打高毒农药), beside
    a noun the passage quoted first names (农药), which also names every specific noun of the
    clauses that ask (有没有法律管这个: none). Only nouns: 党旗褪色破了 旧党旗咋处理 asks about
    a faded flag."""
    telling, asking = telling_and_asking(absent.word, question)
    if not first or not telling or not word_class(absent.word).startswith(NOUN_CLASSES):
        return False
    nouns = [c for c in found if c.in_knowledge_base and focus_rank(c.forms[0]) <= 1]
    beside = [c for c in nouns if any(c.word in clause for clause in telling)]
    asked = [c for c in nouns if any(c.word in clause for clause in asking)]
    return any(c.in_text(first[0]) for c in beside) and all(
        c.in_text(first[0]) for c in asked if c.specificity >= STORY_NOUN
    )


def asked_focus(question: str, known: Sequence[Concept], focal: Concept) -> tuple[str, ...]:
    """The focal concept's forms, with those of the likeliest focus of the clauses that ask
    when the focal concept is told only in the situation and that one is at least as specific
    (村两委里有不是党员的 党员干部咋跟人家相处共事: 党员干部 too, not only 村两委)."""
    telling, asking = telling_and_asking(focal.word, question)
    asked = next(
        (
            c
            for c in known
            if focus_rank(c.forms[0]) <= 1
            and c.specificity >= focal.specificity
            and any(c.word in clause for clause in asking)
        ),
        None,
    )
    if not telling or asked is None:
        return focal.forms
    return tuple(dict.fromkeys(focal.forms + asked.forms))
