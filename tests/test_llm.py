"""Generated answers through langchain against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.qa.llm import is_grounded, make_chat_model
from bot.qa.service import QAService
from tests.support.fakes import FakeOpenAIServer, chat_completion

QUESTION = "入党要几个介绍人？"


@pytest.fixture
def corpus_kb(make_kb, corpus_dir: Path):
    kbase = make_kb()
    kbase.ingestor.ingest()
    return kbase


def _service(corpus_kb, server: FakeOpenAIServer, timeout_s: float = 5.0) -> QAService:
    model = make_chat_model(
        base_url=server.base_url, model="fake", api_key="k", timeout_s=timeout_s
    )
    return QAService(corpus_kb.retriever, model)


def test_cited_answer_is_used_and_grounded_in_passages(corpus_kb) -> None:
    with FakeOpenAIServer(
        lambda body: (200, chat_completion("需要两名正式党员作入党介绍人。[1]"))
    ) as server:
        answer = _service(corpus_kb, server).ask(QUESTION)
    assert answer.generated and not answer.refused
    assert answer.text.startswith("需要两名正式党员作入党介绍人。[1]")
    assert "[1] 《" in answer.text
    prompt = server.requests[0]["messages"][-1]["content"]
    assert QUESTION in prompt and answer.sources[0].text in prompt
    assert server.requests[0]["messages"][0]["role"] == "system"


@pytest.mark.parametrize(
    "reply",
    [
        lambda body: (200, chat_completion("需要两名介绍人。")),  # no citation
        lambda body: (200, chat_completion("需要两名介绍人。[9]")),  # cites nothing retrieved
        lambda body: (200, chat_completion("知识库中没有找到相关内容。")),
        lambda body: (500, {"error": {"message": "boom"}}),
        lambda body: (200, {"unexpected": "shape"}),
    ],
    ids=["uncited", "bad-citation", "model-declines", "server-error", "malformed"],
)
def test_falls_back_to_extractive(corpus_kb, reply) -> None:
    with FakeOpenAIServer(reply) as server:
        answer = _service(corpus_kb, server).ask(QUESTION)
    assert not answer.generated and not answer.refused
    assert answer.text.startswith("根据知识库中的文件")
    assert len(server.requests) == 1


def test_timeout_falls_back_quickly(corpus_kb) -> None:
    # only the time after the request reached the server is the timeout's: the search
    # before it may be slow on a loaded CI machine
    arrivals: list[float] = []

    def slow(body):
        arrivals.append(time.monotonic())
        time.sleep(10)
        return 200, chat_completion("太慢了。[1]")

    with FakeOpenAIServer(slow) as server:
        answer = _service(corpus_kb, server, timeout_s=0.5).ask(QUESTION)
        returned = time.monotonic()
    assert len(arrivals) == 1 and returned - arrivals[0] < 3
    assert not answer.generated


def test_refusals_and_article_lookups_never_call_the_llm(corpus_kb) -> None:
    with FakeOpenAIServer(lambda body: pytest.fail("LLM must not be called")) as server:
        service = _service(corpus_kb, server)
        assert service.ask("发展党员工作细则第十一条").text.startswith(
            "《中国共产党发展党员工作细则》第二章 第十一条"
        )
        assert not server.requests


def test_is_grounded() -> None:
    assert is_grounded("甲。[1]乙。[2]", 2)
    assert not is_grounded("甲。[1]乙。", 2)
    assert not is_grounded("甲。[3]", 2)
