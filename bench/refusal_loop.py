"""A quick loop for the evidence check: the index built once (kept under --data), the dev sets'
figures per half, and on the TUNING half only, the out-of-corpus questions answered
confidently (with the passage quoted) and the answerable questions refused.

    .venv/bin/python -m bench.refusal_loop [--data /tmp/partybot-refusal] [--held]

The held half's figures are printed with --held, never its questions.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.common import (
    QA_DEV2,
    QA_DEV3,
    copy_eval_corpus,
    half,
    hit,
    load_questions,
    open_knowledge_base,
)
from bench.retrieval_quality import Result, report
from bot import messages
from bot.index.embeddings import make_embeddings
from bot.qa.answer import Answer
from bot.qa.retriever import Retriever
from bot.qa.service import QAService


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/tmp/partybot-refusal"))
    parser.add_argument("--held", action="store_true", help="also the held halves' figures")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument(
        "--dump", type=Path, help="write each tuning question's signals and passages (JSON lines)"
    )
    args = parser.parse_args()
    folder = args.data / "knowledge"
    if not folder.exists():
        copy_eval_corpus(folder)
    kbase = open_knowledge_base(folder, args.data / "p", make_embeddings("e5-small", threads=2))
    kbase.ingestor.ingest()
    service = QAService(kbase.retriever)
    halves = ("tune", "held") if args.held else ("tune",)
    dumped: list[str] = []
    for path in (QA_DEV3, QA_DEV2):
        rows = [r for r in load_questions(path) if half(r["id"]) in halves]
        answers = [service.ask(r["question"]) for r in rows]
        results: list[Result] = [
            (a.refused, [(p.text, p.source) for p in a.sources], a.text) for a in answers
        ]
        for name in halves:
            chosen = [(r, x) for r, x in zip(rows, results, strict=True) if half(r["id"]) == name]
            report(
                f"{path.stem} {name}", "partybot", [r for r, _ in chosen], [x for _, x in chosen]
            )
        if args.dump:
            dumped += [
                json.dumps(_dumped(kbase.retriever, row, answer), ensure_ascii=False)
                for row, answer in zip(rows, answers, strict=True)
                if half(row["id"]) == "tune"
            ]
        if args.quiet:
            continue
        for row, answer in zip(rows, answers, strict=True):
            if half(row["id"]) != "tune":
                continue
            confident = not answer.refused and not answer.text.startswith(
                messages.ANSWER_LOW_HEADER
            )
            if row["kind"] == "refuse" and confident:
                top = answer.sources[0].text[:90].replace("\n", " ") if answer.sources else ""
                print(f"  CONFIDENT {row['id']} {row['question']}\n      -> {top}")
            elif row["kind"] != "refuse" and answer.refused:
                print(f"  REFUSED   {row['id']} {row['question']}\n      -> {answer.text[:80]}")
    if args.dump:
        args.dump.write_text("".join(line + "\n" for line in dumped), encoding="utf-8")


def _dumped(retriever: Retriever, row: dict, answer: Answer) -> dict[str, object]:
    """A tuning question's decision, with what it was decided on: the evidence check can be
    replayed on the passages without searching again."""
    retrieval = retriever.search(row["question"])
    return {
        "id": row["id"],
        "kind": row["kind"],
        "question": row["question"],
        "searched": retriever._fixer.fix(retriever._abbreviations.expand(row["question"])),
        "refused": answer.refused,
        "confidence": answer.confidence,
        "text": answer.text[:120],
        "exact": retrieval.exact,
        "signals": retrieval.signals,
        "verdict": [retrieval.verdict.concept, retrieval.verdict.missing, retrieval.verdict.fact],
        "passages": [(p.title, p.heading + p.text) for p in retrieval.found],
        "ranks": [hit(p.text, p.source, row["expect"]) for p in retrieval.found],
    }


if __name__ == "__main__":
    main()
