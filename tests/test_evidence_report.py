"""A rule asked — the conditions, the standard, the document laying it down — is never answered
confidently by a work report: a report tells what was done (发放创业贷款*笔), not by what rule.
What was done, asked of the report, stays confident. A small knowledge base written for the
tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.fact_kinds import rule_asked
from bot.qa.passages import Passage
from tests.support.confidence import confidence_of, titled_passage

DONE = "（二）抓实青年创业。上半年为返乡青年发放创业贷款*笔，建成青年驿站*处，举办创业沙龙*场。"
RULE = (
    "第九条 返乡青年申请创业贷款，应当具备下列条件：（一）年满十八周岁；（二）在本县登记"
    "经营满一年。"
)
KNOWLEDGE = KnowledgeText([DONE, RULE])


def _passage(text: str, *, report: bool) -> Passage:
    return titled_passage(text, title="县青年创业汇报" if report else "创业贷款办法", report=report)


def _confidence(question: str, first: Passage) -> tuple[str, str | None]:
    return confidence_of(question, first, KNOWLEDGE)


def test_the_ways_a_rule_is_asked() -> None:
    for question in (
        "返乡青年申请创业贷款要啥条件",
        "青年驿站是按什么标准建的",
        "创业沙龙是哪个文件规定要办的",
        "创业贷款有没有规定",
        "申请创业贷款的条件是什么",
        "每个返乡青年最多能贷多少",
        "创业沙龙一年至少办几场",
    ):
        assert rule_asked(question), question
    for question in ("上半年发了多少笔创业贷款", "青年驿站建了几处", "创业沙龙是咋办的"):
        assert not rule_asked(question), question


def test_a_rule_asked_is_not_answered_by_a_report() -> None:
    question = "返乡青年申请创业贷款要啥条件"
    assert _confidence(question, _passage(DONE, report=True)) == ("low", "report")
    # the same question answered by a regulation's article stays confident
    assert _confidence(question, _passage(RULE, report=False)) == ("high", None)


def test_a_limit_asked_is_not_answered_by_what_a_report_says_was_given() -> None:
    # 创业贷款*笔 says how many were given, not up to how much one may be given
    assert _confidence("返乡青年创业贷款 每人最多能贷多少", _passage(DONE, report=True)) == (
        "low",
        "report",
    )


def test_what_was_done_is_answered_by_the_report() -> None:
    question = "上半年给返乡青年发放创业贷款了吗"
    assert _confidence(question, _passage(DONE, report=True)) == ("high", None)
