"""The ``continue_to_size`` fitter: the output is the produced grid continued past its edges by its own
translation symmetry, to a size learned from the demonstrations.

A picture that repeats with a shift (a staircase, stripes, a motif every k rows) is extended downwards by
its **step** (dy, dx): the smallest dy >= 1 with dx = 0 (a plain period) under which every cell equals
the cell dy rows above and dx columns to the left wherever both are inside the grid; only when no plain
period exists, the smallest |dx| then dy (a shifted one: a checkerboard is a plain period 2, not a
diagonal shift 1). New rows copy the row
dy above, shifted by dx; a cell whose source lies outside the grid gets the background. Widening works the
same way on the transposed grid, and runs first, so that the new rows copy full-width rows.

The output size comes from one rule per axis (``axis_rule``), learned from every demonstration: a
constant when all outputs agree, else a whole multiple of the produced size, else the produced size plus
a constant. The fitter applies only where every demonstration output is at least as large as the produced
grid on both axes and larger on one, and one corner of every output (the same for all, top left first)
is the produced grid: the picture is continued away from that corner.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid, grids_equal
from arcvdm.search.dsl import Primitive
from arcvdm.search.facts import background


def axis_rule(produced: list[int], outputs: list[int]) -> tuple[str, int] | None:
    """The rule giving an output side from a produced side, the same for every demonstration.

    ``("const", n)`` when every output side is n; else ``("times", k)`` for a whole k >= 2; else
    ``("plus", c)``; None when none holds."""
    if len(set(outputs)) == 1:
        return ("const", outputs[0])
    ks = {o // p if o % p == 0 else -1 for p, o in zip(produced, outputs)}
    if len(ks) == 1 and min(ks) >= 2:
        return ("times", ks.pop())
    cs = {o - p for p, o in zip(produced, outputs)}
    if len(cs) == 1:
        return ("plus", cs.pop())
    return None


def apply_rule(rule: tuple[str, int], side: int) -> int:
    """The output side the rule gives for a produced side."""
    kind, n = rule
    if kind == "const":
        return n
    if kind == "times":
        return side * n
    if kind == "plus":
        return side + n
    raise ValueError(f"unknown size rule {kind!r}; choose const, times or plus")


def downward_step(grid: Grid) -> tuple[int, int] | None:
    """The step (dy, dx), dy >= 1, with grid[i, j] == grid[i - dy, j - dx] wherever both cells exist:
    dx = 0 with the smallest dy, else the smallest |dx| (at most half the width, + before -) then dy;
    None when only a step leaving no overlap would do."""
    h, w = grid.shape
    shifts = [0]
    for d in range(1, w // 2 + 1):
        shifts.extend((d, -d))
    for dx in shifts:
        for dy in range(1, h):
            lo, hi = max(0, dx), min(w, w + dx)  # columns j whose source j - dx is inside
            if np.array_equal(grid[dy:, lo:hi], grid[: h - dy, lo - dx : hi - dx]):
                return dy, dx
    return None


def extend_down(grid: Grid, rows: int, step: tuple[int, int], fill: int) -> Grid:
    """``grid`` with rows appended up to ``rows``, each the row dy above shifted by dx (``fill`` where the
    source is outside)."""
    h, w = grid.shape
    dy, dx = step
    out = np.full((rows, w), fill, dtype=grid.dtype)
    out[:h] = grid
    for i in range(h, rows):
        src = out[i - dy]
        if dx >= 0:
            out[i, dx:] = src[: w - dx]
        else:
            out[i, : w + dx] = src[-dx:]
    return out


def continue_grid(grid: Grid, size: tuple[int, int]) -> Grid | None:
    """``grid`` continued by its steps to ``size`` (rows, columns), widened first; None when it would
    have to shrink or has no step along an axis that grows."""
    h, w = grid.shape
    rows, cols = size
    if rows < h or cols < w or rows > MAX_SIZE or cols > MAX_SIZE or (rows, cols) == (h, w):
        return None
    fill = background(grid)
    out = grid
    if cols > w:
        step = downward_step(out.T)
        if step is None:
            return None
        out = extend_down(np.ascontiguousarray(out.T), cols, step, fill).T
    if rows > h:
        step = downward_step(out)
        if step is None:
            return None
        out = extend_down(out, rows, step, fill)
    return np.ascontiguousarray(out)


# where the produced grid sits in the output: the flips (rows, columns) that bring that corner to the top left
CORNERS = {"top_left": (False, False), "top_right": (False, True), "bottom_left": (True, False),
           "bottom_right": (True, True)}


def _flip(grid: Grid, flips: tuple[bool, bool]) -> Grid:
    if flips[0]:
        grid = grid[::-1]
    if flips[1]:
        grid = grid[:, ::-1]
    return np.ascontiguousarray(grid)


def _grows(p: Grid, o: Grid) -> bool:
    """The output is at least the produced grid's size both ways, and larger one way."""
    return o.shape[0] >= p.shape[0] and o.shape[1] >= p.shape[1] and o.shape != p.shape


def _sits_at(p: Grid, o: Grid, bottom: bool, right: bool) -> bool:
    """The output's corner block (bottom or top, right or left) equals the produced grid; its first cell first."""
    (h, w), (oh, ow) = p.shape, o.shape
    top, left = (oh - h if bottom else 0), (ow - w if right else 0)
    return o[top, left] == p[0, 0] and grids_equal(o[top : top + h, left : left + w], p)


def _corner(produced: list[Grid], outputs: list[Grid]) -> str | None:
    """The first corner of ``CORNERS`` at which every produced grid is its (larger) output's corner."""
    if not all(map(_grows, produced, outputs)):
        return None
    for name, (bottom, right) in CORNERS.items():
        if all(_sits_at(p, o, bottom, right) for p, o in zip(produced, outputs)):
            return name
    return None


def pair_continue(produced: Grid, output: Grid) -> bool:
    """One demonstration's produced grid is a corner of its larger output (every demonstration's is, at the
    same corner, when ``fit_continue`` fits): ``_corner`` of this one pair."""
    return _grows(produced, output) and any(_sits_at(produced, output, b, r) for b, r in CORNERS.values())


def fit_continue(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """The output is the produced grid continued by its own translation steps to a learned size, away from
    the corner of the output where every produced grid sits (flipped to the top left, continued, flipped
    back)."""
    corner = _corner(produced, outputs)  # cheap shape and corner test first
    if corner is None:
        return None
    rule_h = axis_rule([p.shape[0] for p in produced], [o.shape[0] for o in outputs])
    rule_w = axis_rule([p.shape[1] for p in produced], [o.shape[1] for o in outputs])
    if rule_h is None or rule_w is None:
        return None

    def grow(g: Grid, rh: tuple[str, int] = rule_h, rw: tuple[str, int] = rule_w,
             flips: tuple[bool, bool] = CORNERS[corner]) -> Grid | None:
        out = continue_grid(_flip(g, flips), (apply_rule(rh, g.shape[0]), apply_rule(rw, g.shape[1])))
        return None if out is None else _flip(out, flips)

    for p, o in zip(produced, outputs):
        got = grow(p)
        if got is None or got.shape != o.shape or not np.array_equal(got, o):
            return None
    at = "" if corner == "top_left" else f", from {corner}"
    return Primitive(f"continue_to({rule_h[0]} {rule_h[1]}, {rule_w[0]} {rule_w[1]}{at})", grow)
