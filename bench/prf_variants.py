"""Pseudo-relevance feedback variants for the quoted order, over one index built once.

    .venv/bin/python -m bench.prf_variants --data DIR [--only NAME,...]

Every question of the dev sets and of the fresh sets but w and v is asked through the Q&A
service once per variant (`bot.qa.feedback.Feedback`, switched on the retriever), over the eval
corpus ingested once under DIR. Printed per variant: Recall@1 / Recall@5 / MRR per looked-at set
and, as aggregates only, per reported set (held halves, z), then the first places summed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    FRESH_QA,
    QA_DEV,
    QA_DEV2,
    QA_DEV3,
    copy_eval_corpus,
    half,
    load_questions,
    open_knowledge_base,
    score,
)
from bot.index.embeddings import make_embeddings
from bot.qa.feedback import Feedback
from bot.qa.rerank import Reranker
from bot.qa.retriever import Retriever
from bot.qa.service import QAService


def replace_sure(feedback: Feedback, sure: float) -> Feedback:
    return dataclasses.replace(feedback, sure=sure)


REPORTED = ("dev3 held", "dev2 held", "fresh z", "fresh t")
VARIANTS: dict[str, Feedback] = {
    "none": Feedback(),
    "rocchio3 b0.3": Feedback(depth=3, dense=0.3),
    "rocchio3 b0.6": Feedback(depth=3, dense=0.6),
    "rocchio5 b0.5": Feedback(depth=5, dense=0.5),
    "rocchio3 b0.5 list0.2": Feedback(depth=3, dense=0.5, dense_list=0.2),
    "rocchio3 b0.5 rr": Feedback(depth=3, dense=0.5, reranked=True),
    "rocchio3 b0.5 sim": Feedback(depth=3, dense=0.5, similarity=True),
    "rm3 k3 t5 w0.3": Feedback(depth=3, terms=5, term_weight=0.3),
    "rm3 k3 t10 w0.2": Feedback(depth=3, terms=10, term_weight=0.2),
    "rm3 k5 t10 w0.3 rr": Feedback(depth=5, terms=10, term_weight=0.3, reranked=True),
    "pool rocchio3 b0.5": Feedback(depth=3, dense=0.5, pool=True),
    "both k3 b0.3 t5 w0.2": Feedback(depth=3, dense=0.3, terms=5, term_weight=0.2),
    "pool rm3 k3 t10 w0.2": Feedback(depth=3, terms=10, term_weight=0.2, pool=True),
    "pool rocchio3 b1.0": Feedback(depth=3, dense=1.0, pool=True),
    "pool both k3 b1.0 t10 w0.3": Feedback(
        depth=3, dense=1.0, terms=10, term_weight=0.3, pool=True
    ),
    "pool rocchio5 b1.0 rr": Feedback(depth=5, dense=1.0, pool=True, reranked=True),
    **{
        f"sure{c} {n}": replace_sure(v, c)
        for c in (0.3, 0.5, 0.7)
        for n, v in (
            ("rm3", Feedback(depth=3, terms=10, term_weight=0.2)),
            ("list", Feedback(depth=3, dense=0.5, dense_list=0.2)),
            ("rocchio", Feedback(depth=3, dense=0.5)),
        )
    },
    **{
        f"list k{k} b{b} w{w}": Feedback(depth=k, dense=b, dense_list=w)
        for k in (3, 5)
        for b in (0.3, 0.5, 1.0)
        for w in (0.1, 0.2, 0.3)
    },
    **{
        f"rm3 k{k} t{t} w{w}": Feedback(depth=k, terms=t, term_weight=w)
        for k in (3, 5)
        for t in (5, 10, 20)
        for w in (0.1, 0.2, 0.3)
    },
    **{
        f"centroid k{k} g{g} n{n}": Feedback(depth=k, centroid=g, reorder=n)
        for k in (2, 3, 5)
        for g in (2.0, 5.0, 10.0, 20.0)
        for n in (5, 10)
    },
}


def cached_queries(retriever: Retriever, stored: Path) -> Callable[[], None]:
    """Every question's query vectors kept in `stored` between runs and variants (embedding
    is most of a search's time); returns what writes them back."""
    embeddings = retriever._embeddings
    embed = embeddings.embed_query
    cache: dict[str, list[float]] = json.loads(stored.read_text()) if stored.is_file() else {}

    def cached(text: str) -> list[float]:
        if text not in cache:
            cache[text] = embed(text)
        return cache[text]

    def save() -> None:
        stored.write_text(json.dumps(cache))

    embeddings.embed_query = cached  # type: ignore[method-assign]
    return save


def question_sets() -> dict[str, list[dict]]:
    sets: dict[str, list[dict]] = {}
    for name, path in (("dev3", QA_DEV3), ("dev2", QA_DEV2)):
        rows = load_questions(path)
        for part in ("tune", "held"):
            sets[f"{name} {part}"] = [r for r in rows if half(r["id"]) == part]
    sets["dev"] = load_questions(QA_DEV)
    fresh = load_questions(FRESH_QA)
    for prefix in sorted({r["id"][0] for r in fresh} - {"w", "v"}):
        sets[f"fresh {prefix}"] = [r for r in fresh if r["id"][0] == prefix]
    return sets


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--only", default="", help="variant names, comma-separated")
    parser.add_argument("--weights", type=Path, help="the re-ranker's weights (a fit's file)")
    args = parser.parse_args()
    folder = copy_eval_corpus(args.data / "knowledge")
    kbase = open_knowledge_base(folder, args.data, make_embeddings("e5-small", threads=2))
    kbase.ingestor.ingest()
    service = QAService(kbase.retriever)
    if args.weights is not None:
        kbase.retriever.reranker = Reranker.packaged(args.weights)
    save = cached_queries(kbase.retriever, args.data / "query_vectors.json")
    sets = question_sets()
    chosen = [n for n in args.only.split(",") if n] or list(VARIANTS)
    for name in chosen:
        kbase.retriever.feedback = VARIANTS[name]
        start = time.perf_counter()
        firsts = {"looked-at": 0, "reported": 0}
        fives = {"looked-at": 0, "reported": 0}
        lines = []
        for set_name, rows in sets.items():
            results = []
            for row in rows:
                answer = service.ask(row["question"])
                results.append((answer.refused, [(p.text, p.source) for p in answer.sources]))
            s = score(rows, results)
            group = "reported" if set_name in REPORTED else "looked-at"
            firsts[group] += round(s["recall@1"] * s["answerable"])
            fives[group] += round(s["recall@5"] * s["answerable"])
            lines.append(
                f"  {set_name:10} R@1 {s['recall@1']:.3f} R@5 {s['recall@5']:.3f} "
                f"MRR {s['mrr']:.3f} ({s['answerable']})"
            )
        took = time.perf_counter() - start
        print(
            f"{name}: first looked-at {firsts['looked-at']} reported {firsts['reported']} | "
            f"top5 looked-at {fives['looked-at']} reported {fives['reported']} ({took:.0f} s)"
        )
        print("\n".join(lines), flush=True)
        save()


if __name__ == "__main__":
    main()
