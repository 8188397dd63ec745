"""A refusal names what the question asks about as the knowledge base says it: the longest
run of the question's words around the focal concept that the passages use together, not
the piece jieba cut off (村务 of 村务监督委员会). A small knowledge base written for the tests."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import check_evidence, widest_used
from bot.qa.vocabulary import Vocabulary

SUPERVISION = "第三十二条 村应当建立村务监督委员会，负责村民民主理财，监督村务公开等制度的落实。"
OPEN = "第三十条 村民委员会实行村务公开制度。"
TEXTS = [SUPERVISION, OPEN]


def test_the_refusal_names_the_whole_phrase_the_knowledge_base_uses() -> None:
    question = "村务监督委员会几个人组成"
    found = [("村民委员会组织法", text) for text in TEXTS]
    verdict = check_evidence(question, found, Vocabulary(), KnowledgeText(TEXTS))[2]
    assert verdict.no_rule and verdict.concept == "村务监督委员会"


def test_a_phrase_is_widened_only_over_words_said_together_and_used() -> None:
    knowledge = KnowledgeText(TEXTS)
    assert widest_used("村务", "村务监督委员会几个人组成", knowledge) == "村务监督委员会"
    assert widest_used("村务", "村务 监督委员会几个人", knowledge) == "村务"  # not said together
    assert widest_used("理财", "理财产品能买吗", knowledge) == "理财"  # 理财产品: never used
    assert widest_used("缺席", "缺席几次算违纪", knowledge) == "缺席"  # not a word of the question


def test_a_figure_unstated_about_a_phrase_names_the_phrase() -> None:
    """The passages name the concept but state no figure: the refusal or hint says whose
    figure is missing, as the knowledge base names it."""
    question = "村务监督委员会多久开一次会"
    found = [("村民委员会组织法", SUPERVISION)]
    verdict = check_evidence(question, found, Vocabulary(), KnowledgeText(TEXTS))[2]
    assert verdict.tentative and verdict.missing == "fact"
    assert verdict.concept == "村务监督委员会"
