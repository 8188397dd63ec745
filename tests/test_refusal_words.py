"""How the evidence check reads the words that ask: a deadline asked (几天内) is cut whole, so
its 内 lends no character to the next word; 好几年 is told, not asked; 多大岁数 asks an age;
and a refusal names whose figure is missing — the head of the phrase (城镇低保: 低保), the thing
the asking words count (有几天年休假: 年休假). A small knowledge base written for the tests; no
model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.evidence import check_evidence
from bot.qa.fact_kinds import kind_asked
from bot.qa.vocabulary import Vocabulary

LEAVE = "第五条 村干部享受年休假，具体办法由县级人民政府规定。"
TOWN = "第八条 城镇和乡村的基层组织应当做好服务群众工作。"
FUNDS = "第九条 党费由党支部按月收缴，及时存入指定账户。"
KNOWLEDGE = KnowledgeText([LEAVE, TOWN, FUNDS])


def _words(question: str) -> list[str]:
    return [c.word for c in concepts(question, Vocabulary(), KNOWLEDGE)]


def _verdict(question: str, *passages: str):  # type: ignore[no-untyped-def]
    found = [("条例", text) for text in passages]
    return check_evidence(question, found, Vocabulary(), KNOWLEDGE)[2]


def _kind(question: str) -> str | None:
    kind = kind_asked(question)
    return kind.label if kind else None


def test_a_deadline_asked_is_cut_whole() -> None:
    for question in ("收上来的党费几天内存入账户", "收上来的党费多少天以内存入账户"):
        assert "内存" not in _words(question)
        assert "党费" in _words(question)
    assert "内容" not in _words("几个月内容易出错的地方")


def test_several_years_told_is_not_asked() -> None:
    assert _kind("有个支部好几年没开过党员大会 上级会问责吗") is None
    assert _kind("老党员好几年没交党费了，该怎么处理") is None
    assert _kind("前几次开会他都没来 算不算违纪") is None
    assert _kind("预备期是几年") == "的期限"


def test_how_old_is_asked_in_everyday_words() -> None:
    assert _kind("当村会计得多大岁数") == "的年龄"
    assert _kind("入党要多大年纪") == "的年龄"
    assert _kind("年纪多大就不能当书记了") == "的年龄"


def test_a_refusal_names_the_head_of_the_phrase() -> None:
    # 低保 is never used; 城镇 is: the amount missing is 低保's, not 城镇's
    verdict = _verdict("城镇低保一个月能领多少钱", TOWN)
    assert verdict.no_rule and verdict.concept == "低保"


def test_a_refusal_names_the_thing_counted() -> None:
    # the days missing are 年休假's, said right after 几天, not 村干部's
    verdict = _verdict("村干部一年有几天年休假", LEAVE)
    assert verdict.missing == "fact" and verdict.concept == "年休假"
