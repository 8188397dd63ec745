"""Article look-ups as typed on phones (tests/support/article_lookups.py): each quotes the
articles asked, or asks back which document, or is refused by name — never another article."""

from __future__ import annotations

import pytest

from bot.qa.service import QAService
from bot.services import KnowledgeBase
from tests.support.article_lookups import LOOKUPS, Lookup


@pytest.fixture(scope="module")
def service(corpus_kb: KnowledgeBase) -> QAService:
    return QAService(corpus_kb.retriever)


@pytest.mark.parametrize("lookup", LOOKUPS, ids=[look.question for look in LOOKUPS])
def test_an_article_typed_on_a_phone(service: QAService, lookup: Lookup) -> None:
    previous = service.ask(lookup.after) if lookup.after else None
    answer = service.ask(lookup.question, previous=previous)
    if lookup.reason is not None:
        assert answer.refused and answer.reason == lookup.reason, answer.text
        assert answer.sources == []
        return
    assert not answer.refused and "原文如下" in answer.text.splitlines()[0], answer.text
    assert lookup.document is not None
    assert all(lookup.document in p.title for p in answer.sources)
    assert tuple(dict.fromkeys(p.article_no for p in answer.sources)) == lookup.articles


def test_asked_back_with_the_documents_that_have_the_article(service: QAService) -> None:
    text = service.ask("条例第10条").text
    assert text.startswith("请说明是哪个文件的第十条")
    for title in ("纪律处分条例", "党员教育管理工作条例", "机关基层组织工作条例"):
        assert title in text
    assert "章程" not in text  # not a 条例
    alone = service.ask("第一百零二条").text
    assert "《中国共产党纪律处分条例》" in alone and "章程" not in alone


def test_a_document_not_held_names_the_one_held_near_it(service: QAService) -> None:
    answer = service.ask("乡村振兴条例第十条")
    assert "知识库中没有《乡村振兴条例》" in answer.text
    assert "《中华人民共和国乡村振兴促进法》第十条" in answer.text
    assert "知识库中有" not in service.ask("支部工作条例第十条").text


def test_several_articles_are_quoted_each_under_its_citation(service: QAService) -> None:
    text = service.ask("党章第31、32条").text
    assert "《中国共产党章程》第五章 第三十一条原文如下" in text
    assert "《中国共产党章程》第五章 第三十二条原文如下" in text


def test_a_thing_the_documents_speak_of_is_no_missing_document(service: QAService) -> None:
    # 村民自治章程 is named by 村民委员会组织法 itself: searched, not refused as a document
    answer = service.ask("村民自治章程由谁制定")
    assert answer.reason != "missing_document"
    assert service.ask("村民自治章程第三条").reason == "missing_document"


def test_a_chapter_asked_whole_lists_its_articles(service: QAService) -> None:
    text = service.ask("党章第3章讲的啥").text
    assert text.startswith("《中国共产党章程》第三章 党的中央组织共六条（第十九条至第二十四条）")
    assert "第二十二条：党的中央委员会每届任期五年。" in text
    assert "附则共二条（第四十三条至第四十四条）" in service.ask("细则附则").text
    assert service.ask("党章总纲").text.startswith("《中国共产党章程》总纲原文如下")
    alone = service.ask("第三章")
    assert alone.refused and alone.reason == "which_document"
    after = service.ask("第三章", previous=service.ask("纪律处分条例第五条"))
    assert after.text.startswith("《中国共产党纪律处分条例》第三章 纪律处分运用规则")
    # a question about something in a chapter is searched as any other
    assert "依次是" not in service.ask("党员教育管理条例总则讲了哪些原则").text
