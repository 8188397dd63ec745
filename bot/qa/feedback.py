"""Pseudo-relevance feedback for the order that is quoted.

The first passages found are taken as right, and the search is asked again with what they say:
the dense query moved toward their vectors (Rocchio), or the keyword query given their most
telling words (RM3-style). A question told in everyday words then reaches passages that share
the regulations' words of the first ones found. Only the quoted order reads it; the refusal
decision reads the search of the question as asked, on which it was calibrated.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class Feedback:
    depth: int = 0  # how many of the first passages are read (0: no feedback)
    dense: float = 0.0  # Rocchio's β: the query plus β times the mean of their vectors
    dense_list: float = 0.0  # > 0: the moved query's list fused beside, at this weight
    terms: int = 0  # how many of their words are added to the keyword query
    term_weight: float = 0.3  # the added words' BM25 weight against the question's
    pool: bool = False  # only widen the re-ranker's pool: the fused scores stay
    reranked: bool = False  # the first passages of the re-ranked order, not the fused one
    similarity: bool = False  # the re-ranker reads the moved query's similarity
    sure: float = 0.0  # only when the re-ranker's first has at least this chance
    centroid: float = 0.0  # > 0: the re-ranked first `reorder` re-scored by closeness to
    reorder: int = 10  # the mean vector of the first `depth` (this weight, log-chance units)

    @property
    def active(self) -> bool:
        return self.depth > 0 and (self.dense > 0 or self.terms > 0)


def recentred(
    ranked: list[tuple[str, float | None]],
    vectors: Mapping[str, Sequence[float]],
    depth: int,
    reorder: int,
    weight: float,
) -> list[str]:
    """The first `reorder` ids of `ranked` (id, the re-ranker's chance) ordered by log chance
    plus `weight` times their cosine with the mean unit vector of the first `depth`."""
    head = ranked[:reorder]
    first = [_unit(vectors[c]) for c, _ in head[:depth] if c in vectors]
    if not first:
        return [c for c, _ in ranked]
    centre = _unit([sum(column) / len(first) for column in zip(*first, strict=True)])

    def score(item: tuple[str, float | None]) -> float:
        chance_id, chance = item
        vector = vectors.get(chance_id)
        close = sum(a * b for a, b in zip(_unit(vector), centre, strict=True)) if vector else 0.0
        return math.log(max(chance or 0.0, 1e-4)) + weight * close

    return [c for c, _ in sorted(head, key=lambda item: -score(item))] + [
        c for c, _ in ranked[reorder:]
    ]


def rocchio(query: Sequence[float], vectors: Iterable[Sequence[float]], beta: float) -> list[float]:
    """The query (unit length) plus β times the mean of the unit vectors, at unit length."""
    rows = [_unit(v) for v in vectors]
    moved = _unit(query)
    if rows and beta > 0:
        mean = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
        moved = [q + beta * m for q, m in zip(moved, mean, strict=True)]
    return _unit(moved)


def expansion_terms(
    passages: Iterable[list[str]],
    asked: Iterable[str],
    idf: Callable[[str], float],
    count: int,
    known: Mapping[str, int],
) -> list[str]:
    """The `count` words weighing most in the passages (their share of each passage's words,
    summed, times IDF): words of two or more Chinese characters that at least two chunks use,
    not the question's own."""
    own = set(asked)
    weight: dict[str, float] = {}
    for tokens in passages:
        if not tokens:
            continue
        for word, n in Counter(tokens).items():
            if word in own or len(word) < 2 or not _CJK.match(word) or known.get(word, 0) < 2:
                continue
            weight[word] = weight.get(word, 0.0) + n / len(tokens)
    ranked = sorted(weight, key=lambda w: -weight[w] * idf(w))
    return ranked[:count]


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]
