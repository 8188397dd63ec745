"""Three more ways of asking for a fact, each answered only by a passage that states it: a bare
多少 closing the clause or 多少万 (每户最多补多少), a size (多大尺寸), and a paper to issue
(要开啥证明). A knowledge base written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.fact_stated import extra_kind, unstated
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

SUBSIDY = "第六条 县级人民政府对易地搬迁农户给予补助，补助资金由县财政统筹安排。"
SUBSIDY_AMOUNT = "第七条 易地搬迁农户每户补助不超过三万元。"
BANNER = "第十条 会场悬挂党旗，党旗应当保持整洁。"
BANNER_SIZE = "第十一条 会场悬挂的党旗规格为长二百四十厘米、宽一百六十厘米。"
TRANSFER = "第十五条 党员外出务工的，应当及时转接组织关系。"
TRANSFER_PAPER = "第十六条 党员外出务工转接组织关系的，由党支部开具介绍信和证明。"
KNOWLEDGE = KnowledgeText(
    [SUBSIDY, SUBSIDY_AMOUNT, BANNER, BANNER_SIZE, TRANSFER, TRANSFER_PAPER, "党员"]
)


def _unstated(question: str, text: str) -> bool:
    quoted = [regulation_passage(text, title="条例", chunk_id="1")]
    return unstated(question, quoted, Vocabulary(), KNOWLEDGE)


def test_a_bare_amount_asked_is_stated_by_an_amount() -> None:
    for asked in ("易地搬迁农户 每户最多补助多少", "易地搬迁农户的补助 一户最高多少万"):
        assert extra_kind(asked) is not None
        assert _unstated(asked, SUBSIDY)  # who pays, no amount
        assert not _unstated(asked, SUBSIDY_AMOUNT)
    assert extra_kind("易地搬迁农户补助多少万人受益了") is None  # people, not money


def test_a_size_asked_is_stated_by_a_length() -> None:
    asked = "会场挂的党旗 要多大规格"
    assert extra_kind(asked) is not None
    assert _unstated(asked, BANNER)
    assert not _unstated(asked, BANNER_SIZE)


def test_a_paper_asked_is_stated_by_that_paper() -> None:
    asked = "党员外出务工 转接组织关系要开啥证明"
    assert extra_kind(asked) is not None
    assert _unstated(asked, TRANSFER)
    assert not _unstated(asked, TRANSFER_PAPER)
    assert extra_kind("转接组织关系要开什么会") is None  # a meeting, not a paper
