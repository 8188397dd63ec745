"""A question that names a document searches that document alone — in the dense list (a
Chroma filter) and in both keyword lists (jieba words and character n-grams) alike. Before, the
keyword lists took their best hits over every document and the other documents' hits were
dropped afterwards, so the named document's own keyword matches could be crowded out."""

from __future__ import annotations

import pytest

from bot.index.keyword import KeywordIndex
from bot.index.ngram import NgramIndex

ROWS = [
    ("a1", "民兵连长由村民委员会提名"),
    ("a2", "民兵训练每年冬季组织一次"),
    ("b1", "民兵连长的补贴由乡镇发放"),
    ("b2", "民兵连长任期三年"),
]


def test_the_word_list_keeps_to_the_chunks_asked() -> None:
    index = KeywordIndex.build(ROWS, version=1)
    assert {cid for cid, _ in index.search(["民兵", "连长"], 10)} == {"a1", "a2", "b1", "b2"}
    found = index.search(["民兵", "连长"], 10, within={"a1", "a2"})
    assert found[0][0] == "a1"
    assert {cid for cid, _ in found} <= {"a1", "a2"}


def test_the_ngram_list_keeps_to_the_chunks_asked() -> None:
    index = NgramIndex.build(ROWS)
    found = index.search("民兵连长补贴", 10, within=["b2", "a2"])
    assert found and {cid for cid, _ in found} <= {"a2", "b2"}
    assert index.search("民兵连长补贴", 10, within=set()) == []


def test_a_named_document_is_searched_alone_by_every_list(
    make_kb, corpus_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.db import knowledge as kb

    kbase = make_kb()
    kbase.ingestor.ingest()
    retriever = kbase.retriever
    listed: list[str] = []
    word_search, gram_search = KeywordIndex.search, NgramIndex.search

    def words(self: KeywordIndex, *args: object, **kwargs: object) -> list[tuple[str, float]]:
        found = word_search(self, *args, **kwargs)  # type: ignore[arg-type]
        listed.extend(cid for cid, _ in found)
        return found

    def grams(self: NgramIndex, *args: object, **kwargs: object) -> list[tuple[str, float]]:
        found = gram_search(self, *args, **kwargs)  # type: ignore[arg-type]
        listed.extend(cid for cid, _ in found)
        return found

    monkeypatch.setattr(KeywordIndex, "search", words)
    monkeypatch.setattr(NgramIndex, "search", grams)
    # 村民委员会 and 选举 fill the village-committee law; the charter is named
    found = retriever.search("党章里村民委员会选举是怎么说的", k=5)
    with kbase.sessions() as session:
        charter = next(
            d for d in kb.list_documents(session=session) if d.source == "dangzhang_2022.md"
        )
        own = set(kb.chunk_ids_of(session=session, document_id=charter.id))
    assert listed and set(listed) <= own
    assert all(p.source == "dangzhang_2022.md" for p in found.found)
