"""Same-size moves: objects moved by their own size, single cells to the wall of their colour, objects
reflected across a bracket's back line, bars sorted by length (``arrange.py`` section 2).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive
from arcvdm.search.facts import grid_background
from arcvdm.search.objects import Obj, View, bg_text, objects_of

# --- 2. moves: by the object's size, to a wall of its colour, across a bracket; sorted bars ------------------

def move_by_size(view: View, direction: str) -> Primitive:
    """Every object moves towards ``direction`` by its own height (up/down) or width (left/right);
    None if one would leave the grid. Objects are drawn in raster order of their first cell."""
    sign = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}[direction]

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs:
            return None
        out = np.full_like(grid, view.background_of(grid))
        h, w = grid.shape
        for o in objs:
            dy, dx = sign[0] * o.height, sign[1] * o.width
            if o.top + dy < 0 or o.left + dx < 0 or o.bottom + dy > h or o.right + dx > w:
                return None
            region = out[o.top + dy:o.bottom + dy, o.left + dx:o.right + dx]
            region[o.mask] = o.patch[o.mask]
        return out

    return Primitive(f"move_by_size({direction}, {view.text})", fn)


def attach_to_own_colour(view: View) -> Primitive:
    """Each single-cell object moves in a straight line (across anything on the way) until it touches the
    nearest larger object of its own colour in line with it; one with no such object is erased."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        movers = [o for o in objs if o.size == 1]
        anchors = [o for o in objs if o.size > 1]
        if not movers or not anchors:
            return None
        owner = np.full(grid.shape, -1, dtype=np.int32)              # colour of the anchor on each cell
        for o in anchors:
            box = owner[o.top:o.bottom, o.left:o.right]
            box[o.mask] = o.colour
        out = grid.copy()
        for o in movers:
            out[o.top, o.left] = view.background_of(grid)
        h, w = grid.shape
        for o in movers:
            best = None
            for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                y, x, k = o.top + dy, o.left + dx, 1
                while 0 <= y < h and 0 <= x < w and owner[y, x] != o.colour:
                    y, x, k = y + dy, x + dx, k + 1
                if 0 <= y < h and 0 <= x < w and (best is None or k < best[0]):
                    best = (k, y - dy, x - dx)
            if best is not None:
                out[best[1], best[2]] = o.colour
        return out

    return Primitive(f"attach_to_own_colour({view.text})", fn)


def _back_line(o: Obj) -> tuple[str, int] | None:
    """The longest full line of an object's box on the box's edge: ("row", y) or ("col", x) in grid
    coordinates, or None when it has none or two of the same length."""
    lines = []
    for y in (0, o.height - 1):
        if o.mask[y].all():
            lines.append((o.width, "row", o.top + y))
    for x in (0, o.width - 1):
        if o.mask[:, x].all():
            lines.append((o.height, "col", o.left + x))
    lines.sort(reverse=True)
    if not lines or (len(lines) > 1 and lines[0][0] == lines[1][0] and lines[0][1:] != lines[1][1:]):
        return None
    return lines[0][1], lines[0][2]


def reflect_across(view: View, wall: int) -> Primitive:
    """Every object not of colour ``wall`` is reflected across the back line (``_back_line``) of the
    nearest ``wall`` object, e.g. into or out of a bracket; None if an image leaves the grid."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        walls = [(o, _back_line(o)) for o in objs if o.colour == wall]
        movers = [o for o in objs if o.colour != wall]
        if not walls or not movers or any(line is None for _, line in walls):
            return None
        out = grid.copy()
        bg = view.background_of(grid)
        for o in movers:
            region = out[o.top:o.bottom, o.left:o.right]
            region[o.mask] = bg
        h, w = grid.shape
        for o in movers:
            cy, cx = o.top + o.bottom, o.left + o.right                 # twice the box centre
            near = min(walls, key=lambda a: abs(a[0].top + a[0].bottom - cy) + abs(a[0].left + a[0].right - cx))
            axis, at = near[1]
            if axis == "row":
                top, left, patch, mask = 2 * at - (o.bottom - 1), o.left, o.patch[::-1], o.mask[::-1]
            else:
                top, left, patch, mask = o.top, 2 * at - (o.right - 1), o.patch[:, ::-1], o.mask[:, ::-1]
            if top < 0 or left < 0 or top + o.height > h or left + o.width > w:
                return None
            target = out[top:top + o.height, left:left + o.width]
            target[mask] = patch[mask]
        return out

    return Primitive(f"reflect_across(wall={wall}, {view.text})", fn)


def sort_bars(align: str, bg: int | None) -> Primitive:
    """Rows holding one run of one colour (a bar) are sorted by length and stacked at the bottom, the
    longest lowest, each pushed to the ``align`` side ("left" / "right"); other cells stay as they are
    (a floor, when full rows of it lie below the bars). None if a row holds anything else."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        bars, floor = [], h
        for r in range(h - 1, -1, -1):                       # full rows at the bottom are the floor
            if floor == r + 1 and (grid[r] != b).all():
                floor = r
        for r in range(floor):
            xs = np.flatnonzero(grid[r] != b)
            if len(xs) == 0:
                continue
            colours = np.unique(grid[r, xs])
            if len(colours) != 1 or xs[-1] - xs[0] + 1 != len(xs):
                return None
            bars.append((len(xs), int(colours[0])))
        if len(bars) < 2:
            return None
        out = grid.copy()
        out[:floor] = b
        for k, (length, colour) in enumerate(sorted(bars, reverse=True)):
            row = floor - 1 - k
            if align == "right":
                out[row, w - length:] = colour
            else:
                out[row, :length] = colour
        return out

    return Primitive(f"sort_bars({align}{bg_text(bg)})", fn)
