"""The body of rules a question asks under (党纪上, 法律上): a passage of a document of that
kind quoted first (bot/qa/source_kind.py). Pure reading of question and titles."""

from __future__ import annotations

import pytest

from bot.qa.source_kind import source_asked, source_first

LAW = "中华人民共和国村民委员会组织法"
DISCIPLINE = "中国共产党纪律处分条例"
CHARTER = "中国共产党章程"
REPORT = "某县2025年基层党建工作总结"


@pytest.mark.parametrize(
    ("question", "party", "law"),
    [
        ("支书收了包工头两条烟 党纪上怎么看", True, False),
        ("会计把集体的钱借给亲戚用 算不算违纪", True, False),
        ("村里的荒山能不能包给外地老板 法律上有说法没", False, True),
        ("按法律 村委会多久换一届", False, True),
        ("村委会多久换一届", False, False),
    ],
)
def test_the_kind_of_rules_asked(question: str, party: bool, law: bool) -> None:
    of_kind = source_asked(question)
    if not party and not law:
        assert of_kind is None
        return
    assert of_kind is not None
    assert of_kind(DISCIPLINE) is party and of_kind(CHARTER) is party
    assert of_kind(LAW) is law
    assert not of_kind(REPORT)


def test_a_passage_of_the_kind_asked_goes_first_from_the_quoted_five() -> None:
    ranked = [(LAW, "第十六条"), (LAW, "第十八条"), (DISCIPLINE, "第一百条")]
    title = lambda r: r[0]  # noqa: E731
    question = "村干部遇到事躲着不管 党纪咋说"
    assert source_first(question, ranked, title)[0] == (DISCIPLINE, "第一百条")
    # the first is of the kind already (党章 lays down discipline too): the order stands
    charter_first = [(CHARTER, "第四十条"), *ranked]
    assert source_first(question, charter_first, title) == charter_first
    # beyond the five quoted: the order stands
    far = [(LAW, f"第{n}条") for n in "一二三四五"] + [(DISCIPLINE, "第一百条")]
    assert source_first(question, far, title) == far
    # no kind of rules said: the order stands
    assert source_first("村干部遇到事躲着不管咋办", ranked, title) == ranked
