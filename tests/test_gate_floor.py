"""Just below the refusal threshold, what the calibrated model would refuse is hedged instead
(Gate.hedge_above, fitted by bench.gate_cv on all the looked-at data); and bench.gate_cv's fast
replay of a gate decides as Gate.decide does. No model, no network."""

from __future__ import annotations

import random
from dataclasses import replace

from bench.gate_cv import OUTCOMES, Pool
from bench.gate_pool import outcome
from bot.qa.gate import Gate, GateDecision
from tests.support.gates import DENSE_ONLY_GATE

# hedged from probability 0.2 up (probabilities by dense: tests/support/gates.py)
GATE = replace(DENSE_ONLY_GATE, hedge_above=0.2)
NO_FOCUS = {"focal_top": 0.0, "focal_kind": 3.0, "nothing_missing": 0.0, "absent": 0.0}


def test_a_near_refusal_is_hedged_above_the_floor() -> None:
    near = {"dense": 0.88, **NO_FOCUS}
    assert GATE.hedge_above <= GATE.probability(near) < GATE.refuse_below
    assert GATE.decide(near) == GateDecision.LOW
    # without a floor (older calibrations, and the default) the same question is refused
    assert replace(GATE, hedge_above=1.0).decide(near) == GateDecision.REFUSE
    assert Gate(embedder="x").hedge_above == 1.0


def test_below_the_floor_and_a_missing_fact_stay_refused() -> None:
    assert GATE.decide({"dense": 0.86, **NO_FOCUS}) == GateDecision.REFUSE
    missing = {"dense": 0.88, **NO_FOCUS, "fact_missing": 1.0}
    assert GATE.decide(missing) == GateDecision.REFUSE


def test_the_floor_is_stored_and_read_back() -> None:
    assert Gate.from_json(GATE.to_json()).hedge_above == GATE.hedge_above
    shipped = Gate.packaged("multilingual-e5-small-q4")
    assert 0 < shipped.hedge_above < shipped.refuse_below < shipped.confident_above


def test_the_fast_replay_decides_as_the_gate() -> None:
    draw = random.Random(7)
    rows = []
    for _ in range(400):
        signals = {
            "dense": draw.uniform(0.84, 0.94),
            "focal_top": float(draw.random() < 0.7),
            "focal_kind": float(draw.choice([0, 1, 2, 3])),
            "nothing_missing": float(draw.random() < 0.6),
            "absent": draw.choice([0.0, 13.0]),
            "fact_missing": float(draw.random() < 0.05),
        }
        rows.append(
            {
                "signals": signals,
                "answerable": draw.random() < 0.7,
                "cap": draw.choice(OUTCOMES),
                "gated": draw.random() < 0.9,
            }
        )
    pool = Pool.of(rows)
    for gate in (GATE, replace(GATE, hedge_above=1.0), replace(GATE, refuse_below=0.3)):
        p = pool.probabilities(gate)
        fast = pool.outcomes(p, gate.refuse_below, gate.confident_above, gate.hedge_above)
        assert [OUTCOMES[o] for o in fast] == [outcome(gate, r) for r in rows]
