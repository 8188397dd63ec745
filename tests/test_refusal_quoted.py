"""Answerable questions the refusal decision misread: a word the knowledge base never uses whose
sole kin it does use (串通: 串供) is not a concept it lacks; and what the evidence check finds
missing in the order the decision reads is looked for in the passages the answer quotes first.
A small knowledge base written for the tests; no model, no network."""

from __future__ import annotations

from bot.index.keyword import KeywordIndex
from bot.index.tokenize import tokenize
from bot.qa.concept_reading import KnowledgeText, concepts, read_as_kin
from bot.qa.gate_signals import gate_signals
from bot.qa.passages import Passage
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

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


def _passage(cid: str) -> Passage:
    return regulation_passage(TEXTS[cid], title="纪律办法", chunk_id=cid)


def _signals(question: str, decided: list[str], quoted: list[str]):
    keyword = KeywordIndex.build(TEXTS.items(), version=1)
    return gate_signals(
        question,
        tokenize(question),
        [_passage(c) for c in decided],
        [0.9] * len(decided),
        decided,
        decided,
        keyword=keyword,
        vocabulary=VOCABULARY,
        knowledge=KnowledgeText(TEXTS.values()),
        quoted=[_passage(c) for c in quoted],
    )


def test_a_fact_stated_by_a_passage_quoted_first_is_not_missing() -> None:
    question = "想比规定的幅度再处理轻一点 得谁批"
    signals, _ = _signals(question, ["c11", "c8", "c30"], ["c11", "c8", "c30"])
    assert signals["fact_missing"] == 1.0  # nothing read states who approves
    signals, verdict = _signals(question, ["c11", "c8", "c30"], ["c11", "c12", "c8"])
    assert signals["fact_missing"] == 0.0
    assert verdict.missing != "fact"
    # quoted passages stating an approval only of something else (loose) change nothing
    signals, _ = _signals(question, ["c11", "c8", "c30"], ["c8", "c30", "c9"])
    assert signals["fact_missing"] == 1.0


def test_a_kin_used_by_a_passage_quoted_first_is_not_absent() -> None:
    question = "审查期间两个人私下串通 怎么处理"
    signals, verdict = _signals(question, ["c8", "c11", "c9"], ["c8", "c11", "c9"])
    assert signals["absent"] >= 12.0 and verdict.concept == "串通"
    signals, verdict = _signals(question, ["c8", "c11", "c9"], ["c30", "c8", "c11"])
    assert signals["absent"] < 12.0
    assert "串供" in verdict.focus
