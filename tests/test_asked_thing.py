"""A question naming the thing it asks for (哪个银行卡, 有没有一份手册) with a word the
knowledge base never uses cannot be answered by any passage: it is found by the concepts read
against a small knowledge base written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.asked_thing import asked_thing_unheld
from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.vocabulary import Vocabulary

TEXTS = [
    "第三条 合作社的盈余应当按照章程分配，分配方案由成员大会决定。",
    "第四条 村民委员会应当公布财务收支情况，接受村民监督。",
    "第五条 对违反规定的合作社，由乡政府责令改正，并给予通报批评。",
]


def _unheld(question: str) -> str | None:
    found = concepts(question, Vocabulary(), KnowledgeText(TEXTS))
    return asked_thing_unheld(question, found)


def test_a_thing_asked_for_that_the_knowledge_base_never_names() -> None:
    assert _unheld("合作社的盈余 存到哪个银行卡") == "银行卡"
    assert _unheld("村里的财务 有没有一份手册") == "手册"


def test_a_thing_the_knowledge_base_names_is_left_to_the_other_checks() -> None:
    assert _unheld("合作社的盈余按什么章程分配") is None
    assert _unheld("村民委员会要公布哪些财务") is None


def test_words_asking_for_a_kind_of_answer_are_no_thing() -> None:
    assert _unheld("合作社违反规定会有什么后果") is None
    assert _unheld("村民监督财务有哪些途径") is None
    assert _unheld("合作社分配盈余有什么流程") is None


def test_a_set_named_by_its_count_and_everyday_words_are_no_thing() -> None:
    assert _unheld("合作社的盈余分配是哪三化") is None
    assert _unheld("这条说的盈余是什么意思") is None


def test_a_kind_of_figure_asked_is_no_thing() -> None:
    # 副科级以上 states a level without the word 级别; 三十日内 a span without 天数
    assert _unheld("合作社的理事一般是什么级别的干部") is None
    assert _unheld("村民委员会公布财务有没有天数规定") is None
