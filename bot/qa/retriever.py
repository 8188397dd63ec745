"""Retrieval: named documents and articles first, then dense (Chroma) + BM25 fused, then one
calibrated decision whether the best passages answer the question at all.

A question naming a document the knowledge base does not hold, or an article past a
document's end, is refused by name — never answered with another document's article.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.db import knowledge as kb
from bot.db.models import KnowledgeChunk
from bot.index.embeddings import NamedEmbeddings
from bot.index.keyword import KeywordIndex
from bot.index.ngram import NGRAM_SHARE, NgramIndex
from bot.index.query_adapter import QueryAdapter
from bot.index.sentences import SentenceVectors
from bot.index.tokenize import add_terms, tokenize
from bot.index.vectors import VectorStore
from bot.qa.closing import closing_first
from bot.qa.concept_reading import KnowledgeText
from bot.qa.defining import definition_first
from bot.qa.doc_info import DocInfo, load_docs
from bot.qa.documents import DocumentCatalog, IndexedDocument
from bot.qa.evidence import Verdict
from bot.qa.fusion import fuse_scores, fuse_with_grams, rescale
from bot.qa.gate import ABSENT_NAMED, Gate, GateDecision
from bot.qa.gate_signals import WORDISH, gate_signals
from bot.qa.named_lookup import NamedLookup, missing_document
from bot.qa.passages import (
    Context,
    IndexEmptyError,
    IndexMismatchError,
    Passage,
    Retrieval,
    RetrievalConfig,
    passage_of,
)
from bot.qa.pinyin_input import Abbreviations, SpellingFixer
from bot.qa.rerank import Candidate, QuestionTerms, Reranker, question_terms
from bot.qa.sentence_first import sentence_first
from bot.qa.source_kind import source_first
from bot.qa.vocabulary import (
    Vocabulary,
    subject_tokens,
    vocabulary_words,
    word_uses,
)

__all__ = [
    "Context",
    "IndexEmptyError",
    "IndexMismatchError",
    "Passage",
    "Retrieval",
    "RetrievalConfig",
    "Retriever",
]


class Retriever:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        vectors: VectorStore,
        keyword_dir: Path,
        embeddings: NamedEmbeddings,
        vocabulary: Vocabulary | None = None,
        config: RetrievalConfig | None = None,
        gate: Gate | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self._sessions = session_factory
        self._vectors = vectors
        self._sentences = SentenceVectors(vectors)
        self._keyword_dir = keyword_dir
        self._embeddings = embeddings
        self.vocabulary = vocabulary or Vocabulary()
        add_terms(self.vocabulary.terms)
        self.config = config or RetrievalConfig()
        self._gate = gate
        self.reranker = reranker if reranker is not None else Reranker.packaged()
        # orders what is quoted; the refusal decision reads the encoder's own query vector
        self.query_adapter: QueryAdapter | None = QueryAdapter.packaged(embeddings.name)
        self._lock = threading.Lock()
        self._version = -1
        self._keyword: KeywordIndex | None = None
        self._ngram: NgramIndex | None = None
        # the share of the keyword weight that goes to character n-grams (the rest to words)
        self.ngram_share = NGRAM_SHARE
        self._docs: dict[int, DocInfo] = {}
        self._catalog = DocumentCatalog([], self.vocabulary)
        self._fixer = SpellingFixer(set())
        self._abbreviations = Abbreviations({})
        self._knowledge = KnowledgeText([])
        self._named = NamedLookup(
            session_factory,
            self._passage,
            lambda text, k, document: self._hybrid(text, k, only_document=document),
        )

    @property
    def gate(self) -> Gate:
        self._refresh()
        assert self._gate is not None
        return self._gate

    def search(self, question: str, k: int = 5, context: Context | None = None) -> Retrieval:
        self._refresh()
        question = self._abbreviations.expand(self._catalog.spelled_out(question))
        text = self._fixer.fix(question)
        request = self._catalog.article_request(text)
        if request is not None and request.mention is not None and request.mention.entry is None:
            # the slip fixed may have been a document's shortened name (乡振法 is no 乡镇法)
            as_typed = self._catalog.article_request(question, fix=False)
            if as_typed is not None and as_typed.mention is not None and as_typed.mention.indexed:
                request = as_typed
        if request is not None:
            return self._named.article(request, context, self._docs, k)
        part = self._catalog.part_request(text)
        if part is not None:
            found = self._named.part(part, context, self._docs)
            if found is not None:
                return found
        mention = self._catalog.mentioned(text)
        if mention is not None and mention.entry is None:  # as for articles above
            typed = self._catalog.mentioned(question, fix=False)
            if typed is not None and typed.indexed:
                mention = typed
        if mention is not None and mention.ambiguous:  # 《条例》: any of them
            mention = None
        if mention is not None and mention.entry is None and self._spoken_of(mention.written):
            mention = None  # 村民自治章程: not a document held, but a thing the documents speak of
        if mention is not None and not mention.indexed:
            return missing_document(mention, None)
        only = mention.entry.document_id if mention is not None and mention.entry else None
        return self._hybrid(text, k, only_document=only)

    def section_of(self, chunk_id: str) -> list[Passage]:
        """The whole article or report section a passage belongs to (for 查看原文)."""
        self._refresh()
        with self._sessions() as session:
            chunk = kb.get_chunks(session=session, ids=[chunk_id]).get(chunk_id)
            if chunk is None:
                return []
            rows = kb.find_section_chunks(session=session, chunk=chunk)
            return [self._passage(row, 1.0) for row in rows]

    def _spoken_of(self, name: str) -> bool:
        """Whether the held documents speak of the name (村规民约和村民自治章程: of the last)."""
        return re.split(r"[和与及或、]", name)[-1] in self._knowledge

    def document_title(self, document_id: int) -> str | None:
        self._refresh()
        doc = self._docs.get(document_id)
        return doc.title if doc else None

    # -- index state ---------------------------------------------------------------------------

    def _refresh(self) -> None:
        with self._sessions() as session:
            version = kb.get_index_version(session=session)
            if version == self._version:
                return
            with self._lock:
                built_with = kb.get_state(session=session, key=kb.EMBEDDER_KEY)
                if built_with is None or kb.count_chunks(session=session) == 0:
                    raise IndexEmptyError()
                if built_with != self._embeddings.name:
                    raise IndexMismatchError(built_with, self._embeddings.name)
                self._docs = load_docs(session)
                texts = list(kb.iter_chunk_texts(session=session))
                keyword = KeywordIndex.load(self._keyword_dir)
                if keyword is None or not keyword.current(version):
                    rows = ((cid, f"{heading}\n{text}") for cid, heading, text in texts)
                    keyword = KeywordIndex.build(rows, version=version)
                self._knowledge = KnowledgeText(heading + text for _, heading, text in texts)
                self._ngram = NgramIndex.build(
                    (cid, f"{heading}\n{text}") for cid, heading, text in texts
                )
                self._keyword = keyword
                if self._gate is None:
                    self._gate = Gate.for_index(session=session, embedder=self._embeddings.name)
                corpus_words = {
                    w
                    for w, df in keyword.document_frequency.items()
                    if df >= 2 and len(w) >= 2 and WORDISH.match(w)
                }
                self._catalog = DocumentCatalog(
                    [
                        IndexedDocument(d.id, d.title, d.last_article)
                        for d in self._docs.values()
                        if not d.superseded
                    ],
                    self.vocabulary,
                    corpus_words,
                )
                self._fixer = SpellingFixer(corpus_words | vocabulary_words(self.vocabulary))
                self._abbreviations = Abbreviations(
                    word_uses(keyword.document_frequency, self.vocabulary)
                )
                self._version = version

    # -- hybrid search ---------------------------------------------------------------------------

    def _hybrid(self, text: str, k: int, *, only_document: int | None = None) -> Retrieval:
        cfg = self.config
        gate = self._gate
        assert self._keyword is not None and gate is not None
        formal = self.vocabulary.formal_words(text)
        tokens = tokenize(text)
        where = None
        # a question naming a document searches that document's chunks only, in every list
        within: set[str] | None = None
        if only_document is not None:
            where = {"source": self._docs[only_document].source}
            with self._sessions() as session:
                within = set(kb.chunk_ids_of(session=session, document_id=only_document))
        index = self._keyword

        def keyword_search(words: list[str]) -> list[tuple[str, float]]:
            query = self.vocabulary.expand(words) + formal
            return index.search(query, cfg.candidates, within=within)

        sparse = keyword_search(tokens)
        keyword = dict(sparse)
        # the question in the regulations' own words embeds nearer their passages than the
        # everyday words do, and nearer still through the query adapter: that search orders
        # what is quoted; the refusal decision, calibrated on the question as asked, reads
        # that question's search (both embedded in one pass, both searched in one call)
        formal_text = self.vocabulary.formal_text(text)
        vectors = self._embeddings.embed_queries(
            [text] if formal_text == text else [text, formal_text]
        )
        asked_vector = query = vectors[0]
        if formal_text != text:
            query = vectors[1]
        if self.query_adapter is not None:
            query = self.query_adapter(query)
        if query is asked_vector:
            asked = dense = self._vectors.query(asked_vector, cfg.candidates, where)
        else:
            asked, dense = self._vectors.query_many([asked_vector, query], cfg.candidates, where)
        asked_similarity = {h.id: h.similarity for h in asked}
        asked_fused = rescale(
            fuse_scores(asked_similarity, keyword, dense_weight=gate.dense_weight)
        )
        similarity = asked_similarity
        if dense is not asked:
            similarity = {h.id: h.similarity for h in dense}
        # what is quoted is ordered with the character n-gram match as a third list: it finds
        # the regulation's words where jieba cuts the question otherwise (村支书 / 支部书记)
        # ... and with the words of the question's subject only: 能不能 would match every 不能
        subject = subject_tokens(text)
        quoted_keyword = dict(keyword_search(subject)) if subject and subject != tokens else keyword
        fused = rescale(self._fuse(similarity, quoted_keyword, text, gate.dense_weight, within))

        with self._sessions() as session:
            rows = kb.get_chunk_rows(session=session, ids=[*fused, *asked_fused])
            searched = [
                cid
                for cid, row in rows.items()
                if not self._docs[row.document_id].superseded
                and (only_document is None or row.document_id == only_document)
            ]
            fused_ids = sorted((c for c in searched if c in fused), key=lambda c: -fused[c])
            asked_ids = fused_ids
            if fused is not asked_fused:
                asked_ids = sorted(
                    (c for c in searched if c in asked_fused), key=lambda c: -asked_fused[c]
                )
            candidates = [
                Candidate(
                    cid,
                    rows[cid].heading,
                    rows[cid].text,
                    fused[cid],
                    similarity.get(cid),
                    keyword.get(cid),
                )
                for cid in fused_ids
            ]
            terms = self._question_terms(text, tokens + formal)
            # of two sibling articles, the one whose best sentence is nearer the question first
            ranked = self.reranker.rank(terms, candidates)
            ranked = sentence_first(
                ranked, query, lambda c: rows[c].document_id, self._sentences.of
            )
            # what the concept is, or what a law is for: the article saying so first
            ranked = definition_first(text, terms.focal, ranked, lambda r: r[0].text)
            # the rules asked under (党纪上咋说, 法律上有没有): a passage of that kind first
            ranked = source_first(
                text, ranked, lambda r: self._docs[rows[r[0].chunk_id].document_id].title
            )
            # what a document says of itself (when in force, who interprets it): its closing
            # article first, from the whole document — the one named, else the first quoted's

            def document_of(first: str) -> dict[str, kb.ChunkRow]:
                of = rows[first].document_id
                ids = within or kb.chunk_ids_of(session=session, document_id=of)
                found = kb.get_chunk_rows(session=session, ids=ids)
                rows.update({cid: row for cid, row in found.items() if cid not in rows})
                return found

            ranked = closing_first(text, ranked, bool(within), document_of)
            passages = [
                replace(self._passage(rows[c.chunk_id], fused.get(c.chunk_id, 0.0)), chance=chance)
                for c, chance in ranked[:k]
            ]
            # the gate was calibrated on the fused order of the question as asked: it decides
            # on that order's passages, the re-ranking only orders what is quoted
            by_id = {p.chunk_id: p for p in passages}
            decided = [
                by_id.get(cid) or self._passage(rows[cid], asked_fused[cid])
                for cid in asked_ids[:k]
            ]
        assert self._keyword is not None
        signals, verdict = gate_signals(
            text,
            tokens + formal,
            decided,
            [asked_similarity[c] for c in asked_ids if c in asked_similarity],
            [cid for cid, _ in sparse[:5]],
            [h.id for h in asked[:5]],
            keyword=self._keyword,
            vocabulary=self.vocabulary,
            knowledge=self._knowledge,
            quoted=passages,
        )
        scores = {
            p.chunk_id: (similarity.get(p.chunk_id), keyword.get(p.chunk_id), p.score)
            for p in passages
        }
        decision = gate.decide(signals) if passages else GateDecision.REFUSE
        if decision == GateDecision.REFUSE:
            if verdict.missing != "fact":
                named = verdict.missing == "concept" and signals["absent"] >= ABSENT_NAMED
                verdict = Verdict(
                    concept=verdict.concept if named else None,
                    missing="concept" if named else None,
                    nearest=verdict.nearest,
                )
            return Retrieval(
                [],
                True,
                reason="not_found",
                signals=signals,
                found=passages,
                scores=scores,
                verdict=verdict,
            )
        if decision == GateDecision.ANSWER and verdict.tentative:
            decision = GateDecision.LOW
        confidence = "low" if decision == GateDecision.LOW else "high"
        return Retrieval(
            passages,
            False,
            confidence=confidence,
            signals=signals,
            found=passages,
            scores=scores,
            verdict=verdict,
        )

    def _fuse(
        self,
        similarity: dict[str, float],
        keyword: dict[str, float],
        text: str,
        weight: float,
        within: set[str] | None = None,
    ) -> dict[str, float]:
        assert self._ngram is not None
        share, depth = self.ngram_share, self.config.candidates
        grams = dict(self._ngram.search(text, depth, within=within)) if share > 0 else {}
        return fuse_with_grams(similarity, keyword, grams, dense_weight=weight, gram_share=share)

    @property
    def knowledge(self) -> KnowledgeText:
        """Every passage's text, to ask whether the knowledge base uses a word at all."""
        return self._knowledge

    def _question_terms(self, question: str, tokens: Sequence[str]) -> QuestionTerms:
        assert self._keyword is not None
        words = [t for t in dict.fromkeys(tokens) if WORDISH.search(t)]
        idf = {w: self._keyword.idf(w) for w in words}
        return question_terms(question, idf, self.vocabulary, self._knowledge)

    def _passage(self, row: kb.ChunkRow | KnowledgeChunk, score: float) -> Passage:
        return passage_of(row, self._docs.get(row.document_id), score)
