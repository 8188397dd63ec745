"""Re-ranking of the fused candidates by a small linear model over signals already computed.

Fusion weighs the dense and keyword scores the same for every question; which of the first
candidates answers is also told by where the question's words sit (in the article's heading
path — document, chapter, article — or only in its body), whether it carries the question's
focal concept, and whether it states the kind of fact asked (how often, how long, who decides).
A linear score over these is fitted listwise (softmax over each question's candidates) on the
tuning halves of the dev sets by `bench.fit_rerank`; the weights ship as data. Without weights
the fused order stands.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.fact_kinds import kind_named
from bot.qa.vocabulary import Vocabulary

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "rerank.json"
FEATURES = (
    "fused",
    "dense",
    "dense_listed",
    "keyword",
    "fused_rank",
    "dense_rank",
    "keyword_rank",
    "coverage",
    "heading_coverage",
    "body_coverage",
    "focal",
    "fact",
    "fact_missing",
    "length",
    "enumerates",
    "list_asked_enumerates",
)
# a question for a list of kinds, cases or steps (有哪几种, 分几档, 哪些情形, 流程) is answered
# by the article that enumerates them
ASKS_FOR_LIST = re.compile(r"哪几|几种|几类|几档|分几|哪些|几个阶段|几步|流程|程序|步骤")
_ITEM = re.compile(r"（[一二三四五六七八九十]+）|(?:^|\n)\s*\d+[.．、]|[；;]")


@dataclass(frozen=True)
class Candidate:
    """One fused candidate, with what its re-ranking weighs."""

    chunk_id: str
    heading: str
    text: str
    fused: float  # rescaled to [0, 1] for this question
    similarity: float | None  # dense cosine similarity, None when the dense list missed it
    keyword: float | None  # BM25 score, None when the keyword list missed it


@dataclass(frozen=True)
class QuestionTerms:
    """What of the question the candidates are compared on."""

    weights: Mapping[str, float]  # question word -> IDF
    synonyms: Mapping[str, Sequence[str]]
    focal: Sequence[str]  # the focal concept's forms (empty when none in the knowledge base)
    fact: re.Pattern[str] | None  # how the kind of fact asked reads in a passage, or None
    lists: bool = False  # the question asks for a list (ASKS_FOR_LIST)


def question_terms(
    question: str, idf: Mapping[str, float], vocabulary: Vocabulary, knowledge: KnowledgeText
) -> QuestionTerms:
    """idf: the question's words (and the regulation words for them) with their IDF."""
    focal = next(
        (c for c in concepts(question, vocabulary, knowledge) if c.in_knowledge_base), None
    )
    fact = kind_named(question)
    return QuestionTerms(
        weights=idf,
        synonyms=vocabulary.synonyms,
        focal=focal.forms if focal is not None else (),
        fact=fact.stated if fact is not None else None,
        lists=bool(ASKS_FOR_LIST.search(question)),
    )


def features(terms: QuestionTerms, candidates: Sequence[Candidate]) -> list[list[float]]:
    """One row of FEATURES per candidate, in the candidates' (fused) order."""
    similarities = [c.similarity for c in candidates if c.similarity is not None]
    best_dense = max(similarities, default=0.0)
    floor = min(similarities, default=0.0)
    keywords = [c.keyword for c in candidates if c.keyword is not None]
    best_keyword = max(keywords, default=0.0) or 1.0
    dense_order = _ranks([c.similarity for c in candidates])
    keyword_order = _ranks([c.keyword for c in candidates])
    total = sum(terms.weights.values()) or 1.0
    rows = []
    for position, c in enumerate(candidates):
        body = c.text
        head = c.heading
        in_head = _share(terms, head) / total
        in_body = _share(terms, body) / total
        whole = _share(terms, head + body) / total
        fact = terms.fact
        stated = bool(fact is not None and fact.search(body))
        enumerates = len(_ITEM.findall(body)) >= 2
        rows.append(
            [
                c.fused,
                (c.similarity if c.similarity is not None else floor) - best_dense,
                float(c.similarity is not None),
                (c.keyword or 0.0) / best_keyword,
                1.0 / (1 + position),
                1.0 / (1 + dense_order[position]) if c.similarity is not None else 0.0,
                1.0 / (1 + keyword_order[position]) if c.keyword is not None else 0.0,
                whole,
                in_head,
                in_body,
                float(bool(terms.focal) and any(f in head + body for f in terms.focal)),
                float(stated),
                float(fact is not None and not stated),
                math.log1p(len(body)) / 7.0,
                float(enumerates),
                float(enumerates and terms.lists),
            ]
        )
    return rows


def weighted_share(
    weights: Mapping[str, float], synonyms: Mapping[str, Sequence[str]], text: str
) -> float:
    """The weight of the words `text` carries, each as written or as one of its synonyms."""
    return sum(
        weight
        for word, weight in weights.items()
        if any(form in text for form in (word, *synonyms.get(word, ())))
    )


def _share(terms: QuestionTerms, text: str) -> float:
    return weighted_share(terms.weights, terms.synonyms, text)


def _ranks(scores: Sequence[float | None]) -> list[int]:
    """Each score's rank among the present ones, best first (absent ones rank last)."""
    present = [-math.inf if s is None else s for s in scores]
    order = sorted(range(len(present)), key=lambda i: -present[i])
    ranks = [0] * len(scores)
    for rank, index in enumerate(order):
        ranks[index] = rank
    return ranks


@dataclass(frozen=True)
class Reranker:
    weights: tuple[float, ...] = ()
    depth: int = 20  # how many of the fused candidates are re-ranked

    @classmethod
    def packaged(cls, path: Path = WEIGHTS_FILE) -> Reranker:
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data.get("features", ())) != FEATURES:
            return cls()  # fitted on other signals: the fused order is safer than a misfit
        return cls(tuple(float(w) for w in data["weights"]), int(data.get("depth", 20)))

    def order(self, terms: QuestionTerms, candidates: Sequence[Candidate]) -> list[Candidate]:
        """The candidates best first: the first `depth` re-scored, the rest as fused."""
        return [candidate for candidate, _ in self.rank(terms, candidates)]

    def rank(
        self, terms: QuestionTerms, candidates: Sequence[Candidate]
    ) -> list[tuple[Candidate, float | None]]:
        """As `order`, each with the model's chance that it is the passage asked for among
        those re-scored (the softmax it was fitted with; 0 for the rest), or None unranked."""
        if not self.weights or len(candidates) < 2:
            return [(candidate, None) for candidate in candidates]
        head, tail = list(candidates[: self.depth]), list(candidates[self.depth :])
        scores = [
            sum(w * x for w, x in zip(self.weights, row, strict=True))
            for row in features(terms, head)
        ]
        top = max(scores)
        weights = [math.exp(score - top) for score in scores]
        total = sum(weights)
        # sorted() is stable: equal scores keep the fused order
        ranked: list[tuple[Candidate, float | None]] = [
            (head[i], round(weights[i] / total, 4))
            for i in sorted(range(len(head)), key=lambda i: -scores[i])
        ]
        return ranked + [(candidate, 0.0) for candidate in tail]
