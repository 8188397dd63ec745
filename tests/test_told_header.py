"""A message that only tells (我们村的活动室翻修好了) asked for no rule: its answer says it reads as
a statement and quotes what is nearest, never that no direct rule was found. Through the core,
over a small regulation written for the test; the hashing embedder, no network."""

from __future__ import annotations

from bot import messages
from bot.qa.answer import answer_header, extractive_answer
from bot.qa.service import QAService
from tests.support.passages import regulation_passage

RULES = """# 村级活动场所管理办法

第一条 村级活动场所由村党组织统一管理，村民委员会协助做好日常维护。

第二条 活动场所翻修的，村党组织应当提前向乡镇党委报告，翻修完成后向党员群众公开经费使用情况。

第三条 活动场所应当每周至少开放两次，供党员学习和村民议事使用。
"""


def _service(make_kb, knowledge_dir) -> QAService:
    (knowledge_dir / "huodong.md").write_text(RULES, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    return QAService(kbase.retriever)


def test_a_statement_is_told_it_reads_as_one(make_kb, knowledge_dir) -> None:
    service = _service(make_kb, knowledge_dir)
    told = service.ask("我们村的活动场所翻修完成了")
    assert not told.refused, told.text
    assert told.confidence == "low"
    assert told.text.startswith(messages.ANSWER_TOLD_HEADER), told.text
    assert messages.ANSWER_LOW_HEADER not in told.text
    # asked, the same words get the answer as the rule
    asked = service.ask("活动场所翻修完成后要公开什么")
    assert not asked.refused, asked.text
    assert not asked.text.startswith(messages.ANSWER_TOLD_HEADER)


def test_the_header_follows_why_the_answer_was_lowered() -> None:
    assert answer_header("high") == messages.ANSWER_HEADER
    assert answer_header("high", "told") == messages.ANSWER_HEADER
    assert answer_header("low", "told") == messages.ANSWER_TOLD_HEADER
    assert answer_header("low", "verifier") == messages.ANSWER_LOW_HEADER
    assert answer_header("low") == messages.ANSWER_LOW_HEADER
    # both read as "not the rule asked for" where answers are counted
    for header in (messages.ANSWER_LOW_HEADER, messages.ANSWER_TOLD_HEADER):
        assert header in messages.ANSWER_LOW_HEADERS
    passage = regulation_passage("第三条 活动场所应当每周至少开放两次。", title="办法")
    answer = extractive_answer(
        "活动场所每周都开放两次", [passage], exact=False, confidence="low", lowered_by="told"
    )
    assert answer.text.startswith(messages.ANSWER_TOLD_HEADER)
