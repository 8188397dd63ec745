"""What a question asks is read beyond its focus: the act a figure is asked of (多少天内要给答复)
and whether it is a deadline (几个工作日内),
what a yes-or-no clause asks whether (算不算失职, 党费还要不要交), and an amount told in the
story rather than asked (去外地考察几天 … 能去不). A small knowledge base written for the tests;
no model, no network."""

from __future__ import annotations

from bot.qa.answer import tier
from bot.qa.concept_reading import KnowledgeText
from bot.qa.evidence import Verdict, check_evidence
from bot.qa.fact_kinds import kind_asked
from bot.qa.passages import Retrieval
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

REGISTERED = "第三条 乡党委收到群众来信反映的问题，应当在十五日内登记。"
REPLIED = "第四条 乡党委对群众来信反映的问题，应当在三十日内答复。"
DUTIES = "第五条 支部书记应当组织党员学习，带头遵守党的纪律。"
NEGLECT = "第六条 支部书记不履行职责，造成损失的，属于失职，应当给予处分。"
PUNISHED = "第七条 党员受到处分以后，应当认真改正错误。"
DUES = "第八条 受到处分的党员，应当照常交纳党费。"
AWAY = "第九条 党员外出6个月以上的，应当转移组织关系。"
MOVED = "第十条 党员转移组织关系，转出的党组织应当在5个工作日内办结。"
TEXTS = [REGISTERED, REPLIED, DUTIES, NEGLECT, PUNISHED, DUES, AWAY, MOVED]


def _verdict(question: str, *passages: str) -> Verdict:
    found = [("条例", text) for text in passages]
    return check_evidence(question, found, Vocabulary(), KnowledgeText(TEXTS))[2]


def _tier(question: str, *passages: str) -> str:
    quoted = [
        regulation_passage(text, title="条例", chunk_id=str(number))
        for number, text in enumerate(passages)
    ]
    retrieval = Retrieval(quoted, False, verdict=_verdict(question, *passages))
    return tier(retrieval)


def test_the_figure_must_be_stated_of_the_act_asked() -> None:
    question = "群众来信反映问题 乡党委多少天内要给答复"
    # 十五日内 is stated about the same letters, but of registering them, not of the reply
    verdict = _verdict(question, REGISTERED)
    assert verdict.tentative and verdict.missing == "loose"
    assert not _verdict(question, REPLIED, REGISTERED).tentative


def test_a_deadline_asked_is_answered_by_a_span_within_which() -> None:
    question = "党员组织关系转到外地 多少个工作日内办完"
    # 6个月以上 is a threshold for another matter, near the same nouns: no deadline stated
    assert _verdict(question, AWAY).missing == "fact"
    assert _verdict(question, MOVED, AWAY).missing != "fact"  # 外地 is absent: named only


def test_a_yes_or_no_question_needs_a_passage_naming_what_it_asks_whether() -> None:
    question = "支部书记长期不组织学习 算不算失职"
    # an article on 支部书记's duties names the focus, never 失职
    assert _tier(question, DUTIES) == "low"
    assert _tier(question, NEGLECT) == "high"
    assert _tier(question, DUTIES, NEGLECT) == "high"  # among the first passages quoted


def test_the_party_terms_of_a_yes_or_no_clause_are_what_it_asks_about() -> None:
    question = "受了处分以后 党费还要不要照常交"
    assert _tier(question, PUNISHED) == "low"  # 处分, but nothing on 党费
    assert _tier(question, DUES) == "high"


def test_an_amount_told_in_the_story_is_not_asked() -> None:
    assert kind_asked("老板请我们去外地考察几天 费用全包 能去不") is None
    # asked: with an asking word before it, or with no yes-or-no clause after it
    assert kind_asked("集中培训要培训几天 能不能在线上学") is not None
    assert kind_asked("外地考察几天") is not None
    assert kind_asked("考察多少天 能去不") is not None
