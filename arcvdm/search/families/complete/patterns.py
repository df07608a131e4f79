"""Continued patterns, primitives of the ``complete`` family (``complete.py`` lists the themes): a band of
rows or columns (or a box) drawn on part of the grid continued over all of it (``lattice_continue``, from
the smallest lattice; ``band_repeat``, edge to edge); a short run of colours repeated along its line
(``extend_runs``); rows drawn only at their start finished like a full template row under a colour renaming
(``rows_like_template``); a tile every demonstration output repeats laid under the drawn cells
(``learned_pattern``, the tile from ``_learn_tile``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import background
from arcvdm.search.families.complete.lattice import lattice_fill_mask

# --- continued patterns ------------------------------------------------------------------------------------------

AXES = ("rows", "cols", "both")


def _block(grid: Grid, axis: str) -> tuple[int, int, int, int] | None:
    """The drawn block (first and last row, first and last column holding a non-background cell), taken
    whole along the axes not named by ``axis`` (``rows``: a band of rows; ``cols``: of columns; ``both``:
    a box); None when nothing is drawn or the block is the whole grid."""
    h, w = grid.shape
    drawn = grid != background(grid)
    rows = np.flatnonzero(drawn.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(drawn.any(axis=0))
    r0, r1, c0, c1 = int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])
    if axis == "rows":
        c0, c1 = 0, w - 1
    elif axis == "cols":
        r0, r1 = 0, h - 1
    if (r0, r1, c0, c1) == (0, h - 1, 0, w - 1):
        return None
    return r0, r1, c0, c1


def lattice_continue(grid: Grid, axis: str) -> Grid | None:
    """Continue the drawn block over the whole grid: everything outside it (rows before and after a band of
    rows, columns beside a band of columns, or all around a box, by ``axis``) is hidden and filled from
    the smallest lattice the block agrees on."""
    block = _block(grid, axis)
    if block is None:
        return None
    r0, r1, c0, c1 = block
    mask = np.ones(grid.shape, dtype=bool)
    mask[r0: r1 + 1, c0: c1 + 1] = False
    return lattice_fill_mask(grid, mask)


def band_repeat(grid: Grid, axis: str) -> Grid | None:
    """The drawn block (see ``lattice_continue``) repeated before and after itself, edge to edge."""
    block = _block(grid, axis)
    if block is None:
        return None
    r0, r1, c0, c1 = block
    h, w = grid.shape
    rows = r0 + (np.arange(h) - r0) % (r1 - r0 + 1)
    cols = c0 + (np.arange(w) - c0) % (c1 - c0 + 1)
    return grid[np.ix_(rows, cols)].copy()


def _continue_runs(out: Grid, grid: Grid, bg: int) -> bool:
    """Rows of ``grid`` whose non-background cells form one run of 2 or more cells: the run repeated along
    the whole row of ``out``, edge to edge; returns whether any row was continued."""
    any_run = False
    for y in range(grid.shape[0]):
        xs = np.flatnonzero(grid[y] != bg)
        if xs.size < 2 or xs[-1] - xs[0] + 1 != xs.size:
            continue  # no run, a single cell, or gaps
        run = grid[y, xs[0]: xs[-1] + 1]
        out[y] = run[(np.arange(grid.shape[1]) - xs[0]) % run.size]
        any_run = True
    return any_run


def extend_runs(grid: Grid) -> Grid | None:
    """Every row and column whose drawn cells form one run (of 2 or more cells) repeats the run along its
    whole length: a short sequence of colours continued periodically. None when no line has such a run."""
    bg = background(grid)
    out = grid.copy()
    rows = _continue_runs(out, grid, bg)
    turned = out.T.copy()
    cols = _continue_runs(turned, grid.T, bg)
    if not (rows or cols):
        return None
    return np.ascontiguousarray(turned.T)


def _row_template(row: np.ndarray, templates: list[np.ndarray], bg: int) -> np.ndarray | None:
    """The first template of which ``row``'s drawn prefix is a copy under one colour renaming (each template
    colour always becomes the same row colour), continued through that renaming; None when none fits."""
    drawn = np.flatnonzero(row != bg)
    if drawn.size == 0 or drawn[0] != 0 or drawn[-1] + 1 != drawn.size or drawn.size == row.size:
        return None  # not a prefix that stops before the end
    n = drawn.size
    for template in templates:
        if template.size != row.size:
            continue
        rename: dict[int, int] = {}
        fits = True
        for a, b in zip(template[:n].tolist(), row[:n].tolist()):
            if rename.setdefault(a, b) != b:
                fits = False
                break
        if fits and set(template[n:].tolist()) <= set(rename):
            return np.array([rename[c] for c in template.tolist()], dtype=np.uint8)
    return None


def rows_like_template(grid: Grid) -> Grid | None:
    """Rows drawn only at their start are finished like a fully drawn row (the template) whose start they
    copy under a colour renaming: a sequence continued in other colours. None when no row is finished."""
    bg = background(grid)
    templates = [grid[y] for y in range(grid.shape[0]) if not (grid[y] == bg).any()]
    if not templates:
        return None
    out = grid.copy()
    changed = False
    for y in range(grid.shape[0]):
        finished = _row_template(grid[y], templates, bg)
        if finished is not None:
            out[y] = finished
            changed = True
    return out if changed else None


def learned_pattern(tile: np.ndarray) -> Primitive:
    """Background cells take the colour of a repeating ``tile`` (learned from the demonstration outputs)
    laid from the top-left corner; drawn cells stay."""
    py, px = tile.shape

    def fn(grid: Grid) -> Grid | None:
        h, w = grid.shape
        canvas = tile[np.ix_(np.arange(h) % py, np.arange(w) % px)]
        bg = background(grid)
        return np.where(grid == bg, canvas, grid).astype(np.uint8)

    return Primitive(f"learned_pattern({py}x{px})", fn)


def _learn_tile(ctx: TaskContext) -> np.ndarray | None:
    """The smallest tile (fewest cells) that every demonstration output repeats from its top-left corner,
    when it is smaller than the largest output (the demonstrations show it repeat)."""
    outputs = ctx.train_outputs
    max_h = max(o.shape[0] for o in outputs)
    max_w = max(o.shape[1] for o in outputs)
    colours = np.concatenate([o.ravel() for o in outputs]).astype(np.int64)
    most = min(max_h * max_w - 1, colours.size // 2)  # each tile cell seen twice on average
    sizes = sorted(((py, px) for py in range(1, max_h + 1) for px in range(1, max_w + 1)
                    if py * px <= most), key=lambda s: (s[0] * s[1], s))
    for py, px in sizes:
        classes = np.concatenate([((np.arange(o.shape[0]) % py)[:, None] * px
                                   + (np.arange(o.shape[1]) % px)[None, :]).ravel() for o in outputs])
        keys = np.unique(classes * 10 + colours)
        if len(keys) != py * px or len(np.unique(keys // 10)) != py * px:
            continue  # a class with two colours, or one never seen
        return (keys % 10).astype(np.uint8).reshape(py, px)
    return None
