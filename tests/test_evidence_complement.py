"""A verb with its result or potential complement (填好, 办不成) says how the story goes, like a
verb with its aspect particle: it is never read as a concept the knowledge base lacks, so the
refusal decision does not weigh it. A small knowledge base written for the tests; no model, no
network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.evidence import check_evidence
from bot.qa.vocabulary import Vocabulary

FORM = "第十一条 入党申请人填写入党志愿书后，由党支部书记签署意见。"
MEETING = "第二十条 党员大会因故不能按期召开的，可以推迟召开，由支部委员会决定。"
KNOWLEDGE = KnowledgeText([FORM, MEETING, "第二十一条 党旗应当妥善保管。"])


def _words(question: str) -> list[str]:
    return [c.word for c in concepts(question, Vocabulary(), KNOWLEDGE)]


def test_a_verb_with_its_complement_is_not_a_concept() -> None:
    assert "填好" not in _words("入党志愿书填好 找谁签字")
    assert "办不成" not in _words("党员大会这个月办不成 能推迟吗")


def test_the_refusal_decision_does_not_weigh_it() -> None:
    absent, _, verdict = check_evidence(
        "党员大会这个月办不成 能推迟吗", [("条例", MEETING)], Vocabulary(), KNOWLEDGE
    )
    assert absent < 12 and verdict.concept != "办不成"


def test_a_plain_verb_the_knowledge_base_lacks_still_counts() -> None:
    # 褪色 is what is asked about: no complement, so it stays a concept the knowledge base lacks
    assert "褪色" in _words("党旗褪色 能不能继续用")
