"""Where the right passage sits in each list, for the misses of looked-at sets.

    .venv/bin/python -m bench.miss_lists --set h [--all] [--dump FILE]
    .venv/bin/python -m bench.miss_lists --set dev3,dev2,dev,fhmsuyxrpq

--set: fresh letters (looked-at only), and dev3 / dev2 (their tuning halves) and dev, comma-
separated.
For every answerable question of the set whose right passage is not quoted first: the
question, the expected phrase, the five passages quoted, and the right passage's rank in the
dense list (the adapted, regulation-word query), the jieba BM25 list (the subject search),
the character n-gram list, the fused order and the re-ranked order (None: not in that list).
Only looked-at sets (bench.common.LOOKED_AT_FRESH_QA_SETS) may be printed: the report sets'
questions are never read one by one.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bench.common import (
    FRESH_QA,
    LOOKED_AT_FRESH_QA_SETS,
    QA_DEV,
    QA_DEV2,
    QA_DEV3,
    copy_eval_corpus,
    half,
    hit,
    load_questions,
    open_knowledge_base,
)
from bot import messages
from bot.index.embeddings import make_embeddings
from bot.qa.retriever import Retriever
from bot.qa.service import QAService


def instrument(retriever: Retriever, trace: dict[str, Any]) -> None:
    """Record the three lists, the fused order and the re-ranked order of each search."""
    fuse = retriever._fuse
    rank = retriever.reranker.rank

    def traced_fuse(similarity, keyword, text, weight, within=None):
        assert retriever._ngram is not None
        grams = dict(retriever._ngram.search(text, retriever.config.candidates, within=within))
        out = fuse(similarity, keyword, text, weight, within)
        trace.update(dense=similarity, keyword=keyword, grams=grams, fused=out)
        return out

    def traced_rank(terms, candidates):
        out = rank(terms, candidates)
        trace["ranked"] = [c.chunk_id for c, _ in out]
        return out

    retriever._fuse = traced_fuse  # type: ignore[method-assign]
    object.__setattr__(retriever.reranker, "rank", traced_rank)


def order(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda c: -scores[c])


def position(ids: list[str], right: set[str]) -> int | None:
    return next((i for i, c in enumerate(ids, 1) if c in right), None)


def tuning_rows(names: str) -> list[dict]:
    """The answerable rows of the sets named: dev3 / dev2 their tuning halves, fresh letters."""
    rows: list[dict] = []
    for name in names.split(","):
        if name in ("dev3", "dev2"):
            path = QA_DEV3 if name == "dev3" else QA_DEV2
            rows += [r for r in load_questions(path) if half(r["id"]) == "tune"]
        elif name == "dev":
            rows += load_questions(QA_DEV)
        elif name and all(s in LOOKED_AT_FRESH_QA_SETS for s in name):
            rows += [r for r in load_questions(FRESH_QA) if r["id"][0] in name]
        else:
            raise SystemExit("only looked-at sets may be read one by one")
    return [r for r in rows if r["kind"] != "refuse"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default="h")
    parser.add_argument("--all", action="store_true", help="every answerable row, not misses")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    rows = tuning_rows(args.set)
    out = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        kbase = open_knowledge_base(
            copy_eval_corpus(tmp / "knowledge"), tmp / "p", make_embeddings("e5-small")
        )
        kbase.ingestor.ingest()
        retriever = kbase.retriever
        service = QAService(retriever)
        service.ask("党费")  # builds the indexes
        with retriever._sessions() as session:
            from bot.db import knowledge as kb

            texts = {cid: (h, t) for cid, h, t in kb.iter_chunk_texts(session=session)}
            places = {
                cid: (row.document_id, row.article_no)
                for cid, row in kb.get_chunk_rows(session=session, ids=texts).items()
            }
        trace: dict[str, Any] = {}
        instrument(retriever, trace)
        for row in rows:
            trace.clear()
            answer = service.ask(row["question"])
            right = {c for c, (_, t) in texts.items() if hit(t, "", row["expect"])}
            quoted = [(p.text, p.source) for p in answer.sources]
            first = next(
                (i for i, (t, _) in enumerate(quoted[:5], 1) if hit(t, "", row["expect"])), None
            )
            if first == 1 and not args.all:
                continue

            record = {
                "id": row["id"],
                "question": row["question"],
                "expect": [e["contains"] for e in row["expect"]],
                "right_heading": [texts[c][0] for c in sorted(right)][:2],
                "quoted_rank": first,
                "refused": answer.refused,
                "low": answer.text.startswith(messages.ANSWER_LOW_HEADERS),
                "quoted": [f"{t[:70]} [{s}]" for t, s in quoted[:5]],
                "quoted_heading": [texts.get(p.chunk_id, ("", ""))[0] for p in answer.sources[:5]],
                "right_place": sorted({places[c] for c in right}, key=str),
                "quoted_place": [places.get(p.chunk_id) for p in answer.sources[:5]],
                "dense": position(order(trace.get("dense", {})), right),
                "keyword": position(order(trace.get("keyword", {})), right),
                "grams": position(order(trace.get("grams", {})), right),
                "fused": position(order(trace.get("fused", {})), right),
                "reranked": position(trace.get("ranked", []), right),
            }
            out.append(record)
            print(json.dumps(record, ensure_ascii=False, indent=1))
    if args.dump:
        args.dump.write_text(json.dumps(out, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
