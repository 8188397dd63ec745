"""A fact read as missing on the order the refusal decision reads (the question as asked) is a
hint, not a refusal, when the passages quoted — the re-ranked order — state it: the decision
and the quotes must not disagree on whether the knowledge base says it. Made-up passages."""

from __future__ import annotations

from bot.qa.evidence import KnowledgeText
from bot.qa.gate_signals import fact_quoted
from bot.qa.passages import Passage
from bot.qa.vocabulary import Vocabulary

APPROVED = "第九条 降低处分档次的，须报上一级纪委批准。"
MEETING = "第二条 支部每月召开一次支部委员会会议。"
ELECTION = "第三条 支部委员会每届任期三年。"
QUESTION = "支部想降低处分档次 得谁批"


def _passage(text: str) -> Passage:
    return Passage("c", "某某规定", "a.md", "regulation", "", text, 1.0)


def _quoted(*texts: str) -> bool:
    knowledge = KnowledgeText([APPROVED, MEETING, ELECTION])
    passages = [_passage(text) for text in texts]
    return fact_quoted(QUESTION, passages, vocabulary=Vocabulary(), knowledge=knowledge)


def test_the_quoted_order_stating_who_approves_is_no_missing_fact() -> None:
    assert _quoted(APPROVED, MEETING)


def test_passages_that_state_no_approver_still_miss_the_fact() -> None:
    assert not _quoted(MEETING, ELECTION)
    assert not _quoted()
