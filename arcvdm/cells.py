"""View-averaged cells: pool the VDM's per-cell colour predictions across samples and views.

Exact grids rarely repeat across samples of a weak model (votes do not concentrate), but most cells
agree. So each decoded sample also gives a per-cell colour distribution (the encoder reads it off the
generated frame), inverted back to the task's own orientation and colours (``views.invert_cells``).
Samples whose decoded size is the most common one are averaged cell by cell. From the average:

- ``likely_grids`` proposes the most likely grid (per-cell argmax) and the next most likely ones, made
  by changing the least confident cells to their second choice, one at a time and then in pairs;
- ``log_likelihood`` scores any grid of that size: the sum over cells of log p(cell colour), the
  ranking score of VDM candidates (a product of per-cell experts) when averaging is on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from arcvdm.grids import Grid

FLOOR = 1e-4  # probability floor inside the log, so one unseen colour does not make a grid impossible


@dataclass
class CellAverage:
    """The mean per-cell distribution (h, w, 10) over the samples of the modal size, and their count."""

    probs: np.ndarray
    samples: int

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.probs.shape[0]), int(self.probs.shape[1])


def average(distributions: list[np.ndarray]) -> CellAverage | None:
    """Average the distributions (each (h, w, 10), already in the task's frame) of the most common size.

    Ties between sizes go to the size seen first. None when there is nothing to average.
    """
    if not distributions:
        return None
    sizes = Counter(d.shape[:2] for d in distributions)
    best = max(sizes.values())
    shape = next(d.shape[:2] for d in distributions if sizes[d.shape[:2]] == best)
    chosen = [d for d in distributions if d.shape[:2] == shape]
    return CellAverage(np.mean(np.stack(chosen), axis=0), len(chosen))


def log_likelihood(avg: CellAverage, grid: Grid) -> float | None:
    """Sum over cells of log p(colour) under the average; None for a grid of another size."""
    if grid.shape != avg.shape:
        return None
    rows, cols = np.indices(grid.shape)
    return float(np.log(np.maximum(avg.probs[rows, cols, grid], FLOOR)).sum())


def likely_grids(avg: CellAverage, count: int) -> list[Grid]:
    """The argmax grid, then grids with one or two of the least confident cells changed to their second choice.

    Returned in order of decreasing likelihood under the average (ties: the order they were made), at
    most ``count`` grids, all distinct.
    """
    order = np.argsort(-avg.probs, axis=-1)                    # (h, w, 10): colours by probability
    best = order[..., 0].astype(np.uint8)
    second = order[..., 1].astype(np.uint8)
    top = np.take_along_axis(avg.probs, order[..., :2], -1)    # (h, w, 2)
    margin = (top[..., 0] - top[..., 1]).ravel()               # small margin = unsure cell
    unsure = [int(i) for i in np.argsort(margin, kind="stable")[: max(0, count)]]
    made = [best]
    for i in unsure:                                           # 1. one cell changed
        g = best.copy()
        g.flat[i] = second.flat[i]
        made.append(g)
    for a in range(len(unsure)):                               # 2. two cells changed
        for b in range(a + 1, len(unsure)):
            g = best.copy()
            g.flat[unsure[a]] = second.flat[unsure[a]]
            g.flat[unsure[b]] = second.flat[unsure[b]]
            made.append(g)
    scored = [(log_likelihood(avg, g), k, g) for k, g in enumerate(made)]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [g for _, _, g in scored[:count]]
