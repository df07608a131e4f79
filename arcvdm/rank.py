"""Ranking: pool every proposer's candidates for one test input, order them by one rule, pick two attempts.

Proposers: the program search (``arcvdm.search``: answers of programs that reproduce every
demonstration exactly) and the VDM (``arcvdm.vote``: grids its samples decode to). The VDM judge
(``arcvdm.judge``) may then give each candidate a denoising loss (lower = the tuned model finds it
more likely). The rule, in order:

1. **Programs first.** A candidate that some program produced is exact on every demonstration; VDM
   samples rarely are. Among program candidates: with ``programs_by_loss``, lower judge loss first (a
   judged candidate before an unjudged one), then the search's order; without it, the search's order
   alone (``arcvdm.search.engine``'s ranking: shorter programs first, exact programs before overlays of
   pieces, answers that leave the test input unchanged last).
2. **Then the VDM's candidates**: lower judge loss first (judged before unjudged); then higher
   log-likelihood under the view-averaged cells (``arcvdm.cells``, when the recipe averages them); then
   more votes, then higher mean decoder confidence.
3. **A stable key** (shape, then bytes) breaks any remaining tie, so the order is deterministic.

This is the only ordering of candidates in the package: ``arcvdm.vote`` returns its pooled samples in
this order too (for them, rule 2 reduces to votes, then confidence).

``attempt_1`` is the first candidate and ``attempt_2`` the second, distinct whenever two exist.
"""

from __future__ import annotations

import math

import numpy as np

from arcvdm.candidate import Candidate
from arcvdm.grids import Grid, grid_key


def pool(search_answers: list[tuple[Grid, list[str], int]], vdm: list[Candidate]) -> list[Candidate]:
    """Merge search answers ``(grid, program texts, shortest length)`` (in search order) with VDM candidates.

    A grid proposed by both keeps both sources: its programs and its votes.
    """
    merged: dict[tuple[int, int, bytes], Candidate] = {}
    for rank, (grid, texts, length) in enumerate(search_answers):
        merged[grid_key(grid)] = Candidate(
            np.ascontiguousarray(grid, dtype=np.uint8), sources=["search"], programs=list(texts),
            program_length=length, search_rank=rank,
        )
    for cand in vdm:
        key = grid_key(cand.grid)
        if key in merged:
            found = merged[key]
            found.votes, found.score, found.views = cand.votes, cand.score, list(cand.views)
            found.sources.append("vdm")
        else:
            merged[key] = cand
    return list(merged.values())


def order_key(cand: Candidate, programs_by_loss: bool = True) -> tuple:
    """The sort key of the rule above (smaller sorts first)."""
    loss = math.inf if cand.vdm_loss is None else cand.vdm_loss
    if cand.programs:
        first, then = (loss, cand.search_rank) if programs_by_loss else (cand.search_rank, loss)
        return (0, first, then, 0, 0, 0.0, grid_key(cand.grid))
    cells = math.inf if cand.cell_logp is None else -cand.cell_logp
    return (1, loss, cells, 0, -cand.votes, -cand.score, grid_key(cand.grid))


def rank(candidates: list[Candidate], programs_by_loss: bool = True) -> list[Candidate]:
    """Candidates in rank order (rule in the module docstring)."""
    return sorted(candidates, key=lambda c: order_key(c, programs_by_loss))
