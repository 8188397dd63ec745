"""What a thing is, or what a regulation is for: the article saying so is quoted first
(bot/qa/defining.py). Pure reading of question and articles, then through the real retriever
over the eval corpus."""

from __future__ import annotations

import pytest

from bot.qa.defining import (
    concept_asked,
    defines,
    definition_first,
    states_purpose,
)
from bot.services import KnowledgeBase

LISTS = "第四十条　党的纪律主要包括政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律。"
SAYS = "第三十九条　党的纪律是党的各级组织和全体党员必须遵守的行为规则。"
PURPOSE = "第一条 为了保障农村村民实行自治，由村民依法办理自己的事情，根据宪法，制定本法。"


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("党的纪律到底是个啥", True),
        ("党的纪律说白了是什么 有啥用", True),
        ("党的纪律在党内是啥地位", True),
        # the concept in another clause than the asking words: not asked what it is
        ("党的纪律 我们支部该学的是啥", False),
        # what is asked is a time, a procedure, the content: not what the concept is
        ("党的纪律是什么时候写进党章的", False),
        ("党的纪律处分的程序是什么", False),
        # 算啥问题 asks what violation an act is
        ("党的纪律不遵守 算啥问题", False),
    ],
)
def test_a_clause_asks_what_the_concept_is(question: str, asked: bool) -> None:
    assert concept_asked(question, ("党的纪律",)) is asked


def test_a_kind_asked_of_the_concept() -> None:
    assert concept_asked("党员教育管理在党建里头算哪类工作", ("教育管理",))
    # a space parts clauses as a comma does (the unit measured): told apart, not read as asked
    assert not concept_asked("党员教育管理 在党建里头算哪类工作", ("教育管理",))


def test_an_article_says_what_a_concept_is_in_its_opening() -> None:
    assert defines(SAYS, ("党的纪律",))
    assert defines("第二条　党员教育管理是党的建设基础性经常性工作。", ("教育管理",))
    assert not defines(LISTS, ("党的纪律",))  # lists its kinds
    # said later in the article, or 为了 (a purpose, not a copula): no
    assert not defines("第五条　各级党组织应当加强纪律教育，党的纪律是保证。", ("党的纪律",))
    assert not defines("第一条　党组织为了加强纪律，制定本条例。", ("党组织",))
    assert states_purpose(PURPOSE)
    assert not states_purpose(SAYS)


def test_the_defining_article_goes_first_from_the_quoted_five() -> None:
    ranked = [LISTS, "第四十一条　其他。", SAYS]
    assert definition_first("党的纪律到底是个啥", ("党的纪律",), ranked, str) == [
        SAYS,
        LISTS,
        "第四十一条　其他。",
    ]
    # not asked what it is: the order stands
    assert definition_first("党的纪律有哪几种", ("党的纪律",), ranked, str) == ranked
    # beyond the passages quoted: the order stands
    far = [LISTS, *(f"第{n}条　其他。" for n in "一二三四五"), SAYS]
    assert definition_first("党的纪律到底是个啥", ("党的纪律",), far, str) == far
    purpose = ["第三条　村民委员会根据村民居住状况设立。", PURPOSE]
    assert definition_first("村委会组织法的立法目的是啥", (), purpose, str)[0] == PURPOSE


def test_the_retriever_quotes_the_defining_article_first(corpus_kb: KnowledgeBase) -> None:
    # with the test's hashing embedder 党章's article on the discipline inspection
    # commissions ranks first; 第三十九条 (党的纪律是…) is third among the five quoted
    found = corpus_kb.retriever.search("党的纪律说到底是个啥")
    assert found.passages and found.passages[0].text.startswith("第三十九条")
