"""Answerable questions the refusal decision misread: a word the knowledge base never uses whose
sole kin it does use (串通: 串供) is not a concept it lacks. A small knowledge base written for
the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText, concepts, read_as_kin
from bot.qa.vocabulary import Vocabulary

COLLUDING = "第三十条 被审查人员串供或者毁灭证据的，从重处理。"
OFFICE = "第八条 村务监督委员会成员由村民会议推选，任期与村民委员会相同。"
APPROVAL = "第十二条 低于规定幅度给予处理的，须经县级纪律检查委员会批准。"
LIGHTER = "第十一条 主动交代问题的，可以在规定幅度以内从轻处理。"
BUYING = "第九条 用集体资金购买礼品赠送他人的，责令退赔。"
TEXTS = {"c30": COLLUDING, "c8": OFFICE, "c12": APPROVAL, "c11": LIGHTER, "c9": BUYING}
VOCABULARY = Vocabulary()


def _concept(word: str, question: str, texts: list[str], knowledge: KnowledgeText):
    found = read_as_kin(concepts(question, VOCABULARY, knowledge), texts, knowledge)
    return next(c for c in found if c.word == word)


def test_a_word_with_one_kin_in_the_knowledge_base_is_read_as_it() -> None:
    knowledge = KnowledgeText(TEXTS.values())
    assert knowledge.sole_kin("串通") == ("串供",)
    question = "审查期间两个人私下串通 怎么处理"
    concept = _concept("串通", question, [COLLUDING], knowledge)
    assert concept.in_knowledge_base and "串供" in concept.forms
    # only when a passage found uses the kin: elsewhere in the knowledge base is not enough
    assert not _concept("串通", question, [OFFICE], knowledge).in_knowledge_base


def test_a_character_the_knowledge_base_pairs_with_several_is_no_kin() -> None:
    knowledge = KnowledgeText([*TEXTS.values(), "第四条 不得串联他人上访。"])
    assert knowledge.sole_kin("串通") == ()
    question = "审查期间两个人私下串通 怎么处理"
    assert not _concept("串通", question, [COLLUDING], knowledge).in_knowledge_base


def test_a_kin_of_another_kind_or_not_a_word_is_none() -> None:
    knowledge = KnowledgeText(TEXTS.values())
    # 购物 (a noun) shares 购 with 购买 (a verb) alone, and is not what 购买 says
    question = "拿集体的钱发购物卡 怎么处理"
    assert knowledge.sole_kin("购物") == ("购买",)
    assert not _concept("购物", question, [BUYING], knowledge).in_knowledge_base
