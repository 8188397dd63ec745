"""The evidence check reads the event a question asks a figure about (换届, 延期), and a
question none of whose words the knowledge base uses is never answered as if it held the rule.
A small knowledge base written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.evidence import EVENT_VERB, check_evidence
from bot.qa.vocabulary import Vocabulary

APPROVAL = "第五条 党委对党支部上报的决议，应当在三个月内审批。"
ELECTION = "第六条 党支部委员会任期届满应当按期进行换届选举，换届前两个月向上级党委请示。"
PROBATION = "第七条 预备党员需要继续考察的，可以延长预备期，但不能超过一年。"
POSTPONED = "第八条 会议因故延期的，应当提前通知。"


def _verdict(question: str, *passages: str):  # type: ignore[no-untyped-def]
    knowledge = KnowledgeText([APPROVAL, ELECTION, PROBATION, POSTPONED])
    found = [("细则", text) for text in passages]
    return check_evidence(question, found, Vocabulary(), knowledge)[2]


def test_a_figure_about_another_event_does_not_answer_the_event_asked() -> None:
    question = "党支部换届要提前多少天向党委请示"
    words = {c.word: c.specificity for c in concepts(question, Vocabulary(), KnowledgeText([]))}
    assert words["换届"] >= EVENT_VERB  # a specific verb: what the question is about
    # 三个月内审批 names 党支部 and 党委, but no 换届: not their deadline
    verdict = _verdict(question, APPROVAL)
    assert verdict.tentative and verdict.missing == "loose"
    # the article that states it where 换届 is answers it
    assert not _verdict(question, ELECTION, APPROVAL).tentative


def test_a_verb_split_by_its_object_is_named() -> None:
    # 延期 written as 延长预备期, as the regulations say it
    question = "预备党员延期 最长能延期多久"
    knowledge = KnowledgeText([PROBATION, POSTPONED])
    postpone = next(c for c in concepts(question, Vocabulary(), knowledge) if c.word == "延期")
    assert postpone.in_knowledge_base and postpone.specificity >= EVENT_VERB
    assert not _verdict(question, PROBATION).tentative
    # the other event's passage does not answer it
    assert _verdict(question, APPROVAL).tentative


def test_a_question_with_no_word_the_knowledge_base_uses_is_at_most_a_hint() -> None:
    verdict = _verdict("农村户口转城市户口怎么办", ELECTION)
    assert verdict.tentative
    # never refused by name: the question is not in the knowledge base's field at all
    assert not verdict.no_rule and verdict.missing != "concept"
