"""Outputs made of the pieces a grid splits into: the odd piece out by symmetry, a shape coloured by a
small key, pieces gathered around markers or from the corners, pieces overlaid by a learned colour
priority (``extract.py`` sections 7, 9, 10 and 11).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, reproduces
from arcvdm.search.facts import background
from arcvdm.search.families.extract.common import fits
from arcvdm.search.families.parts import SPLITS, split
from arcvdm.search.objects import View, objects_of

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
