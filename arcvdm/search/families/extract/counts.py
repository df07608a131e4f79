"""Outputs drawn from counts: colour lists and histograms, counts drawn in a learned order or in the
input's own colour, and the grid scaled up or tiled by a count (``extract.py`` sections 1-3).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.search.dsl import Primitive, TaskContext, reproduces
from arcvdm.search.families.extract.common import QUANTITIES, _grid_bg, _own_colour
from arcvdm.search.objects import View, objects_of

# --- 1. colour lists and histograms -----------------------------------------------------------------------

ORDERS = ("most", "fewest", "left", "top")
UNITS = ("cells", "objects")
KEEPS = ("all", "drop_first", "max_only", "first")
LIST_LAYOUTS = ("row", "col", "bars_down", "bars_right")


def colour_stats(grid: Grid, bg: int | None, unit: str) -> dict[int, tuple[int, int, int]]:
    """For each colour but the background: (count, first row, first column); count in cells or objects."""
    b = _grid_bg(grid, bg)
    stats: dict[int, tuple[int, int, int]] = {}
    for c in np.unique(grid).tolist():
        if c == b:
            continue
        rows, cols = np.nonzero(grid == c)
        stats[int(c)] = (len(rows), int(rows.min()), int(cols.min()))
    if unit == "objects":
        view = View(8, False, b)
        counts: dict[int, int] = {}
        for o in objects_of(grid, view):
            counts[o.colour] = counts.get(o.colour, 0) + 1
        stats = {c: (counts.get(c, 0), r, k) for c, (_, r, k) in stats.items()}
    elif unit != "cells":
        raise ValueError(f"unknown colour-count unit {unit!r}; choose one of {UNITS}")
    return stats


def ordered_colours(grid: Grid, bg: int | None, unit: str, order: str, keep: str) -> list[tuple[int, int]] | None:
    """(colour, count) pairs in ``order``, filtered by ``keep``; None when a count tie makes the order
    ambiguous or nothing is left."""
    stats = colour_stats(grid, bg, unit)
    if not stats:
        return None
    if order in ("most", "fewest"):
        counts = [s[0] for s in stats.values()]
        if len(set(counts)) < len(counts) and keep != "max_only":
            return None
        sign = -1 if order == "most" else 1
        ranked = sorted(stats, key=lambda c: (sign * stats[c][0], stats[c][2], stats[c][1]))
    elif order == "left":
        ranked = sorted(stats, key=lambda c: (stats[c][2], stats[c][1]))
    elif order == "top":
        ranked = sorted(stats, key=lambda c: (stats[c][1], stats[c][2]))
    else:
        raise ValueError(f"unknown colour order {order!r}; choose one of {ORDERS}")
    if keep == "drop_first":
        ranked = ranked[1:]
    elif keep == "first":
        ranked = ranked[:1]
    elif keep == "max_only":
        top = max(stats[c][0] for c in ranked)
        ranked = [c for c in ranked if stats[c][0] == top]
    elif keep != "all":
        raise ValueError(f"unknown colour filter {keep!r}; choose one of {KEEPS}")
    return [(c, stats[c][0]) for c in ranked] or None


def draw_list(pairs: list[tuple[int, int]], layout: str) -> Grid | None:
    """(colour, count) pairs as a row or a column of colours, or as bars of ``count`` cells on colour 0
    (``bars_down``: one column per colour, filled from the top; ``bars_right``: one row, from the left)."""
    n = len(pairs)
    if n > MAX_SIZE:
        return None
    if layout == "row":
        return np.array([[c for c, _ in pairs]], dtype=np.uint8)
    if layout == "col":
        return np.array([[c] for c, _ in pairs], dtype=np.uint8)
    if layout not in ("bars_down", "bars_right"):
        raise ValueError(f"unknown list layout {layout!r}; choose one of {LIST_LAYOUTS}")
    longest = max(k for _, k in pairs)
    if longest < 1 or longest > MAX_SIZE:
        return None
    out = np.zeros((longest, n), dtype=np.uint8)         # (length, colours): bars_down
    for j, (c, k) in enumerate(pairs):
        out[:k, j] = c
    return out if layout == "bars_down" else np.ascontiguousarray(out.T)


def colour_list(bg: int | None, unit: str, order: str, keep: str, layout: str) -> Primitive:
    """The input's colours ordered and filtered by a rule, drawn by ``draw_list``."""

    def fn(grid: Grid) -> Grid | None:
        pairs = ordered_colours(grid, bg, unit, order, keep)
        return None if pairs is None else draw_list(pairs, layout)

    bg_text = "bg=own" if bg is None else f"bg={bg}"
    return Primitive(f"colour_list({order}, {unit}, {keep}, {layout}, {bg_text})", fn)


def colour_line(bg: int | None) -> Primitive:
    """The input's colours in the order they are laid out: a row sorted by mean column when their mean
    columns spread wider than their mean rows, else a column sorted by mean row."""

    def fn(grid: Grid) -> Grid | None:
        b = _grid_bg(grid, bg)
        centres = []
        for c in np.unique(grid).tolist():
            if c != b:
                rows, cols = np.nonzero(grid == c)
                centres.append((float(rows.mean()), float(cols.mean()), int(c)))
        if not 2 <= len(centres) <= MAX_SIZE:
            return None
        spread_r = max(r for r, _, _ in centres) - min(r for r, _, _ in centres)
        spread_c = max(k for _, k, _ in centres) - min(k for _, k, _ in centres)
        if spread_r == spread_c:
            return None
        if spread_c > spread_r:
            return np.array([[c for _, _, c in sorted(centres, key=lambda t: t[1])]], dtype=np.uint8)
        return np.array([[c] for _, _, c in sorted(centres)], dtype=np.uint8)

    return Primitive(f"colour_line({'bg=own' if bg is None else f'bg={bg}'})", fn)


def _list_candidates(ctx: TaskContext) -> list[Primitive]:
    # an output colour the input lacks rules a list out (bars add only colour 0)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if not set(np.unique(o).tolist()) <= set(np.unique(i).tolist()) | {0}:
            return []
    prims = []
    for bg in (0, None):
        prim = colour_line(bg)
        if reproduces(prim, ctx):
            return [prim]
        for unit in UNITS:
            for order in ORDERS:
                if unit == "objects" and order in ("left", "top"):
                    continue                      # positions do not depend on the unit
                for keep in KEEPS:
                    for layout in LIST_LAYOUTS:
                        prim = colour_list(bg, unit, order, keep, layout)
                        if reproduces(prim, ctx):
                            return [prim]         # the first that fits: later ones only rename it
    return prims


# --- 2. counts drawn in a learned order, or in the input's own colour ----------------------------------

def learn_fill_order(counts: list[int], outputs: tuple[Grid, ...]) -> list[int] | None:
    """Rank of every cell of the (common) output shape: the smallest count whose output fills it
    (MAX_SIZE**2 + 1 for a cell never filled); None when the filled sets are not nested by count, or
    an output's filled cells are not exactly ``count`` many."""
    shape = outputs[0].shape
    never = MAX_SIZE * MAX_SIZE + 1
    rank = [never] * (shape[0] * shape[1])
    ordered = sorted(range(len(counts)), key=lambda k: counts[k])
    previous: set[int] = set()
    for k in ordered:
        filled = set(np.flatnonzero(outputs[k].ravel() != 0).tolist())
        if len(filled) != counts[k] or not previous <= filled:
            return None
        for p in filled - previous:
            rank[p] = counts[k]
        previous = filled
    return rank


def count_order(quantity: str, rank: list[int], shape: tuple[int, int], colour: int) -> Primitive:
    """Fill the cells whose rank is at most n (n = the quantity of the input) with ``colour``; None when
    no demonstration showed which cells a count of n fills."""
    measure = QUANTITIES[quantity]
    ranks = np.array(rank, dtype=np.int64)

    def fn(grid: Grid) -> Grid | None:
        n = measure(grid)
        filled = ranks <= n
        if int(np.count_nonzero(filled)) != n:          # no demonstration showed where a count of n ends
            return None
        out = np.where(filled, np.uint8(colour), np.uint8(0)).astype(np.uint8)
        return out.reshape(shape)

    return Primitive(f"count_order({quantity}, {colour}, {shape[0]}x{shape[1]})", fn)


def count_line(quantity: str, vertical: bool) -> Primitive:
    """A row (or column) of n cells in the input's own colour, n = the quantity of the input."""
    measure = QUANTITIES[quantity]

    def fn(grid: Grid) -> Grid | None:
        n = measure(grid)
        colour = _own_colour(grid)
        if colour is None or not 1 <= n <= MAX_SIZE:
            return None
        return np.full((n, 1) if vertical else (1, n), colour, dtype=np.uint8)

    return Primitive(f"count_{'col' if vertical else 'row'}({quantity}, own colour)", fn)


def _count_candidates(ctx: TaskContext) -> list[Primitive]:
    outs = ctx.train_outputs
    prims: list[Primitive] = []
    painted = {int(c) for o in outs for c in np.unique(o) if c != 0}
    if len(painted) != 1 or any(o.size > 100 for o in outs):
        return prims
    colour = next(iter(painted))
    same_shape = len({o.shape for o in outs}) == 1
    for quantity, measure in QUANTITIES.items():
        counts = [measure(g) for g in ctx.train_inputs]
        if same_shape and len(set(counts)) > 1:
            rank = learn_fill_order(counts, outs)
            if rank is not None:
                prim = count_order(quantity, rank, outs[0].shape, colour)
                if reproduces(prim, ctx):
                    prims.append(prim)
        for vertical in (False, True):
            prim = count_line(quantity, vertical)
            if reproduces(prim, ctx):
                prims.append(prim)
    return prims


# --- 3. scale or tile by a count ----------------------------------------------------------------------

def scale_by(quantity: str, tile: bool) -> Primitive:
    """Scale each cell up to a k x k block (``tile``: repeat the grid k x k times), k = the quantity."""
    measure = QUANTITIES[quantity]

    def fn(grid: Grid) -> Grid | None:
        k = measure(grid)
        h, w = grid.shape
        if k < 1 or h * k > MAX_SIZE or w * k > MAX_SIZE:
            return None
        if tile:
            return np.tile(grid, (k, k))
        return np.repeat(np.repeat(grid, k, axis=0), k, axis=1)

    return Primitive(f"{'tile' if tile else 'scale'}_by({quantity})", fn)


def _scale_candidates(ctx: TaskContext) -> list[Primitive]:
    factors = []
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        (h, w), (oh, ow) = i.shape, o.shape
        if oh % h or ow % w or oh // h != ow // w:
            return []
        factors.append(oh // h)
    if len(set(factors)) < 2:
        return []                                  # one fixed factor: geometry's scale_up / tile
    prims = []
    for quantity, measure in QUANTITIES.items():
        if [measure(g) for g in ctx.train_inputs] == factors:
            prims.append(scale_by(quantity, tile=False))
            prims.append(scale_by(quantity, tile=True))
    return prims
