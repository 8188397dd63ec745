"""The refusal gate fitted on all the looked-at data, judged by leaving one set out.

    .venv/bin/python -m bench.gate_cv --pool /tmp/gate_pool.jsonl [--floor 0.01 [--write]]

Reads the rows bench.gate_pool wrote. Each candidate (features, L2 penalty, how the two
thresholds are chosen) is fitted on every looked-at set but one and judged on the one left
out, the sets in turn (qa_dev3 and qa_dev2 tuning halves, qa_dev, bench/qa_extra.jsonl, fresh
q p r x y u s): out-of-corpus questions answered confidently and refused, answerable questions
refused and hedged, summed over the folds. The shipped calibration is judged on the same rows,
and with its weights kept and only hedge_above fitted (at the answerable share --floor). With
--write, the candidate chosen (--floor, or --features with --l2 and --quantile/--hedge-cost)
is fitted on all the looked-at data and becomes the calibration shipped for e5-small; run it
after bench.calibrate_gate --write, which writes no hedge_above. The held halves and fresh z,
t, n are reported as aggregate figures only.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.gate_pool import EXTRA
from bench.refusal_loop import LOOKED_AT
from bot.qa.gate import CALIBRATION_DIR, HINT_FLOOR, Gate, _file_name, focus_found

TUNING = (*LOOKED_AT, EXTRA)
OUTCOMES = ("refused", "low", "high")
REPORTED = ("dev3 held", "dev2 held", "fresh z", "fresh t", "fresh n")
SIGNALS = (
    "dense",
    "foreign",
    "dense_gap",
    "coverage",
    "known",
    "anchor",
    "agree",
    "absent",
    "chance_top",
    "chance_gap",
    "focal_top",
    "nothing_missing",
)
L2S = (1.0, 10.0, 30.0)
# cost of an out-of-corpus question answered confidently, of an answerable question refused,
# and of one hedged, when the thresholds are chosen by cost
COSTS = (1.0, 1.0, 0.25)


@dataclass(frozen=True)
class Rule:
    """How the thresholds are chosen on the fitting data: by the quantile rule of
    bench.calibrate_gate (`refused` share of the answerable below refuse_below, `low` share
    below confident_above), or (cost=True) the pair with the least COSTS-weighted errors."""

    refused: float = 0.045
    low: float = 0.15
    # the low share counted among the answerable questions nothing downstream hedges only: the
    # band decides for those alone (the others are hedged whatever the gate says)
    low_of_high: bool = False
    cost: bool = False
    hedge_cost: float = COSTS[2]
    # an out-of-corpus question hedged rather than refused by name
    ooc_hedge_cost: float = 0.0

    def __str__(self) -> str:
        if self.cost:
            return f"cost(hedge {self.hedge_cost}, OOC hedge {self.ooc_hedge_cost})"
        return f"quantile({self.refused}, {self.low}{' of high' if self.low_of_high else ''})"


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def fit(
    rows: Sequence[dict], features: Sequence[str], l2: float
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Class-balanced, L2-penalised logistic regression (the objective of calibrate_gate.fit),
    solved by Newton's method."""
    x = np.array([[r["signals"].get(f, 0.0) for f in features] for r in rows], float)
    t = np.array([r["answerable"] for r in rows], float)
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(t), 1))])
    balance = np.where(t == 1, 0.5 / t.mean(), 0.5 / (1 - t.mean()))
    penalty = np.full(z.shape[1], l2 / len(t))
    penalty[-1] = 0.0
    beta = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ ((p - t) * balance) / len(t) + penalty * beta
        hessian = (z * (balance * p * (1 - p))[:, None]).T @ z / len(t) + np.diag(penalty)
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(beta)), gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1]), mean, scale


def fitted_gate(base: Gate, rows: Sequence[dict], features: Sequence[str], l2: float) -> Gate:
    weights, bias, mean, scale = fit(rows, features, l2)
    return replace(
        base,
        weights={f: round(float(w), 4) for f, w in zip(features, weights, strict=True)},
        means={f: round(float(m), 6) for f, m in zip(features, mean, strict=True)},
        scales={f: round(float(s), 6) for f, s in zip(features, scale, strict=True)},
        bias=round(bias, 4),
    )


@dataclass(frozen=True)
class Pool:
    """Rows as arrays, for replaying many gates fast (the same decisions as Gate.decide)."""

    answerable: np.ndarray
    cap: np.ndarray  # 0 refused, 1 low, 2 high
    gated: np.ndarray
    fact_missing: np.ndarray
    focus: np.ndarray  # bot.qa.gate.focus_found
    rows: tuple[dict, ...]

    @classmethod
    def of(cls, rows: Sequence[dict]) -> Pool:
        return cls(
            np.array([r["answerable"] for r in rows], bool),
            np.array([OUTCOMES.index(r["cap"]) for r in rows], int),
            np.array([r["gated"] for r in rows], bool),
            np.array([bool(r["signals"].get("fact_missing")) for r in rows], bool),
            np.array([focus_found(r["signals"]) for r in rows], bool),
            tuple(rows),
        )

    def probabilities(self, gate: Gate) -> np.ndarray:
        z = np.full(len(self.rows), gate.bias)
        for name, weight in gate.weights.items():
            x = np.array([r["signals"].get(name, 0.0) for r in self.rows], float)
            z += weight * (x - gate.means.get(name, 0.0)) / (gate.scales.get(name) or 1.0)
        return 1 / (1 + np.exp(-np.clip(z, -30, 30)))

    def outcomes(
        self, p: np.ndarray, refuse_below: float, confident_above: float, hedge_above: float = 1.0
    ) -> np.ndarray:
        hint = ((p >= HINT_FLOOR * refuse_below) & self.focus) | (p >= hedge_above)
        decision = np.where(
            p < refuse_below,
            np.where(hint, 1, 0),
            np.where(p < confident_above, np.where(self.focus, 2, 1), 2),
        )
        decision = np.where(self.fact_missing, 0, decision)
        return np.where(self.gated & (self.cap > 0), np.minimum(decision, self.cap), self.cap)

    def tally(self, gate: Gate) -> tuple[int, ...]:
        """Out-of-corpus: confident, refused, total; answerable: refused, hedged, total."""
        p = self.probabilities(gate)
        out = self.outcomes(p, gate.refuse_below, gate.confident_above, gate.hedge_above)
        ooc, ans = out[~self.answerable], out[self.answerable]
        return (
            int((ooc == 2).sum()),
            int((ooc == 0).sum()),
            len(ooc),
            int((ans == 0).sum()),
            int((ans == 1).sum()),
            len(ans),
        )


def tally(gate: Gate, rows: Sequence[dict]) -> tuple[int, ...]:
    return Pool.of(rows).tally(gate)


def thresholds(gate: Gate, rows: Sequence[dict], rule: Rule) -> Gate:
    pool = Pool.of(rows)
    p = pool.probabilities(gate)
    usable = pool.gated & (pool.cap > 0)
    answerable = np.sort(p[usable & pool.answerable])
    if not rule.cost:
        allowed = int(rule.refused * len(answerable))
        refuse_below = (
            (answerable[allowed] + answerable[allowed - 1]) / 2 if allowed else answerable[0] * 0.99
        )
        if rule.low_of_high:
            high = np.sort(p[usable & pool.answerable & (pool.cap == 2)])
            confident_above = max(high[int(rule.low * len(high))], refuse_below)
        else:
            low_index = max(int(rule.low * len(answerable)), allowed)
            confident_above = max(answerable[low_index], refuse_below)
        return replace(
            gate,
            refuse_below=round(float(refuse_below), 4),
            confident_above=round(float(confident_above), 4),
        )
    every = np.unique(np.round(p[usable], 4))
    cuts = np.concatenate([[0.0], (every[1:] + every[:-1]) / 2, [1.0]])
    if len(cuts) > 100:  # enough resolution, fewer replays
        cuts = cuts[np.linspace(0, len(cuts) - 1, 100).round().astype(int)]
    ooc, ans = ~pool.answerable, pool.answerable
    best: tuple[float, float, float] | None = None
    for i, low in enumerate(cuts):
        for high in cuts[i:]:
            out = pool.outcomes(p, low, high)
            cost = (
                COSTS[0] * ((out == 2) & ooc).sum()
                + COSTS[1] * ((out == 0) & ans).sum()
                + rule.hedge_cost * ((out == 1) & ans).sum()
                + rule.ooc_hedge_cost * ((out == 1) & ooc).sum()
            )
            # ties: the lowest refusal threshold, then the lowest confidence threshold
            if best is None or cost < best[0] - 1e-9:
                best = (float(cost), float(low), float(high))
    assert best is not None
    return replace(gate, refuse_below=round(best[1], 4), confident_above=round(best[2], 4))


def hedge_floor(gate: Gate, rows: Sequence[dict], share: float) -> Gate:
    """`gate` with hedge_above where `share` of the answerable questions reaching it lie below."""
    pool = Pool.of(rows)
    p = pool.probabilities(gate)
    answerable = np.sort(p[pool.gated & (pool.cap > 0) & pool.answerable])
    k = int(share * len(answerable))
    floor = (answerable[k] + answerable[k - 1]) / 2 if k else answerable[0] * 0.99
    return replace(gate, hedge_above=round(float(floor), 4))


def calibrated(
    base: Gate, rows: Sequence[dict], features: Sequence[str], l2: float, rule: Rule
) -> Gate:
    gated = [r for r in rows if r["gated"] and r["cap"] != "refused"]
    return thresholds(fitted_gate(base, gated, features, l2), rows, rule)


def leave_one_set_out(
    base: Gate,
    rows: Sequence[dict],
    features: Sequence[str],
    l2: float,
    rule: Rule,
    floor: float | None = None,
) -> list[int]:
    """Summed over the looked-at sets, each judged by a gate fitted on the others; with
    `floor`, the base gate with only hedge_above fitted."""
    total = [0] * 6
    for left in TUNING:
        rest = [r for r in rows if r["group"] in TUNING and r["group"] != left]
        if floor is None:
            gate = calibrated(base, rest, features, l2, rule)
        else:
            gate = hedge_floor(base, rest, floor)
        counts = tally(gate, [r for r in rows if r["group"] == left])
        total = [a + b for a, b in zip(total, counts, strict=True)]
    return total


def line(name: str, t: Sequence[int]) -> str:
    return (
        f"{name:<44} OOC confident {t[0]:>3} refused {t[1]:>3}/{t[2]} | "
        f"answerable refused {t[3]:>2} hedged {t[4]:>3}/{t[5]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--features", help="comma-separated: judge (and --write) these only")
    parser.add_argument("--l2", type=float)
    parser.add_argument("--quantile", help="refused,low shares (the quantile rule)")
    parser.add_argument("--hedge-cost", type=float, help="thresholds by cost, this per hedge")
    parser.add_argument("--ooc-hedge-cost", type=float, default=0.0)
    parser.add_argument(
        "--floor", type=float, help="the shipped gate with hedge_above at this answerable share"
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = load(args.pool)
    shipped = Gate.packaged("multilingual-e5-small-q4")
    tuning = [r for r in rows if r["group"] in TUNING]
    print(line("shipped, on every looked-at set", tally(shipped, tuning)))
    shares = [args.floor] if args.floor is not None else [0.0, 0.005, 0.01, 0.015, 0.02]
    for share in shares:
        t = leave_one_set_out(shipped, rows, (), 0.0, Rule(), floor=share)
        print(line(f"shipped, hedged from the {share} quantile", t), flush=True)
    if args.floor is not None:
        if args.write:
            gate = hedge_floor(shipped, tuning, args.floor)
            fitted_on = f"{shipped.fitted_on.split(';')[0]}; hedge_above: all looked-at sets"
            write(shipped, replace(gate, fitted_on=fitted_on), rows)
        return
    features_tried: list[tuple[str, ...]] = (
        [tuple(args.features.split(","))]
        if args.features
        else [
            ("dense", "foreign"),
            *(("dense", "foreign", s) for s in SIGNALS[2:]),
            ("dense", "foreign", "dense_gap", "coverage"),
            ("dense", "foreign", "chance_top", "coverage"),
            ("dense", "foreign", "focal_top", "nothing_missing"),
            ("dense", "foreign", "coverage", "focal_top", "nothing_missing"),
            SIGNALS,
        ]
    )
    rules = [Rule()]
    if args.quantile:
        refused, low = (float(x) for x in args.quantile.split(",")[:2])
        rules = [Rule(refused, low, low_of_high=args.quantile.endswith(",high"))]
    elif args.hedge_cost is not None:
        rules = [Rule(cost=True, hedge_cost=args.hedge_cost, ooc_hedge_cost=args.ooc_hedge_cost)]
    elif not args.features:
        rules += [
            Rule(0.01, 0.15),
            Rule(0.02, 0.2),
            Rule(cost=True),
            Rule(cost=True, hedge_cost=0.5),
        ]
    l2s = [args.l2] if args.l2 is not None else list(L2S)
    for features, l2, rule in itertools.product(features_tried, l2s, rules):
        t = leave_one_set_out(shipped, rows, features, l2, rule)
        print(line(f"{'+'.join(features)} L2 {l2:g} {rule}", t), flush=True)
    if args.write:
        gate = calibrated(shipped, tuning, features_tried[0], l2s[0], rules[0])
        write(shipped, replace(gate, fitted_on="all the looked-at sets (bench.gate_cv)"), rows)


def write(shipped: Gate, gate: Gate, rows: Sequence[dict]) -> None:
    """The figures of both gates (the held halves and fresh z t n in aggregate), then `gate`
    becomes the calibration shipped."""
    for name, chosen in (("shipped", shipped), ("new", gate)):
        for group, names in (("looked-at", TUNING), ("reported", REPORTED)):
            print(
                line(f"{name} on {group}", tally(chosen, [r for r in rows if r["group"] in names]))
            )
    path = CALIBRATION_DIR / f"{_file_name(gate.embedder)}.json"
    path.write_text(gate.to_json() + "\n", encoding="utf-8")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
