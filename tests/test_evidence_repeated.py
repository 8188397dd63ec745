"""A word the knowledge base never uses, said twice as a thing (支部在评证书 证书少的党员…), is
what the question comes back to: no passage names it, so the answer is at most low-confidence,
with the word named. A verb or a word of time a story says again is no such thing. A small
knowledge base written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.answer import tier
from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import Verdict, check_evidence
from bot.qa.passages import Retrieval
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

EMBLEM = "第五十五条 党的各级组织和每一个党员都要维护党徽党旗的尊严。"
BRANCH = "第八条 每个党员，不论职务高低，都必须编入党的一个支部，参加党的组织生活。"
KNOWLEDGE = KnowledgeText([EMBLEM, BRANCH])


def _verdict(question: str) -> Verdict:
    found = [("党章", BRANCH), ("党章", EMBLEM)]
    return check_evidence(question, found, Vocabulary(), KNOWLEDGE)[2]


def _tier(verdict: Verdict) -> str:
    passage = regulation_passage(BRANCH, title="党章")
    return tier(Retrieval([passage], False, confidence="high", verdict=verdict))


def test_a_thing_said_twice_that_no_passage_names_is_what_is_asked() -> None:
    verdict = _verdict("支部年底发证书 证书没拿到的党员还要编入支部吗")
    assert verdict.unheld == "证书" and not verdict.tentative
    assert _tier(verdict) == "low"


def test_said_once_it_is_a_detail() -> None:
    verdict = _verdict("支部年底发证书 没来的党员还要编入支部吗")
    assert verdict.unheld is None
    assert _tier(verdict) == "high"


def test_a_verb_or_a_time_said_again_is_the_story() -> None:
    for question in (
        "党员去外地打工 在打工那边能参加组织生活吗",
        "党员是入党那天编入支部还是转正那天",
    ):
        assert _verdict(question).unheld is None, question
