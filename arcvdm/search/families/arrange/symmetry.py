"""Same-size symmetry primitives: each object completed inside its box, cells mirrored about a pivot
colour, holes filled from the grid's own axes or from diagonal stripes (``arrange.py`` section 1).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive
from arcvdm.search.facts import colour_counts, grid_background
from arcvdm.search.objects import View, bg_text, objects_of

MIRROR_KINDS = ("lr", "ud", "lrud", "rot")


# --- 1. symmetry: per object, about a pivot, about the grid's axes; diagonal stripes -------------------------

def _images(mask: np.ndarray, cells: np.ndarray, kind: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(mask, colours) of the object's mirror images inside its box under ``kind`` (identity left out);
    rotations need a square box (none otherwise)."""
    if kind == "lr":
        return [(mask[:, ::-1], cells[:, ::-1])]
    if kind == "ud":
        return [(mask[::-1], cells[::-1])]
    if kind == "lrud":
        return [(mask[:, ::-1], cells[:, ::-1]), (mask[::-1], cells[::-1]), (mask[::-1, ::-1], cells[::-1, ::-1])]
    if kind == "rot":
        if mask.shape[0] != mask.shape[1]:
            return []
        return [(np.rot90(mask, k), np.rot90(cells, k)) for k in (1, 2, 3)]
    raise ValueError(f"unknown mirror kind {kind!r}; choose one of {MIRROR_KINDS}")


def mirror_objects(view: View, kind: str, paint: int | None) -> Primitive:
    """Each object becomes symmetric inside its bounding box: background cells of the box that a mirror
    image of the object covers take the image's colour (or ``paint``)."""

    def fn(grid: Grid) -> Grid | None:
        bg = view.background_of(grid)
        out = grid.copy()
        for obj in objects_of(grid, view):
            if obj.size < 2:
                continue
            box = out[obj.top:obj.bottom, obj.left:obj.right]           # a view into ``out``
            for mask, cells in _images(obj.mask, obj.cells, kind):
                new = mask & (box == bg)
                box[new] = cells[new] if paint is None else paint
        return out

    colour = "" if paint is None else f", paint={paint}"
    return Primitive(f"mirror_objects({kind}{colour}, {view.text})", fn)


def _pivot_colour(grid: Grid, pivot: int | str, bg: int) -> int | None:
    """``pivot`` itself; or among two or more non-background colours the one with the fewest / most cells
    ("fewest", "most"), or the one whose cells alone are symmetric left-right and up-down ("symmetric").
    None when no single colour qualifies."""
    if isinstance(pivot, int):
        return pivot
    counts = colour_counts(grid)
    counts[bg] = 0
    present = [c for c in range(10) if counts[c] > 0]
    if len(present) < 2:
        return None
    if pivot == "symmetric":
        found = []
        for c in present:
            ys, xs = np.nonzero(grid == c)
            box = grid[ys.min():ys.max() + 1, xs.min():xs.max() + 1] == c
            if np.array_equal(box, box[::-1]) and np.array_equal(box, box[:, ::-1]):
                found.append(c)
        return found[0] if len(found) == 1 else None
    ranked = sorted(present, key=lambda c: int(counts[c]), reverse=pivot == "most")
    return None if counts[ranked[0]] == counts[ranked[1]] else ranked[0]


def mirror_about(pivot: int | str, kind: str, bg: int | None) -> Primitive:
    """Every non-background cell not of the pivot colour is copied to its mirror images about the centre
    of the pivot cells' bounding box, onto background cells (images outside the grid are dropped).
    ``pivot``: a colour, or "fewest" / "most" / "symmetric" (see ``_pivot_colour``)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        p = _pivot_colour(grid, pivot, b)
        if p is None:
            return None
        ps, qs = np.nonzero(grid == p)
        if len(ps) == 0:
            return None
        sy, sx = int(ps.min() + ps.max()), int(qs.min() + qs.max())   # twice the centre
        ys, xs = np.nonzero((grid != b) & (grid != p))
        if len(ys) == 0:
            return None
        colours = grid[ys, xs]
        images = {"lr": [(ys, sx - xs)], "ud": [(sy - ys, xs)],
                  "lrud": [(ys, sx - xs), (sy - ys, xs), (sy - ys, sx - xs)]}[kind]
        h, w = grid.shape
        out = grid.copy()
        for iy, ix in images:
            inside = (iy >= 0) & (ix >= 0) & (iy < h) & (ix < w)
            iy, ix, cs = iy[inside], ix[inside], colours[inside]
            free = out[iy, ix] == b
            out[iy[free], ix[free]] = cs[free]
        return out

    return Primitive(f"mirror_about({kind}, pivot={pivot}{bg_text(bg)})", fn)


def _mirror_axis(grid: Grid, hole: int) -> int | None:
    """The column sum ``s`` (column x mirrors to ``s - x``) under which every pair of cells that are both
    not ``hole`` agrees, comparing the most pairs (at least a third of the grid's cells); None if none."""
    h, w = grid.shape
    known = grid != hole
    best, best_pairs = None, h * w // 3
    for s in range(w // 2, 2 * w - 1 - w // 2):
        lo, hi = max(0, s - (w - 1)), min(w - 1, s)             # columns x whose mirror s - x is inside
        xs = np.arange(lo, hi + 1)
        a, b = grid[:, xs], grid[:, s - xs]
        both = known[:, xs] & known[:, s - xs]
        pairs = int(np.count_nonzero(both))
        if pairs > best_pairs and np.array_equal(a[both], b[both]):
            best, best_pairs = s, pairs
    return best


def symmetry_fill(hole: int) -> Primitive:
    """Cells of colour ``hole`` take the colour of their mirror image about the grid's own left-right and
    up-down axes (found from the cells that are not ``hole``; the axes need not be the grid's middle),
    then of their image under both mirrors."""

    def fn(grid: Grid) -> Grid | None:
        if not (grid == hole).any():
            return None
        sx, sy = _mirror_axis(grid, hole), _mirror_axis(grid.T, hole)
        if sx is None and sy is None:
            return None
        h, w = grid.shape
        ys, xs = np.nonzero(grid == hole)
        out = grid.copy()
        images = []
        if sx is not None:
            images.append((ys, sx - xs))
        if sy is not None:
            images.append((sy - ys, xs))
        if sx is not None and sy is not None:
            images.append((sy - ys, sx - xs))
        for iy, ix in images:
            inside = (iy >= 0) & (ix >= 0) & (iy < h) & (ix < w)
            colours = np.full(len(ys), hole, dtype=grid.dtype)
            colours[inside] = grid[iy[inside], ix[inside]]
            take = (out[ys, xs] == hole) & (colours != hole)
            out[ys[take], xs[take]] = colours[take]
        return out

    return Primitive(f"symmetry_fill(hole={hole})", fn)


def diagonal_period_fill(hole: int, max_period: int = 6) -> Primitive:
    """Cells of colour ``hole`` take the colour of their diagonal stripe: the smallest period p (2 to
    ``max_period``) such that every other cell's colour depends only on (row + column) mod p (tried first)
    or (row - column) mod p, with every stripe known."""

    def fn(grid: Grid) -> Grid | None:
        known = grid != hole
        if known.all() or not known.any():
            return None
        ys, xs = np.indices(grid.shape)
        for sums in (ys + xs, ys - xs):
            for p in range(2, max_period + 1):
                stripe = sums % p
                colours = np.full(p, -1, dtype=np.int16)
                clash = False
                for k in range(p):
                    seen = np.unique(grid[known & (stripe == k)])
                    if len(seen) != 1:
                        clash = True
                        break
                    colours[k] = seen[0]
                if not clash:
                    return colours[stripe].astype(np.uint8)
        return None

    return Primitive(f"diagonal_period_fill(hole={hole})", fn)
