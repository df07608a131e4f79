"""Outputs of another size: lists and counts of the input drawn small, scaling by a count, crops to a
frame or a colour's box, lattices summarised by a learned table, odd pieces out, keyed shapes, gathered
and overlaid pieces.

Every family here offers nothing when each demonstration output has its input's shape, and reads the
demonstrations to keep its list short:

1. ``colour_list`` / ``colour_bars``: the input's colours, ordered by a rule (how many cells or objects,
   where they first appear), drawn as a row, a column, or bars whose length is the count. Offered only
   when they reproduce every demonstration (so small an output is a final step, never an intermediate).
2. ``count_order``: a count (cells, colours, objects) drawn by filling the first n cells of a fixed-size
   grid, in the order the demonstrations reveal (each larger count's cells hold the smaller's); and
   ``count_row`` / ``count_col`` drawn in the input's own colour. Offered only when they reproduce
   every demonstration.
3. ``scale_by`` / ``tile_by``: the grid scaled up or tiled k times, k a count of the input that varies
   between demonstrations (fixed factors are in ``geometry.py``). Offered when the sizes agree.
4. ``crop_frame``: a rectangle outlined by one colour (its four sides complete), chosen by a rule, cut
   out with or without its border. Offered when the cut has the output's size in every demonstration.
   ``fit_into_frame``: the cells outside the frame, cut to their box, scaled up to fill its inside.
5. ``lattice_table``: each cell of a lattice (pieces between separator lines, or equal blocks) becomes one
   output cell, its colour looked up from a feature of the piece (how many filled cells, which colours,
   its pattern) in a table learned from the demonstrations.
6. ``serialise``: the objects' colours, in order of their columns or rows, written into the cells of a
   fixed-size output in an order of slots learned from the demonstrations (row by row, a snake, ...).
7. ``odd_part``: of the pieces a grid splits into (``parts.split``), the one piece that has (or lacks) a
   mirror symmetry all the others lack (or have). Offered when the piece has the output's size.
8. ``crop_colour_box``: the bounding box of every cell of one colour (corner marks, a frame drawn in
   pieces), with or without its outer ring; ``shrink``: a grid made of k x k single-colour blocks drawn
   with one cell per block, k the largest that fits (the factor may differ from grid to grid).
9. ``key_mask``: a one-colour shape (the largest object) coloured by a small multi-colour key (the other
   cells, separator lines left out) whose size divides the shape's: the key scaled up under the shape
   (``up``), or the shape's k x k blocks, scaled down, over the key (``down``).
10. ``gather``: the windows of the output's size centred on every cell of a marker colour, laid on top
    of each other (pieces scattered around markers assembled into one); ``overlay_corners``: the four
    corner windows of the output's size laid on top of each other. Offered when they reproduce every
    demonstration.
11. ``overlay_priority``: same-shaped pieces (``parts.split``) laid on top of each other, each cell
    taking the colour that ranks highest in an order of colours learned from the demonstrations.
12. ``crop_richest``: the object (any view of ``objects.task_views``) holding the most (or fewest) cells of
    one colour, cut to its box; ``swap_two``: the two colours of a two-colour grid exchanged (a cut-out
    drawn in reverse). Offered when the cut fits every output's size / the outputs have two colours.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family
from arcvdm.search.objects import View, label, objects_of, task_views
from arcvdm.search.parts import SPLITS, between_lines, separator_colour, split

NO_BACKGROUND = 10       # a "colour" no cell has: ``label`` then labels every colour's components


# --- helpers --------------------------------------------------------------------------------------------

def other_size(ctx: TaskContext) -> bool:
    """Some demonstration output has a shape other than its input's."""
    return any(i.shape != o.shape for i, o in zip(ctx.train_inputs, ctx.train_outputs))


def reproduces(prim: Primitive, ctx: TaskContext) -> bool:
    """``prim`` maps every demonstration input exactly to its output."""
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        got = prim(i)
        if got is None or got.shape != o.shape or not np.array_equal(got, o):
            return False
    return True


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
    counts = np.bincount(grid.ravel(), minlength=10)
    counts[0] = 0
    best = int(counts.max())
    if best == 0 or int(np.count_nonzero(counts == best)) > 1:
        return None
    return int(np.argmax(counts))


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


# --- 4. crop to a rectangular frame -----------------------------------------------------------------------

FRAME_PICKS = ("largest", "smallest", "most_inside", "fewest_inside", "rare_colour")


def find_frames(grid: Grid) -> list[tuple[int, int, int, int, int]]:
    """Rectangles outlined by one colour: (top, left, bottom, right (exclusive), colour) for every
    one-colour 4-connected component whose bounding box (3x3 at least) has all its border cells in it,
    the background colour left out (the empty ring inside a frame is no frame)."""
    labels, n = label(grid, NO_BACKGROUND, conn=4, multi=False)
    bg = background(grid)
    frames = []
    for k in range(n):
        rows, cols = np.nonzero(labels == k)
        if len(rows) < 8 or int(grid[rows[0], cols[0]]) == bg:
            continue
        t, b, l, r = int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1
        if b - t < 3 or r - l < 3 or len(rows) < 2 * (b - t) + 2 * (r - l) - 4:
            continue
        box = labels[t:b, l:r] == k
        if box[0].all() and box[-1].all() and box[:, 0].all() and box[:, -1].all():
            frames.append((t, l, b, r, int(grid[t, l])))
    return frames


def _inside_count(grid: Grid, frame: tuple[int, int, int, int, int]) -> int:
    t, l, b, r, c = frame
    inner = grid[t + 1:b - 1, l + 1:r - 1]
    return int(np.count_nonzero((inner != c) & (inner != background(grid))))


def pick_frame(grid: Grid, how: str) -> tuple[int, int, int, int, int] | None:
    """The one frame ``how`` picks (the only frame when there is one); None on a tie or no frame."""
    frames = find_frames(grid)
    if not frames:
        return None
    if len(frames) == 1:
        return frames[0]
    if how == "rare_colour":
        colours = [f[4] for f in frames]
        alone = [f for f in frames if colours.count(f[4]) == 1]
        return alone[0] if len(alone) == 1 else None
    if how in ("largest", "smallest"):
        scores = [(f[2] - f[0]) * (f[3] - f[1]) for f in frames]
    elif how in ("most_inside", "fewest_inside"):
        scores = [_inside_count(grid, f) for f in frames]
    else:
        raise ValueError(f"unknown frame pick {how!r}; choose one of {FRAME_PICKS}")
    best = max(scores) if how in ("largest", "most_inside") else min(scores)
    winners = [f for f, s in zip(frames, scores) if s == best]
    return winners[0] if len(winners) == 1 else None


def crop_frame(how: str, inner: bool, paint_inside: bool) -> Primitive:
    """Cut out the frame ``how`` picks: its inside (``inner``) or the frame with its border; with
    ``paint_inside`` the border takes the colour of the cells inside (one colour, else None)."""

    def fn(grid: Grid) -> Grid | None:
        frame = pick_frame(grid, how)
        if frame is None:
            return None
        t, l, b, r, c = frame
        if inner:
            if b - t < 3 or r - l < 3:
                return None
            return grid[t + 1:b - 1, l + 1:r - 1].copy()
        out = grid[t:b, l:r].copy()
        if paint_inside:
            inside = out[1:-1, 1:-1]
            marks = set(np.unique(inside).tolist()) - {c, background(grid)}
            if len(marks) != 1:
                return None
            ring = np.ones(out.shape, dtype=bool)
            ring[1:-1, 1:-1] = False
            out[ring & (out == c)] = marks.pop()
        return out

    part = "inside" if inner else ("border painted" if paint_inside else "with border")
    return Primitive(f"crop_frame({how}, {part})", fn)


def fit_into_frame(how: str) -> Primitive:
    """The frame ``how`` picks, its inside replaced by everything outside the frame (cut to its box)
    scaled up by the whole factor that fills the inside exactly; None when no such factor exists."""

    def fn(grid: Grid) -> Grid | None:
        frame = pick_frame(grid, how)
        if frame is None:
            return None
        t, l, b, r, c = frame
        bg = background(grid)
        outside = grid != bg
        outside[t:b, l:r] = False
        rows, cols = np.nonzero(outside)
        if len(rows) == 0:
            return None
        shape = grid[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
        (ih, iw), (sh, sw) = (b - t - 2, r - l - 2), shape.shape
        if ih < 1 or iw < 1 or ih % sh or iw % sw or ih // sh != iw // sw:
            return None
        k = ih // sh
        out = grid[t:b, l:r].copy()
        out[1:-1, 1:-1] = np.repeat(np.repeat(shape, k, axis=0), k, axis=1)
        return out

    return Primitive(f"fit_into_frame({how})", fn)


def _frame_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    seen: set[tuple] = set()
    for how in FRAME_PICKS:
        frames = [pick_frame(g, how) for g in ctx.train_inputs]
        if any(f is None for f in frames):
            continue
        key = tuple(frames)
        if key in seen:
            continue                                 # picks the same frames as an earlier rule
        seen.add(key)
        outer = [(f[2] - f[0], f[3] - f[1]) for f in frames]
        inner = [(h - 2, w - 2) for h, w in outer]
        if all(fits(s, o.shape) for s, o in zip(inner, ctx.train_outputs)):
            prims.append(crop_frame(how, inner=True, paint_inside=False))
        if all(fits(s, o.shape) for s, o in zip(outer, ctx.train_outputs)):
            prims.append(crop_frame(how, inner=False, paint_inside=False))
            prims.append(crop_frame(how, inner=False, paint_inside=True))
            prims.append(fit_into_frame(how))
    return prims


# --- 5. one output cell per lattice piece, by a learned table --------------------------------------------

PIECE_FEATURES = ("count", "colours", "pattern")
LATTICE_CUTS = ("sep", "gaps", "blocks")


def lattice_pieces(grid: Grid, cut: str, block: tuple[int, int] | None = None) -> tuple[list[list[Grid]], int] | None:
    """The pieces of ``grid`` as rows of pieces, and the colour that separates them. ``cut``: "sep",
    between full lines of the separator colour (``parts.separator_colour``); "gaps", between full lines
    of colour 0 (which may also appear inside pieces); "blocks", ``block``-sized tiles (separator -1).
    None when the grid does not cut that way into 2 pieces or more."""
    h, w = grid.shape
    if cut == "blocks":
        if block is None:
            raise ValueError("lattice cut 'blocks' needs a block size, got None")
        bh, bw = block
        if h % bh or w % bw or (h // bh) * (w // bw) < 2:
            return None
        rows = [[grid[r:r + bh, c:c + bw] for c in range(0, w, bw)] for r in range(0, h, bh)]
        return rows, -1
    if cut == "sep":
        sep = separator_colour(grid)
        if sep is None:
            return None
    elif cut == "gaps":
        sep = 0
    else:
        raise ValueError(f"unknown lattice cut {cut!r}; choose one of {LATTICE_CUTS}")
    row_runs = between_lines((grid == sep).all(axis=1))
    col_runs = between_lines((grid == sep).all(axis=0))
    if len(row_runs) * len(col_runs) < 2:
        return None
    rows = [[grid[r0:r1, c0:c1] for c0, c1 in col_runs] for r0, r1 in row_runs]
    return rows, sep


def piece_feature(piece: Grid, sep: int, feature: str) -> tuple:
    """A hashable description of one piece; colour 0 and the separator colour count as empty."""
    filled = (piece != 0) & (piece != sep)
    if feature == "count":
        return (int(np.count_nonzero(filled)),)
    if feature == "colours":
        return tuple(sorted(set(piece[filled].tolist())))
    if feature == "pattern":
        return (piece.shape, filled.tobytes())
    raise ValueError(f"unknown piece feature {feature!r}; choose one of {PIECE_FEATURES}")


def lattice_target(out: Grid, shape: tuple[int, int]) -> Grid | None:
    """The output read as one cell per lattice piece: itself, or it or its transpose made of equal
    single-colour blocks (a later step scales or turns the lattice). None when neither reads so."""
    for cand in (out, out.T):
        (h, w), (rh, rw) = cand.shape, shape
        if h % rh or w % rw:
            continue
        small = cand[::h // rh, ::w // rw]
        if np.array_equal(np.repeat(np.repeat(small, h // rh, axis=0), w // rw, axis=1), cand):
            return small
    return None


def learn_table(ctx: TaskContext, cut: str, block: tuple[int, int] | None, feature: str) -> dict[tuple, int] | None:
    """feature -> output colour, the same for every piece of every demonstration; None when some
    demonstration does not cut into its output's shape (``lattice_target``), two pieces disagree, or
    the table holds as many entries as pieces (one colour per piece: no rule, only a copy)."""
    table: dict[tuple, int] = {}
    n_pieces = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        pieces = lattice_pieces(i, cut, block)
        if pieces is None:
            return None
        rows, sep = pieces
        target = lattice_target(o, (len(rows), len(rows[0])))
        if target is None:
            return None
        for r, row in enumerate(rows):
            for c, piece in enumerate(row):
                key = piece_feature(piece, sep, feature)
                colour = int(target[r, c])
                if table.setdefault(key, colour) != colour:
                    return None
                n_pieces += 1
    if len(table) < 2 or len(table) >= n_pieces:
        return None
    return table


def _main_colour(piece: Grid, sep: int) -> int:
    """The piece's most frequent colour other than 0 and the separator (0 for an empty piece)."""
    counts = np.bincount(piece.ravel(), minlength=10)
    counts[0] = 0
    if 0 <= sep < 10:
        counts[sep] = 0
    return int(np.argmax(counts)) if counts.any() else 0


def lattice_table(cut: str, block: tuple[int, int] | None, feature: str,
                  table: dict[tuple, int] | None) -> Primitive:
    """One output cell per lattice piece, coloured by ``table[feature(piece)]`` (``table`` None: the
    piece's own main colour); None for a piece whose feature no demonstration showed."""

    def fn(grid: Grid) -> Grid | None:
        pieces = lattice_pieces(grid, cut, block)
        if pieces is None:
            return None
        rows, sep = pieces
        out = np.zeros((len(rows), len(rows[0])), dtype=np.uint8)
        for r, row in enumerate(rows):
            for c, piece in enumerate(row):
                if table is None:
                    out[r, c] = _main_colour(piece, sep)
                    continue
                colour = table.get(piece_feature(piece, sep, feature))
                if colour is None:
                    return None
                out[r, c] = colour
        return out

    cut_text = cut if block is None else f"blocks {block[0]}x{block[1]}"
    if table is None:
        return Primitive(f"lattice_main({cut_text})", fn)
    return Primitive(f"lattice_table({cut_text}, {feature}, {len(table)} entries)", fn)


def _lattice_candidates(ctx: TaskContext) -> list[Primitive]:
    cuts: list[tuple[str, tuple[int, int] | None]] = [("sep", None), ("gaps", None)]
    sizes = set()
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        (h, w), (oh, ow) = i.shape, o.shape
        sizes.add((h // oh, w // ow) if h % oh == 0 and w % ow == 0 else None)
    if len(sizes) == 1 and None not in sizes and sizes != {(1, 1)}:
        cuts.append(("blocks", sizes.pop()))
    prims = []
    for cut, block in cuts:
        if cut != "sep":                          # parts.summary already reads the main colours of "sep"
            prim = lattice_table(cut, block, "main", None)
            if reproduces(prim, ctx):
                prims.append(prim)
        for feature in PIECE_FEATURES:
            table = learn_table(ctx, cut, block, feature)
            if table is not None:
                prims.append(lattice_table(cut, block, feature, table))
    return prims


# --- 6. object colours written into learned slots ------------------------------------------------------

SERIAL_ORDERS = ("by_column", "by_row")


def object_sequence(grid: Grid, order: str) -> list[int] | None:
    """The colours of the grid's objects (8-connected, one colour, background 0), sorted by their first
    column then row (``by_column``) or first row then column (``by_row``); None on a tie of positions."""
    objs = objects_of(grid, View(8, False, 0))
    if order == "by_column":
        keys = [(o.left, o.top) for o in objs]
    elif order == "by_row":
        keys = [(o.top, o.left) for o in objs]
    else:
        raise ValueError(f"unknown serialise order {order!r}; choose one of {SERIAL_ORDERS}")
    if len(set(keys)) < len(keys):
        return None
    return [o.colour for _, o in sorted(zip(keys, objs), key=lambda t: t[0])]


def learn_slots(ctx: TaskContext, order: str) -> list[int] | None:
    """The flat output position of the i-th object, for every i some demonstration shows: the one position
    that holds the i-th colour in every demonstration with an i-th object and stays 0 in the others.
    None when the outputs differ in shape, an object has no such position, or two objects share one."""
    shape = ctx.train_outputs[0].shape
    if any(o.shape != shape for o in ctx.train_outputs):
        return None
    seqs = [object_sequence(i, order) for i in ctx.train_inputs]
    if any(s is None or not s for s in seqs):
        return None
    longest = max(len(s) for s in seqs)
    if longest > shape[0] * shape[1]:
        return None
    slots: list[set[int]] = []
    for k in range(longest):
        allowed = set(range(shape[0] * shape[1]))
        for seq, out in zip(seqs, ctx.train_outputs):
            flat = out.ravel()
            wanted = seq[k] if k < len(seq) else 0
            allowed &= set(np.flatnonzero(flat == wanted).tolist())
        slots.append(allowed)
    # a slot fixed by one object is taken from the others, until nothing changes
    changed = True
    while changed:
        changed = False
        for k, allowed in enumerate(slots):
            if len(allowed) == 1:
                for j, other in enumerate(slots):
                    if j != k and allowed & other:
                        other -= allowed
                        changed = True
    if any(len(a) != 1 for a in slots):
        return None
    return [next(iter(a)) for a in slots]


def serialise(order: str, slots: list[int], shape: tuple[int, int]) -> Primitive:
    """Write the objects' colours (``object_sequence``) into ``slots`` of a zero grid of ``shape``;
    None when the grid has more objects than slots."""

    def fn(grid: Grid) -> Grid | None:
        seq = object_sequence(grid, order)
        if seq is None or not seq or len(seq) > len(slots):
            return None
        out = np.zeros(shape[0] * shape[1], dtype=np.uint8)
        for colour, slot in zip(seq, slots):
            out[slot] = colour
        return out.reshape(shape)

    return Primitive(f"serialise({order}, {shape[0]}x{shape[1]}, slots={slots})", fn)


def _serial_candidates(ctx: TaskContext) -> list[Primitive]:
    if any(o.size > 100 for o in ctx.train_outputs):
        return []
    prims = []
    for order in SERIAL_ORDERS:
        slots = learn_slots(ctx, order)
        if slots is not None:
            prim = serialise(order, slots, ctx.train_outputs[0].shape)
            if reproduces(prim, ctx):
                prims.append(prim)
    return prims


# --- 7. the odd piece out by symmetry ------------------------------------------------------------------

SYMMETRIES = ("lr", "ud", "diag", "anti_diag", "any")


def symmetric(piece: Grid, kind: str) -> bool:
    """``piece`` equals its mirror image: left-right, up-down, across the main or the other diagonal
    (square pieces only), or any of these."""
    if kind == "lr":
        return bool(np.array_equal(piece, piece[:, ::-1]))
    if kind == "ud":
        return bool(np.array_equal(piece, piece[::-1]))
    if kind == "diag":
        return piece.shape[0] == piece.shape[1] and bool(np.array_equal(piece, piece.T))
    if kind == "anti_diag":
        return piece.shape[0] == piece.shape[1] and bool(np.array_equal(piece, piece[::-1, ::-1].T))
    if kind == "any":
        return any(symmetric(piece, k) for k in SYMMETRIES[:-1])
    raise ValueError(f"unknown symmetry {kind!r}; choose one of {SYMMETRIES}")


def odd_part(mode: str, kind: str, has: bool) -> Primitive:
    """The one piece (split ``mode``) that is symmetric (``has``) or not, when every other piece is the
    opposite; None otherwise."""

    def fn(grid: Grid) -> Grid | None:
        parts = split(grid, mode)
        if parts is None or len(parts) < 3:
            return None
        hits = [p for p in parts if symmetric(p, kind) == has]
        return hits[0].copy() if len(hits) == 1 else None

    return Primitive(f"odd_part({mode}, {'symmetric' if has else 'asymmetric'} {kind})", fn)


def _odd_part_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    for mode in SPLITS:
        for kind in SYMMETRIES:
            for has in (True, False):
                prim = odd_part(mode, kind, has)
                ok = True
                for i, o in zip(ctx.train_inputs, ctx.train_outputs):
                    got = prim(i)
                    if got is None or not fits(got.shape, o.shape):
                        ok = False
                        break
                if ok:
                    prims.append(prim)
    return prims[:4]


# --- 8. crop to one colour's box; shrink uniform blocks ---------------------------------------------------

def crop_colour_box(colour: int, inner: bool) -> Primitive:
    """The bounding box of every cell of ``colour``; ``inner``: without its outer ring of cells."""

    def fn(grid: Grid) -> Grid | None:
        rows, cols = np.nonzero(grid == colour)
        if len(rows) == 0:
            return None
        t, b, l, r = int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1
        if inner:
            t, b, l, r = t + 1, b - 1, l + 1, r - 1
            if b <= t or r <= l:
                return None
        if (b - t, r - l) == grid.shape:
            return None                                  # the whole grid: nothing cut
        return grid[t:b, l:r].copy()

    return Primitive(f"crop_colour_box({colour}, {'inside' if inner else 'with border'})", fn)


def shrink(grid: Grid) -> Grid | None:
    """One cell per k x k block, k >= 2 the largest factor of both sides whose blocks are all one colour;
    None when there is no such k."""
    h, w = grid.shape
    for k in range(min(h, w), 1, -1):
        if h % k or w % k:
            continue
        small = grid[::k, ::k]
        if np.array_equal(np.repeat(np.repeat(small, k, axis=0), k, axis=1), grid):
            return np.ascontiguousarray(small)
    return None


def _box_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    common = set(range(10))
    for g in ctx.inputs:
        common &= set(np.unique(g).tolist())
    for colour in sorted(common):
        for inner in (False, True):
            prim = crop_colour_box(colour, inner)
            if all(fits(None if (got := prim(i)) is None else got.shape, o.shape)
                   for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
                prims.append(prim)
    if any(o.size < i.size for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
        prims.append(Primitive("shrink", shrink))
    return prims


# --- 9. a shape coloured by a small key -----------------------------------------------------------------

def key_and_mask(grid: Grid) -> tuple[Grid, Grid, int] | None:
    """(key, mask, k): with full one-colour lines erased, ``mask`` (bool) is the box of the largest
    one-colour object (8-connected, else all cells of one colour), ``key`` the box of the remaining
    non-background cells without its empty rows and columns, and the mask's sides are k times the
    key's. The background is the most frequent colour, else 0 (the lines may outnumber it). None when
    no cut divides so."""
    on_line = (grid == grid[:, :1]).all(axis=1)[:, None] | (grid == grid[:1, :]).all(axis=0)[None, :]
    for bg in dict.fromkeys((background(grid), 0)):
        work = grid.copy()
        work[on_line] = bg
        for view in (View(8, False, bg), View(0, False, bg)):
            found = _key_cut(work, view, bg)
            if found is not None:
                return found
    return None


def _key_cut(work: Grid, view: View, bg: int) -> tuple[Grid, Grid, int] | None:
    objs = objects_of(work, view)
    if len(objs) < 2:
        return None
    sizes = [o.size for o in objs]
    big = objs[sizes.index(max(sizes))]
    if sizes.count(big.size) > 1:
        return None
    rest = work != bg
    rest[big.top:big.bottom, big.left:big.right] &= ~big.mask
    rows, cols = np.nonzero(rest)
    if len(rows) == 0:
        return None
    box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
    key, filled = work[box], rest[box]
    key = key[filled.any(axis=1)][:, filled.any(axis=0)]      # a key drawn apart (four corners) closes up
    (kh, kw), (mh, mw) = key.shape, big.mask.shape
    if mh % kh or mw % kw or mh // kh != mw // kw or (kh, kw) == (1, 1):
        return None
    return key.copy(), big.mask, mh // kh


def key_mask(direction: str) -> Primitive:
    """``up``: the key scaled k times where the mask is set (0 elsewhere); ``down``: the key where the
    mask's k x k block is wholly set (0 elsewhere)."""
    if direction not in ("up", "down"):
        raise ValueError(f"unknown key_mask direction {direction!r}; choose 'up' or 'down'")

    def fn(grid: Grid) -> Grid | None:
        found = key_and_mask(grid)
        if found is None:
            return None
        key, mask, k = found
        if direction == "up":
            big = np.repeat(np.repeat(key, k, axis=0), k, axis=1)
            return np.where(mask, big, 0).astype(np.uint8)
        kh, kw = key.shape
        blocks = mask.reshape(kh, k, kw, k).all(axis=(1, 3))     # (kh, kw): block wholly set
        return np.where(blocks, key, 0).astype(np.uint8)

    return Primitive(f"key_mask({direction})", fn)


def _key_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    for direction in ("up", "down"):
        prim = key_mask(direction)
        if all(fits(None if (got := prim(i)) is None else got.shape, o.shape)
               for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
            prims.append(prim)
    return prims


# --- 10. pieces around markers gathered into one window -------------------------------------------------

def gather(marker: int, shape: tuple[int, int]) -> Primitive:
    """Overlay the ``shape`` windows centred on each ``marker`` cell (cells off the grid count as 0);
    None when two windows disagree on a non-zero cell or there is no marker."""
    wh, ww = shape

    def fn(grid: Grid) -> Grid | None:
        rows, cols = np.nonzero(grid == marker)
        if len(rows) == 0 or len(rows) > 30:
            return None
        padded = np.pad(grid, ((wh, wh), (ww, ww)))
        out = np.zeros(shape, dtype=np.uint8)
        for r, c in zip(rows.tolist(), cols.tolist()):
            top, left = r - wh // 2 + wh, c - ww // 2 + ww
            window = padded[top:top + wh, left:left + ww]
            clash = (out != 0) & (window != 0) & (out != window)
            if clash.any():
                return None
            out = np.where(window != 0, window, out).astype(np.uint8)
        return out

    return Primitive(f"gather({marker}, {wh}x{ww})", fn)


def overlay_corners(shape: tuple[int, int]) -> Primitive:
    """The four ``shape`` windows in the grid's corners laid on top of each other (non-zero cells win);
    None when the grid is smaller than the window or two windows disagree on a non-zero cell."""
    wh, ww = shape

    def fn(grid: Grid) -> Grid | None:
        h, w = grid.shape
        if h < wh or w < ww or (h, w) == shape:
            return None
        out = np.zeros(shape, dtype=np.uint8)
        for top, left in ((0, 0), (0, w - ww), (h - wh, 0), (h - wh, w - ww)):
            window = grid[top:top + wh, left:left + ww]
            if ((out != 0) & (window != 0) & (out != window)).any():
                return None
            out = np.where(window != 0, window, out).astype(np.uint8)
        return out

    return Primitive(f"overlay_corners({wh}x{ww})", fn)


def _gather_candidates(ctx: TaskContext) -> list[Primitive]:
    shapes = {o.shape for o in ctx.train_outputs}
    if len(shapes) != 1:
        return []
    shape = shapes.pop()
    prims = []
    prim = overlay_corners(shape)
    if reproduces(prim, ctx):
        prims.append(prim)
    if shape[0] % 2 == 0 or shape[1] % 2 == 0:
        return prims                                 # a window centred on a cell has odd sides
    centre = {int(o[shape[0] // 2, shape[1] // 2]) for o in ctx.train_outputs}
    if len(centre) != 1 or 0 in centre:
        return prims
    prim = gather(centre.pop(), shape)
    return prims + [prim] if reproduces(prim, ctx) else prims


# --- 11. pieces overlaid by a learned colour priority -------------------------------------------------

def learn_priority(ctx: TaskContext, mode: str) -> list[int] | None:
    """Colours from highest to lowest priority such that every demonstration output cell holds the
    highest-ranked colour among its pieces' cells (0 ranks below all); None when the pieces do not
    have the output's shape, an output colour is in no piece, or the constraints form a cycle."""
    beats: dict[int, set[int]] = {}
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        parts = split(i, mode)
        if parts is None or any(p.shape != o.shape for p in parts):
            return None
        stack = np.stack(parts)                        # (n_parts, h, w)
        for r in range(o.shape[0]):
            for c in range(o.shape[1]):
                here = set(stack[:, r, c].tolist()) - {0}
                want = int(o[r, c])
                if want == 0:
                    if here:
                        return None
                    continue
                if want not in here:
                    return None
                beats.setdefault(want, set()).update(here - {want})
                for other in here - {want}:
                    beats.setdefault(other, set())
    order: list[int] = []
    left = dict(beats)
    while left:                                         # Kahn: a colour no remaining colour beats
        free = sorted(c for c in left if not any(c in left[d] for d in left if d != c))
        if not free:
            return None
        order.append(free[0])
        del left[free[0]]
    return order


def overlay_priority(mode: str, order: list[int]) -> Primitive:
    """Each cell takes the colour of ``order`` (highest first) that some piece holds there; 0 if none.
    None when a piece holds a colour not in ``order`` or the pieces differ in shape."""
    rank = {c: k for k, c in enumerate(order)}

    def fn(grid: Grid) -> Grid | None:
        parts = split(grid, mode)
        if parts is None or len({p.shape for p in parts}) != 1:
            return None
        stack = np.stack(parts)
        present = set(np.unique(stack).tolist()) - {0}
        if not present <= set(rank):
            return None
        out = np.zeros(parts[0].shape, dtype=np.uint8)
        for colour in reversed(order):                 # lowest first: higher colours paint over
            out[(stack == colour).any(axis=0)] = colour
        return out

    return Primitive(f"overlay_priority({mode}, {'>'.join(str(c) for c in order)})", fn)


def _priority_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    for mode in SPLITS:
        order = learn_priority(ctx, mode)
        if order is not None and len(order) >= 2:
            prim = overlay_priority(mode, order)
            if reproduces(prim, ctx):
                prims.append(prim)
    return prims


# --- 12. the object richest in one colour; two colours swapped ------------------------------------------

def crop_richest(view: View, colour: int, most: bool) -> Primitive:
    """The box of the one object with the most (``most``) or fewest cells of ``colour``; None on a tie."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        counts = [int(np.count_nonzero((o.patch == colour) & o.mask)) for o in objs]
        best = max(counts) if most else min(counts)
        hits = [o for o, n in zip(objs, counts) if n == best]
        return hits[0].patch.copy() if len(hits) == 1 else None

    return Primitive(f"crop_richest({'most' if most else 'fewest'} {colour}, {view.text})", fn)


def swap_two(grid: Grid) -> Grid | None:
    """A grid of exactly two colours with each exchanged for the other; None otherwise."""
    colours = np.unique(grid)
    if len(colours) != 2:
        return None
    a, b = np.uint8(colours[0]), np.uint8(colours[1])
    return np.where(grid == a, b, a).astype(np.uint8)


def _richest_candidates(ctx: TaskContext) -> list[Primitive]:
    prims: list[Primitive] = []
    if all(len(np.unique(o)) == 2 for o in ctx.train_outputs):
        prims.append(Primitive("swap_two", swap_two))
    common = set(range(10))
    for g in ctx.inputs:
        common &= set(np.unique(g).tolist())
    seen: set[tuple] = set()
    for view in task_views(ctx):
        if not view.multi:
            continue                                  # one-colour objects hold only their own colour
        for colour in sorted(common):
            for most in (True, False):
                prim = crop_richest(view, colour, most)
                cuts = [prim(i) for i in ctx.train_inputs]
                if any(c is None or not fits(c.shape, o.shape) for c, o in zip(cuts, ctx.train_outputs)):
                    continue
                key = tuple(c.tobytes() + bytes(c.shape) for c in cuts)
                if key not in seen:
                    seen.add(key)
                    prims.append(prim)
    return prims[:6]


@family("extract")
def extract_family(ctx: TaskContext) -> list[Primitive]:
    """Colour lists, counts, scaling by a count and frame crops, for tasks whose outputs change size."""
    if not other_size(ctx):
        return []
    prims = _list_candidates(ctx)
    prims += _count_candidates(ctx)
    prims += _scale_candidates(ctx)
    prims += _frame_candidates(ctx)
    prims += _lattice_candidates(ctx)
    prims += _serial_candidates(ctx)
    prims += _odd_part_candidates(ctx)
    prims += _box_candidates(ctx)
    prims += _key_candidates(ctx)
    prims += _gather_candidates(ctx)
    prims += _priority_candidates(ctx)
    prims += _richest_candidates(ctx)
    return prims
