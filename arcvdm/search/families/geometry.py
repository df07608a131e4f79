"""Geometry primitives: D8 symmetries, crop to content, whole-factor scaling, tilings, symmetry and period
completion (and the hidden part they reveal), shifts.

Every function here is pure numpy on one grid. The ``geometry`` family binds the parameters a task needs:
scale factors come from the demonstrations' size ratios (plus 2 and 3), symmetry completion from the
colours present in every input grid. Names are the text a program shows: ``"rot90"``, ``"scale_up(2)"``,
``"sym_fill(lr, 0)"``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.search.cache import by_content
from arcvdm.search import kernels
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import background

# The eight symmetries of the square, named as programs show them; each maps to its inverse's name.
D8: dict[str, Callable[[Grid], Grid]] = {
    "rot90": lambda g: np.rot90(g, -1),  # clockwise
    "rot180": lambda g: np.rot90(g, 2),
    "rot270": lambda g: np.rot90(g, 1),
    "flip_lr": lambda g: g[:, ::-1],
    "flip_ud": lambda g: g[::-1, :],
    "transpose": lambda g: g.T,
    "antitranspose": lambda g: np.rot90(g, 2).T,
}
D8_INVERSE = {
    "rot90": "rot270", "rot270": "rot90", "rot180": "rot180", "flip_lr": "flip_lr",
    "flip_ud": "flip_ud", "transpose": "transpose", "antitranspose": "antitranspose",
}


def _fits(h: int, w: int) -> bool:
    return 1 <= h <= MAX_SIZE and 1 <= w <= MAX_SIZE


def d8(name: str, grid: Grid) -> Grid:
    """Apply the named D8 symmetry (a contiguous copy)."""
    return np.ascontiguousarray(D8[name](grid))


def content_box(grid: Grid, bg: int | None) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right), bottom and right exclusive, of the box around every cell that is not
    ``bg`` (None: the grid's background); None if there is no such cell."""
    colour = background(grid) if bg is None else bg
    rows = np.flatnonzero((grid != colour).any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero((grid != colour).any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def crop_content(grid: Grid, bg: int | None) -> Grid | None:
    """The bounding box of every cell that is not ``bg`` (None: the grid's background); None if empty."""
    box = content_box(grid, bg)
    if box is None:
        return None
    top, bottom, left, right = box
    return grid[top:bottom, left:right].copy()


def scale_up(grid: Grid, fy: int, fx: int) -> Grid | None:
    """Each cell becomes an ``fy`` x ``fx`` block."""
    if not _fits(grid.shape[0] * fy, grid.shape[1] * fx):
        return None
    return np.repeat(np.repeat(grid, fy, axis=0), fx, axis=1)


def scale_down(grid: Grid, fy: int, fx: int) -> Grid | None:
    """Inverse of ``scale_up``: only when the grid is made of uniform ``fy`` x ``fx`` blocks."""
    h, w = grid.shape
    if h % fy or w % fx:
        return None
    small = grid[::fy, ::fx]
    if not np.array_equal(scale_up(small, fy, fx), grid):
        return None
    return small.copy()


def tile(grid: Grid, ny: int, nx: int) -> Grid | None:
    """The grid repeated ``ny`` times down and ``nx`` times across."""
    if not _fits(grid.shape[0] * ny, grid.shape[1] * nx):
        return None
    return np.tile(grid, (ny, nx))


def untile(grid: Grid) -> Grid | None:
    """Inverse of ``tile``: the smallest block whose repetition is exactly the grid (None if only itself)."""
    # A (py, px) block tiles the grid exactly when the rows repeat every py and the columns every px, so the
    # smallest block is (smallest such py, smallest such px), each a divisor of its side.
    h, w = grid.shape
    py = next(p for p in range(1, h + 1) if h % p == 0 and (p == h or not (grid[p:] != grid[:-p]).any()))
    px = next(p for p in range(1, w + 1) if w % p == 0 and (p == w or not (grid[:, p:] != grid[:, :-p]).any()))
    if (py, px) == (h, w):
        return None
    return grid[:py, :px].copy()


def _period(line_equal: Callable[[int], bool], n: int) -> int:
    """The smallest p in 1..n with line_equal(p) (the grid equals itself shifted by p), else n."""
    for p in range(1, n):
        if line_equal(p):
            return p
    return n


def extend(grid: Grid, fy: int, fx: int) -> Grid | None:
    """Continue the grid's repeating pattern to ``fy`` times its height and ``fx`` times its width."""
    h, w = grid.shape
    if not _fits(h * fy, w * fx):
        return None
    py = _period(lambda p: bool(np.array_equal(grid[p:], grid[:-p])), h)
    px = _period(lambda p: bool(np.array_equal(grid[:, p:], grid[:, :-p])), w)
    rows = np.arange(h * fy) % py
    cols = np.arange(w * fx) % px
    return grid[np.ix_(rows, cols)].copy()


def mirror_concat(grid: Grid, kind: str) -> Grid | None:
    """The grid joined with its mirror image: ``lr`` (g | flip), ``rl`` (flip | g), ``ud``, ``du``, ``quad``."""
    h, w = grid.shape
    if kind == "lr":
        out = np.hstack([grid, grid[:, ::-1]])
    elif kind == "rl":
        out = np.hstack([grid[:, ::-1], grid])
    elif kind == "ud":
        out = np.vstack([grid, grid[::-1]])
    elif kind == "du":
        out = np.vstack([grid[::-1], grid])
    elif kind == "quad":  # g in the top-left, mirrored into the other three quadrants
        top = np.hstack([grid, grid[:, ::-1]])
        out = np.vstack([top, top[::-1]])
    elif kind == "quad_rev":  # g in the bottom-right
        top = np.hstack([grid[::-1, ::-1], grid[::-1]])
        out = np.vstack([top, top[::-1]])
    else:
        raise ValueError(f"unknown mirror_concat kind {kind!r}; choose lr, rl, ud, du, quad, quad_rev")
    return out if _fits(*out.shape) else None


def fractal(grid: Grid, invert: bool, major: bool = False) -> Grid | None:
    """The grid tiled by itself: block (i, j) is a copy of the grid where cell (i, j) is non-zero (or zero,
    ``invert``; or of the grid's most frequent colour, ``major``), else all zeros. (h, w) becomes (h*h, w*w)."""
    h, w = grid.shape
    if not _fits(h * h, w * w):
        return None
    if major:
        mask = grid == background(grid)
    else:
        mask = (grid == 0) if invert else (grid != 0)
    return np.kron(mask.astype(np.uint8), grid).astype(np.uint8)


def rot_quad(grid: Grid) -> Grid | None:
    """A square grid turned into a 2x2 tiling of its four rotations: g, rot90 / rot270, rot180 (clockwise)."""
    if grid.shape[0] != grid.shape[1] or not _fits(2 * grid.shape[0], 2 * grid.shape[1]):
        return None
    top = np.hstack([grid, np.rot90(grid, -1)])
    bottom = np.hstack([np.rot90(grid, 1), np.rot90(grid, 2)])
    return np.vstack([top, bottom])


def _mirrors(grid: Grid, kind: str) -> list[Grid]:
    """The images of ``grid`` under the symmetry group ``kind`` (identity excluded); square-only kinds need h == w."""
    if kind == "lr":
        return [grid[:, ::-1]]
    if kind == "ud":
        return [grid[::-1]]
    if kind == "lrud":
        return [grid[:, ::-1], grid[::-1], grid[::-1, ::-1]]
    if grid.shape[0] != grid.shape[1]:
        return []
    if kind == "diag":
        return [grid.T]
    if kind == "rot":
        return [np.rot90(grid, 1), np.rot90(grid, 2), np.rot90(grid, 3)]
    if kind == "all":
        rotations = [np.rot90(grid, 1), np.rot90(grid, 2), np.rot90(grid, 3)]
        return rotations + [grid.T, grid[:, ::-1], grid[::-1], np.rot90(grid, 2).T]
    raise ValueError(f"unknown symmetry kind {kind!r}")


SYMMETRY_KINDS = ("lr", "ud", "lrud", "diag", "rot", "all")


def sym_fill(grid: Grid, kind: str, hole: int) -> Grid | None:
    """Complete a symmetric picture: each cell of colour ``hole`` takes its mirror images' colour (if not ``hole``).

    None when the grid has no such cell, or the mirror images disagree on a cell they both fill.
    (``kernels.sym_fill`` compiled; this is its reference.)
    """
    if kernels.ENABLED and kind in kernels.SYMMETRY_CODES:
        ok, out = kernels.sym_fill(grid, kernels.SYMMETRY_CODES[kind], hole)
        return out if ok else None
    mask = grid == hole
    if not mask.any():
        return None
    images = _mirrors(grid, kind)
    if not images:
        return None
    out = grid.copy()
    filled = np.zeros_like(mask)
    for img in images:
        take = mask & (img != hole)
        clash = take & filled & (out != img)
        if clash.any():
            return None
        out[take] = img[take]
        filled |= take
    if not filled.any():
        return None
    return out


def sym_local(grid: Grid, kind: str, hole: int) -> Grid | None:
    """``sym_fill`` inside the bounding box of the cells that are not ``hole`` (a symmetric shape that is
    not centred in the grid), pasted back in place."""
    ys, xs = np.nonzero(grid != hole)
    if ys.size == 0:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    if (y1 - y0, x1 - x0) == grid.shape:
        return None  # the box is the whole grid: that is sym_fill
    inner = sym_fill(grid[y0:y1, x0:x1], kind, hole)
    if inner is None:
        return None
    out = grid.copy()
    out[y0:y1, x0:x1] = inner
    return out


def period_fill(grid: Grid, hole: int) -> Grid | None:
    """Complete a periodic picture: find the smallest (rows x columns) period with which every cell not of
    colour ``hole`` agrees, and give each ``hole`` cell the colour of its class. None if no period (smaller
    than the grid in some direction) explains the picture and fills every hole. (``kernels.period_fill``
    compiled; this is its reference.)"""
    if kernels.ENABLED:
        ok, out = kernels.period_fill(grid, hole)
        return out if ok else None
    mask = grid == hole
    if not mask.any() or mask.all():
        return None
    h, w = grid.shape
    rows = np.arange(h)[:, None]
    cols = np.arange(w)[None, :]
    known = ~mask
    vals = grid[known].astype(np.int64)
    # cheap necessary test per axis: the picture shifted by p agrees with itself where both cells are known
    ok_y = row_periods(grid, known)
    ok_x = row_periods(grid.T, known.T)
    periods = sorted(((py, px) for py in ok_y for px in ok_x if py < h or px < w), key=lambda p: (p[0] * p[1], p))
    for py, px in periods:
        classes = (rows % py) * px + (cols % px)  # (h, w) class id of each cell
        # colours seen per class: a (classes, 10) count table
        seen = np.bincount(classes[known] * 10 + vals, minlength=py * px * 10).reshape(py * px, 10) > 0
        per_class = seen.sum(axis=1)
        if (per_class > 1).any():
            continue  # some class holds two colours
        hole_classes = classes[mask]
        if (per_class[hole_classes] == 0).any():
            continue  # a hole whose class is never seen
        out = grid.copy()
        out[mask] = seen.argmax(axis=1)[hole_classes].astype(np.uint8)
        return out
    return None


def row_periods(grid: Grid, known: np.ndarray) -> list[int]:
    """The shifts p (1..h) by which the rows agree: rows i and i + p have the same colour wherever both cells are
    known, for every i; h itself always. All shifts from one table of which row pairs clash."""
    h = grid.shape[0]
    clash = ((grid[:, None, :] != grid[None, :, :]) & (known[:, None, :] & known[None, :, :])).any(axis=2)
    first, second = np.nonzero(np.triu(clash, 1))
    bad = np.zeros(h + 1, dtype=bool)
    bad[second - first] = True
    return [p for p in range(1, h + 1) if p == h or not bad[p]]


def _sym_fill(grid: Grid, kind: str, hole: int) -> Grid | None:
    """``sym_fill`` kept per grid content: the family's fill and hidden-part primitives both need it."""
    return by_content("sym_fill", grid, (kind, hole), lambda: sym_fill(grid, kind, hole))


def _period_fill(grid: Grid, hole: int) -> Grid | None:
    """``period_fill`` kept per grid content: the family's fill and hidden-part primitives both need it."""
    return by_content("period_fill", grid, (hole,), lambda: period_fill(grid, hole))


def crop_to_hole(filled: Grid | None, grid: Grid, hole: int) -> Grid | None:
    """The part of ``filled`` under the bounding box of ``grid``'s ``hole`` cells (what was hidden)."""
    if filled is None:
        return None
    ys, xs = np.nonzero(grid == hole)
    return filled[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].copy()


def shift(grid: Grid, dy: int, dx: int) -> Grid:
    """Move every cell by (dy, dx); cells moved in from outside take the background colour."""
    h, w = grid.shape
    out = np.full_like(grid, background(grid))
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = grid[ys, xs]
    return out


def dedup_lines(grid: Grid) -> Grid:
    """Collapse runs of identical adjacent rows, then of identical adjacent columns."""
    keep_r = np.concatenate([[0], np.flatnonzero((grid[1:] != grid[:-1]).any(axis=1)) + 1])
    g = grid[keep_r]
    keep_c = np.concatenate([[0], np.flatnonzero((g[:, 1:] != g[:, :-1]).any(axis=0)) + 1])
    return np.ascontiguousarray(g[:, keep_c])


def _ratios(ctx: TaskContext) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Whole-number (up, down) size ratios between demonstration outputs and inputs, per axis."""
    up, down = set(), set()
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        (hi, wi), (ho, wo) = gi.shape, go.shape
        if ho % hi == 0 and wo % wi == 0 and (ho > hi or wo > wi):
            up.add((ho // hi, wo // wi))
        if hi % ho == 0 and wi % wo == 0 and (hi > ho or wi > wo):
            down.add((hi // ho, wi // wo))
    return up, down


def geometry_family(ctx: TaskContext) -> list[Primitive]:
    """D8, crop, scale, tile, mirror tilings, symmetry completion, shifts, duplicate-line removal."""
    prims: list[Primitive] = []
    for name in D8:
        prims.append(Primitive(name, lambda g, n=name: d8(n, g)))
    prims.append(Primitive("crop", lambda g: crop_content(g, 0)))
    if any(background(g) != 0 for g in ctx.inputs):
        prims.append(Primitive("crop(bg)", lambda g: crop_content(g, None)))
    up, down = _ratios(ctx)
    factors_up = sorted(up | {(2, 2), (3, 3)})
    factors_down = sorted(down | {(2, 2), (3, 3)})
    for fy, fx in factors_up:
        label = f"{fy}" if fy == fx else f"{fy},{fx}"
        prims.append(Primitive(f"scale_up({label})", lambda g, a=fy, b=fx: scale_up(g, a, b)))
    for fy, fx in factors_down:
        label = f"{fy}" if fy == fx else f"{fy},{fx}"
        prims.append(Primitive(f"scale_down({label})", lambda g, a=fy, b=fx: scale_down(g, a, b)))
    # tile counts: the size ratios and their divisors (a mirror step may double the grid first)
    tiles = {(1, 2), (2, 1), (2, 2)}
    for fy, fx in up:
        tiles |= {(a, b) for a in range(1, fy + 1) if fy % a == 0 for b in range(1, fx + 1) if fx % b == 0}
    tiles.discard((1, 1))
    for ny, nx in sorted(tiles):
        prims.append(Primitive(f"tile({ny},{nx})", lambda g, a=ny, b=nx: tile(g, a, b)))
    prims.append(Primitive("untile", untile))
    for fy, fx in sorted(up):
        prims.append(Primitive(f"extend({fy},{fx})", lambda g, a=fy, b=fx: extend(g, a, b)))
    for kind in ("lr", "rl", "ud", "du", "quad", "quad_rev"):
        prims.append(Primitive(f"mirror({kind})", lambda g, k=kind: mirror_concat(g, k)))
    prims.append(Primitive("rot_quad", rot_quad))
    if any(go.shape == (gi.shape[0] ** 2, gi.shape[1] ** 2) for gi, go in zip(ctx.train_inputs, ctx.train_outputs)):
        prims.append(Primitive("fractal", lambda g: fractal(g, False)))
        prims.append(Primitive("fractal(inverse)", lambda g: fractal(g, True)))
        prims.append(Primitive("fractal(major)", lambda g: fractal(g, False, major=True)))
    # a hole colour is in every input and fewer of its cells are left in every demonstration output
    holes = set(range(10))
    for g in ctx.inputs:
        holes &= {int(c) for c in np.unique(g)}
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        holes = {c for c in holes if int((go == c).sum()) < int((gi == c).sum())}
    for hole in sorted(holes):
        for kind in SYMMETRY_KINDS:
            prims.append(Primitive(f"sym_fill({kind}, {hole})", lambda g, k=kind, c=hole: _sym_fill(g, k, c)))
            prims.append(Primitive(f"sym_hidden({kind}, {hole})",
                                   lambda g, k=kind, c=hole: crop_to_hole(_sym_fill(g, k, c), g, c)))
        prims.append(Primitive(f"period_fill({hole})", lambda g, c=hole: _period_fill(g, c)))
        prims.append(Primitive(f"period_hidden({hole})", lambda g, c=hole: crop_to_hole(_period_fill(g, c), g, c)))
    # a shape completed inside its own box: the hole is the background 0, which stays in the outputs
    if all(0 in g for g in ctx.inputs):
        for kind in ("lr", "ud", "lrud", "rot", "all"):
            prims.append(Primitive(f"sym_local({kind}, 0)", lambda g, k=kind: sym_local(g, k, 0)))
    for dy, dx, label in ((-1, 0, "up"), (1, 0, "down"), (0, -1, "left"), (0, 1, "right")):
        prims.append(Primitive(f"shift({label})", lambda g, a=dy, b=dx: shift(g, a, b)))
    prims.append(Primitive("dedup_lines", dedup_lines))
    return prims
