"""Voting: many predicted grids for one test input -> ranked distinct candidates -> two attempts.

Each prediction is a grid (already un-transformed to the task's own frame) with the decoder's
confidence. Identical grids pool their votes. Ranking: most votes first; ties by higher mean
confidence (a model score); then by a stable key (the grid's shape and bytes), so the order is
deterministic. attempt_1 is the top candidate and attempt_2 the runner-up, which differs from
attempt_1 whenever two distinct candidates exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from arcvdm.grids import Grid, grid_key


@dataclass
class Candidate:
    """A distinct answer grid for one test input, with what proposed it and how it was judged."""

    grid: Grid
    votes: int = 0                          # VDM samples that decoded to this grid
    score: float = 0.0                      # mean decoder confidence of those samples
    views: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)    # "search" and/or "vdm"
    programs: list[str] = field(default_factory=list)   # texts of the programs that output it, best first
    program_length: int | None = None                  # length of its shortest program
    search_rank: int | None = None                     # rank among the search's distinct answers (0 = best)
    vdm_loss: float | None = None                      # the VDM judge: denoising loss summed over views
    cell_logp: float | None = None                     # log-likelihood under the view-averaged cells

    def label(self) -> str:
        """One line saying where the candidate came from and how it scored."""
        return "; ".join(self.label_parts()) or "no source"

    def label_parts(self) -> list[str]:
        """Where the candidate came from and how it scored, one short phrase per source."""
        parts = []
        if self.programs:
            more = f" (+{len(self.programs) - 1} more)" if len(self.programs) > 1 else ""
            parts.append(f"program [{self.program_length}]: {self.programs[0]}{more}")
        if self.votes:
            parts.append(f"vdm: {self.votes} vote(s), confidence {self.score:.3f}")
        if "cells" in self.sources and not self.votes:
            parts.append("vdm: view-averaged cells")
        if self.cell_logp is not None:
            parts.append(f"cell log-likelihood {self.cell_logp:.2f}")
        if self.vdm_loss is not None:
            parts.append(f"judge loss {self.vdm_loss:.4f}")
        return parts


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
    ranked = sorted(pooled.items(), key=lambda kv: (-kv[1].votes, -kv[1].score, kv[0]))
    return [cand for _, cand in ranked]


def two_attempts(candidates: list[Candidate], fallback: Grid) -> tuple[Grid, Grid]:
    """The top two distinct candidates; ``fallback`` (e.g. the test input) fills in when there are fewer."""
    if not candidates:
        return fallback, fallback
    first = candidates[0].grid
    second = candidates[1].grid if len(candidates) > 1 else first
    return first, second
