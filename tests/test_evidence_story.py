"""A noun the knowledge base never uses, told in the situation rather than asked about
(有户人家养猪场还在打高毒农药 有没有规定管这个), is not taken for the question's focus when the
passage quoted first names the story's other nouns. A small knowledge base written for the
tests; no model, no network."""

from __future__ import annotations

from bot.qa.clauses import telling_and_asking
from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import Verdict, check_evidence
from bot.qa.vocabulary import Vocabulary

PESTICIDE = "第十二条 禁止在农业生产中使用剧毒、高毒农药。"
CULTURE = "第十三条 村民委员会应当组织开展群众性文化体育活动。"
KNOWLEDGE = KnowledgeText([PESTICIDE, CULTURE])


def _check(question: str, first: str) -> tuple[float, Verdict]:
    absent, _, verdict = check_evidence(question, [("法", first)], Vocabulary(), KNOWLEDGE)
    return absent, verdict


def test_clauses_that_tell_and_clauses_that_ask() -> None:
    question = "有户人家养猪场还在打高毒农药 有没有规定管这个"
    telling, asking = telling_and_asking("养猪场", question)
    assert telling == ["有户人家养猪场还在打高毒农药"] and asking == ["有没有规定管这个"]
    assert telling_and_asking("养猪场", "养猪场打高毒农药有没有规定") == ([], [])


def test_a_noun_told_in_the_story_is_not_the_focus() -> None:
    absent, verdict = _check("有户人家养猪场还在打高毒农药 有没有规定管这个", PESTICIDE)
    assert not verdict.tentative and verdict.concept == "农药"
    assert absent > 12  # the refusal decision still weighs it


def test_the_same_noun_where_the_question_asks_is_the_focus() -> None:
    _, verdict = _check("养猪场打高毒农药有没有规定", PESTICIDE)
    assert verdict.tentative and verdict.concept == "养猪场"


def test_a_story_the_passage_does_not_name_keeps_the_noun_as_focus() -> None:
    _, verdict = _check("有户人家养猪场还在打高毒农药 有没有规定管这个", CULTURE)
    assert verdict.tentative and verdict.concept == "养猪场"


def test_the_focus_of_the_asking_clause_counts_when_the_focal_concept_is_told() -> None:
    cooperate = "第五条 党员干部要善于同党外干部合作共事。"
    knowledge = KnowledgeText([cooperate, "第六条 村两委成员应当团结协作。"])

    def focus(question: str) -> tuple[str, ...]:
        return check_evidence(question, [("章程", cooperate)], Vocabulary(), knowledge)[2].focus

    assert focus("村两委里有不是党员的 党员干部咋跟人家共事") == ("村两委", "党员干部")
    assert focus("村两委里党员干部咋跟不是党员的人共事") == ("村两委",)
