"""A question's clauses and what each asks (bot.qa.clauses): the two tests of whether a clause
asks keep their own words, and a clause is read between white space and punctuation."""

from __future__ import annotations

from bot.qa.clauses import (
    FIGURE_CLAUSE_BREAKS,
    asked_part,
    asks,
    clause_around,
    clauses_of,
    yes_no_clauses,
)


def test_clauses_are_cut_at_punctuation_and_white_space() -> None:
    assert clauses_of("我帮老板跑了个项目手续，这算违纪吗？") == [
        "我帮老板跑了个项目手续",
        "这算违纪吗",
    ]
    text = "打工一年多了 一年开几次会"
    assert clause_around(text, text.index("开")) == "一年开几次会"
    assert clause_around(text, 0) == "打工一年多了"


def test_a_figure_s_clause_keeps_a_decimal_and_breaks_at_the_enumeration_comma() -> None:
    assert FIGURE_CLAUSE_BREAKS.split("培训1.5天、考试几天") == ["培训1.5天", "考试几天"]
    assert clauses_of("培训1.5天") == ["培训1", "5天"]


def test_the_outline_reads_only_the_clauses_that_ask() -> None:
    assert asked_part("我帮老板跑了个项目手续 这算违纪吗") == "这算违纪吗"
    assert asked_part("组织关系转接的手续") == "组织关系转接的手续"


def test_the_two_asking_tests_differ_as_fitted() -> None:
    # who approves asks for the evidence check; the outline reads no clause as asking here
    assert asks("谁批") and asked_part("入党手续 谁批") == "入党手续 谁批"
    # a clause closed by 不 asks yes or no
    assert asks("还能评优秀不") and yes_no_clauses("还能评优秀不") == [("还能评优秀不",) * 2]
    # a bare 么 asks for the outline only
    assert not asks("这么办") and asked_part("党员发展流程 这么办") == "这么办"


def test_a_bare_ji_in_a_yes_or_no_clause_asks_for_no_kinds() -> None:
    from bot.qa.clauses import steps_asked

    # 几 after 能不能 / 是否, or in a clause closed by 吗, is "some": the clause asks whether
    assert steps_asked("村委会下面能不能分几个村民小组") is None
    assert steps_asked("服务站是否分几类管理") is None
    assert steps_asked("服务站能分几类吗") is None
    # asked for the kinds: 哪 always asks, and a bare 几 outside a yes-or-no clause does
    assert steps_asked("能不能说说有哪几种") is not None
    assert steps_asked("党纪处分分几种") is not None
    assert steps_asked("能不能申请 评定分几个等次") is not None
    assert steps_asked("这会儿还能办接收的手续吗") is not None  # a process word, not 几
