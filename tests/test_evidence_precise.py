"""What the evidence must carry beyond the focus: a message that asks nothing (乡里的小学撤并了)
is no question; a clause closed by 没有 asks yes or no; a list asked of a thing is not answered
by a list of something else naming the thing as one item; what befalls an act, or whether a
document was revised, is stated only by a passage saying so; when a document took effect is
stated by its 施行 article, not by a 每年 of another rule. A small knowledge base written for
the tests; no model, no network."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import cast

from bot.qa.clauses import asks_nothing, yes_no_clauses
from bot.qa.concept_reading import KnowledgeText
from bot.qa.confidence import AnswerConfidence
from bot.qa.evidence import check_evidence
from bot.qa.fact_stated import unstated, unstated_anywhere
from bot.qa.list_item import list_asked, only_an_item, only_an_item_asked
from bot.qa.passages import Passage, Retrieval
from bot.qa.retriever import Retriever
from bot.qa.verifier import Verifier
from bot.qa.vocabulary import Vocabulary
from ingest.metadata import REPORT
from tests.support.passages import regulation_passage

SCHOOLS = "（三）教育资源整合。上半年完成乡村小学撤并*所，新建寄宿制学校*所。"
HALL = "第六条 村民委员会应当建设村级活动场所，并做好日常维护。"
EFFECTIVE = "第三十条 本办法自公布之日起施行。"
YEARLY = "第十二条 村务监督委员会每年向村民会议报告工作。"
FORGED = "第十九条 村务监督委员会成员伪造村务公开材料的，由村民会议罢免其职务。"
REVISED = "（2015年3月1日县人民政府公布　2021年6月8日修订）"
MISCONDUCT = (
    "第九条 有下列行为之一的，给予批评教育：\n（一）违反财务公开制度，隐瞒不报的；\n"
    "（二）拒不执行村民会议决定的。"
)
PRINCIPLES = (
    "第四条 开展帮扶工作，应当遵循下列原则：\n（一）坚持精准帮扶，因户施策、因人施策、"
    "因需施策；\n（二）坚持群众自愿。"
)
CONTENTS = "第十条 财务公开制度包括下列内容：\n（一）收支明细；\n（二）集体资产。"
TEXTS = [SCHOOLS, HALL, EFFECTIVE, YEARLY, FORGED, REVISED, MISCONDUCT, PRINCIPLES, CONTENTS]
KNOWLEDGE = KnowledgeText(TEXTS)
VOCABULARY = Vocabulary()


def _passages(*texts: str) -> list[Passage]:
    return [
        regulation_passage(text, title="村务管理办法", chunk_id=str(number))
        for number, text in enumerate(texts)
    ]


def _confidence(question: str, *texts: str, report: bool = False) -> tuple[str, str | None]:
    quoted = _passages(*texts)
    if report:
        quoted = [replace(p, kind=REPORT) for p in quoted]
    found = [(p.title, p.heading + p.text) for p in quoted]
    verdict = check_evidence(question, found, VOCABULARY, KNOWLEDGE)[2]
    retrieval = Retrieval(quoted, False, confidence="high", verdict=verdict)
    retriever = cast(Retriever, SimpleNamespace(vocabulary=VOCABULARY, knowledge=KNOWLEDGE))
    return AnswerConfidence(retriever, Verifier("test")).of(question, retrieval)


def test_a_statement_asks_nothing() -> None:
    for told in ("乡里的小学撤并了", "村里的老会计退休啦", "活动室 早就修好了"):
        assert asks_nothing(told), told
    for asked in (
        "乡里的小学撤并了吗",
        "小学撤并了 孩子去哪上学",
        "村里小学是撤并了还是保留了",
        "小学撤并了？",
        "村级活动场所",  # a bare topic is a question as it stands
        "公车私用",
    ):
        assert not asks_nothing(asked), asked


def test_a_statement_is_answered_at_most_as_a_hint() -> None:
    assert _confidence("乡里的小学撤并了", SCHOOLS, report=True) == ("low", "told")
    # asked, the same report answers it
    assert _confidence("上半年乡里撤并了几所小学", SCHOOLS, report=True) == ("high", None)


def test_a_clause_closed_by_meiyou_asks_yes_or_no() -> None:
    assert yes_no_clauses("村里的活动场所翻新过没有") == [
        ("村里的活动场所翻新过没有", "村里的活动场所翻新过没有")
    ]
    assert yes_no_clauses("去年派驻工作队没")


def test_what_befalls_an_act_is_stated_by_a_sanction() -> None:
    question = "监督委员会的人伪造公开材料 会咋样"
    # an article on the committee's yearly report says nothing of what befalls the forger
    assert unstated_anywhere(question, _passages(YEARLY, HALL))
    assert not unstated_anywhere(question, _passages(YEARLY, FORGED))
    assert not unstated_anywhere("监督委员会每年向谁报告工作", _passages(YEARLY))


def test_whether_a_document_was_revised_is_stated_by_a_revision() -> None:
    question = "村务管理办法后来改过没有"
    # when it took effect says nothing of a revision
    assert unstated_anywhere(question, _passages(EFFECTIVE))
    assert not unstated_anywhere(question, _passages(EFFECTIVE, REVISED))


def test_when_a_document_took_effect_is_stated_by_its_article_on_it() -> None:
    question = "村务管理办法 啥时候开始施行"
    # 每年 is how often the committee reports, not when the rules took effect
    assert unstated(question, _passages(YEARLY), VOCABULARY, KNOWLEDGE)
    assert not unstated(question, _passages(EFFECTIVE, YEARLY), VOCABULARY, KNOWLEDGE)


def test_a_list_of_something_else_naming_the_thing_as_one_item() -> None:
    assert list_asked("财务公开制度都要公开哪些内容")
    assert not list_asked("财务公开制度是啥")
    # the misconduct article names 财务公开制度 only in its first item, and no 内容
    assert only_an_item(("财务公开制度",), MISCONDUCT)
    assert _confidence("财务公开制度都要公开哪些内容", MISCONDUCT) == ("low", "item")
    # asked which misconduct it lists, the same article is the list asked for
    first = _passages(MISCONDUCT)[0]
    assert not only_an_item_asked("违反财务公开制度有哪些行为", ("财务公开制度",), first)
    # the article listing its contents names it in its head
    assert not only_an_item(("财务公开制度",), CONTENTS)
    # an item that lists the parts of the thing asked answers it
    assert not only_an_item(("精准帮扶",), PRINCIPLES)
