"""Set phrases and idioms said in passing (发红包, 挨家挨户) are never read as what the question
is about, so a right passage is not hedged over them; a thing the knowledge base never names
still is. A small knowledge base
written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.evidence import check_evidence
from bot.qa.vocabulary import Vocabulary

INVALID = "第十七条 以贿赂、拉票等不正当手段当选村民委员会成员的，当选无效。"
KNOWLEDGE = KnowledgeText([INVALID])


def _words(question: str) -> list[str]:
    return [c.word for c in concepts(question, Vocabulary(), KNOWLEDGE)]


def _verdict(question: str, *passages: str):  # type: ignore[no-untyped-def]
    found = [("村组法", text) for text in passages]
    return check_evidence(question, found, Vocabulary(), KNOWLEDGE)[2]


def test_a_set_phrase_said_in_passing_is_not_the_focus() -> None:
    question = "有人挨家挨户拉票当选了村民委员会成员 这个选举有没有效"
    words = _words(question)
    assert "挨家挨户" not in words
    assert "拉票" in words
    assert not _verdict(question, INVALID).tentative


def test_a_thing_the_knowledge_base_never_names_is_still_the_focus() -> None:
    # 两口子 is a noun, not a set phrase: the passages cannot say whether a couple may serve
    verdict = _verdict("两口子能不能一起拉票", INVALID)
    assert verdict.tentative and verdict.concept == "两口子"


def test_how_many_things_is_a_fact_a_count_answers() -> None:
    from bot.qa.fact_kinds import kind_named

    kind = kind_named("今年县里发展党员的指标是多少个")
    assert kind is not None and kind.label == "的数量"
    assert kind_named("支部有多少个党员").label == "的人数"  # type: ignore[union-attr]
    question = "今年县里发展党员的指标是多少个"
    knowledge = KnowledgeText(
        ["第三十九条 基层党委按照规定配备一定数量的组织员，做好发展党员工作。", "年度指标"]
    )
    unstated = "第三十九条 基层党委按照规定配备一定数量的组织员，做好发展党员工作。"
    verdict = check_evidence(question, [("细则", unstated)], Vocabulary(), knowledge)[2]
    assert verdict.missing in ("fact", "loose")  # 一定数量 is no count
    stated = "第十条 每年发展党员指标不超过30个，由县委组织部下达。"
    verdict = check_evidence(question, [("细则", stated)], Vocabulary(), knowledge)[2]
    assert verdict.missing is None and not verdict.tentative


def test_how_old_asked_is_no_concept() -> None:
    # 多大岁数, 多大年纪 ask how old, like 几岁: 岁数 is not a thing the knowledge base lacks
    assert _words("多大岁数才能当选村民委员会成员") == _words("几岁才能当选村民委员会成员")
    assert "年纪" not in _words("当选村民委员会成员要多大年纪")
    assert not _verdict("多大年纪才能当选村民委员会成员", INVALID).tentative


def test_a_word_said_right_after_an_adverb_is_a_predicate() -> None:
    # 还算数: what is said of the election, not a thing the question is about
    question = "拉票当选的村民委员会成员 这次当选还算数吗"
    assert "算数" not in _words(question)
    assert not _verdict(question, INVALID).tentative
    assert "算数" not in _words("拉票当选的村民委员会成员 这次当选能算数吗")  # after a modal
    # the same word as the subject of the question is still read
    assert "算数" in _words("算数的标准是什么")
