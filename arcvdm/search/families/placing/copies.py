"""Shapes copied, fitted or mirrored relative to other objects (``placing.py`` lists the themes): copies of
the largest shape repeated from each marker to the border in the marker's colour (``repeat_to_border``),
pieces moved into the enclosed holes of their shape (``fit_into_holes``), and objects reflected across their
marker-coloured edge line (``mirror_at_marker``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive
from arcvdm.search.families.placing.boxes import MAX_MOVERS, _box, _cells, _gap, _sign
from arcvdm.search.families.placing.templates import MAX_TEMPLATE, TURNS
from arcvdm.search.objects import Obj, View, label, objects_of, reach_border

# --- 6. copies of a shape repeated towards its markers -----------------------------------------------------

def _first_copy(shape: Obj, marker: Obj, dy: int, dx: int, mode: str) -> int | None:
    """How many cells along (dy, dx) the first copy of ``shape`` lies: ``mode="nearest"``: the smallest
    shift whose copy covers every marker cell without overlapping the shape; ``"gap0"`` / ``"gap1"``: the
    shape's own height / width plus that gap, provided the copy covers the marker. None: no such copy."""
    sy, sx = _cells(shape)
    my, mx = _cells(marker)
    own = set(zip(sy.tolist(), sx.tolist()))
    if mode == "nearest":
        shifts = range(1, max(shape.height, shape.width) + 2)
    else:
        gap = int(mode[-1])
        step = shape.height + gap if dy else shape.width + gap
        if dy and dx and shape.height != shape.width:      # a diagonal step of a non-square shape: unclear
            return None
        shifts = range(step, step + 1)
    for k in shifts:
        copy = set(zip((sy + dy * k).tolist(), (sx + dx * k).tolist()))
        if copy & own:
            continue
        if all(cell in copy for cell in zip(my.tolist(), mx.tolist())):
            return k
    return None


def repeat_to_border(view: View, mode: str) -> Primitive:
    """The largest object is a shape; every other object is a marker that says a direction (from the
    shape's centre to its centre, diagonal when off both the shape's middle row and column). Copies of
    the shape, in the marker's colour, are painted on background cells along that direction, the first
    one covering the marker (``_first_copy``), then at the same step until the border."""
    if mode not in ("nearest", "gap0", "gap1"):
        raise ValueError(f"repeat_to_border: mode must be nearest, gap0 or gap1, got {mode!r}")

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2 or len(objs) > MAX_MOVERS:
            return None
        shape = max(objs, key=lambda o: o.size)
        if sum(o.size == shape.size for o in objs) > 1 or shape.size > MAX_TEMPLATE:
            return None
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        sy, sx = _cells(shape)
        for m in objs:
            if m is shape:
                continue
            # the direction from the shape's centre to the marker's (doubled: whole numbers)
            dy = _sign((m.top + m.bottom) - (shape.top + shape.bottom))
            dx = _sign((m.left + m.right) - (shape.left + shape.right))
            if (dy, dx) == (0, 0):
                continue
            k = _first_copy(shape, m, dy, dx, mode)
            if k is None:
                continue
            step = k
            while True:
                ys, xs = sy + dy * step, sx + dx * step
                inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
                if not inside.any():
                    break
                ys, xs = ys[inside], xs[inside]
                free = out[ys, xs] == bg
                out[ys[free], xs[free]] = m.colour
                step += k
        return out

    return Primitive(f"repeat_to_border({mode}, {view.text})", fn)


# --- 7. shapes fitted into holes of their shape -------------------------------------------------------------

def _holes(grid: Grid, bg: int) -> list[tuple[int, int, np.ndarray]]:
    """Enclosed background regions (4-connected, not reaching the border): (top, left, box mask) each."""
    free = grid == bg
    enclosed = free & ~reach_border(free, 4)
    if not enclosed.any():
        return []
    labels, n = label(enclosed.astype(np.uint8), 0, 4)
    found = []
    for k in range(n):
        ys, xs = np.nonzero(labels == k)
        top, left = int(ys.min()), int(xs.min())
        mask = np.zeros((int(ys.max()) - top + 1, int(xs.max()) - left + 1), dtype=bool)
        mask[ys - top, xs - left] = True
        found.append((top, left, mask))
    return found


def _piece(obj: Obj, mask: np.ndarray, turned: bool) -> np.ndarray | None:
    """``obj``'s colours (its box) in the first turn (only as it is unless ``turned``) whose cells are
    exactly ``mask``'s, or None."""
    if obj.size != int(np.count_nonzero(mask)):
        return None
    for turn in TURNS if turned else TURNS[:1]:
        if turn(obj.mask).shape == mask.shape and np.array_equal(turn(obj.mask), mask):
            return turn(obj.cells)
    return None


def fit_into_holes(view: View, turned: bool = False) -> Primitive:
    """Every enclosed hole (``_holes``) receives the nearest object of its shape (as it is, or, when
    ``turned``, in any rotation or reflection; none when two are equally near), moved into it; the
    object's old cells become background."""

    def fn(grid: Grid) -> Grid | None:
        bg = view.background_of(grid)
        holes = _holes(grid, bg)
        if not holes:
            return None
        objs = objects_of(grid, view)
        out = grid.copy()
        used: set[int] = set()
        for top, left, mask in holes:
            hole_box = (top, left, top + mask.shape[0], left + mask.shape[1])
            fits = []
            for o in objs:
                if o.index in used:
                    continue
                piece = _piece(o, mask, turned)
                if piece is not None:
                    fits.append((_gap(_box(o), hole_box), o.index, o, piece))
            if not fits:
                continue
            # several candidates: the nearest fits, when it is the only one that near
            fits.sort(key=lambda f: f[:2])
            if len(fits) > 1 and fits[0][0] == fits[1][0]:
                continue
            _, _, o, piece = fits[0]
            used.add(o.index)
            ys, xs = _cells(o)
            out[ys, xs] = bg
            mys, mxs = np.nonzero(mask)
            out[mys + top, mxs + left] = piece[mys, mxs]
        return out

    return Primitive(f"fit_into_holes({view.text}{', turned' if turned else ''})", fn)


# --- 8. objects mirrored across their marker line -------------------------------------------------------------

def _marker_side(obj: Obj, marker: int) -> str | None:
    """The side of ``obj``'s box whose edge line holds every marker cell of the object and nothing else of it
    ("top", "bottom", "left", "right"), or None."""
    on = obj.mask & (obj.patch == marker)
    rest = obj.mask & ~on
    if not on.any() or not rest.any():
        return None
    ys, xs = np.nonzero(on)
    if (ys == 0).all() and not rest[0].any():
        return "top"
    if (ys == obj.height - 1).all() and not rest[-1].any():
        return "bottom"
    if (xs == 0).all() and not rest[:, 0].any():
        return "left"
    if (xs == obj.width - 1).all() and not rest[:, -1].any():
        return "right"
    return None


def mirror_at_marker(view: View, marker: int) -> Primitive:
    """Every object (cut by ``view``, a multi-colour view) whose cells of colour ``marker`` form its box's edge
    line on one side gets the rest of itself reflected across that line's inner edge: the mirror image lies
    beyond, starting on the marker line (marker cells it misses become background)."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs or len(objs) > MAX_MOVERS:
            return None
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        for o in objs:
            side = _marker_side(o, marker)
            if side is None:
                continue
            ys, xs = _cells(o)
            colours = grid[ys, xs]
            keep = colours != marker
            out[ys[~keep], xs[~keep]] = bg
            ys, xs, colours = ys[keep], xs[keep], colours[keep]
            if side == "top":
                ys = 2 * o.top + 1 - ys
            elif side == "bottom":
                ys = 2 * (o.bottom - 1) - 1 - ys
            elif side == "left":
                xs = 2 * o.left + 1 - xs
            else:
                xs = 2 * (o.right - 1) - 1 - xs
            inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
            out[ys[inside], xs[inside]] = colours[inside]
        return out

    return Primitive(f"mirror_at_marker(marker={marker}, {view.text})", fn)
