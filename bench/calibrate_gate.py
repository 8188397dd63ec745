"""Calibrate the refusal decision (and the fusion weight) for one embedder on qa_dev2.

    .venv/bin/python -m bench.calibrate_gate [--embedder e5-small] [--dense-weight 0.4] [--write]

Fitted on the tuning halves (bench.common.half) of qa_dev2 and qa_dev3; the held halves are
reported. With
--write the result becomes the calibration shipped for that embedder
(bot/data/calibration/<embedder>.json), stored with every index it builds.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import (
    EXTRA_QA,
    QA_DEV2,
    QA_DEV3,
    copy_eval_corpus,
    half,
    hit,
    load_questions,
    open_knowledge_base,
)
from bot.index.embeddings import make_embeddings
from bot.qa.gate import CALIBRATION_DIR, Gate, GateDecision, _file_name
from bot.qa.intents import Intent, classify
from bot.qa.retriever import Retriever

FEATURES = ("dense", "foreign")
DENSE_WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6)
# answerable questions of the tuning half the refusal threshold may refuse
MAX_FALSE_REFUSALS = 0.045
# answerable questions of the tuning half answered with low confidence at most
LOW_SHARE = 0.15
L2 = 1.0


def collect(
    retriever: Retriever, rows: list[dict[str, Any]], dense_weight: float
) -> list[dict[str, Any]]:
    """Signals and the right passage's rank for every question that reaches the gate."""
    retriever._gate = Gate(  # every question answered: the gate is what is being fitted
        embedder=retriever._embeddings.name,
        dense_weight=dense_weight,
        weights={"dense": 0.0},
        refuse_below=0.0,
        confident_above=0.0,
    )
    found = []
    for row in rows:
        if classify(row["question"]) != Intent.QUESTION:
            continue
        result = retriever.search(row["question"])
        if result.exact or result.refused:
            continue  # decided by what the question names, before any gate
        rank = next(
            (
                i
                for i, p in enumerate(result.passages[:5], 1)
                if hit(p.text, p.source, row["expect"])
            ),
            None,
        )
        found.append(
            {
                **result.signals,
                "answerable": row["kind"] != "refuse",
                "rank": rank,
                "half": half(row["id"]),
                "id": row["id"],
            }
        )
    return found


def _half(row: dict) -> str:
    return row.get("half") or half(row["id"])


def fit(rows: list[dict]) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    x = np.array([[r[f] for f in FEATURES] for r in rows], float)
    t = np.array([r["answerable"] for r in rows], float)
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    weights, bias = np.zeros(len(FEATURES)), 0.0
    balance = np.where(t == 1, 0.5 / t.mean(), 0.5 / (1 - t.mean()))
    for _ in range(5000):  # gradient descent on the class-balanced, L2-penalised log-loss
        p = 1 / (1 + np.exp(-(z @ weights + bias)))
        gradient = (p - t) * balance
        weights -= 0.05 * (z.T @ gradient / len(t) + L2 * weights / len(t))
        bias -= 0.05 * gradient.mean()
    return weights, bias, mean, scale


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--dense-weight", type=float, help="skip the search for the fusion weight")
    parser.add_argument("--dump", type=Path, help="write every question's signals (JSON lines)")
    args = parser.parse_args()
    embeddings = make_embeddings(args.embedder, threads=args.threads)
    # the project's own extra set (written before qa_dev2) joins the tuning half: it adds
    # off-topic questions, of which the tuning half alone has few that reach the model
    questions = (
        load_questions(QA_DEV2)
        + load_questions(QA_DEV3)
        + [
            {**q, "id": f"extra-{n}", "half": "tune"}
            for n, q in enumerate(load_questions(EXTRA_QA))
        ]
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_eval_corpus(Path(tmp) / "knowledge")
        kbase = open_knowledge_base(folder, Path(tmp) / "data", embeddings)
        kbase.ingestor.ingest()
        retriever = kbase.retriever
        tune = [q for q in questions if _half(q) == "tune"]
        best = None if args.dense_weight is None else (0.0, args.dense_weight)
        # the fusion weight: best MRR on the tuning half
        for weight in DENSE_WEIGHTS if best is None else ():
            rows = collect(retriever, tune, weight)
            answerable_rows = [r for r in rows if r["answerable"]]
            mrr = sum(1 / r["rank"] for r in answerable_rows if r["rank"]) / len(answerable_rows)
            print(f"dense weight {weight}: tuning-half MRR {mrr:.3f}")
            if best is None or mrr > best[0] + 1e-9:
                best = (mrr, weight)
        assert best is not None
        dense_weight = best[1]
        rows = collect(retriever, questions, dense_weight)
    if args.dump:
        args.dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    tuning = [r for r in rows if r["half"] == "tune"]
    weights, bias, mean, scale = fit(tuning)
    gate = Gate(
        embedder=embeddings.name,
        dense_weight=dense_weight,
        weights={f: round(float(w), 4) for f, w in zip(FEATURES, weights, strict=True)},
        means={f: round(float(m), 6) for f, m in zip(FEATURES, mean, strict=True)},
        scales={f: round(float(s), 6) for f, s in zip(FEATURES, scale, strict=True)},
        bias=round(bias, 4),
        fitted_on="qa_dev2 and qa_dev3 tuning halves + bench/qa_extra.jsonl",
    )
    answerable = sorted(gate.probability(r) for r in tuning if r["answerable"])
    allowed = int(MAX_FALSE_REFUSALS * len(answerable))
    refuse_below = (
        (answerable[allowed] + answerable[allowed - 1]) / 2 if allowed else answerable[0] * 0.99
    )
    low_index = max(int(LOW_SHARE * len(answerable)), allowed)
    confident_above = max(answerable[low_index], refuse_below)
    gate = Gate(
        **{
            **gate.__dict__,
            "refuse_below": round(refuse_below, 4),
            "confident_above": round(confident_above, 4),
        }
    )
    print(
        f"embedder {embeddings.name}: dense weight {dense_weight}; weights {gate.weights}, "
        f"bias {gate.bias}; refuse below {gate.refuse_below}, confident above "
        f"{gate.confident_above}"
    )
    for name in ("tune", "held"):
        part = [r for r in rows if r["half"] == name]
        decided = [(r, gate.decide(r)) for r in part]
        off = [d for r, d in decided if not r["answerable"]]
        on = [d for r, d in decided if r["answerable"]]
        print(
            f"  {name}: off-topic refused {sum(d == GateDecision.REFUSE for d in off)}/{len(off)}; "
            f"answerable refused {sum(d == GateDecision.REFUSE for d in on)}/{len(on)}, "
            f"low confidence {sum(d == GateDecision.LOW for d in on)}/{len(on)}"
        )
    if args.write:
        CALIBRATION_DIR.mkdir(parents=True, exist_ok=True)
        path = CALIBRATION_DIR / f"{_file_name(embeddings.name)}.json"
        path.write_text(gate.to_json() + "\n", encoding="utf-8")
        print(f"written to {path}")


if __name__ == "__main__":
    main()
