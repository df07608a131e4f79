"""Voting: many predicted grids for one test input -> ranked distinct candidates -> two attempts.

Each prediction is a grid (already un-transformed to the task's own frame) with the decoder's
confidence. Identical grids pool their votes. The pooled candidates come back in the order of the one
rank rule (``arcvdm.rank``); for candidates that only the VDM's samples proposed, that is: most votes
first, ties by higher mean confidence (a model score), then a stable key (the grid's shape and bytes),
so the order is deterministic. attempt_1 is the top candidate and attempt_2 the runner-up, which
differs from attempt_1 whenever two distinct candidates exist.
"""

from __future__ import annotations

import numpy as np

from arcvdm.candidate import Candidate
from arcvdm.grids import Grid, grid_key
from arcvdm.rank import rank


def vote(predictions: list[tuple[Grid, float, int]]) -> list[Candidate]:
    """Pool (grid, confidence, view) predictions into ranked candidates."""
    pooled: dict[tuple[int, int, bytes], Candidate] = {}
    totals: dict[tuple[int, int, bytes], float] = {}
    for grid, confidence, view in predictions:
        key = grid_key(grid)
        if key not in pooled:
            pooled[key] = Candidate(np.ascontiguousarray(grid, dtype=np.uint8), sources=["vdm"])
            totals[key] = 0.0
        pooled[key].votes += 1
        pooled[key].views.append(view)
        totals[key] += confidence
    for key, cand in pooled.items():
        cand.score = totals[key] / cand.votes
    return rank(list(pooled.values()))


def two_attempts(candidates: list[Candidate], fallback: Grid) -> tuple[Grid, Grid]:
    """The top two distinct candidates; ``fallback`` (e.g. the test input) fills in when there are fewer."""
    if not candidates:
        return fallback, fallback
    first = candidates[0].grid
    second = candidates[1].grid if len(candidates) > 1 else first
    return first, second
