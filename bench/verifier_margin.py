"""Each looked-at question's answer under a re-ranker's weights: refused, hedged or confident,
the check that lowered it, the verifier's chance beside its threshold and the first passage's
re-ranker chance — to see which out-of-corpus questions a change brings near the confident line.

    .venv/bin/python -m bench.verifier_margin WEIGHTS OUT.jsonl [--data DIR] [--groups "fresh h,dev"]
        [--refuse-only]

WEIGHTS is a re-ranker weights file (bot/data/rerank.json, or a refit's copy); run it twice
and compare the two JSONL files. `lowered_by` is the check that lowered a high tier
(AnswerConfidence.of: quoted, unstated, report, told, item, verifier); null on a hedged answer
means the gate's own tier was low. Only the looked-at groups (bench.refusal_loop's LOOKED_AT) are
asked: nothing of the reported sets is read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.common import copy_eval_corpus, hit, open_knowledge_base
from bench.refusal_loop import groups
from bot import messages
from bot.index.embeddings import make_embeddings
from bot.qa.confidence import AnswerConfidence
from bot.qa.rerank import Reranker
from bot.qa.service import QAService
from bot.qa.verifier import Verifier, verifier_signals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("weights", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=Path("/tmp/partybot-margin"))
    parser.add_argument("--groups", default="", help="comma-separated group names (default all)")
    parser.add_argument("--refuse-only", action="store_true", help="out-of-corpus questions only")
    args = parser.parse_args()
    chosen = {name for name in args.groups.split(",") if name}
    folder = args.data / "knowledge"
    if not folder.exists():
        copy_eval_corpus(folder)
    kbase = open_knowledge_base(folder, args.data / "p", make_embeddings("e5-small", threads=2))
    kbase.ingestor.ingest()
    retriever = kbase.retriever
    retriever.reranker = Reranker.packaged(args.weights)
    service = QAService(retriever)
    confidence = AnswerConfidence(retriever)
    verifier = Verifier.packaged(retriever.gate.embedder)
    lines = []
    for name, rows in groups(False).items():
        if chosen and name not in chosen:
            continue
        for row in rows:
            if args.refuse_only and row["kind"] != "refuse":
                continue
            answer = service.ask(row["question"])
            hedged = not answer.refused and answer.text.startswith(messages.ANSWER_LOW_HEADER)
            retrieval = retriever.search(row["question"])
            searched = bool(retrieval.passages) and not retrieval.refused
            lowered = confidence.of(row["question"], retrieval)[1] if searched else None
            chance = None
            if searched and retrieval.signals:
                signals = verifier_signals(
                    row["question"], retrieval, retriever.gate, retriever.knowledge
                )
                chance = verifier.probability(signals)
            first = answer.sources[0] if answer.sources else None
            lines.append(
                {
                    "group": name,
                    "id": row["id"],
                    "kind": row["kind"],
                    "question": row["question"],
                    "state": "refused" if answer.refused else "hedged" if hedged else "confident",
                    "lowered_by": lowered,
                    "verifier": chance,
                    "threshold": verifier.threshold,
                    "first_chance": retrieval.passages[0].chance if searched else None,
                    "first": f"{first.title} {first.heading}" if first else "",
                    "right": None
                    if row["kind"] == "refuse" or first is None
                    else hit(first.text, first.source, row["expect"]),
                }
            )
    args.out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))


if __name__ == "__main__":
    main()
