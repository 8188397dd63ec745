"""How sure an answer is, judged on one passage quoted first over a small knowledge base written
for a test: the confidence layer as the service runs it, without an index or a model."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import cast

from bot.qa.concept_reading import KnowledgeText
from bot.qa.confidence import AnswerConfidence
from bot.qa.evidence import check_evidence
from bot.qa.passages import Passage, Retrieval
from bot.qa.retriever import Retriever
from bot.qa.verifier import Verifier
from bot.qa.vocabulary import Vocabulary
from ingest.metadata import REPORT
from tests.support.passages import regulation_passage


def titled_passage(text: str, *, title: str, report: bool) -> Passage:
    """A passage titled `title`, of a work report when `report`, else of a regulation."""
    passage = regulation_passage(text, title=title)
    return replace(passage, kind=REPORT) if report else passage


def confidence_of(
    question: str, first: Passage, knowledge: KnowledgeText
) -> tuple[str, str | None]:
    """The tier and the check that lowered it, with `first` quoted first and found confident."""
    vocabulary = Vocabulary()
    verdict = check_evidence(
        question, [(first.title, first.heading + first.text)], vocabulary, knowledge
    )[2]
    retrieval = Retrieval([first], False, confidence="high", verdict=verdict)
    retriever = cast(Retriever, SimpleNamespace(vocabulary=vocabulary, knowledge=knowledge))
    return AnswerConfidence(retriever, Verifier("test")).of(question, retrieval)
