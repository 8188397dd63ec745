"""A gate on closeness alone, for tests of Gate.decide: no model, no network."""

from __future__ import annotations

from bot.qa.gate import Gate

# probability 0.5 at dense 0.9; 0.32 at 0.885; 0.27 at 0.88; 0.12 at 0.86. No hedge floor
# (hedge_above 1.0, the default): tests of the floor set their own.
DENSE_ONLY_GATE = Gate(
    embedder="test",
    weights={"dense": 1.0},
    means={"dense": 0.9},
    scales={"dense": 0.02},
    refuse_below=0.4,
    confident_above=0.6,
)
