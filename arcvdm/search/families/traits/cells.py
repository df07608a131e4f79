"""Cell rules of the ``traits`` family: each cell's output colour read off its own colour and one or two
position or line features, in a table learned from the demonstrations.

``CellFeatures`` computes a grid's per-cell features on first use (``POSITION_FEATURES`` combine in
pairs, ``LINE_FEATURES`` are used alone, ``TAKE_FEATURES`` are colours a cell may take, ``in_box_of_c``
marks the boxes of colour c's components); ``CellDemos`` prepares the demonstrations once;
``learn_cell_rule`` fits a table of output codes (a colour, ``KEEP`` or ``TAKE``) to the cells' keys and
``cell_rule`` is the primitive that applies it. Which rules are tried, and in what order, is the
family's choice (``traits.py``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import ndimage

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import background, colour_counts
from arcvdm.search.objects import bg_text

KEEP = 10              # output code: the cell keeps its colour
TAKE = 11              # output code: the cell takes the colour of the rule's "take" feature


class CellFeatures:
    """One grid's per-cell features, each an (h, w) int64 array, computed on first use and kept."""

    def __init__(self, grid: Grid, bg: int | None):
        self.grid = grid
        self.h, self.w = grid.shape
        self.bg = background(grid) if bg is None else bg
        self.rows, self.cols = np.indices(grid.shape)
        self._cache: dict[str, np.ndarray] = {}

    def get(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = CELL_FEATURES[name](self)
        return self._cache[name]

    def component_box(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(top, left, height, width) of each cell's 8-connected one-colour component's bounding box, each
        (h, w), -1 on background."""
        if "_box" not in self._cache:
            box = np.full((4,) + self.grid.shape, -1, dtype=np.int64)
            for colour in np.unique(self.grid).tolist():
                if colour == self.bg:
                    continue
                labels, n = ndimage.label(self.grid == colour, structure=np.ones((3, 3)))
                slices = ndimage.find_objects(labels)
                # (4, n): top, left, height, width of each component, read at every cell by its label
                per_label = np.array([(r.start, c.start, r.stop - r.start, c.stop - c.start) for r, c in slices]).T
                cells = labels > 0
                box[:, cells] = per_label[:, labels[cells] - 1]
            self._cache["_box"] = box
        box = self._cache["_box"]
        return box[0], box[1], box[2], box[3]

    def in_box(self, colour: int) -> np.ndarray:
        """1 where the cell lies in the bounding box of an 8-connected component of ``colour``, 2 on the cells
        of ``colour`` themselves, 0 elsewhere."""
        inside = np.zeros(self.grid.shape, dtype=np.int64)
        if colour == self.bg:
            return inside
        own = self.grid == colour
        labels, n = ndimage.label(own, structure=np.ones((3, 3)))
        for box in ndimage.find_objects(labels):
            inside[box] = 1
        inside[own] = 2
        return inside


def _first_at(grid: Grid, bg: int) -> np.ndarray:
    """(h,) index of each row's first non-background cell, -1 when the row has none."""
    nonbg = grid != bg
    return np.where(nonbg.any(axis=1), np.argmax(nonbg, axis=1), -1)


def _component_row(f: CellFeatures) -> np.ndarray:
    top, _left, _height, _width = f.component_box()
    return np.where(top >= 0, (f.rows - top) % 2, -1)


def _component_col(f: CellFeatures) -> np.ndarray:
    _top, left, _height, _width = f.component_box()
    return np.where(left >= 0, (f.cols - left) % 2, -1)


def _component_half(f: CellFeatures, axis: int) -> np.ndarray:
    """Which half of its component's box the cell lies in along ``axis`` (0: rows): 0 the first half, 1 the
    middle line (odd sizes), 2 the second half; -1 on background."""
    top, left, height, width = f.component_box()
    start, size, at = (top, height, f.rows) if axis == 0 else (left, width, f.cols)
    return np.where(start >= 0, np.sign(2 * (at - start) - (size - 1)) + 1, -1)


def _component_ninth(f: CellFeatures) -> np.ndarray:
    """Both halves at once: 3 x the row half plus the column half (4: the middle cell of an odd box);
    -1 on background."""
    rows, cols = _component_half(f, 0), _component_half(f, 1)
    return np.where(rows >= 0, rows * 3 + cols, -1)


def _ring(f: CellFeatures) -> np.ndarray:
    return np.minimum(np.minimum(f.rows, f.cols), np.minimum(f.h - 1 - f.rows, f.w - 1 - f.cols))


def _colour_rank(f: CellFeatures) -> np.ndarray:
    """Each cell's colour's rank by count in the grid: 0 the most frequent, ties to the lower colour."""
    counts = colour_counts(f.grid)
    order = sorted(range(10), key=lambda c: (-int(counts[c]), c))
    rank = np.zeros(10, dtype=np.int64)
    for place, colour in enumerate(order):
        rank[colour] = place
    return rank[f.grid]


def _row_uniform(f: CellFeatures) -> np.ndarray:
    same = (f.grid == f.grid[:, :1]).all(axis=1)
    return np.broadcast_to(same[:, None], f.grid.shape).astype(np.int64)


def _col_uniform(f: CellFeatures) -> np.ndarray:
    same = (f.grid == f.grid[:1, :]).all(axis=0)
    return np.broadcast_to(same[None, :], f.grid.shape).astype(np.int64)


def _panel(f: CellFeatures, axis: int) -> np.ndarray:
    """Which side of the full separator lines the cell lies on along ``axis`` (0: rows): how many full
    lines of one non-background colour come before its line (at most 9), -1 on a separator line."""
    g = f.grid if axis == 0 else f.grid.T
    full = ((g == g[:, :1]).all(axis=1) & (g[:, 0] != f.bg)).astype(np.int64)
    index = np.where(full == 1, -1, np.minimum(np.cumsum(full) - full, 9))
    return np.broadcast_to((index[:, None] if axis == 0 else index[None, :]), f.grid.shape)


CellFeature = Callable[[CellFeatures], np.ndarray]

POSITION_FEATURES: dict[str, CellFeature] = {   # combined in pairs as well
    "in_component_row%2": _component_row,
    "in_component_col%2": _component_col,
    "col%2": lambda f: f.cols % 2,
    "col%3": lambda f: f.cols % 3,
    "col%4": lambda f: f.cols % 4,
    "col_from_right%2": lambda f: (f.w - 1 - f.cols) % 2,
    "col_from_right%3": lambda f: (f.w - 1 - f.cols) % 3,
    "row%2": lambda f: f.rows % 2,
    "row%3": lambda f: f.rows % 3,
    "row%4": lambda f: f.rows % 4,
    "row_from_bottom%2": lambda f: (f.h - 1 - f.rows) % 2,
    "row_from_bottom%3": lambda f: (f.h - 1 - f.rows) % 3,
    "ring%2": lambda f: _ring(f) % 2,
    "row_has_colour": lambda f: np.broadcast_to((f.grid != f.bg).any(axis=1)[:, None], f.grid.shape).astype(np.int64),
    "col_has_colour": lambda f: np.broadcast_to((f.grid != f.bg).any(axis=0)[None, :], f.grid.shape).astype(np.int64),
}

LINE_FEATURES: dict[str, CellFeature] = {       # used alone
    "ring": lambda f: np.minimum(_ring(f), 9),
    "row_panel": lambda f: _panel(f, 0),
    "col_panel": lambda f: _panel(f, 1),
    "diagonal%3": lambda f: (f.rows - f.cols) % 3,
    "antidiagonal%3": lambda f: (f.rows + f.cols) % 3,
    "in_component_half_row": lambda f: _component_half(f, 0),
    "in_component_half_col": lambda f: _component_half(f, 1),
    "in_component_ninth": _component_ninth,
    "row_uniform": _row_uniform,
    "colour_rank": _colour_rank,
    "middle": lambda f: (f.rows * 2 + 1 == f.h) + 2 * (f.cols * 2 + 1 == f.w),
    "col_uniform": _col_uniform,
    "row_first_at": lambda f: np.broadcast_to(_first_at(f.grid, f.bg)[:, None], f.grid.shape),
    "col_first_at": lambda f: np.broadcast_to(_first_at(f.grid.T, f.bg)[None, :], f.grid.shape),
}

def _line_colour(grid: Grid, bg: int) -> np.ndarray:
    """(h,) the one non-background colour of each row: ``bg`` when it has none, -1 when it has several."""
    found = np.full(grid.shape[0], bg, dtype=np.int64)
    for r in range(grid.shape[0]):
        colours = np.unique(grid[r][grid[r] != bg])
        if len(colours) == 1:
            found[r] = colours[0]
        elif len(colours) > 1:
            found[r] = -1
    return found


def _ring_reversed(f: CellFeatures) -> np.ndarray:
    """The colour of the ring as far from the centre as this cell's ring is from the border (concentric
    frames turned inside out), read on the main diagonal."""
    rings = _ring(f)
    deepest = int(rings.max())
    diagonal = np.array([f.grid[k, k] for k in range(deepest + 1)], dtype=np.int64)
    return diagonal[deepest - rings]


TAKE_FEATURES: dict[str, CellFeature] = {       # colours a cell may take (-1: none)
    "row_first": lambda f: np.broadcast_to(f.grid[:, :1], f.grid.shape).astype(np.int64),
    "row_last": lambda f: np.broadcast_to(f.grid[:, -1:], f.grid.shape).astype(np.int64),
    "col_first": lambda f: np.broadcast_to(f.grid[:1, :], f.grid.shape).astype(np.int64),
    "col_last": lambda f: np.broadcast_to(f.grid[-1:, :], f.grid.shape).astype(np.int64),
    "row_colour": lambda f: np.broadcast_to(_line_colour(f.grid, f.bg)[:, None], f.grid.shape),
    "ring_reversed": _ring_reversed,
    "col_colour": lambda f: np.broadcast_to(_line_colour(f.grid.T, f.bg)[None, :], f.grid.shape),
}

CELL_FEATURES: dict[str, CellFeature] = {**POSITION_FEATURES, **LINE_FEATURES, **TAKE_FEATURES}
for _c in range(10):
    CELL_FEATURES[f"in_box_of_{_c}"] = lambda f, c=_c: f.in_box(c)


COLOUR_KEYS = ("colour", "is_bg", "any")     # how much of a cell's own colour its key holds: finest first


def colour_key(grid: Grid, bg: int, mode: str) -> np.ndarray:
    """(h*w,) int64: each cell's colour (``colour``), whether it is background (``is_bg``), or 0 (``any``)."""
    if mode == "colour":
        return grid.astype(np.int64).ravel()
    if mode == "is_bg":
        return (grid == bg).astype(np.int64).ravel()
    return np.zeros(grid.size, dtype=np.int64)


def cell_keys(f: CellFeatures, features: tuple[str, ...], mode: str) -> np.ndarray:
    """(h*w,) int64 key of each cell: its ``colour_key`` and the features' values."""
    key = colour_key(f.grid, f.bg, mode)
    for name in features:
        key = key * 64 + (f.get(name).ravel() + 1)     # every feature value lies in -1..62
    return key


class CellDemos:
    """The demonstrations prepared once for the cell-rule learner: each input's features and, per cell, the
    output codes it allows (bit k: colour k, bit ``KEEP``: its own colour), concatenated over demonstrations."""

    def __init__(self, ctx: TaskContext, bg: int | None):
        self.bg = bg
        self.features = [CellFeatures(i, bg) for i in ctx.train_inputs]
        self.outputs = np.concatenate([o.astype(np.int64).ravel() for o in ctx.train_outputs])
        inputs = np.concatenate([i.astype(np.int64).ravel() for i in ctx.train_inputs])
        self.allowed = np.left_shift(1, self.outputs) | np.where(self.outputs == inputs, 1 << KEEP, 0)
        self.demo = np.concatenate([np.full(i.size, k, dtype=np.int64) for k, i in enumerate(ctx.train_inputs)])
        self._colour_keys = {mode: np.concatenate([colour_key(f.grid, f.bg, mode) for f in self.features])
                             for mode in COLOUR_KEYS}
        self._values: dict[str, np.ndarray] = {}

    def values(self, name: str) -> np.ndarray:
        """The feature ``name`` of every demonstration cell, concatenated (kept)."""
        if name not in self._values:
            self._values[name] = np.concatenate([f.get(name).ravel() for f in self.features])
        return self._values[name]

    def keys(self, features: tuple[str, ...], mode: str) -> np.ndarray:
        """The cells' keys as ``cell_keys`` makes them, concatenated."""
        key = self._colour_keys[mode]
        for name in features:
            key = key * 64 + (self.values(name) + 1)
        return key


def learn_cell_rule(demos: CellDemos, features: tuple[str, ...], mode: str,
                    take: str | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(sorted keys, output codes) consistent with every demonstration, or None.

    A code is a colour, ``KEEP`` or ``TAKE``; a key's code is the first of KEEP, TAKE, the lowest colour
    that every one of its cells allows. Every key whose code changes a cell must be met in at least two
    demonstrations (one demonstration's accident is not a rule)."""
    keys = demos.keys(features, mode)
    allowed = demos.allowed
    if take is not None:
        allowed = allowed | np.where(demos.outputs == demos.values(take), 1 << TAKE, 0)
    order = np.argsort(keys, kind="stable")
    keys, allowed, demo = keys[order], allowed[order], demos.demo[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    both = np.bitwise_and.reduceat(allowed, starts)
    if (both == 0).any():
        return None
    codes = np.where(both & (1 << KEEP), KEEP,
                     np.where(both & (1 << TAKE), TAKE, np.argmax((both[:, None] >> np.arange(10)) & 1, axis=1)))
    changing = codes != KEEP
    if not changing.any():
        return None
    first_demo = np.minimum.reduceat(demo, starts)
    last_demo = np.maximum.reduceat(demo, starts)
    if (first_demo[changing] == last_demo[changing]).any():
        return None
    return keys[starts], codes


def cell_rule(features: tuple[str, ...], mode: str, take: str | None, bg: int | None,
              table: tuple[np.ndarray, np.ndarray]) -> Primitive:
    """Each cell gets the code its key maps to in ``table`` (keep, a colour, or the ``take`` feature's
    colour); None when some cell's key was never seen in the demonstrations."""
    table_keys, table_codes = table

    def fn(grid: Grid) -> Grid | None:
        f = CellFeatures(grid, bg)
        keys = cell_keys(f, features, mode)
        at = np.searchsorted(table_keys, keys)
        at[at >= len(table_keys)] = 0
        if not (table_keys[at] == keys).all():
            return None
        codes = table_codes[at]
        out = grid.ravel().astype(np.int64)
        out = np.where(codes < 10, codes, out)
        if take is not None:
            taken = f.get(take).ravel()
            if (taken[codes == TAKE] < 0).any():
                return None                               # no colour to take there
            out = np.where(codes == TAKE, taken, out)
        return out.reshape(grid.shape).astype(np.uint8)

    parts = list(features) + ([f"take={take}"] if take else []) + ([] if mode == "colour" else [f"{mode}"])
    return Primitive(f"cell_rule({', '.join(parts)}{bg_text(bg)})", fn)


def _consistent(demos: CellDemos, features: tuple[str, ...]) -> bool:
    """Cells with the same colour and the same values of all ``features`` agree on some output code: when
    this fails no rule over fewer of these features fits (a coarser key only merges more cells)."""
    if len(features) <= 4:
        key = demos.keys(features, "colour")
    else:
        key = demos.keys((), "colour")
        for name in features:
            _, key = np.unique(key * 64 + demos.values(name) + 1, return_inverse=True)   # renumbered: stays small
    order = np.argsort(key, kind="stable")
    key, allowed = key[order], demos.allowed[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return bool((np.bitwise_and.reduceat(allowed, starts) != 0).all())
