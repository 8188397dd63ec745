"""Of two sibling articles, the one with the sentence nearest the question first.

The re-ranker compares whole articles. Where its first two candidates are articles of one
document, the first is often the longer sibling whose averaged vector sits nearer the
question, while the second holds the one sentence that states what was asked (够不上犯罪 →
不构成犯罪但须追究; 到会人数够不够 → 实际到会…必须超过). Each article's best sentence is compared
with the question's (adapted) vector; the second goes first when its best sentence is nearer by
more than MARGIN. Fitted on the tuning sets, offline (docs/retrieval-tried.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from bot.qa.rerank import Candidate

MARGIN = 0.02
Ranked = list[tuple[Candidate, float | None]]


def sentence_first(
    ranked: Ranked,
    query: Sequence[float],
    document_of: Callable[[str], int],
    sentence_vectors: Callable[[Sequence[str]], Mapping[str, np.ndarray]],
) -> Ranked:
    """The re-ranked candidates (with their chances), the first two swapped or not."""
    if len(ranked) < 2:
        return ranked
    first, second = ranked[0][0].chunk_id, ranked[1][0].chunk_id
    if document_of(first) != document_of(second):
        return ranked
    vectors = sentence_vectors([first, second])
    if first not in vectors or second not in vectors:
        return ranked  # an index built before sentence vectors: the order stands
    asked = np.asarray(query, dtype=np.float32)
    best = {cid: float(np.max(vectors[cid] @ asked)) for cid in (first, second)}
    if best[second] - best[first] > MARGIN:
        return [ranked[1], ranked[0], *ranked[2:]]
    return ranked
