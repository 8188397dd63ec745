"""A quick loop for the refusal decision: the index built once (kept under --data), every set's
figures in the bench's format (qa_dev3 and qa_dev2 per half, qa_dev, fresh q p r x y z), and
on the sets already looked at only, the out-of-corpus questions answered confidently (with the
passage quoted), the answerable questions refused and, with --low, those hedged.

    .venv/bin/python -m bench.refusal_loop [--data /tmp/partybot-refusal] [--held [--unseen]] [--low]

The held halves and the fresh sets not looked at are reported as aggregate lines only (with
--held), never their questions; fresh w and v, kept for final figures, only with --unseen.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.common import (
    FRESH_QA,
    FRESH_QA_SETS,
    KEPT_UNSEEN,
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
from bench.retrieval_quality import Result, report
from bot import messages
from bot.index.embeddings import make_embeddings
from bot.qa.answer import Answer
from bot.qa.retriever import Retriever
from bot.qa.service import QAService

# groups whose questions may be printed: tuning halves, qa_dev and the fresh sets looked at
LOOKED_AT = ("dev3 tune", "dev2 tune", "dev", *(f"fresh {s}" for s in LOOKED_AT_FRESH_QA_SETS))
# measured only for final figures, never while tuning


def groups(held: bool, unseen: bool = False) -> dict[str, list[dict]]:
    """The questions per reported group, in the bench's names."""
    out: dict[str, list[dict]] = {}
    for name, path in (("dev3", QA_DEV3), ("dev2", QA_DEV2)):
        rows = load_questions(path)
        for part in ("tune", "held") if held else ("tune",):
            out[f"{name} {part}"] = [r for r in rows if half(r["id"]) == part]
    out["dev"] = load_questions(QA_DEV)
    fresh = load_questions(FRESH_QA)
    for prefix in FRESH_QA_SETS if held else LOOKED_AT_FRESH_QA_SETS:
        if prefix in KEPT_UNSEEN and not unseen:
            continue
        out[f"fresh {prefix}"] = [r for r in fresh if r["id"][0] == prefix]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/tmp/partybot-refusal"))
    parser.add_argument(
        "--held", action="store_true", help="also the held halves' and unseen sets' figures"
    )
    parser.add_argument("--unseen", action="store_true", help="with --held, also fresh w and v")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument("--low", action="store_true", help="also list answerable questions hedged")
    parser.add_argument(
        "--dump", type=Path, help="write each looked-at question's signals and passages (JSONL)"
    )
    args = parser.parse_args()
    folder = args.data / "knowledge"
    if not folder.exists():
        copy_eval_corpus(folder)
    kbase = open_knowledge_base(folder, args.data / "p", make_embeddings("e5-small", threads=2))
    kbase.ingestor.ingest()
    service = QAService(kbase.retriever)
    dumped: list[str] = []
    for name, rows in groups(args.held, args.unseen).items():
        answers = [service.ask(r["question"]) for r in rows]
        results: list[Result] = [
            (a.refused, [(p.text, p.source) for p in a.sources], a.text) for a in answers
        ]
        report(name, "partybot", rows, results)
        if name not in LOOKED_AT:
            continue
        if args.dump:
            dumped += [
                json.dumps(_dumped(kbase.retriever, name, row, answer), ensure_ascii=False)
                for row, answer in zip(rows, answers, strict=True)
            ]
        if not args.quiet:
            _failures(rows, answers, low=args.low)
    if args.dump:
        args.dump.write_text("".join(line + "\n" for line in dumped), encoding="utf-8")


def _failures(rows: list[dict], answers: list[Answer], *, low: bool) -> None:
    for row, answer in zip(rows, answers, strict=True):
        hedged = not answer.refused and answer.text.startswith(messages.ANSWER_LOW_HEADERS)
        top = answer.sources[0].text[:90].replace("\n", " ") if answer.sources else ""
        if row["kind"] == "refuse" and not answer.refused and not hedged:
            print(f"  CONFIDENT {row['id']} {row['question']}\n      -> {top}")
        elif row["kind"] != "refuse" and answer.refused:
            print(f"  REFUSED   {row['id']} {row['question']}\n      -> {answer.text[:80]}")
        elif low and row["kind"] != "refuse" and hedged:
            right = any(hit(p.text, p.source, row["expect"]) for p in answer.sources[:1])
            mark = "right" if right else "wrong"
            print(f"  LOW {mark} {row['id']} {row['question']}\n      -> {top}")


def _dumped(retriever: Retriever, group: str, row: dict, answer: Answer) -> dict[str, object]:
    """A looked-at question's decision, with what it was decided on: the evidence check can be
    replayed on the passages without searching again."""
    retrieval = retriever.search(row["question"])
    return {
        "group": group,
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
