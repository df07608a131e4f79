"""Objects: connected components of a grid, their properties, and which ways to cut a task into objects.

An **object** is a connected set of non-background cells. A **view** says how a grid is cut into
objects: ``conn`` 4 or 8 (edge- or also corner-neighbours; 0: every cell of one colour is one object,
connected or not), ``multi`` (cells of any non-background colour join; otherwise only cells of one
colour) and ``bg`` (a fixed colour, or ``None``: each grid's most frequent colour; ``task_background``
fixes it when every demonstration input agrees).
``objects_of(grid, view)`` labels the grid once per (grid, view) and caches the result, because the
search applies dozens of object primitives to the same grid.

Selectors that pick one object are in ``selectors.py``; the primitives built on objects in
``families/``: ``select.py`` (crop / keep / remove / boxes), ``recolour.py``, ``summary.py``, ``moving.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search import kernels
from arcvdm.search.dsl import TaskContext
from arcvdm.search.facts import background, task_background

CACHE_SIZE = 2048        # (grid, view) labellings kept; a depth-3 search revisits each grid many times
MAX_OBJECTS = 150        # more components than this: a texture or noise, not objects (no object primitive applies)
BFS_MAX_CELLS = 200      # below this a Python flood fill beats the numpy label propagation (~45 vs 170 us)

_NEIGHBOURS_4 = ((-1, 0), (1, 0), (0, -1), (0, 1))
_NEIGHBOURS_8 = _NEIGHBOURS_4 + ((-1, -1), (-1, 1), (1, -1), (1, 1))


@dataclass(frozen=True)
class View:
    """How a grid is cut into objects."""

    conn: int = 4         # 4 or 8; 0: one object per colour (connected or not)
    multi: bool = False   # True: neighbouring cells of different non-background colours join
    bg: int | None = None  # the background colour; None: each grid's most frequent colour

    @property
    def text(self) -> str:
        """The view as primitive-name parameters: ``"conn=8, multi"``."""
        parts = [f"conn={self.conn}" if self.conn else "by_colour"]
        if self.multi:
            parts.append("multi")
        if self.bg is not None:
            parts.append(f"bg={self.bg}")
        return ", ".join(parts)

    def background_of(self, grid: Grid) -> int:
        return background(grid) if self.bg is None else self.bg


@dataclass(eq=False)
class Obj:
    """One connected component: its bounding box and counts; ``mask`` and ``patch`` (cut to the box) are
    computed on first use from the labelling it shares with the other objects of its grid. Treat it as
    read-only (not frozen: a frozen dataclass costs ~8 us to build, and grids may hold hundreds)."""

    top: int
    left: int
    height: int
    width: int
    size: int             # number of cells
    colour: int           # most frequent colour among its cells (ties: lower colour)
    n_colours: int
    minor: int            # cells not of its main colour (multi-colour objects)
    labels: np.ndarray = field(repr=False)   # (h, w) int32 object index of every cell of the grid, -1 off
    index: int = field(repr=False)           # this object's index in ``labels``
    grid: np.ndarray = field(repr=False)     # (h, w) uint8, read-only copy of the labelled grid

    @cached_property
    def mask(self) -> np.ndarray:
        """(bh, bw) bool: the object's cells inside its bounding box."""
        mask = self.labels[self.top:self.bottom, self.left:self.right] == self.index
        mask.flags.writeable = False
        return mask

    @cached_property
    def patch(self) -> np.ndarray:
        """(bh, bw) uint8: the grid inside the bounding box (other objects' cells included)."""
        return self.grid[self.top:self.bottom, self.left:self.right]

    @property
    def bottom(self) -> int:
        return self.top + self.height   # exclusive

    @property
    def right(self) -> int:
        return self.left + self.width   # exclusive

    @property
    def box_area(self) -> int:
        return self.height * self.width

    @cached_property
    def shape_key(self) -> bytes:
        """Equal for objects of the same shape (translation only), whatever their colours."""
        return bytes([self.height, self.width]) + np.packbits(self.mask).tobytes()

    @cached_property
    def cells(self) -> np.ndarray:
        """(bh, bw) uint8: the object's own colours, 0 elsewhere (combine with ``mask``)."""
        return np.where(self.mask, self.patch, 0).astype(np.uint8)

    @cached_property
    def n_holes(self) -> int:
        """Cells of the bounding box outside the object that cannot reach the box's edge (4-steps)."""
        return _count_holes(self.mask)


# --- 1. Labelling -------------------------------------------------------------------------------------

def _flood_cells(grid: Grid, bg: int, conn: int, multi: bool) -> tuple[list[int], list[int], list[int]]:
    """Depth-first flood fill over Python lists: (rows, cols, starts), the cells of object k being
    ``rows[starts[k]:starts[k + 1]]``, objects in raster order of their first cell."""
    h, w = grid.shape
    g = grid.tolist()
    seen = [[False] * w for _ in range(h)]
    steps = _NEIGHBOURS_8 if conn == 8 else _NEIGHBOURS_4
    rows: list[int] = []
    cols: list[int] = []
    starts = [0]
    for r in range(h):
        for c in range(w):
            v = g[r][c]
            if v == bg or seen[r][c]:
                continue
            seen[r][c] = True
            stack = [(r, c)]
            while stack:
                y, x = stack.pop()
                rows.append(y)
                cols.append(x)
                for dy, dx in steps:
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < h and 0 <= xx < w and not seen[yy][xx]:
                        u = g[yy][xx]
                        if u != bg and (multi or u == v):
                            seen[yy][xx] = True
                            stack.append((yy, xx))
            starts.append(len(rows))
    return rows, cols, starts


def _label_flood(grid: Grid, bg: int, conn: int, multi: bool) -> tuple[np.ndarray, int]:
    rows, cols, starts = _flood_cells(grid, bg, conn, multi)
    labels = np.full(grid.shape, -1, dtype=np.int32)
    for k in range(len(starts) - 1):
        labels[rows[starts[k]:starts[k + 1]], cols[starts[k]:starts[k + 1]]] = k
    return labels, len(starts) - 1


def _label_propagate(grid: Grid, bg: int, conn: int, multi: bool) -> tuple[np.ndarray, int]:
    """Min-label propagation with pointer jumping (numpy); the same labels as ``_label_flood``."""
    h, w = grid.shape
    inside = grid != bg
    big = h * w
    lab = np.where(inside, np.arange(big, dtype=np.int64).reshape(h, w), big)
    key = np.where(inside, 0 if multi else grid.astype(np.int16), -1)
    shifts = [(0, 1), (1, 0)] + ([(1, 1), (1, -1)] if conn == 8 else [])
    links = []
    for dy, dx in shifts:
        a = (slice(0, h - dy), slice(max(0, -dx), w - max(0, dx)))
        b = (slice(dy, h), slice(max(0, dx), w + min(0, dx)))
        links.append((a, b, inside[a] & inside[b] & (key[a] == key[b])))
    while True:
        before = lab.copy()
        for a, b, linked in links:
            m = np.where(linked, np.minimum(lab[a], lab[b]), big)
            lab[a] = np.minimum(lab[a], m)
            lab[b] = np.minimum(lab[b], m)
        flat = np.append(lab.ravel(), big)
        lab = flat[lab.ravel()].reshape(h, w)      # pointer jumping: a label is a cell of the same object
        if np.array_equal(lab, before):
            break
    roots = np.unique(lab[inside])
    renumber = np.full(big + 1, -1, dtype=np.int64)
    renumber[roots] = np.arange(len(roots))
    return renumber[lab].astype(np.int32), len(roots)


def label(grid: Grid, bg: int, conn: int = 4, multi: bool = False) -> tuple[np.ndarray, int]:
    """(labels, n): labels (h, w) int32, -1 on background, objects numbered 0..n-1 in raster order.
    (``kernels.label_objects`` compiled; the flood fill and the propagation below are its reference.)"""
    if conn not in (4, 8):
        raise ValueError(f"conn must be 4 or 8, got {conn}")
    if kernels.ENABLED:
        labels, n, _stats = kernels.label_objects(grid, bg, conn, multi)
        if n >= 0:  # else a colour outside 0-9: the reference below
            return labels, n
    if grid.size <= BFS_MAX_CELLS:
        return _label_flood(grid, bg, conn, multi)
    return _label_propagate(grid, bg, conn, multi)


# --- 2. Objects of a grid (cached) --------------------------------------------------------------------

_CACHE: dict[tuple, tuple[Obj, ...]] = {}


def _colour_groups(grid: Grid, bg: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, starts) with one group per non-background colour, in raster order of first cells."""
    flat = grid.ravel()
    present = [int(c) for c in np.unique(flat) if c != bg]
    present.sort(key=lambda c: int(np.argmax(flat == c)))
    rows, cols, starts = [], [], [0]
    for c in present:
        r, k = np.nonzero(grid == c)
        rows.append(r)
        cols.append(k)
        starts.append(starts[-1] + len(r))
    if not present:
        return np.zeros(0, np.intp), np.zeros(0, np.intp), np.array(starts, dtype=np.intp)
    return np.concatenate(rows), np.concatenate(cols), np.array(starts, dtype=np.intp)


def _cells(grid: Grid, view: View) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, starts) of every object, grouped by object (see ``_flood_cells``)."""
    bg = view.background_of(grid)
    if view.conn == 0:
        return _colour_groups(grid, bg)
    if grid.size <= BFS_MAX_CELLS:
        rows, cols, starts = _flood_cells(grid, bg, view.conn, view.multi)
        return np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp), np.array(starts, dtype=np.intp)
    labels, n = _label_propagate(grid, bg, view.conn, view.multi)
    rows, cols = np.nonzero(labels >= 0)
    order = np.argsort(labels[rows, cols], kind="stable")
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(labels[rows, cols], np.arange(n + 1))
    return rows, cols, starts


def _build_objects(grid: Grid, view: View) -> tuple[Obj, ...]:
    if kernels.ENABLED:
        found = _build_compiled(grid, view)
        if found is not None:
            return found
    rows, cols, starts = _cells(grid, view)
    n = len(starts) - 1
    if n == 0 or n > MAX_OBJECTS:
        return ()
    first = starts[:-1]
    tops = np.minimum.reduceat(rows, first).tolist()
    bottoms = (np.maximum.reduceat(rows, first) + 1).tolist()
    lefts = np.minimum.reduceat(cols, first).tolist()
    rights = (np.maximum.reduceat(cols, first) + 1).tolist()
    ids = np.repeat(np.arange(n), np.diff(starts))
    counts = np.bincount(ids * 10 + grid[rows, cols], minlength=n * 10).reshape(n, 10)   # (n, colour)
    colours = np.argmax(counts, axis=1).tolist()
    minors = (np.diff(starts) - counts.max(axis=1)).tolist()
    n_colours = np.count_nonzero(counts, axis=1).tolist()
    sizes = np.diff(starts).tolist()
    labels = np.full(grid.shape, -1, dtype=np.int32)
    labels[rows, cols] = ids
    labels.flags.writeable = False
    frozen = grid.copy()
    frozen.flags.writeable = False
    found = []
    for k in range(n):
        found.append(Obj(tops[k], lefts[k], bottoms[k] - tops[k], rights[k] - lefts[k], sizes[k], colours[k],
                         n_colours[k], minors[k], labels, k, frozen))
    return tuple(found)


def _build_compiled(grid: Grid, view: View) -> tuple[Obj, ...] | None:
    """``_build_objects`` from ``kernels.label_objects``: the same objects (``_build_objects`` is the reference);
    None for a grid with a colour outside 0-9 (the reference runs)."""
    labels, n, stats = kernels.label_objects(grid, view.background_of(grid), view.conn, view.multi)
    if n < 0:
        return None
    if n == 0 or n > MAX_OBJECTS:
        return ()
    counts = stats[:, 5:]                                                       # (n, colour)
    colours = np.argmax(counts, axis=1).tolist()
    n_colours = np.count_nonzero(counts, axis=1).tolist()
    minors = (stats[:, 4] - counts.max(axis=1)).tolist()
    labels.flags.writeable = False
    frozen = grid.copy()
    frozen.flags.writeable = False
    found = []
    for k, (top, left, bottom, right, size) in enumerate(stats[:, :5].tolist()):
        found.append(Obj(top, left, bottom - top, right - left, size, colours[k], n_colours[k], minors[k], labels, k,
                         frozen))
    return tuple(found)


def objects_of(grid: Grid, view: View) -> tuple[Obj, ...]:
    """The grid's objects under ``view``, in raster order of their first cell (cached)."""
    key = (grid.shape, grid.tobytes(), view)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]       # oldest first (dicts keep insertion order)
        found = _CACHE[key] = _build_objects(grid, view)
    return found


# --- 3. Properties ----------------------------------------------------------------------

def holes(obj: Obj) -> int:
    """Number of cells inside the bounding box, not in the object, and not 4-connected to the box edge."""
    return obj.n_holes


def _count_holes(mask: np.ndarray) -> int:
    if mask.shape[0] < 3 or mask.shape[1] < 3:
        return 0
    outside = ~mask
    return int(np.count_nonzero(outside & ~reach_border(outside, 4)))


def reach_border(free: np.ndarray, conn: int) -> np.ndarray:
    """Cells of ``free`` connected (within ``free``) to the grid's border."""
    reach = np.zeros_like(free)
    reach[0, :], reach[-1, :] = free[0, :], free[-1, :]
    reach[:, 0], reach[:, -1] = free[:, 0], free[:, -1]
    while True:
        grown = reach.copy()
        grown[1:, :] |= reach[:-1, :]
        grown[:-1, :] |= reach[1:, :]
        grown[:, 1:] |= reach[:, :-1]
        grown[:, :-1] |= reach[:, 1:]
        if conn == 8:
            grown[1:, 1:] |= reach[:-1, :-1]
            grown[1:, :-1] |= reach[:-1, 1:]
            grown[:-1, 1:] |= reach[1:, :-1]
            grown[:-1, :-1] |= reach[1:, 1:]
        grown &= free
        if np.array_equal(grown, reach):
            return reach
        reach = grown


def touches_border(obj: Obj, grid_shape: tuple[int, int]) -> bool:
    return obj.top == 0 or obj.left == 0 or obj.bottom == grid_shape[0] or obj.right == grid_shape[1]


# --- 4. Which views a task needs ----------------------------------------------------------------------

def task_views(ctx: TaskContext, max_objects: int = 60) -> list[View]:
    """The distinct views of the task's inputs: views that cut every input the same way are merged.

    Background: ``task_background``, or else each grid's own; colour 0 is offered as well when every
    input holds some 0 cells. Views giving more than ``max_objects`` objects on an input are dropped.
    """
    fixed = task_background(ctx)
    modes: list[int | None] = [fixed]
    if fixed is None and all((g == 0).any() for g in ctx.inputs):
        modes.append(0)
    chosen, seen = [], set()
    for bg in modes:
        for conn, multi in ((8, False), (4, False), (8, True), (4, True), (0, False)):
            view = View(conn, multi, bg)
            signature = []
            for g in ctx.inputs:
                objs = objects_of(g, view)
                signature.append(tuple((o.top, o.left, o.size, o.height, o.width) for o in objs))
            if any(len(s) > max_objects or len(s) == 0 for s in signature):
                continue
            key = tuple(signature)
            if key not in seen:
                seen.add(key)
                chosen.append(view)
    return chosen


def bg_text(bg: int | None) -> str:
    """The ``", bg=k"`` suffix of a primitive name ("" when each grid's own background is used)."""
    return "" if bg is None else f", bg={bg}"
