"""Ordering primitives: lines reordered by how full they are, the content of each line reversed, the
fullest (or emptiest) line picked out.

Like ``reshape``, these are generic grid operations found missing by the synthetic battery
(``benchmarks/battery.py``), not by reading tasks. The ``order`` family offers each only when the
demonstrations call for it: outputs that are a reordering of their input's rows (columns), rows that
keep their filled cells but not their colours' order, outputs that are one line of their input. Names are
the text a program shows: ``"sort_lines(rows, most)"``, ``"reverse_content(cols)"``,
``"pick_line(rows, fewest)"``.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import background, same_size

AXES = ("rows", "cols")
ENDS = ("most", "fewest")  # sort_lines(most): the fullest line first; pick_line(most): the fullest line


def _lines(grid: Grid, axis: str) -> Grid:
    """The grid with the lines of ``axis`` as its rows (a transposed view for ``cols``)."""
    return grid if axis == "rows" else grid.T


def _filled(lines: Grid, bg: int) -> list[int]:
    """How many non-background cells each row of ``lines`` holds."""
    return [int(n) for n in (lines != bg).sum(axis=1)]


def sort_lines(grid: Grid, axis: str, end: str) -> Grid | None:
    """The rows (``axis="rows"``) or columns reordered by how many non-background cells they hold, the
    fullest first (``end="most"``) or the emptiest first; lines that tie keep their order. None when the
    order does not change."""
    lines = _lines(grid, axis)
    counts = _filled(lines, background(grid))
    sign = -1 if end == "most" else 1
    order = sorted(range(len(counts)), key=lambda i: (sign * counts[i], i))
    if order == list(range(len(counts))):
        return None
    out = lines[order]
    return np.ascontiguousarray(out if axis == "rows" else out.T)


def reverse_content(grid: Grid, axis: str) -> Grid | None:
    """In every row (``axis="rows"``) or column, the non-background cells' colours in reverse order, each
    filled cell staying where it is. None when nothing changes."""
    lines = _lines(grid, axis).copy()
    bg = background(grid)
    for r in range(lines.shape[0]):
        filled = np.flatnonzero(lines[r] != bg)
        lines[r, filled] = lines[r, filled[::-1]]
    out = np.ascontiguousarray(lines if axis == "rows" else lines.T)
    return None if np.array_equal(out, grid) else out


def pick_line(grid: Grid, axis: str, end: str) -> Grid | None:
    """The one row (``axis="rows"``, a 1 x w grid) or column (h x 1) with the most (``end="most"``) or the
    fewest non-background cells. None when two lines tie for it."""
    lines = _lines(grid, axis)
    counts = _filled(lines, background(grid))
    best = max(counts) if end == "most" else min(counts)
    if counts.count(best) != 1:
        return None
    row = lines[counts.index(best)][None, :]
    return np.ascontiguousarray(row if axis == "rows" else row.T)


def _sorted_lines(grid: Grid, axis: str) -> list[bytes]:
    """The grid's lines of ``axis`` as bytes, sorted: equal for two grids whose lines are a reordering."""
    return sorted(line.tobytes() for line in _lines(grid, axis))


def _reorders_lines(ctx: TaskContext, axis: str) -> bool:
    """Every demonstration output is its input with the lines of ``axis`` reordered, and one changes."""
    changed = False
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        if _sorted_lines(gi, axis) != _sorted_lines(go, axis):
            return False
        changed = changed or not np.array_equal(gi, go)
    return changed


def _keeps_filled_cells(ctx: TaskContext, axis: str) -> bool:
    """Every demonstration output has its input's background cells, and each of its lines of ``axis``
    holds its input line's colours (in some order); one output differs from its input."""
    changed = False
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        bg = background(gi)
        if not np.array_equal(gi == bg, go == bg):
            return False
        for line_in, line_out in zip(_lines(gi, axis), _lines(go, axis)):
            if sorted(line_in.tolist()) != sorted(line_out.tolist()):
                return False
        changed = changed or not np.array_equal(gi, go)
    return changed


def _is_line_of_input(ctx: TaskContext, axis: str) -> bool:
    """Every demonstration output is one whole line of ``axis`` of its input."""
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        line = go if axis == "rows" else go.T
        if line.shape[0] != 1:
            return False
        if not any(np.array_equal(line[0], row) for row in _lines(gi, axis)):
            return False
    return bool(ctx.train_inputs)


def order_family(ctx: TaskContext) -> list[Primitive]:
    """sort_lines when every output reorders its input's lines; reverse_content when every output keeps
    its input's filled cells and each line's colours; pick_line when every output is one input line."""
    prims: list[Primitive] = []
    same = same_size(ctx)
    for axis in AXES:
        if same and _reorders_lines(ctx, axis):
            for end in ENDS:
                prims.append(Primitive(f"sort_lines({axis}, {end})", lambda g, a=axis, e=end: sort_lines(g, a, e)))
        if same and _keeps_filled_cells(ctx, axis):
            prims.append(Primitive(f"reverse_content({axis})", lambda g, a=axis: reverse_content(g, a)))
        if _is_line_of_input(ctx, axis):
            for end in ENDS:
                prims.append(Primitive(f"pick_line({axis}, {end})", lambda g, a=axis, e=end: pick_line(g, a, e)))
    return prims
