"""Every question's answer and the signals the answer verifier reads (bot/qa/verifier.py), for
fitting it on the looked-at data (bench.verifier_cv).

    .venv/bin/python -m bench.verifier_pool [--data /tmp/partybot-verifier] --out /tmp/verifier_pool.jsonl

Each question is asked once with the shipped gate and no verifier: the row keeps the outcome
("refused", "low", "high"), whether the gate alone would have answered confidently (before the
focus, predicate and fact checks of answer.tier and QAService._tier), whether the first passage
is right, and the signals. The held halves and the fresh sets not looked at are written
without their questions, for aggregate figures; fresh w and v are never asked.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.common import EXTRA_QA, copy_eval_corpus, hit, load_questions, open_knowledge_base
from bench.gate_pool import EXTRA, outcome_of
from bench.refusal_loop import LOOKED_AT, groups
from bot.index.embeddings import make_embeddings
from bot.qa.passages import Retrieval
from bot.qa.service import QAService
from bot.qa.verifier import Verifier, verifier_signals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/tmp/partybot-verifier"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", help="comma-separated groups (e.g. 'dev3 tune,fresh q')")
    args = parser.parse_args()
    folder = args.data / "knowledge"
    if not folder.exists():
        copy_eval_corpus(folder)
    embeddings = make_embeddings("e5-small", threads=2)
    kbase = open_knowledge_base(folder, args.data / "p", embeddings)
    kbase.ingestor.ingest()
    retriever = kbase.retriever
    # a verifier without weights confirms everything: the pool records the answers before it
    service = QAService(retriever, verifier=Verifier(embedder=embeddings.name))
    seen: list[Retrieval] = []
    searched = retriever.search

    def search(*a: Any, **k: Any) -> Retrieval:
        seen.append(searched(*a, **k))
        return seen[-1]

    retriever.search = search  # type: ignore[method-assign]
    pooled = groups(held=True)
    pooled[EXTRA] = [{**q, "id": f"extra-{n}"} for n, q in enumerate(load_questions(EXTRA_QA))]
    only = set(args.only.split(",")) if args.only else None
    lines = []
    for group, rows in pooled.items():
        if only is not None and group not in only:
            continue
        for row in rows:
            seen.clear()
            answer = service.ask(row["question"])
            retrieval = seen[-1] if seen else None
            usable = (
                retrieval is not None
                and not retrieval.exact
                and not retrieval.refused
                and bool(retrieval.passages)
                and bool(retrieval.signals)
            )
            signals: dict[str, float] = {}
            if usable:
                assert retrieval is not None
                signals = verifier_signals(
                    row["question"], retrieval, retriever.gate, retriever.knowledge
                )
            sources = answer.sources[:1]
            record = {
                "group": group,
                "answerable": row["kind"] != "refuse",
                "kind": row["kind"],
                "outcome": outcome_of(answer),
                "usable": usable,
                "gate_high": usable and retrieval is not None and retrieval.confidence == "high",
                "signals": signals,
                "first_right": bool(sources) and hit(sources[0].text, "", row["expect"]),
            }
            if group in LOOKED_AT or group == EXTRA:
                record |= {"id": row["id"], "question": row["question"]}
            lines.append(json.dumps(record, ensure_ascii=False))
        print(group, len(rows), flush=True)
    retriever.search = searched  # type: ignore[method-assign]
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


if __name__ == "__main__":
    main()
