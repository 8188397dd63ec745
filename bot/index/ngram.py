"""BM25 over character n-grams (bm25s): a lexical match that does not depend on segmentation.

jieba cuts a phone-typed question differently from a regulation (村支书 / 支部书记, 积极分子,
a typo inside a compound): the two then share no word although they share characters. Overlapping
character bigrams (and, optionally, single characters) are the usual segmentation-free baseline
for Chinese retrieval. Runs of Latin letters and digits stay whole words.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.index.keyword import _bm25s, best_scored

# the share of the keyword weight of the fusion that goes to the n-gram list (the rest to jieba
# words), and whether single characters count beside bigrams: measured in docs/retrieval-tried.md
NGRAM_SHARE = 0.5
UNIGRAMS = True

_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def ngrams(text: str, *, unigrams: bool = UNIGRAMS) -> list[str]:
    """Character bigrams of each run of Chinese characters (and the characters themselves when
    `unigrams`, or when a run is one character long); Latin/digit runs as whole tokens."""
    out: list[str] = []
    for run in _RUN.findall(text.lower()):
        if not _CJK.match(run):
            out.append(run)
            continue
        if unigrams or len(run) == 1:
            out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass
class NgramIndex:
    ids: list[str]
    vocabulary: frozenset[str]
    unigrams: bool
    _bm25: object | None

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str]], *, unigrams: bool = UNIGRAMS) -> NgramIndex:
        """rows: (chunk id, text to index)."""
        from bm25s.tokenization import Tokenized

        ids: list[str] = []
        # each chunk's n-grams as ids of one vocabulary: lists of strings for every chunk took
        # the process 580 MiB up at 10,000 chunks, these 170 MiB (and build in 2.7 s, not 4)
        vocabulary: dict[str, int] = {}
        corpus: list[list[int]] = []
        for chunk_id, text in rows:
            ids.append(chunk_id)
            grams = ngrams(text, unigrams=unigrams)
            corpus.append([vocabulary.setdefault(g, len(vocabulary)) for g in grams])
        bm25 = None
        if corpus:
            bm25 = _bm25s().BM25()
            bm25.index(Tokenized(ids=corpus, vocab=vocabulary), show_progress=False)
        return cls(ids, frozenset(vocabulary), unigrams, bm25)

    def search(
        self, text: str, k: int, *, within: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """The best `k` chunks for `text` by BM25 over its n-grams, best first; only chunks of
        `within` when given."""
        if self._bm25 is None:
            return []
        known = [g for g in ngrams(text, unigrams=self.unigrams) if g in self.vocabulary]
        return best_scored(self._bm25, self.ids, known, k, within)
