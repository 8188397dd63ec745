"""What a named document says of itself — when it takes effect, who interprets it, who makes
the rules implementing it — answered by its own closing article (bot/qa/closing.py). Pure
reading of question and articles, then through the real retriever over the eval corpus."""

from __future__ import annotations

import pytest

from bot.qa.closing import (
    EFFECT_ARTICLE,
    INTERPRET_ARTICLE,
    RULES_ARTICLE,
    provision_asked,
    provision_first,
)
from bot.services import KnowledgeBase

IN_FORCE = "第五十条　本办法自2030年1月1日起施行。"
INTERPRETS = "第四十九条　本办法由省委组织部负责解释。"
IMPLEMENTS = "第四十八条　各市党委可以根据本办法，结合实际，制定实施细则。"
OTHER = "第十条　党小组每月至少开展一次活动。"


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("这个办法到底哪天起实行", EFFECT_ARTICLE),
        ("党小组工作办法什么时候开始生效的", EFFECT_ARTICLE),
        ("办法改完以后 从哪天起执行", EFFECT_ARTICLE),
        ("办法的施行日期是哪天", EFFECT_ARTICLE),
        ("办法里说不清楚的地方 由哪个部门来解释", INTERPRET_ARTICLE),
        ("解释权归谁", INTERPRET_ARTICLE),
        ("市里能不能自己出个实施细则", RULES_ARTICLE),
        ("有没有配套的具体办法 谁来定", RULES_ARTICLE),
        # another subject's time: not the document's own
        ("处分决定什么时候生效", None),
        ("党小组组长的任期啥时候开始算", None),
        ("办法里党小组每月开几次会", None),
    ],
)
def test_what_is_asked_of_the_document_itself(question: str, form: object) -> None:
    assert provision_asked(question) is form


def test_the_closing_article_goes_first_from_the_whole_document() -> None:
    document = [OTHER, IMPLEMENTS, INTERPRETS, IN_FORCE]
    ranked = [OTHER, "第十一条　党小组组长由党员推选。"]
    same = str.__eq__
    # not among the passages found: taken from the document
    assert provision_first(ranked, EFFECT_ARTICLE, document, str, same) == [IN_FORCE, *ranked]
    # among them: moved first, nothing added
    found = [OTHER, INTERPRETS]
    assert provision_first(found, INTERPRET_ARTICLE, document, str, same) == [INTERPRETS, OTHER]
    # the document has no such article: the order stands
    assert provision_first(ranked, RULES_ARTICLE, [OTHER], str, same) == ranked


def test_the_retriever_quotes_the_document_s_closing_article(corpus_kb: KnowledgeBase) -> None:
    found = corpus_kb.retriever.search("党员教育管理工作条例 新修订的从哪天起执行")
    assert found.passages and "起施行" in found.passages[0].text
    found = corpus_kb.retriever.search("纪律处分条例里说得不明白的 由谁来解释")
    assert found.passages and "负责解释" in found.passages[0].text
