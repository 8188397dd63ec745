"""The words of how a question asks kept out of the keyword search that orders the quotes."""

from __future__ import annotations

from typing import Any

import pytest

from bot.qa.vocabulary import subject_tokens


@pytest.mark.parametrize(
    ("question", "dropped", "kept"),
    [
        ("村干部把低保名额先给亲戚 算不算违纪", {"不算", "算不算"}, {"低保", "亲戚", "违纪"}),
        ("当了领导是不是就可以不参加组织生活了", {"不是", "是不是"}, {"领导", "组织生活"}),
        ("村委会下面能不能分几个村民小组", {"不能"}, {"村委会", "村民", "小组"}),
        ("乡村振兴法支不支持农家乐", set(), {"乡村振兴", "支持"}),
    ],
)
def test_how_a_question_asks_is_no_subject(question: str, dropped: set, kept: set) -> None:
    tokens = set(subject_tokens(question))
    assert kept <= tokens and not dropped & tokens


def test_the_quoted_order_searches_the_subject_the_refusal_the_question_as_asked(
    make_kb, corpus_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.index.keyword import KeywordIndex

    kbase = make_kb()
    kbase.ingestor.ingest()
    retriever = kbase.retriever
    searched: list[list[str]] = []
    search = KeywordIndex.search

    def recording(
        self: KeywordIndex, tokens: list[str], k: int, **kwargs: Any
    ) -> list[tuple[str, float]]:
        searched.append(list(tokens))
        return search(self, tokens, k, **kwargs)

    monkeypatch.setattr(KeywordIndex, "search", recording)
    retriever.search("党员能不能不参加组织生活", k=5)
    assert len(searched) == 2 and "不能" in searched[0] and "不能" not in searched[1]
    searched.clear()
    retriever.search("党员有哪些权利", k=5)  # nothing said about how it asks: one search
    assert len(searched) == 1
