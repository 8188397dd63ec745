"""A figure answers a count only when it is said of what the question asks is done: a count of
things asked of an act (给几个积极分子当培养联系人) is not stated by the same thing counted in
another act's sentence (讨论三个以上的积极分子时); a number of terms (几届) and an amount taken
off (扣多少) are kinds of fact, stated by 两届 and by an amount, never by a term's length or a
rule on who decides. A knowledge base written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.fact_stated import extra_kind, unstated
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

MEETING = "第二十条 支部委员会讨论三个以上的入党积极分子时，应当逐个研究。培养联系人应当如实汇报。"
LINKING = "第十二条 每名培养联系人一般联系两个入党积极分子，联系时间不少于一年。"
TERMS = "第八条 村党组织书记任期五年，可以连选连任。村党组织书记连任一般不超过两届。"
PAY = "第九条 考核结果作为村干部绩效报酬发放的依据，由乡镇党委在年底公布。"
CUT = "不合格的，扣减当年绩效报酬百分之二十。"
KNOWLEDGE = KnowledgeText([MEETING, LINKING, TERMS, PAY, "党员"])


def _unstated(question: str, text: str) -> bool:
    quoted = [regulation_passage(text, title="条例", chunk_id="1")]
    return unstated(question, quoted, Vocabulary(), KNOWLEDGE)


def test_a_count_asked_of_an_act_is_stated_in_that_acts_sentence() -> None:
    asked = "一个党员最多能给几个入党积极分子当培养联系人"
    # 三个以上的入党积极分子 counts those discussed at a meeting, not those one links with
    assert _unstated(asked, MEETING)
    assert not _unstated(asked, LINKING)
    # with no act said after the thing counted, the meeting's count is the count asked
    assert not _unstated("支部委员会一次能讨论几个入党积极分子", MEETING)


def test_a_number_of_terms_is_stated_by_terms_not_by_a_terms_length() -> None:
    assert extra_kind("村党组织书记连选连任 最多能当几届") is not None
    assert extra_kind("村党组织书记能连任多少届") is not None
    assert extra_kind("第几届村民委员会") is None  # which one, not how many
    assert _unstated("村党组织书记连选连任 最多能当几届", TERMS.split("。")[0])
    assert not _unstated("村党组织书记连选连任 最多能当几届", TERMS)


def test_an_amount_taken_off_is_stated_by_an_amount() -> None:
    asked = "考核不合格 村干部要扣多少绩效报酬"
    assert extra_kind(asked) is not None
    assert _unstated(asked, PAY)  # what the pay follows and who publishes it, no amount
    assert not _unstated(asked, PAY + CUT)
