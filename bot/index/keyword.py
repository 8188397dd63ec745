"""BM25 over jieba tokens (bm25s), saved under the data directory with the index version."""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.index.tokenize import terms_fingerprint, tokenize

_META_FILE = "partybot.json"


def _bm25s() -> Any:
    import bm25s

    # bm25s pins its logger to DEBUG on import; hand the level back to the app's logging config.
    logging.getLogger("bm25s").setLevel(logging.NOTSET)
    return bm25s


@dataclass
class KeywordIndex:
    version: int
    ids: list[str]
    document_frequency: dict[str, int]
    _bm25: object | None
    terms: str = ""  # the tokenizer's term list it was built with

    def current(self, version: int) -> bool:
        return self.version == version and self.terms == terms_fingerprint()

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str]], *, version: int) -> KeywordIndex:
        """rows: (chunk id, text to index)."""
        bm25s = _bm25s()
        ids: list[str] = []
        corpus: list[list[str]] = []
        frequency: Counter[str] = Counter()
        for chunk_id, text in rows:
            tokens = tokenize(text)
            ids.append(chunk_id)
            corpus.append(tokens)
            frequency.update(set(tokens))
        bm25 = None
        if corpus:
            bm25 = bm25s.BM25()
            bm25.index(corpus, show_progress=False)
        return cls(
            version=version,
            ids=ids,
            document_frequency=dict(frequency),
            _bm25=bm25,
            terms=terms_fingerprint(),
        )

    def save(self, directory: Path) -> None:
        """Write to a sibling folder, then swap it in, so a crash never leaves half an index."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = directory.with_name(directory.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        if self._bm25 is not None:
            self._bm25.save(str(staging), show_progress=False)  # type: ignore[attr-defined]
        meta = {
            "version": self.version,
            "ids": self.ids,
            "df": self.document_frequency,
            "terms": self.terms,
        }
        (staging / _META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        staging.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        meta_path = directory / _META_FILE
        if not meta_path.is_file():
            return None
        bm25s = _bm25s()
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        bm25 = None
        if meta["ids"]:
            bm25 = bm25s.BM25.load(str(directory), show_progress=False)
        return cls(
            version=int(meta["version"]),
            ids=meta["ids"],
            document_frequency=meta["df"],
            _bm25=bm25,
            terms=meta.get("terms", ""),
        )

    def search(
        self, tokens: list[str], k: int, *, within: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """The best `k` chunks for `tokens`, best first; only chunks of `within` when given
        (the chunks of one document a question names)."""
        if self._bm25 is None:
            return []
        known = [t for t in tokens if t in self.document_frequency]
        return best_scored(self._bm25, self.ids, known, k, within)

    def idf(self, token: str) -> float:
        n = len(self.ids)
        df = self.document_frequency.get(token, 0)
        return math.log((n - df + 0.5) / (df + 0.5) + 1.0)


def best_scored(
    bm25: Any,
    ids: list[str],
    known: list[str],
    k: int,
    within: Collection[str] | None = None,
) -> list[tuple[str, float]]:
    """The `k` of `ids` scoring best by `bm25` over `known` (tokens its vocabulary holds), best
    first, none scoring 0; only those in `within` when given."""
    if not known or not ids:
        return []
    scores = bm25.get_scores(known)
    if within is not None:
        allowed = within if isinstance(within, set | frozenset) else set(within)
        scores = np.where([i in allowed for i in ids], scores, 0.0)
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top])]
    return [(ids[i], float(scores[i])) for i in top if scores[i] > 0]
