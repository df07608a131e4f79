"""Same-size repeats and lines: the content band repeated, rows and columns through marker cells, cells
joined to the largest object, a bouncing diagonal, an elbow line, cells recoloured inside another
colour's box (``arrange.py`` section 3).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive
from arcvdm.search.facts import grid_background
from arcvdm.search.objects import View, bg_text, objects_of

MAX_MARKERS = 12         # cross_lines: more marker cells than this is a picture, not markers


# --- 3. repeats and lines ------------------------------------------------------------------------------------

def repeat_content(axis: str, gap: int, both: bool, bg: int | None) -> Primitive:
    """The band of rows (``axis="rows"``) or columns holding every non-background cell, plus ``gap``
    background lines, is repeated along the axis: towards the end of the grid, and (``both``) towards
    its start as well. Repeats cover the whole grid; the last one may be cut by the border."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        g = grid if axis == "rows" else grid.T
        filled = np.flatnonzero((g != b).any(axis=1))
        if len(filled) == 0:
            return None
        start, stop = int(filled[0]), int(filled[-1]) + 1
        period = stop - start + gap
        if period >= g.shape[0]:
            return None
        band = np.full((period, g.shape[1]), b, dtype=g.dtype)
        band[:stop - start] = g[start:stop]
        out = g.copy()
        first = 0 if both else start
        for r in range(first, g.shape[0]):
            out[r] = band[(r - start) % period]
        out = out if axis == "rows" else out.T
        return np.ascontiguousarray(out)

    where = ", both" if both else ""
    return Primitive(f"repeat_content({axis}, gap={gap}{where}{bg_text(bg)})", fn)


def cross_lines(meet: int, bg: int | None) -> Primitive:
    """Each non-background cell (at most ``MAX_MARKERS``) draws its whole row and column in its colour
    over background; a cell on lines of two different colours takes ``meet``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        ys, xs = np.nonzero(grid != b)
        if len(ys) == 0 or len(ys) > MAX_MARKERS:
            return None
        h, w = grid.shape
        lines = np.full((h, w), -1, dtype=np.int16)          # colour of the line(s) on each cell, -2: a clash
        for y, x in zip(ys.tolist(), xs.tolist()):
            c = int(grid[y, x])
            for cells in (lines[y, :], lines[:, x]):          # views into ``lines``
                cells[(cells != -1) & (cells != c)] = -2
                cells[cells == -1] = c
        out = grid.copy()
        free = grid == b
        drawn = free & (lines >= 0)
        out[drawn] = lines[drawn]
        out[free & (lines == -2)] = meet
        return out

    return Primitive(f"cross_lines(meet={meet}{bg_text(bg)})", fn)


def lines_to_largest(view: View) -> Primitive:
    """Each single-cell object draws a line of its colour in each of the four directions where the first
    non-background cell it meets belongs to the largest object (a unique largest one), up to it."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        sizes = sorted((o.size for o in objs), reverse=True)
        if sizes[0] == sizes[1]:
            return None
        target = max(objs, key=lambda o: o.size)
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        for o in objs:
            if o.size != 1:
                continue
            for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                y, x = o.top + dy, o.left + dx
                path = []
                while 0 <= y < h and 0 <= x < w and grid[y, x] == bg:
                    path.append((y, x))
                    y, x = y + dy, x + dx
                if 0 <= y < h and 0 <= x < w and o.labels[y, x] == target.index:
                    for py, px in path:
                        out[py, px] = o.colour
        return out

    return Primitive(f"lines_to_largest({view.text})", fn)


def bounce(colour: int) -> Primitive:
    """From the one cell of ``colour`` on the grid's edge, a diagonal line runs along the grid's longer
    side, away from that edge, and bounces off the two other borders until it reaches the far edge."""

    def fn(grid: Grid) -> Grid | None:
        ys, xs = np.nonzero(grid == colour)
        if len(ys) != 1:
            return None
        tall = grid.shape[0] >= grid.shape[1]
        g = grid if tall else grid.T                    # work along the rows: the line runs up or down
        y, x = (int(ys[0]), int(xs[0])) if tall else (int(xs[0]), int(ys[0]))
        h, w = g.shape
        if w < 2 or y not in (0, h - 1):
            return None
        dy = -1 if y == h - 1 else 1
        dx = 1 if x < w - 1 else -1
        out = g.copy()
        while 0 <= y + dy < h:
            if not 0 <= x + dx < w:
                dx = -dx
            y, x = y + dy, x + dx
            out[y, x] = colour
        return np.ascontiguousarray(out if tall else out.T)

    return Primitive(f"bounce({colour})", fn)


def elbow(start: int, end: int, first: str, paint: int) -> Primitive:
    """A line of colour ``paint`` from the one ``start`` cell to the one ``end`` cell: along its row
    (``first="row"``) or column up to the end's column or row, then straight to the end cell."""

    def fn(grid: Grid) -> Grid | None:
        a, b = np.argwhere(grid == start), np.argwhere(grid == end)
        if len(a) != 1 or len(b) != 1:
            return None
        (y0, x0), (y1, x1) = a[0].tolist(), b[0].tolist()
        cy, cx = (y0, x1) if first == "row" else (y1, x0)              # the corner
        out = grid.copy()
        for (ya, xa), (yb, xb) in (((y0, x0), (cy, cx)), ((cy, cx), (y1, x1))):
            ys = range(min(ya, yb), max(ya, yb) + 1)
            xs = range(min(xa, xb), max(xa, xb) + 1)
            for y in ys:
                for x in xs:
                    if (y, x) not in ((y0, x0), (y1, x1)):
                        out[y, x] = paint
        return out

    return Primitive(f"elbow({start}->{end}, {first} first, paint={paint})", fn)


def recolour_in_box(box: int, source: int, paint: int) -> Primitive:
    """Cells of colour ``source`` inside the bounding box of the ``box`` cells take colour ``paint``."""

    def fn(grid: Grid) -> Grid | None:
        ys, xs = np.nonzero(grid == box)
        if len(ys) == 0:
            return None
        out = grid.copy()
        region = out[ys.min():ys.max() + 1, xs.min():xs.max() + 1]          # a view into ``out``
        region[region == source] = paint
        return out

    return Primitive(f"recolour_in_box(box={box}, {source}->{paint})", fn)
