"""On the knowledge base as it ships (the county's work report alone), a question about a Party
rule whose every word the report never uses is refused by name when the Party vocabulary knows
its focus as a Party-work term (支委会: 支部委员会), and only hinted at when nothing says it is
Party work (户口). The real default embedder for the conversation's answers, and no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import check_evidence
from bot.qa.service import QAService
from bot.qa.vocabulary import Vocabulary
from tests.support.one_document import network_refused, one_document_service

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge" / "000_bfb71448b844fd38.txt"
REPORT = "各支部按要求开展主题党日活动，组织开展志愿服务和专题党课。"
PASSAGES = [("上半年工作汇报", REPORT)]


def verdict_of(question: str, vocabulary: Vocabulary):
    return check_evidence(question, PASSAGES, vocabulary, KnowledgeText([REPORT]))[2]


def test_a_party_word_the_knowledge_base_never_uses_is_named_with_the_fact_missing() -> None:
    vocabulary = Vocabulary(synonyms={"支委会": ("支部委员会",)})
    verdict = verdict_of("支委会多久开一次", vocabulary)
    assert (verdict.concept, verdict.missing) == ("支委会", "fact")
    assert verdict.no_rule


def test_without_a_fact_asked_it_is_named_as_a_concept_the_knowledge_base_lacks() -> None:
    vocabulary = Vocabulary(synonyms={"支委会": ("支部委员会",)})
    verdict = verdict_of("支委会的委员怎么产生", vocabulary)
    assert verdict.tentative
    assert verdict.missing in ("concept", "fact") and verdict.concept == "支委会"


def test_a_word_nothing_says_is_party_work_is_never_named() -> None:
    verdict = verdict_of("农村户口转城市户口怎么办", Vocabulary())
    assert verdict.concept is None and not verdict.no_rule


def test_an_everyday_word_the_vocabulary_rewords_is_not_thereby_party_work() -> None:
    # the regulations may word it otherwise than the vocabulary does (公务交通工具)
    vocabulary = Vocabulary(synonyms={"公车私用": ("公务用车", "私用")})
    verdict = verdict_of("公车私用多久会被处理", vocabulary)
    assert verdict.concept is None and not verdict.no_rule


@pytest.fixture(scope="module")
def shipped_only(tmp_path_factory, e5_embeddings) -> Iterator[QAService]:
    with network_refused():
        yield one_document_service(tmp_path_factory.mktemp("shipped"), SHIPPED, e5_embeddings)


@pytest.mark.real_model
def test_on_the_shipped_report_a_rule_it_lacks_is_refused_by_name(shipped_only) -> None:
    answer = shipped_only.ask("支委会多久开一次")
    assert answer.refused
    assert "知识库里没有关于“支委会”" in answer.text
    assert "上半年组织工作" in answer.text  # the nearest document it holds


@pytest.mark.real_model
def test_on_the_shipped_report_what_it_says_is_still_answered(shipped_only) -> None:
    answer = shipped_only.ask("党校的考核验收怎么样了")
    assert not answer.refused
    assert "考核验收" in answer.text
