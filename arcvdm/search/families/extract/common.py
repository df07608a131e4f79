"""Helpers shared by the ``extract_*`` modules: whether a size fits an output, and the counts of a grid.
(Whether a primitive reproduces the demonstrations: ``dsl.reproduces``; whether the outputs keep the inputs'
shapes: ``facts.same_size``.)
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.facts import background, colour_counts
from arcvdm.search.objects import View, objects_of

# --- helpers --------------------------------------------------------------------------------------------

def fits(size: tuple[int, int] | None, out_shape: tuple[int, int]) -> bool:
    """A grid of ``size`` could become an output of ``out_shape``: same, transposed, or scaled up evenly."""
    if size is None:
        return False
    (h, w), (oh, ow) = size, out_shape
    if (h, w) in ((oh, ow), (ow, oh)):
        return True
    return oh % h == 0 and ow % w == 0 and oh // h == ow // w


def _grid_bg(grid: Grid, bg: int | None) -> int:
    return background(grid) if bg is None else bg


# --- 0. counts of a grid ----------------------------------------------------------------------------------

def _count_cells(grid: Grid) -> int:
    return int(np.count_nonzero(grid))


def _count_colours(grid: Grid) -> int:
    return len(set(np.unique(grid).tolist()) - {0})


def _object_counter(view: View) -> Callable[[Grid], int]:
    return lambda grid: len(objects_of(grid, view))


# Quantities are read with colour 0 as the background: a count task's "empty" cells are black, and its
# filled cells may outnumber them (a most-frequent-colour background would then count the wrong cells).
QUANTITIES: dict[str, Callable[[Grid], int]] = {
    "cells": _count_cells,
    "colours": _count_colours,
    "objects(conn=4)": _object_counter(View(4, False, 0)),
    "objects(conn=8)": _object_counter(View(8, False, 0)),
    "objects(conn=8, multi)": _object_counter(View(8, True, 0)),
}


def _own_colour(grid: Grid) -> int | None:
    """The most frequent non-zero colour (None: the grid is all zero, or two colours tie)."""
    counts = colour_counts(grid)
    counts[0] = 0
    best = int(counts.max())
    if best == 0 or int(np.count_nonzero(counts == best)) > 1:
        return None
    return int(np.argmax(counts))
