"""Other-size tasks that choose: small outputs picked or built by a rule.

Two themes, each fitted against the demonstrations inside the family so a task gets only the few
primitives that reproduce every demonstration:

- **trails** — the input stamped again and again along one of eight directions on a canvas whose size is a
  multiple of an input measure (a row sliding into a diagonal, a shape drawn as a staircase, a row growing
  one cell per line);
- **picked colour** — a 1x1 output naming one colour chosen by a rule (the colour enclosed by a ring of
  another, the region colour touched by the most marker cells).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.search.dsl import Primitive, TaskContext, answers_key, reproduces
from arcvdm.search.facts import same_size

MAX_PRIMS = 15
DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))
CORNERS = ("top_left", "top_right", "bottom_left", "bottom_right")
RATIOS = (Fraction(1, 2), Fraction(1), Fraction(2), Fraction(3), Fraction(4), Fraction(5))


def _applies_to_tests(prim: Primitive, ctx: TaskContext) -> bool:
    return all(prim(t) is not None for t in ctx.test_inputs)


# --- measures for a canvas side ------------------------------------------------------------------------

MEASURES: dict[str, Callable[[Grid], int]] = {
    "h": lambda g: int(g.shape[0]),
    "w": lambda g: int(g.shape[1]),
    "w*cells": lambda g: int(g.shape[1]) * int(np.count_nonzero(g)),
    "h*cells": lambda g: int(g.shape[0]) * int(np.count_nonzero(g)),
}


def _side(grid: Grid, measure: str, ratio: Fraction) -> int | None:
    value = MEASURES[measure](grid) * ratio
    return int(value) if value.denominator == 1 and 1 <= value <= MAX_SIZE else None


def _fit_sides(ctx: TaskContext, axis: int) -> list[tuple[str, Fraction]]:
    """(measure, ratio) pairs giving every demonstration output's side along ``axis``."""
    fits = []
    for measure in MEASURES:
        for ratio in RATIOS:
            if all(_side(i, measure, ratio) == o.shape[axis]
                   for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
                fits.append((measure, ratio))
    return fits


# --- trails --------------------------------------------------------------------------------------------

def trail(dy: int, dx: int, corner: str, grow: bool, rows: tuple[str, Fraction],
          cols: tuple[str, Fraction]) -> Primitive:
    """Stamp the input's non-zero cells on a zero canvas of size ``rows`` x ``cols`` (each a measure of
    the input times a ratio), first at ``corner``, then again one step of (``dy``, ``dx``) further each
    time while a stamp still meets the canvas; later stamps paint over earlier ones. With ``grow`` stamp
    k moves k steps along the rows only and is smeared across k+1 column steps (a bar lengthening by one
    cell a line). Returns None when a side is not a whole number in 1..30 or the input is all zero."""
    if corner not in CORNERS:
        raise ValueError(f"trail corner must be one of {CORNERS}, got {corner!r}")
    if (dy, dx) not in DIRECTIONS:
        raise ValueError(f"trail direction must be one of {DIRECTIONS}, got {(dy, dx)}")

    def fn(grid: Grid) -> Grid | None:
        height, width = _side(grid, *rows), _side(grid, *cols)
        if height is None or width is None or not grid.any():
            return None
        h, w = grid.shape
        r0 = 0 if corner.startswith("top") else height - h
        c0 = 0 if corner.endswith("left") else width - w
        out = np.zeros((height, width), dtype=np.uint8)
        ys, xs = np.nonzero(grid)
        colours = grid[ys, xs]
        for k in range(2 * MAX_SIZE + 1):
            shifts = [(k * dy, j * dx) for j in range(k + 1)] if grow else [(k * dy, k * dx)]
            met = False
            for sy, sx in shifts:
                yy, xx = ys + r0 + sy, xs + c0 + sx
                inside = (yy >= 0) & (yy < height) & (xx >= 0) & (xx < width)
                if inside.any():
                    met = True
                    out[yy[inside], xx[inside]] = colours[inside]
            if not met and k > 0:
                break
        return out

    def side_text(side: tuple[str, Fraction]) -> str:
        return side[0] if side[1] == 1 else f"{side[0]}*{side[1]}"

    mode = "grow" if grow else "stamp"
    name = f"trail(({dy},{dx}), {corner}, {mode}, {side_text(rows)} x {side_text(cols)})"
    return Primitive(name, fn)


def _trail_candidates(ctx: TaskContext) -> list[Primitive]:
    row_fits, col_fits = _fit_sides(ctx, 0), _fit_sides(ctx, 1)
    if not row_fits or not col_fits:
        return []
    rows, cols = row_fits[0], col_fits[0]          # the first fit in measure order: the simplest
    found, seen = [], set()
    for dy, dx in DIRECTIONS:
        for corner in CORNERS:
            for grow in (False, True):
                prim = trail(dy, dx, corner, grow, rows, cols)
                if not (reproduces(prim, ctx) and _applies_to_tests(prim, ctx)):
                    continue
                key = answers_key(prim, ctx.test_inputs)
                if key not in seen:                    # the same answers as a trail already kept: drop it
                    seen.add(key)
                    found.append(prim)
                    if len(found) >= 4:
                        return found
    return found


# --- picked colour -------------------------------------------------------------------------------------

def _enclosed(grid: Grid) -> int | None:
    """The colour of the cells whose eight neighbours all exist and share one other non-zero colour, when
    every such cell has the same colour."""
    h, w = grid.shape
    found: set[int] = set()
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            ring = np.delete(grid[y - 1:y + 2, x - 1:x + 2].ravel(), 4)
            c = int(grid[y, x])
            if ring[0] != 0 and ring[0] != c and np.all(ring == ring[0]):
                found.add(c)
    return found.pop() if len(found) == 1 else None


def _marked_region(grid: Grid) -> int | None:
    """The marker is the rarest colour; the answer is the other colour that the most marker cells touch
    (4-neighbours), when one colour leads strictly."""
    colours, counts = np.unique(grid, return_counts=True)
    if len(colours) < 3 or np.sum(counts == counts.min()) != 1:
        return None
    marker = int(colours[np.argmin(counts)])
    h, w = grid.shape
    touches: dict[int, int] = {}
    for y, x in zip(*np.nonzero(grid == marker)):
        near = {int(grid[ny, nx]) for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1))
                if 0 <= ny < h and 0 <= nx < w and grid[ny, nx] != marker}
        for c in near:
            touches[c] = touches.get(c, 0) + 1
    if not touches:
        return None
    best = max(touches.values())
    leaders = [c for c, n in touches.items() if n == best]
    return leaders[0] if len(leaders) == 1 else None


PICKS: dict[str, Callable[[Grid], int | None]] = {
    "enclosed": _enclosed,
    "marked_region": _marked_region,
}


def pick_colour(rule: str) -> Primitive:
    """A 1x1 grid holding the colour that ``rule`` (a key of ``PICKS``) picks; None when it picks none."""
    if rule not in PICKS:
        raise ValueError(f"pick_colour rule must be one of {sorted(PICKS)}, got {rule!r}")
    pick = PICKS[rule]

    def fn(grid: Grid) -> Grid | None:
        c = pick(grid)
        return None if c is None else np.full((1, 1), c, dtype=np.uint8)

    return Primitive(f"pick_colour({rule})", fn)


def _pick_candidates(ctx: TaskContext) -> list[Primitive]:
    if any(o.shape != (1, 1) for o in ctx.train_outputs):
        return []
    return [p for p in (pick_colour(rule) for rule in PICKS) if reproduces(p, ctx)]


def choose_family(ctx: TaskContext) -> list[Primitive]:
    """Trails and picked colours, fitted to the demonstrations, for tasks whose outputs change size."""
    if same_size(ctx):
        return []
    prims = _trail_candidates(ctx)
    prims += _pick_candidates(ctx)
    return prims[:MAX_PRIMS]
