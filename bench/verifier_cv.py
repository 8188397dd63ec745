"""The answer verifier (bot/qa/verifier.py) fitted on all the looked-at data, judged by leaving
one set out.

    .venv/bin/python -m bench.verifier_cv --pool /tmp/verifier_pool.jsonl [--write]

Reads the rows bench.verifier_pool wrote. The model is fitted on the questions the gate alone
answers confidently (before answer.tier's focus and predicate checks), labelled by whether they
are answerable and the first passage quoted is right; the threshold is where `--loss` of the
answerable questions answered confidently today fall below it. Each candidate (features, L2
penalty, label) is fitted on every looked-at set but one and judged on the one left out, the
sets in turn: out-of-corpus questions answered confidently, answerable questions answered
confidently, summed over the folds, with and without the verifier. It only ever hedges a
confident answer, so refusals do not change. With --write, the candidate chosen (--features,
--l2) is fitted on all the looked-at data and shipped for e5-small; the held halves and fresh
z, t, n, k are then reported as aggregate figures only (--report: the figures, nothing
written). The shipped fit:

    .venv/bin/python -m bench.verifier_cv --pool /tmp/verifier_pool.jsonl \
        --features gate+first+checks --l2 10 --label right --loss 0.1 --write
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.gate_cv import fit
from bench.gate_pool import EXTRA
from bench.refusal_loop import LOOKED_AT
from bot.qa.verifier import Verifier, path_for

EMBEDDER = "multilingual-e5-small-q4"
TUNING = (*LOOKED_AT, EXTRA)
REPORTED = ("dev3 held", "dev2 held", "fresh z", "fresh t", "fresh n", "fresh k")
GATE = ("p_gate", "dense", "dense_gap", "coverage", "foreign")
FIRST = ("first_share", "both_first", "chance_top", "chance_gap", "score_gap")
CHECKS = ("first_focus", "focal_top", "focal_kind", "nothing_missing", "absent")
FACTS = ("predicate", "predicate_first", "fact_asked", "fact_first", "tentative", "unheld")
CANDIDATES: dict[str, tuple[str, ...]] = {
    "gate": GATE,
    "gate+first": GATE + FIRST,
    "gate+first+checks": GATE + FIRST + CHECKS,
    "all": GATE + FIRST + CHECKS + FACTS,
    "small": ("p_gate", "coverage", "first_share", "chance_top", "first_focus", "fact_first"),
}
L2S = (3.0, 10.0, 30.0)


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def label(row: dict, kind: str) -> bool:
    return row["answerable"] and (kind == "answerable" or row["first_right"])


def fitted(
    rows: Sequence[dict], features: Sequence[str], l2: float, kind: str, loss: float
) -> Verifier:
    """Fitted on the rows the gate answers confidently; the threshold where `loss` of the
    answerable ones answered confidently today lie below it."""
    train = [r for r in rows if r["usable"] and r["gate_high"]]
    labelled = [{**r, "answerable": label(r, kind)} for r in train]
    weights, bias, mean, scale = fit(labelled, features, l2)
    verifier = Verifier(
        embedder=EMBEDDER,
        weights={f: round(float(w), 4) for f, w in zip(features, weights, strict=True)},
        means={f: round(float(m), 6) for f, m in zip(features, mean, strict=True)},
        scales={f: round(float(s), 6) for f, s in zip(features, scale, strict=True)},
        bias=round(bias, 4),
    )
    confident = np.sort(
        [verifier.probability(r["signals"]) for r in rows if checked(r) and r["answerable"]]
    )
    k = int(loss * len(confident))
    threshold = (confident[k] + confident[k - 1]) / 2 if k else 0.0
    return replace(verifier, threshold=round(float(threshold), 4))


def checked(row: dict) -> bool:
    """A confident answer the verifier reads (not an article looked up)."""
    return row["outcome"] == "high" and row["usable"]


def tally(verifier: Verifier | None, rows: Sequence[dict]) -> tuple[int, ...]:
    """Out-of-corpus confident, total; answerable confident, right-first confident, total;
    out-of-corpus the gate alone answers confidently (whatever answer.tier makes of them) that
    the verifier lets through, and their number: how it fares where the hand checks miss."""

    def confident(r: dict) -> bool:
        if r["outcome"] != "high":
            return False
        return verifier is None or not checked(r) or verifier.confirms(r["signals"])

    ooc = [r for r in rows if not r["answerable"]]
    ans = [r for r in rows if r["answerable"]]
    bare = [r for r in ooc if r["usable"] and r["gate_high"]]
    return (
        sum(confident(r) for r in ooc),
        len(ooc),
        sum(confident(r) for r in ans),
        sum(confident(r) and r["first_right"] for r in ans),
        len(ans),
        sum(verifier is None or verifier.confirms(r["signals"]) for r in bare),
        len(bare),
    )


def line(name: str, t: Sequence[int]) -> str:
    return (
        f"{name:<40} OOC confident {t[0]:>3}/{t[1]:<3} | answerable confident {t[2]:>3} "
        f"(first right {t[3]:>3}) /{t[4]} | gate-confident OOC passed {t[5]:>2}/{t[6]}"
    )


def leave_one_set_out(
    rows: Sequence[dict], features: Sequence[str], l2: float, kind: str, loss: float
) -> list[int]:
    total = [0] * 7
    for left in TUNING:
        rest = [r for r in rows if r["group"] in TUNING and r["group"] != left]
        verifier = fitted(rest, features, l2, kind, loss)
        counts = tally(verifier, [r for r in rows if r["group"] == left])
        total = [a + b for a, b in zip(total, counts, strict=True)]
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--features", help="a name in CANDIDATES, or comma-separated signals")
    parser.add_argument("--l2", type=float)
    parser.add_argument("--label", choices=("answerable", "right"))
    parser.add_argument("--loss", type=float, default=0.1, help="answerable confident share lost")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--report", action="store_true", help="aggregate figures on the held sets")
    args = parser.parse_args()
    rows = load(args.pool)
    tuning = [r for r in rows if r["group"] in TUNING]
    print(line("today, on every looked-at set", tally(None, tuning)))
    if args.features:
        chosen = CANDIDATES.get(args.features) or tuple(args.features.split(","))
        candidates = {args.features: chosen}
    else:
        candidates = CANDIDATES
    l2s = [args.l2] if args.l2 is not None else list(L2S)
    kinds = [args.label] if args.label else ["answerable", "right"]
    for (name, features), l2, kind in itertools.product(candidates.items(), l2s, kinds):
        t = leave_one_set_out(rows, features, l2, kind, args.loss)
        print(line(f"{name} L2 {l2:g} {kind} (CV)", t), flush=True)
    if args.write or args.report:
        name, features = next(iter(candidates.items()))
        verifier = fitted(tuning, features, l2s[0], kinds[0], args.loss)
        verifier = replace(
            verifier, fitted_on=f"all the looked-at sets (bench.verifier_cv), {name}"
        )
        print(line("fitted on all, looked-at", tally(verifier, tuning)))
        reported = [r for r in rows if r["group"] in REPORTED]
        print(line("today, reported sets", tally(None, reported)))
        print(line("verifier, reported sets", tally(verifier, reported)))
        for group in REPORTED:
            part = [r for r in rows if r["group"] == group]
            print(line(f"  {group}: today", tally(None, part)))
            print(line(f"  {group}: verifier", tally(verifier, part)))
        if args.write:
            path_for(EMBEDDER).write_text(verifier.to_json() + "\n", encoding="utf-8")
            print(f"written to {path_for(EMBEDDER)}")


if __name__ == "__main__":
    main()
