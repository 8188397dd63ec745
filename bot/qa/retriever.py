"""Hybrid retrieval: exact article lookup, then dense (Chroma) + BM25 scores fused.

A question the knowledge base cannot answer is refused, never guessed: the best passage must be
close in meaning to the question, or share most of its informative words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.db import knowledge as kb
from bot.db.models import KnowledgeChunk
from bot.embeddings import NamedEmbeddings
from bot.index.keyword import KeywordIndex
from bot.index.tokenize import SYNONYMS, expand_query, tokenize
from bot.index.vectors import VectorStore
from ingest.metadata import REGULATION, short_names
from ingest.numerals import parse_number

_ARTICLE_QUERY = re.compile(r"第\s*([零〇一二三四五六七八九十百千两\d]+)\s*条")
MIN_NAME_OVERLAP = 4


@dataclass(frozen=True)
class RetrievalConfig:
    candidates: int = 40
    # Weight of the dense score in the convex fusion; the rest goes to BM25.
    dense_weight: float = 0.5
    # Refusal gate, calibrated on the development questions (see bench/README.md).
    dense_floor: float = 0.25
    dense_confident: float = 0.45
    min_coverage: float = 0.5


@dataclass(frozen=True)
class Passage:
    chunk_id: str
    title: str
    source: str
    kind: str
    heading: str
    text: str
    score: float
    article: str | None = None
    issued: date | None = None
    version_note: str | None = None


@dataclass
class Retrieval:
    passages: list[Passage]
    refused: bool
    exact: bool = False
    signals: dict[str, float] = field(default_factory=dict)


class IndexMismatchError(RuntimeError):
    def __init__(self, built_with: str, current: str) -> None:
        super().__init__(f"index built with {built_with}, asked with {current}")
        self.built_with = built_with
        self.current = current


class IndexEmptyError(RuntimeError):
    pass


@dataclass(frozen=True)
class _DocInfo:
    id: int
    title: str
    title_key: str
    source: str
    kind: str
    issued: date | None
    names: tuple[str, ...]
    superseded: bool
    has_versions: bool


class Retriever:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        vectors: VectorStore,
        keyword_dir: Path,
        embeddings: NamedEmbeddings,
        config: RetrievalConfig | None = None,
    ) -> None:
        self._sessions = session_factory
        self._vectors = vectors
        self._keyword_dir = keyword_dir
        self._embeddings = embeddings
        self.config = config or RetrievalConfig()
        self._lock = threading.Lock()
        self._version = -1
        self._keyword: KeywordIndex | None = None
        self._docs: dict[int, _DocInfo] = {}

    def search(self, question: str, k: int = 5) -> Retrieval:
        self._refresh()
        exact = self._exact_article(question)
        if exact:
            return Retrieval(passages=exact[:k], refused=False, exact=True)
        return self._hybrid(question, k)

    def section_of(self, chunk_id: str) -> list[Passage]:
        """The whole article or report section a passage belongs to (for 查看原文)."""
        self._refresh()
        with self._sessions() as session:
            chunk = kb.get_chunks(session=session, ids=[chunk_id]).get(chunk_id)
            if chunk is None:
                return []
            rows = kb.find_section_chunks(session=session, chunk=chunk)
            return [self._passage(row, 1.0) for row in rows]

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
                self._docs = _load_docs(session)
                keyword = KeywordIndex.load(self._keyword_dir)
                if keyword is None or keyword.version != version:
                    rows = (
                        (cid, f"{heading}\n{text}")
                        for cid, heading, text in kb.iter_chunk_texts(session=session)
                    )
                    keyword = KeywordIndex.build(rows, version=version)
                self._keyword = keyword
                self._version = version

    # -- exact lookup ----------------------------------------------------------------------------

    def _exact_article(self, question: str) -> list[Passage]:
        match = _ARTICLE_QUERY.search(question)
        if not match:
            return []
        number = parse_number(match.group(1))
        if number is None:
            return []
        rest = question[: match.start()] + " " + question[match.end() :]
        document = self._named_document(rest)
        if document is None:
            return []
        with self._sessions() as session:
            rows = kb.find_article_chunks(
                session=session, document_id=document.id, article_no=number
            )
            return [self._passage(row, 1.0) for row in rows]

    def _named_document(self, text: str) -> _DocInfo | None:
        compact = re.sub(r"[\s《》]", "", text)
        best: tuple[int, date, _DocInfo] | None = None
        for doc in self._docs.values():
            if doc.kind != REGULATION or doc.superseded:
                continue
            overlap = max((len(name) for name in doc.names if name in compact), default=0)
            if overlap == 0:
                matcher = SequenceMatcher(None, compact, doc.title_key, autojunk=False)
                longest = matcher.find_longest_match(0, len(compact), 0, len(doc.title_key)).size
                overlap = longest if longest >= MIN_NAME_OVERLAP else 0
            if overlap:
                key = (overlap, doc.issued or date.min, doc)
                if best is None or key[:2] > best[:2]:
                    best = key
        return best[2] if best else None

    # -- hybrid search ---------------------------------------------------------------------------

    def _hybrid(self, question: str, k: int) -> Retrieval:
        cfg = self.config
        query_vector = self._embeddings.embed_query(question)
        dense = self._vectors.query(query_vector, cfg.candidates)
        tokens = tokenize(question)
        assert self._keyword is not None
        sparse = self._keyword.search(expand_query(tokens), cfg.candidates)

        fused = fuse_scores(
            {h.id: h.similarity for h in dense}, dict(sparse), dense_weight=cfg.dense_weight
        )
        similarity = {h.id: h.similarity for h in dense}

        with self._sessions() as session:
            rows = kb.get_chunks(session=session, ids=fused)
            ranked_ids = sorted(
                (cid for cid, row in rows.items() if not self._docs[row.document_id].superseded),
                key=lambda cid: -fused[cid],
            )
            passages = [self._passage(rows[cid], fused[cid]) for cid in ranked_ids[:k]]

        live_similarity = [similarity[cid] for cid in ranked_ids if cid in similarity]
        top_dense = max(live_similarity, default=0.0)
        coverage = self._coverage(tokens, passages)
        refused = not passages or self._should_refuse(top_dense, coverage)
        signals = {"dense": round(top_dense, 4), "coverage": round(coverage, 4)}
        return Retrieval(passages=[] if refused else passages, refused=refused, signals=signals)

    def _should_refuse(self, top_dense: float, coverage: float) -> bool:
        cfg = self.config
        if top_dense < cfg.dense_floor:
            return True
        return top_dense < cfg.dense_confident and coverage < cfg.min_coverage

    def _coverage(self, tokens: Sequence[str], passages: Sequence[Passage]) -> float:
        """Share of the question's information (IDF-weighted words) found in one passage."""
        assert self._keyword is not None
        words = set(tokens)
        if not words or not passages:
            return 0.0
        weights = {w: self._keyword.idf(w) for w in words}
        total = sum(weights.values()) or 1.0
        best = 0.0
        for passage in passages:
            haystack = passage.heading + passage.text
            found = sum(
                weight
                for word, weight in weights.items()
                if any(form in haystack for form in (word, *SYNONYMS.get(word, ())))
            )
            best = max(best, found / total)
        return best

    def _passage(self, row: KnowledgeChunk, score: float) -> Passage:
        doc = self._docs.get(row.document_id)
        note = None
        if doc is not None and doc.has_versions and doc.issued is not None:
            note = f"{doc.issued.year}年版"
        return Passage(
            chunk_id=row.id,
            title=row.document.title,
            source=row.document.source,
            kind=row.document.kind,
            heading=row.heading,
            text=row.text,
            score=round(score, 4),
            article=row.article,
            issued=row.document.issued,
            version_note=note,
        )


def fuse_scores(
    dense: dict[str, float], sparse: dict[str, float], *, dense_weight: float
) -> dict[str, float]:
    """Convex combination of min-max normalised scores (Bruch et al., 2023).

    Unlike reciprocal rank fusion it keeps how far ahead a hit is: a BM25 score twice the
    runner-up's counts for more than one rank. Measured on the dev set, see bench/README.md.
    """
    fused: dict[str, float] = {}
    for scores, weight in ((dense, dense_weight), (sparse, 1.0 - dense_weight)):
        if not scores:
            continue
        low, high = min(scores.values()), max(scores.values())
        span = (high - low) or 1.0
        for chunk_id, score in scores.items():
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight * (score - low) / span
    return fused


def _load_docs(session: Session) -> dict[int, _DocInfo]:
    documents = kb.list_documents(session=session)
    newest: dict[str, date] = {}
    counts: dict[str, int] = {}
    for doc in documents:
        counts[doc.title_key] = counts.get(doc.title_key, 0) + 1
        if doc.issued and (doc.title_key not in newest or doc.issued > newest[doc.title_key]):
            newest[doc.title_key] = doc.issued
    infos = {}
    for doc in documents:
        latest = newest.get(doc.title_key)
        superseded = bool(doc.issued and latest and doc.issued < latest)
        infos[doc.id] = _DocInfo(
            id=doc.id,
            title=doc.title,
            title_key=doc.title_key,
            source=doc.source,
            kind=doc.kind,
            issued=doc.issued,
            names=tuple(short_names(doc.title)),
            superseded=superseded,
            has_versions=counts[doc.title_key] > 1,
        )
    return infos
