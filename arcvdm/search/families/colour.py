"""Colour primitives: recolour, keep or erase one colour, swap two, majority fill, colour counts as small grids.

Parameters come from the task's colours (``TaskContext``: demonstrations and test inputs only): a
recolour ``a -> b`` takes ``a`` from the inputs and ``b`` from the demonstration outputs, and only where
the demonstrations suggest it (``a`` disappears or ``b`` appears). The count-to-grid primitives are
offered only when every demonstration output is small (at most ``SMALL`` cells a side).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import background, colour_counts

SMALL = 10  # outputs at most this many cells a side may be "colour counts as a grid"


def recolour(grid: Grid, a: int, b: int) -> Grid | None:
    """Every cell of colour ``a`` becomes ``b``; None when the grid has no ``a``."""
    mask = grid == a
    if not mask.any():
        return None
    out = grid.copy()
    out[mask] = b
    return out


def keep(grid: Grid, c: int, bg: int = 0) -> Grid | None:
    """Only colour ``c`` stays; every other cell becomes ``bg``. None when the grid has no ``c``."""
    mask = grid == c
    if not mask.any():
        return None
    return np.where(mask, grid, np.uint8(bg)).astype(np.uint8)


def swap(grid: Grid, a: int, b: int) -> Grid:
    """Exchange colours ``a`` and ``b``."""
    out = grid.copy()
    out[grid == a] = b
    out[grid == b] = a
    return out


def ranked_colours(grid: Grid, skip_background: bool = True) -> list[int]:
    """Colours present, most frequent first (ties: lower colour first), the background left out if asked."""
    counts = colour_counts(grid)
    bg = background(grid)
    order = sorted((int(c) for c in np.flatnonzero(counts)), key=lambda c: (-counts[c], c))
    return [c for c in order if not (skip_background and c == bg)]


def fill_with(grid: Grid, which: str) -> Grid | None:
    """The whole grid painted with its most (``major``) or least (``minor``) frequent non-background colour."""
    ranked = ranked_colours(grid)
    if not ranked:
        return None
    colour = ranked[0] if which == "major" else ranked[-1]
    return np.full_like(grid, colour)


def recolour_nonbg(grid: Grid, which: str) -> Grid | None:
    """Every non-background cell painted with the most/least frequent non-background colour."""
    ranked = ranked_colours(grid)
    if not ranked:
        return None
    colour = ranked[0] if which == "major" else ranked[-1]
    out = grid.copy()
    out[grid != background(grid)] = colour
    return out


def colour_cell(grid: Grid, which: str) -> Grid | None:
    """A 1x1 grid of the most/least frequent non-background colour."""
    ranked = ranked_colours(grid)
    if not ranked:
        return None
    colour = ranked[0] if which == "major" else ranked[-1]
    return np.full((1, 1), colour, dtype=np.uint8)


def colour_list(grid: Grid, axis: str) -> Grid | None:
    """The non-background colours, most frequent first, as one row (``row``) or column (``col``)."""
    ranked = ranked_colours(grid)
    if not ranked or len(ranked) > 30:
        return None
    line = np.array([ranked], dtype=np.uint8)
    return line if axis == "row" else line.T.copy()


def count_bar(grid: Grid, colour: int, axis: str) -> Grid | None:
    """A 1 x n row (or n x 1 column) of ``colour``, n = the number of cells of that colour (1-30)."""
    n = int((grid == colour).sum())
    if not 1 <= n <= 30:
        return None
    return np.full((1, n) if axis == "row" else (n, 1), colour, dtype=np.uint8)


def count_bar_all(grid: Grid, axis: str) -> Grid | None:
    """A 1 x n row (or column) of the main non-background colour, n = all non-background cells (1-30)."""
    ranked = ranked_colours(grid)
    if not ranked:
        return None
    n = int((grid != background(grid)).sum())
    if not 1 <= n <= 30:
        return None
    return np.full((1, n) if axis == "row" else (n, 1), ranked[0], dtype=np.uint8)


def histogram(grid: Grid) -> Grid | None:
    """One column per non-background colour (most frequent first), filled from the bottom by its count."""
    ranked = ranked_colours(grid)
    if not ranked:
        return None
    counts = colour_counts(grid)
    height = int(counts[ranked[0]])
    if height > 30 or len(ranked) > 30:
        return None
    out = np.full((height, len(ranked)), background(grid), dtype=np.uint8)
    for j, c in enumerate(ranked):
        out[height - int(counts[c]) :, j] = c
    return out


def colour_family(ctx: TaskContext) -> list[Primitive]:
    """Recolour / keep / erase / swap with the task's colours; majority fills; colour counts as grids."""
    cin, cout = ctx.colours_in(), ctx.colours_out()
    prims: list[Primitive] = []
    for a in cin:
        for b in cout:
            if a != b and (a not in cout or b not in cin):
                prims.append(Primitive(f"recolour({a}->{b})", lambda g, x=a, y=b: recolour(g, x, y)))
    for c in cin:
        if c != 0:
            prims.append(Primitive(f"keep({c})", lambda g, x=c: keep(g, x)))
            prims.append(Primitive(f"erase({c})", lambda g, x=c: recolour(g, x, 0)))
    nonzero = [c for c in cin if c != 0]
    if len(nonzero) <= 4:
        for i, a in enumerate(nonzero):
            for b in nonzero[i + 1 :]:
                prims.append(Primitive(f"swap({a},{b})", lambda g, x=a, y=b: swap(g, x, y)))
    for which in ("major", "minor"):
        prims.append(Primitive(f"fill({which})", lambda g, w=which: fill_with(g, w)))
        prims.append(Primitive(f"paint({which})", lambda g, w=which: recolour_nonbg(g, w)))
    small = all(g.shape[0] <= SMALL and g.shape[1] <= SMALL for g in ctx.train_outputs)
    if small:
        for which in ("major", "minor"):
            prims.append(Primitive(f"colour_cell({which})", lambda g, w=which: colour_cell(g, w)))
        prims.append(Primitive("colour_list(row)", lambda g: colour_list(g, "row")))
        prims.append(Primitive("colour_list(col)", lambda g: colour_list(g, "col")))
        prims.append(Primitive("histogram", histogram))
        prims.append(Primitive("count_bar(all, row)", lambda g: count_bar_all(g, "row")))
        prims.append(Primitive("count_bar(all, col)", lambda g: count_bar_all(g, "col")))
        for c in cin:
            if c != 0 and c in cout:
                prims.append(Primitive(f"count_bar({c}, row)", lambda g, x=c: count_bar(g, x, "row")))
                prims.append(Primitive(f"count_bar({c}, col)", lambda g, x=c: count_bar(g, x, "col")))
    return prims
