"""A figure stated of the act a question asks it of (联名) is a possible answer even when the
passage names the group (村民委员会成员) rather than the noun asked about (村主任): at most a
low-confidence answer, never a refusal for a missing fact. A small knowledge base written for
the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import check_evidence
from bot.qa.vocabulary import Vocabulary

RECALL = (
    "第十六条 本村五分之一以上有选举权的村民或者三分之一以上的村民代表联名，"
    "可以提出罢免村民委员会成员的要求。"
)
ELECTED = "第十一条 村民委员会主任、副主任和委员，由村民直接选举产生。"
MEETING = "第二十五条 村民代表会议由村民委员会召集，每季度召开一次。"
QUESTION = "对村主任不满意想罢免他要多少人联名"


def _verdict(question: str, *passages: str):  # type: ignore[no-untyped-def]
    knowledge = KnowledgeText([RECALL, ELECTED, MEETING])
    found = [("组织法", text) for text in passages]
    return check_evidence(question, found, Vocabulary(), knowledge)[2]


def test_a_figure_stated_of_the_act_asked_is_a_hedge_not_a_missing_fact() -> None:
    # the passage naming 村民委员会主任 states no count; the one stating it names 联名, the act
    verdict = _verdict(QUESTION, RECALL, ELECTED)
    assert verdict.missing == "loose" and verdict.tentative and not verdict.no_rule


def test_without_a_figure_of_the_act_the_fact_is_still_missing() -> None:
    # a count of another act (召开) in a passage that does not name 联名: refused for the fact
    verdict = _verdict(QUESTION, ELECTED, MEETING)
    assert verdict.missing == "fact" and verdict.no_rule
