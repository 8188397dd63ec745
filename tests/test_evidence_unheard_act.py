"""A figure asked of an act the knowledge base never words (几天内转交本人) is not stated by a
figure of another act in the passage (一个月内…宣布): at most low-confidence, never refused for
it. A verb typed for a homophone the knowledge base uses (宣示 for 宣誓) is that word. A knowledge
base written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import check_evidence
from bot.qa.vocabulary import Vocabulary

ANNOUNCED = "第五十条 处分决定作出后，应当在一个月内向本人宣布，并写入档案。"
HANDED = "第五十条 处分决定作出后，应当在七日内转交本人，并写入档案。"
OATH = "第二十七条 预备党员应当在三个月内面向党旗进行入党宣誓。"


def _missing(question: str, passage: str, *others: str) -> str | None:
    knowledge = KnowledgeText([passage, OATH, *others])
    verdict = check_evidence(question, [("条例", passage)], Vocabulary(), knowledge)[2]
    return verdict.missing


def test_a_deadline_of_an_act_never_worded_is_not_another_acts() -> None:
    asked = "处分决定 要在几天内转交本人"
    assert _missing(asked, ANNOUNCED) == "loose"  # the figure is 宣布's
    assert _missing(asked, HANDED) is None  # the knowledge base words the act: stated of it


def test_a_verb_typed_for_its_homophone_is_the_word_meant() -> None:
    knowledge = KnowledgeText([OATH, "第三条 申请加入中国共产党，应当向党组织提出。"])
    assert knowledge.sounds_used("宣示")  # 宣誓, a word of general Chinese
    assert not knowledge.sounds_used("转交")
    assert not knowledge.sounds_used("请假")  # 请加 spans two words (申请 加入)
