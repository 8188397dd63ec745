"""Every question's refusal-gate signals and what the rest of the pipeline makes of it, for
fitting the gate on all the looked-at data (bench.gate_cv).

    .venv/bin/python -m bench.gate_pool [--data /tmp/partybot-gate] --out /tmp/gate_pool.jsonl

The questions are asked once with a gate that answers everything: what comes back is the
most the pipeline allows ("refused" by a check before or beside the gate, "low" when the
answer is hedged downstream, else "high"), and a gate's decision on the signals can only lower
it. So any gate is replayed on the rows without searching again (`outcome`). The held halves
and the fresh sets not looked at are written without their questions, for aggregate figures;
fresh w and v are never asked.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.common import EXTRA_QA, copy_eval_corpus, hit, load_questions, open_knowledge_base
from bench.refusal_loop import LOOKED_AT, groups
from bot import messages
from bot.index.embeddings import make_embeddings
from bot.qa.answer import Answer
from bot.qa.gate import Gate, GateDecision
from bot.qa.passages import Retrieval
from bot.qa.retriever import Retriever
from bot.qa.service import QAService
from bot.services import KnowledgeBase

# the project's own extra set joins the looked-at data as a group of its own
EXTRA = "extra"


def outcome_of(answer: Answer) -> str:
    if answer.refused:
        return "refused"
    return "low" if answer.text.startswith(messages.ANSWER_LOW_HEADERS) else "high"


def outcome(gate: Gate, row: dict[str, Any]) -> str:
    """What `gate` makes of a pooled row: its decision, never above the pipeline's cap."""
    cap = row["cap"]
    if cap == "refused" or not row["gated"]:
        return cap
    decision = gate.decide(row["signals"])
    if decision == GateDecision.REFUSE:
        return "refused"
    if decision == GateDecision.LOW:
        return "low"
    return cap


def rerank_signals(found: list[Any]) -> dict[str, float]:
    """The re-ranker's chance for the passage quoted first, and its margin over the second."""
    chances = [p.chance for p in found if p.chance is not None]
    top = chances[0] if chances else 0.0
    second = chances[1] if len(chances) > 1 else 0.0
    return {"chance_top": float(top), "chance_gap": float(top - second)}


def indexed_eval_corpus(data: Path) -> KnowledgeBase:
    """The eval corpus indexed with e5 under `data` (copied there on the first run)."""
    folder = data / "knowledge"
    if not folder.exists():
        copy_eval_corpus(folder)
    kbase = open_knowledge_base(folder, data / "p", make_embeddings("e5-small", threads=2))
    kbase.ingestor.ingest()
    return kbase


def recorded_searches(retriever: Retriever) -> list[Retrieval]:
    """Every retrieval `retriever.search` returns from now on, appended to the list returned."""
    seen: list[Retrieval] = []
    searched = retriever.search

    def search(*a: Any, **k: Any) -> Retrieval:
        seen.append(searched(*a, **k))
        return seen[-1]

    retriever.search = search  # type: ignore[method-assign]
    return seen


def pooled_questions() -> dict[str, list[dict[str, Any]]]:
    """Every set's questions by group, the project's extra set as a group of its own."""
    pooled = groups(held=True)
    pooled[EXTRA] = [{**q, "id": f"extra-{n}"} for n, q in enumerate(load_questions(EXTRA_QA))]
    return pooled


def pool_line(group: str, row: dict[str, Any], answer: Answer, fields: dict[str, Any]) -> str:
    """One pooled row: what every pool records, then `fields`; the question itself only for
    the looked-at groups."""
    sources = answer.sources[:1]
    record = {
        "group": group,
        "answerable": row["kind"] != "refuse",
        "kind": row["kind"],
        **fields,
        "first_right": bool(sources) and hit(sources[0].text, "", row["expect"]),
    }
    if group in LOOKED_AT or group == EXTRA:
        record |= {"id": row["id"], "question": row["question"]}
    return json.dumps(record, ensure_ascii=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/tmp/partybot-gate"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    kbase = indexed_eval_corpus(args.data)
    retriever = kbase.retriever
    service = QAService(retriever)
    shipped = Gate.packaged(kbase.embeddings.name)
    capped = Gate(  # the gate answers everything: the rest is the cap
        embedder=shipped.embedder,
        dense_weight=shipped.dense_weight,
        weights={"dense": 0.0},
        refuse_below=0.0,
        confident_above=0.0,
    )
    seen = recorded_searches(retriever)
    pooled = pooled_questions()
    lines = []
    for group, rows in pooled.items():
        for row in rows:
            retriever._gate = shipped  # what the shipped gate answers, to check `outcome`
            shipped_outcome = outcome_of(service.ask(row["question"]))
            retriever._gate = capped
            seen.clear()
            answer = service.ask(row["question"])
            retrieval = seen[-1] if seen else None
            gated = (
                retrieval is not None
                and bool(retrieval.signals)
                and not retrieval.exact
                and (not retrieval.refused or retrieval.reason == "not_found")
            )
            signals = dict(retrieval.signals) if retrieval is not None else {}
            if retrieval is not None:
                signals.update(rerank_signals(retrieval.found))
            fields = {
                "cap": outcome_of(answer),
                "gated": gated,
                "signals": signals,
                "shipped": shipped_outcome,
            }
            lines.append(pool_line(group, row, answer, fields))
        print(group, len(rows), flush=True)
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


if __name__ == "__main__":
    main()
