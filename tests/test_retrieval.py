from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answer import citation
from bot.qa.service import QAService


@pytest.fixture
def corpus_kb(make_kb, corpus_dir: Path):
    kbase = make_kb()
    kbase.ingestor.ingest()
    return kbase


@pytest.mark.parametrize(
    ("question", "article", "contains"),
    [
        (
            "村民委员会组织法第二十二条是什么？",
            "第二十二条",
            "召开村民会议，应当有本村十八周岁以上村民的过半数",
        ),
        ("发展党员工作细则第十一条", "第十一条", "党支部每半年对入党积极分子进行一次考察"),
        ("发展党员工作细则第11条", "第十一条", "党支部每半年对入党积极分子进行一次考察"),
        ("党章第十条讲的什么", "第十条", "民主集中制"),
        ("《中国共产党纪律处分条例》第 8 条", "第八条", "纪律处分种类"),
        ("乡村振兴促进法第七条", "第七条", "中国农民丰收节"),
    ],
)
def test_exact_article_lookup(corpus_kb, question: str, article: str, contains: str) -> None:
    result = corpus_kb.retriever.search(question)
    assert result.exact and not result.refused
    assert result.passages[0].article == article
    assert contains in "".join(result.passages[0].text.split())


def test_article_lookup_on_an_unnamed_document_falls_back_to_search(corpus_kb) -> None:
    result = corpus_kb.retriever.search("第九百条是什么")
    assert not result.exact


def test_extractive_answer_quotes_and_cites(corpus_kb) -> None:
    answer = QAService(corpus_kb.retriever).ask("入党介绍人要有几名？")
    assert not answer.refused
    first = answer.sources[0]
    assert citation(first) in answer.text
    quoted = answer.text.split("「", 1)[1].split("」", 1)[0].strip("…")
    assert quoted in first.text  # verbatim


def test_full_text_of_a_split_article(make_kb, knowledge_dir: Path) -> None:
    items = "\n".join(f"（{n}）" + "违反规定" * 30 + "的；" for n in "一二三四五六")
    (knowledge_dir / "某条例.md").write_text(
        f"# 某条例\n\n第一条　总则。\n\n第二条　有下列行为之一的，给予处分：\n{items}\n\n第三条　附则。\n",
        encoding="utf-8",
    )
    kbase = make_kb()
    kbase.ingestor.ingest()
    result = kbase.retriever.search("某条例第二条")
    assert len(result.passages) > 1
    section = QAService(kbase.retriever).full_text(result.passages[-1].chunk_id)
    assert "".join(p.text for p in section) == "".join(p.text for p in result.passages)


def test_newer_version_of_a_regulation_wins_and_says_so(make_kb, knowledge_dir: Path) -> None:
    old = "# 中国共产党纪律处分条例\n\n（2018年修订，自2018年10月1日起施行）\n\n第八条　对党员的纪律处分种类：警告、严重警告、撤销党内职务、留党察看、开除党籍。旧版本独有的说法。\n"
    new = "# 中国共产党纪律处分条例\n\n（2023年修订，自2024年2月1日起施行）\n\n第八条　对党员的纪律处分种类：警告、严重警告、撤销党内职务、留党察看、开除党籍。新版本的说法。\n"
    (knowledge_dir / "jilv_2018.md").write_text(old, encoding="utf-8")
    (knowledge_dir / "jilv_2023.md").write_text(new, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    service = QAService(kbase.retriever)

    exact = service.ask("纪律处分条例第八条")
    assert exact.sources[0].source == "jilv_2023.md"
    assert "2024年版" in exact.text

    semantic = service.ask("对党员的纪律处分有哪些种类")
    assert not semantic.refused
    assert {p.source for p in semantic.sources} == {"jilv_2023.md"}
    assert "2024年版" in semantic.text


def test_empty_and_too_long_questions(corpus_kb) -> None:
    service = QAService(corpus_kb.retriever)
    assert service.ask("   ").refused
    long_answer = service.ask("党" * 600)
    assert long_answer.refused and "太长" in long_answer.text


def test_re_ranking_orders_the_quotes_but_not_the_refusal_decision(corpus_kb) -> None:
    from dataclasses import dataclass

    from bot.qa.rerank import Reranker

    @dataclass(frozen=True)
    class Reversed(Reranker):
        def rank(self, terms, candidates):  # type: ignore[no-untyped-def]
            return [(candidate, None) for candidate in reversed(candidates)]

    retriever = corpus_kb.retriever
    question = "入党介绍人要有几名？"
    retriever.reranker = Reranker()
    fused = retriever.search(question, k=5)
    retriever.reranker = Reversed()
    reversed_ = retriever.search(question, k=5)
    assert fused.signals == reversed_.signals and fused.confidence == reversed_.confidence
    assert fused.refused == reversed_.refused
    assert [p.chunk_id for p in reversed_.found] != [p.chunk_id for p in fused.found]


def test_formal_text_replaces_everyday_phrases_once_longest_first() -> None:
    from bot.qa.vocabulary import Vocabulary

    vocabulary = Vocabulary(
        synonyms={
            "村干部": ("村民委员会成员",),
            "干部": ("领导干部",),
            "处分": ("纪律处分",),
            "跑了": ("失去联系",),
        }
    )
    assert vocabulary.formal_text("村干部受了处分") == "村民委员会成员受了处分"
    assert vocabulary.formal_text("干部跑了") == "干部失去联系"  # 领导干部 only lengthens it
    assert Vocabulary().formal_text("党员跑了") == "党员跑了"


def test_the_asked_and_formal_questions_are_embedded_and_searched_together(
    corpus_kb, monkeypatch: pytest.MonkeyPatch
) -> None:
    retriever = corpus_kb.retriever
    batches: list[list[str]] = []
    searches: list[int] = []
    embed, search = retriever._embeddings.embed_queries, retriever._vectors.query_many
    monkeypatch.setattr(
        retriever._embeddings, "embed_queries", lambda texts: batches.append(texts) or embed(texts)
    )
    monkeypatch.setattr(
        retriever._vectors,
        "query_many",
        lambda vectors, k, where=None: searches.append(len(vectors)) or search(vectors, k, where),
    )
    retriever.search("村干部把亲弟弟报成低保户 按党纪咋处理", k=5)
    assert len(batches) == 1 and len(batches[0]) == 2 and "村民委员会成员" in batches[0][1]
    assert searches == [2]


def test_the_dense_query_reads_the_regulations_words_not_the_refusal(
    corpus_kb, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.qa.vocabulary import Vocabulary

    retriever = corpus_kb.retriever
    embedded: list[str] = []
    embed = retriever._embeddings.embed_query
    monkeypatch.setattr(
        retriever._embeddings, "embed_query", lambda text: embedded.append(text) or embed(text)
    )
    question = "村干部把亲弟弟报成低保户 按党纪咋处理"
    formal = retriever.search(question, k=5)
    assert len(embedded) == 2 and "村民委员会成员" in embedded[1] and "村干部" in embedded[0]
    monkeypatch.setattr(Vocabulary, "formal_text", lambda self, text: text)
    embedded.clear()
    asked = retriever.search(question, k=5)
    assert len(embedded) == 1  # nothing to replace: one embedding
    assert formal.signals == asked.signals and formal.verdict == asked.verdict
    assert formal.refused == asked.refused and formal.confidence == asked.confidence


def test_chunk_rows_read_as_the_orm_chunks(corpus_kb) -> None:
    from bot.db import knowledge as kb

    with corpus_kb.sessions() as session:
        ids = [cid for cid, _, _ in list(kb.iter_chunk_texts(session=session))[::40]]
        chunks = kb.get_chunks(session=session, ids=[*ids, "no-such-chunk"])
        rows = kb.get_chunk_rows(session=session, ids=[*ids, "no-such-chunk", ids[0]])
        assert set(rows) == set(chunks) == set(ids)
        for cid, row in rows.items():
            chunk = chunks[cid]
            assert row == (
                chunk.id,
                chunk.document_id,
                chunk.heading,
                chunk.text,
                chunk.article,
                chunk.article_no,
            )
        assert kb.get_chunk_rows(session=session, ids=[]) == {}
