"""Learned local rules: a fitter whose output cell is a function of the produced cell's neighbourhood.

When every produced grid already has its output's shape, ``local_rule`` learns a table
``key of a cell -> output colour`` from every demonstration cell, where the key describes the cell in
its produced grid. The table must be consistent (one output per key, over all demonstrations), and the
returned primitive maps a new grid cell by cell, answering ``None`` when any cell's key was never seen:
a local rule never guesses.

Keys (``KEYS``) run from the most general to the richest. Every key whose table is consistent and
trustworthy is kept, in that order, and a new grid is mapped by the first kept table that knows all of
its cells' keys (program text ``local_rule(4abs,+2)``: the first key and two richer fallbacks):

- ``4abs`` / ``8abs`` — the centre is background or not; each 4- / 8-neighbour is outside the grid, the
  centre's colour, the background, or another colour (colour-abstract: generalises to new colours);
- ``4same`` / ``8same`` — the same, with the centre's own colour;
- ``8count`` — the centre's colour and how many of its 8 neighbours have its colour, background, other;
- ``border`` / ``objsize`` / ``size`` — the centre's colour and whether its 4-connected same-colour
  component touches the grid's border / that component's size, 0 for background cells / its size (sizes
  capped at ``SIZE_CAP``);
- ``sets`` — the centre's colour and the sets of colours among its 4 side and 4 corner neighbours;
- ``4`` / ``3x3`` — the centre's colour and its 4 / 8 neighbours' colours;
- ``between`` — the centre's colour and the colour it lies between, left-right and up-down (the same
  first non-background colour met on both sides, or none);
- ``rays`` — the centre's colour and the first non-background colour met in each of the 4 directions;
- ``lines`` — the centre's colour and the non-background colours present in its row and its column.

Outputs are stored as "keep the produced colour" or a literal colour, so the colour-abstract keys can
keep cells of colours never seen in the demonstrations. The background of a grid is its most frequent
colour (``facts.background``), taken per grid.

Trust: a table that fits is not yet a rule. Richer keys tend to give every changed cell its own key, a
memorised answer rather than a rule, so a table is kept only when the changed cells are at least
``MIN_CHANGED_PER_KEY`` times as many as the distinct keys that change a cell. The key that only holds
the colour is left to ``colour_map``, and a produced grid equal to its output to ``identity``.

Speed: the search calls fitters on every state it checks, so everything is numpy on whole grids (keys
are int64 per cell, consistency is one sort of ``key * 16 + output``), with a cheap shape test first, and
a key that conflicts within the first demonstration is dropped before the others are computed. Measured
~0.25-0.5 ms per call on training tasks; ``engine.FITTER_MAX_DEPTH`` keeps it to programs of at most one
primitive (at depth 2 it costs ~45 % more search time).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import ndimage

from arcvdm.grids import Grid, grids_equal
from arcvdm.search.dsl import Primitive
from arcvdm.search.facts import background, colour_counts

KEEP = 10  # output code: the cell keeps its produced colour
OUTSIDE = 10  # neighbour colour beyond the grid's edge, and "no colour met" for rays
MIN_CHANGED_PER_KEY = 2  # changed demonstration cells per distinct changing key, at least (see "Trust")
SIZE_CAP = 10  # component sizes above this share one key, so big background regions of new grids match
LOCAL_RULE_COST = 3  # a learned table ranks below exact programs of up to two primitives


class _Cells:
    """One grid's per-cell features, computed on demand and kept: neighbours, background, components."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.h, self.w = grid.shape
        self.c = grid.astype(np.int64)  # (h, w)
        self.bg = background(grid)
        self._nb: np.ndarray | None = None
        self._abs: np.ndarray | None = None
        self._comp: tuple[np.ndarray, np.ndarray] | None = None
        self._rays: np.ndarray | None = None

    def neighbours(self) -> np.ndarray:
        """(8, h, w) neighour colours, ``OUTSIDE`` past the edge: up, down, left, right, then diagonals."""
        if self._nb is None:
            h, w = self.h, self.w
            pad = np.full((h + 2, w + 2), OUTSIDE, dtype=np.int64)
            pad[1:-1, 1:-1] = self.c
            offsets = ((0, 1), (2, 1), (1, 0), (1, 2), (0, 0), (0, 2), (2, 0), (2, 2))
            self._nb = np.stack([pad[dy : dy + h, dx : dx + w] for dy, dx in offsets])
        return self._nb

    def classes(self) -> np.ndarray:
        """(8, h, w) each neighbour's class: 0 outside, 1 the centre's colour, 2 background, 3 other."""
        if self._abs is None:
            nb = self.neighbours()
            self._abs = (nb != OUTSIDE) * (1 + (nb != self.c) * (1 + (nb != self.bg)))
        return self._abs

    def abstract(self, n: int) -> np.ndarray:
        """(h, w) base-4 code of the first n neighbours' classes."""
        cls = self.classes()
        code = cls[n - 1].copy()
        for i in range(n - 2, -1, -1):
            code = code * 4 + cls[i]
        return code

    def counts(self) -> np.ndarray:
        """(h, w) base-9 code of how many of the 8 neighbours have the centre's colour, background, other."""
        cls = self.classes()
        same = np.count_nonzero(cls == 1, axis=0)
        bg = np.count_nonzero(cls == 2, axis=0)
        other = np.count_nonzero(cls == 3, axis=0)
        return (same * 9 + bg) * 9 + other

    def colours(self, n: int) -> np.ndarray:
        """(h, w) base-11 code of the first n neighbours' colours."""
        nb = self.neighbours()
        code = nb[n - 1].copy()
        for i in range(n - 2, -1, -1):
            code = code * 11 + nb[i]
        return code

    def sets(self) -> np.ndarray:
        """(h, w) the sets of colours among the 4 side neighbours (bits 0-10) and 4 diagonal ones (bits 11-21)."""
        bits = np.left_shift(1, self.neighbours())  # (8, h, w)
        sides = bits[0] | bits[1] | bits[2] | bits[3]
        corners = bits[4] | bits[5] | bits[6] | bits[7]
        return sides + (corners << 11)

    def components(self) -> tuple[np.ndarray, np.ndarray]:
        """(sizes, touches border) of each cell's 4-connected same-colour component, both (h, w)."""
        if self._comp is None:
            labels = np.empty((self.h, self.w), dtype=np.int64)
            n = 0
            for colour in np.flatnonzero(colour_counts(self.grid)).tolist():
                lab, k = ndimage.label(self.grid == colour)  # 4-connected by default
                inside = lab > 0
                labels[inside] = lab[inside] + (n - 1)
                n += k
            sizes = np.bincount(labels.ravel(), minlength=n)
            edge = np.zeros(n, dtype=bool)
            edge[labels[0, :]] = True
            edge[labels[-1, :]] = True
            edge[labels[:, 0]] = True
            edge[labels[:, -1]] = True
            self._comp = (sizes[labels], edge[labels])
        return self._comp

    def rays(self) -> np.ndarray:
        """(4, h, w) the first non-background colour met going left, right, up and down (``OUTSIDE``: none)."""
        if self._rays is None:
            c, nonbg = self.c, self.c != self.bg
            self._rays = np.stack([
                _ray_left(c, nonbg),
                _ray_left(c[:, ::-1], nonbg[:, ::-1])[:, ::-1],
                _ray_left(c.T, nonbg.T).T,
                _ray_left(c.T[:, ::-1], nonbg.T[:, ::-1])[:, ::-1].T,
            ])
        return self._rays

    def ray_code(self) -> np.ndarray:
        """(h, w) base-11 code of the four ray colours."""
        r = self.rays()
        return ((r[0] * 11 + r[1]) * 11 + r[2]) * 11 + r[3]

    def between(self) -> np.ndarray:
        """(h, w) base-11 code: the colour met both left and right (else ``OUTSIDE``), the same up and down."""
        r = self.rays()
        across = np.where(r[0] == r[1], r[0], OUTSIDE)
        along = np.where(r[2] == r[3], r[2], OUTSIDE)
        return across * 11 + along

    def lines(self) -> np.ndarray:
        """(h, w) code of the non-background colours in the cell's row (bits 0-9) and column (bits 10-19)."""
        bits = np.left_shift(1, self.c)
        bits[self.c == self.bg] = 0
        rows = np.bitwise_or.reduce(bits, axis=1)  # (h,)
        cols = np.bitwise_or.reduce(bits, axis=0)  # (w,)
        return rows[:, None] + (cols[None, :] << 10)


def _ray_left(c: np.ndarray, nonbg: np.ndarray) -> np.ndarray:
    """(h, w) colour of the nearest non-background cell strictly left of each cell, ``OUTSIDE`` if none."""
    h, w = c.shape
    index = np.where(nonbg, np.arange(w)[None, :], -1)
    last = np.maximum.accumulate(index, axis=1)  # nearest at or left of the cell
    before = np.full((h, w), -1, dtype=np.int64)
    before[:, 1:] = last[:, :-1]
    found = np.take_along_axis(c, np.maximum(before, 0), axis=1)
    return np.where(before >= 0, found, OUTSIDE)


def _with_centre(cells: _Cells, rest: np.ndarray) -> np.ndarray:
    return cells.c + 10 * rest


def _with_bg_bit(cells: _Cells, rest: np.ndarray) -> np.ndarray:
    return (cells.c == cells.bg).astype(np.int64) + 2 * rest


def _border(cells: _Cells) -> np.ndarray:
    _sizes, edge = cells.components()
    return _with_centre(cells, edge.astype(np.int64))


def _object_size(cells: _Cells) -> np.ndarray:
    # background regions all share size 0: their sizes vary from grid to grid and rarely carry the rule
    sizes, _edge = cells.components()
    sizes = np.where(cells.c == cells.bg, 0, np.minimum(sizes, SIZE_CAP))
    return _with_centre(cells, sizes)


def _size(cells: _Cells) -> np.ndarray:
    sizes, _edge = cells.components()
    return _with_centre(cells, np.minimum(sizes, SIZE_CAP))


# name -> per-cell int64 key (h, w); every key is below 2**59 so that ``key * 16 + output`` fits int64
KEYS: dict[str, Callable[[_Cells], np.ndarray]] = {
    "4abs": lambda k: _with_bg_bit(k, k.abstract(4)),
    "4same": lambda k: _with_centre(k, k.abstract(4)),
    "8count": lambda k: _with_centre(k, k.counts()),
    "8abs": lambda k: _with_bg_bit(k, k.abstract(8)),
    "8same": lambda k: _with_centre(k, k.abstract(8)),
    "border": _border,
    "objsize": _object_size,
    "size": _size,
    "sets": lambda k: _with_centre(k, k.sets()),
    "4": lambda k: _with_centre(k, k.colours(4)),
    "3x3": lambda k: _with_centre(k, k.colours(8)),
    "between": lambda k: _with_centre(k, k.between()),
    "rays": lambda k: _with_centre(k, k.ray_code()),
    "lines": lambda k: _with_centre(k, k.lines()),
}


def consistent_table(keys: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(sorted distinct keys, their output codes) from per-cell keys and codes (both (N,) int64), or None
    when some key has two different outputs."""
    pairs = np.sort(keys * 16 + codes)  # (N,)
    new = np.empty(len(pairs), dtype=bool)
    new[0] = True
    np.not_equal(pairs[1:], pairs[:-1], out=new[1:])
    distinct = pairs[new]  # (K,) one per (key, output) pair
    table_keys = distinct >> 4
    if np.any(table_keys[1:] == table_keys[:-1]):
        return None
    return table_keys, distinct & 15


def shows_rule(table_codes: np.ndarray, codes: np.ndarray) -> bool:
    """True when the changed cells are at least ``MIN_CHANGED_PER_KEY`` times the keys that change a cell
    (and some cell changes): many cells follow each learned change, so it is a rule, not a list."""
    changing = int(np.count_nonzero(table_codes != KEEP))
    changed = int(np.count_nonzero(codes != KEEP))
    return changing > 0 and changed >= MIN_CHANGED_PER_KEY * changing


def apply_table(grid: Grid, key_name: str, table_keys: np.ndarray, table_codes: np.ndarray) -> Grid | None:
    """The grid with each cell replaced by its key's output; None if some cell's key is not in the table."""
    keys = KEYS[key_name](_Cells(grid)).ravel()  # (h*w,)
    where = np.searchsorted(table_keys, keys)
    where = np.minimum(where, len(table_keys) - 1)
    if not np.array_equal(table_keys[where], keys):
        return None  # a neighbourhood no demonstration showed: no guessing
    codes = table_codes[where].reshape(grid.shape)
    return np.where(codes == KEEP, grid, codes).astype(np.uint8)


def _output_codes(produced: list[Grid], outputs: list[Grid]) -> np.ndarray:
    """(N,) every demonstration cell's output code: ``KEEP`` where it equals the produced cell."""
    parts = []
    for p, o in zip(produced, outputs):
        parts.append(np.where(o == p, KEEP, o).ravel())
    return np.concatenate(parts).astype(np.int64)


def pair_local_rule(produced: Grid, output: Grid) -> bool:
    """``fit_local_rule`` keeps every demonstration's shape."""
    return produced.shape == output.shape


def fit_local_rule(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """Output cell = table[key of the produced cell's neighbourhood]. Every key of ``KEYS`` whose table is
    consistent over all demonstration cells and shows a rule is kept, simplest first; a new grid is mapped
    by the first kept table that knows every one of its cells' keys."""
    # 1. Same shapes, and something to change that a colour map cannot
    if len(produced) != len(outputs):
        return None
    changed = False
    for p, o in zip(produced, outputs):
        if p.shape != o.shape:
            return None
        if not changed and not grids_equal(p, o):
            changed = True
    if not changed:
        return None  # identity's job
    codes = _output_codes(produced, outputs)
    colour_only = np.concatenate([p.ravel() for p in produced]).astype(np.int64)
    if consistent_table(colour_only, codes) is not None:
        return None  # colour_map's job
    # 2. Every key with a consistent, trustworthy table; a key that conflicts within the first
    #    demonstration is dropped before the other demonstrations' keys are computed (most states fail so)
    first = _Cells(produced[0])
    n_first = produced[0].size
    rest: list[_Cells] | None = None
    tables: list[tuple[str, np.ndarray, np.ndarray]] = []
    for name, key_of in KEYS.items():
        key_first = key_of(first).ravel()  # (h0*w0,)
        if consistent_table(key_first, codes[:n_first]) is None:
            continue
        if rest is None:
            rest = [_Cells(p) for p in produced[1:]]
        keys = np.concatenate([key_first] + [key_of(k).ravel() for k in rest])  # (N,)
        table = consistent_table(keys, codes)
        if table is not None and shows_rule(table[1], codes):
            tables.append((name, table[0], table[1]))
    if not tables:
        return None
    names = tables[0][0] if len(tables) == 1 else f"{tables[0][0]},+{len(tables) - 1}"

    def run(g: Grid, tables: list[tuple[str, np.ndarray, np.ndarray]] = tables) -> Grid | None:
        for name, tk, tc in tables:
            out = apply_table(g, name, tk, tc)
            if out is not None:
                return out
        return None

    return Primitive(f"local_rule({names})", run, cost=LOCAL_RULE_COST)  # "+n": n richer fallback keys
