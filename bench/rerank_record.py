"""Record the re-ranker's inputs for every question, to try re-ranking variants offline.

    .venv/bin/python -m bench.rerank_record --out /tmp/rerank.pkl [--only dev3,dev2,dev,q,h,…]

For each semantic question (article look-ups bypass the re-ranker): its set label (dev3
tune / dev3 held / dev2 tune / dev2 held / dev / fresh letter), the fused candidates as the
re-ranker receives them, the question's terms, which candidates hold the expected phrase, and
the similarity of each candidate to the encoder's own vectors of the question as asked and of
its regulation-word form (before the query adapter). Fresh w and v are never asked. A replay
prints aggregates per set only; the report sets' rows are not to be read one by one.
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import (
    FRESH_QA,
    KEPT_UNSEEN,
    QA_DEV,
    QA_DEV2,
    QA_DEV3,
    copy_eval_corpus,
    half,
    hit,
    load_questions,
    open_knowledge_base,
)
from bot.index.embeddings import make_embeddings
from bot.qa.service import QAService


def label(source: str, row: dict) -> str:
    if source in ("dev3", "dev2"):
        return f"{source} {half(row['id'])}"
    return source if source == "dev" else row["id"][0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", default="dev3,dev2,dev,q,p,r,x,y,u,s,m,h,z,t,n,k,j")
    args = parser.parse_args()
    only = set(args.only.split(","))
    rows: list[tuple[str, dict]] = []
    for source, path in (("dev3", QA_DEV3), ("dev2", QA_DEV2), ("dev", QA_DEV)):
        if source in only:
            rows += [(label(source, r), r) for r in load_questions(path)]
    rows += [
        (r["id"][0], r)
        for r in load_questions(FRESH_QA)
        if r["id"][0] in only and r["id"][0] not in KEPT_UNSEEN
    ]
    rows = [(name, r) for name, r in rows if r["kind"] == "semantic"]
    records: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        embeddings = make_embeddings("e5-small")
        kbase = open_knowledge_base(copy_eval_corpus(tmp / "knowledge"), tmp / "p", embeddings)
        kbase.ingestor.ingest()
        retriever = kbase.retriever
        service = QAService(retriever)
        service.ask("党费")
        collection = retriever._vectors._collection
        trace: dict[str, Any] = {}
        rank = retriever.reranker.rank

        def traced_rank(terms, candidates):
            trace.update(terms=terms, candidates=list(candidates))
            return rank(terms, candidates)

        object.__setattr__(retriever.reranker, "rank", traced_rank)
        for name_, row in rows:
            trace.clear()
            answer = service.ask(row["question"])
            if "candidates" not in trace:
                continue
            candidates = trace["candidates"]
            ids = [c.chunk_id for c in candidates]
            got = collection.get(ids=ids, include=["embeddings"])
            vectors = dict(zip(got["ids"], np.asarray(got["embeddings"]), strict=True))
            text = retriever._fixer.fix(row["question"])
            formal = retriever.vocabulary.formal_text(text)
            asked, plain = embeddings.embed_queries([text, formal])
            sims = {
                key: {c: float(np.dot(vectors[c], np.asarray(v))) for c in ids}
                for key, v in (("asked", asked), ("plain", plain))
            }
            quoted = [p.text for p in answer.sources[:5]]
            records.append(
                {
                    "set": name_,
                    "id": row["id"],
                    "terms": trace["terms"],
                    "candidates": candidates,
                    "right": [hit(c.text, "", row["expect"]) for c in candidates],
                    "sims": sims,
                    "quoted_first": bool(quoted) and hit(quoted[0], "", row["expect"]),
                    "refused": answer.refused,
                }
            )
    args.out.write_bytes(pickle.dumps(records))
    print(len(records), "records")


if __name__ == "__main__":
    main()
