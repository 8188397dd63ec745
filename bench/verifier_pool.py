"""Every question's answer and the signals the answer verifier reads (bot/qa/verifier.py), for
fitting it on the looked-at data (bench.verifier_cv).

    .venv/bin/python -m bench.verifier_pool [--data /tmp/partybot-verifier] --out /tmp/verifier_pool.jsonl

Each question is asked once with the shipped gate and no verifier: the row keeps the outcome
("refused", "low", "high"), whether the gate alone would have answered confidently (before the
focus, predicate and fact checks of bot/qa/confidence.py), whether the first passage
is right, and the signals. The held halves and the fresh sets not looked at are written
without their questions, for aggregate figures; fresh w and v are never asked.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.gate_pool import (
    indexed_eval_corpus,
    outcome_of,
    pool_line,
    pooled_questions,
    recorded_searches,
)
from bot.qa.service import QAService
from bot.qa.verifier import Verifier, verifier_signals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/tmp/partybot-verifier"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", help="comma-separated groups (e.g. 'dev3 tune,fresh q')")
    args = parser.parse_args()
    kbase = indexed_eval_corpus(args.data)
    retriever = kbase.retriever
    # a verifier without weights confirms everything: the pool records the answers before it
    service = QAService(retriever, verifier=Verifier(embedder=kbase.embeddings.name))
    seen = recorded_searches(retriever)
    pooled = pooled_questions()
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
            fields = {
                "outcome": outcome_of(answer),
                "usable": usable,
                "gate_high": usable and retrieval is not None and retrieval.confidence == "high",
                "signals": signals,
            }
            lines.append(pool_line(group, row, answer, fields))
        print(group, len(rows), flush=True)
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


if __name__ == "__main__":
    main()
