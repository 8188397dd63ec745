"""A noun the knowledge base never uses, said right after one it does use, is the head of what
is asked (党员星级: the passages name 党员, never 星级): the answer is at most low-confidence.
An asking word (流程, 一共) or a verb in that place is no head. A small knowledge base written
for the tests; no model, no network."""

from __future__ import annotations

from bot import messages
from bot.qa.answer import Answer, tier, with_missing_named
from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import Verdict, check_evidence
from bot.qa.passages import Retrieval
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

EMBLEM = "第五十五条 党的各级组织和每一个党员都要维护党徽党旗的尊严。"
BRANCH = "第八条 每个党员，不论职务高低，都必须编入党的一个支部，参加党的组织生活。"
KNOWLEDGE = KnowledgeText([EMBLEM, BRANCH])


def _verdict(question: str, *passages: str) -> Verdict:
    found = [("党章", text) for text in passages]
    return check_evidence(question, found, Vocabulary(), KNOWLEDGE)[2]


def _tier(verdict: Verdict, text: str) -> str:
    passage = regulation_passage(text, title="党章")
    return tier(Retrieval([passage], False, confidence="high", verdict=verdict))


def test_an_unknown_noun_after_a_known_one_heads_the_question() -> None:
    # 星级 is rarer than everyday words but not rare enough to be read as the focus itself
    verdict = _verdict("党员星级低了怎么办", BRANCH, EMBLEM)
    assert verdict.unheld == "星级" and not verdict.tentative
    # the passage names 党员, the modifier: not the answer to a question about 星级
    assert _tier(verdict, BRANCH) == "low"


def test_an_asking_word_or_a_verb_is_no_head() -> None:
    for question in ("党员流程是啥 一共几步", "党员请假不参加组织生活行不行"):
        verdict = _verdict(question, BRANCH, EMBLEM)
        assert verdict.unheld is None, question
    assert _tier(_verdict("党员请假不参加组织生活行不行", BRANCH), BRANCH) == "high"


def test_a_question_in_the_knowledge_base_words_is_answered() -> None:
    verdict = _verdict("党员都要编入支部吗", BRANCH, EMBLEM)
    assert verdict.unheld is None
    assert _tier(verdict, BRANCH) == "high"


def test_the_low_answer_says_what_the_knowledge_base_never_names() -> None:
    verdict = _verdict("党员星级低了怎么办", BRANCH, EMBLEM)
    low = Answer("党员星级低了怎么办", messages.ANSWER_LOW_HEADER, refused=False, confidence="low")
    assert (
        messages.ANSWER_LOW_MISSING.format(concept="星级") in with_missing_named(low, verdict).text
    )
