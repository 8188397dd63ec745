"""A norm asked — what is required, allowed or usual in general (都要交啥, 一般由谁, 能不能) — is
never answered confidently by a work report, however many of the question's words its section
carries: the report tells what one county did. Asked of the county's own work (县里, 上半年,
报告里说, 办了多少), the report still answers. A small knowledge base written for the tests; no
model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.fact_kinds import report_answers_not
from bot.qa.passages import Passage
from tests.support.confidence import confidence_of, titled_passage

DONE = (
    "（三）抓实驻村帮扶。上半年选派驻村工作队员*名，开展驻村干部述职评议*次，"
    "驻村干部年度考核材料报送率达100%。"
)
RULE = "第十二条 驻村工作队员一般由县直单位副科级以上干部担任，年度考核材料应当包括述职报告。"
KNOWLEDGE = KnowledgeText([DONE, RULE])


def _passage(text: str, *, report: bool) -> Passage:
    return titled_passage(
        text, title="县驻村帮扶工作汇报" if report else "驻村工作办法", report=report
    )


def _confidence(question: str, first: Passage) -> tuple[str, str | None]:
    return confidence_of(question, first, KNOWLEDGE)


def test_the_ways_a_norm_is_asked() -> None:
    for question in (
        "驻村干部年度考核材料都要交啥",
        "驻村工作队员一般是什么级别的干部",
        "驻村干部能不能兼任村支书",
        "驻村干部述职要不要全体村民参加",
        "驻村工作队员必须是党员吗",
    ):
        assert report_answers_not(question), question


def test_the_county_own_work_is_not_a_norm_asked() -> None:
    for question in (
        "县里上半年驻村干部都要述职吗",
        "报告里说驻村干部一般是哪来的",
        "驻村干部考核搞得怎么样了",
        "今年选派了多少驻村工作队员",
        "驻村帮扶是怎么落实的",
    ):
        assert not report_answers_not(question), question


def test_whether_a_thing_was_done_asks_a_fact_not_a_norm() -> None:
    # 是否 asks of what happened as often as of what is allowed: a report can answer it
    assert not report_answers_not("驻村工作队是否实现全覆盖")


def test_a_rule_asked_stays_one_even_of_the_county() -> None:
    assert report_answers_not("县里驻村干部要啥条件")


def test_a_norm_asked_is_not_answered_by_a_report() -> None:
    question = "驻村工作队员一般是什么级别的干部"
    assert _confidence(question, _passage(DONE, report=True)) == ("low", "report")
    # the article laying the norm down stays confident
    assert _confidence(question, _passage(RULE, report=False)) == ("high", None)


def test_what_the_county_did_is_answered_by_the_report() -> None:
    question = "上半年县里选派了多少驻村工作队员"
    assert _confidence(question, _passage(DONE, report=True)) == ("high", None)
