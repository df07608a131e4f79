"""Background filled between or inside things, each a primitive of the ``paths`` family (``paths.py``
lists the themes): gaps between facing objects bridged (``bridges``) and corridors across a frame filled
(``clear_lines``); facing cells reaching halfway to each other (``meet_halfway``); corridors flooded in two
alternating colours (``checker_flood``); lines drawn between matching border cells (``border_lines``);
containers with one opening filled and leaking out of it (``leak``). Sections 5, 7, 8, 11 and 12.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import grid_background
from arcvdm.search.families.paths.common import MAX_OBJECTS, MAX_SEEDS, MAX_SOURCES, _colour_text, _straight_path
from arcvdm.search.objects import View, bg_text, objects_of

# --- rows and columns alike ----------------------------------------------------------------------------

def _rows_then_cols(grid: Grid, axes: str, fill_rows: Callable[[Grid, np.ndarray], None]) -> Grid:
    """A copy of ``grid`` that ``fill_rows(grid, out)`` paints along its rows (``axes`` "row"), along its
    columns ("col": the same on the transposed grid and copy) or both, rows first (clear lines and meeting
    rays share it)."""
    out = grid.copy()
    if axes in ("row", "both"):
        fill_rows(grid, out)
    if axes in ("col", "both"):
        flipped = out.T.copy()
        fill_rows(grid.T, flipped)
        out = np.ascontiguousarray(flipped.T)
    return out


# --- 5. bridges and clear lines -------------------------------------------------------------------------

def _bridge_rows(grid: Grid, out: np.ndarray, objs, bg: int, paint: int | None, trim: int) -> None:
    """Fill the background between every two objects side by side: the rows their boxes share (less
    ``trim`` at each edge), from one box to the other, when that whole gap is background. ``paint``
    None: only objects of one colour are bridged, in that colour."""
    for a in objs:
        for c in objs:
            if a is c or a.right >= c.left:
                continue
            if paint is None and (a.colour != c.colour or a.n_colours > 1 or c.n_colours > 1):
                continue
            top, bottom = max(a.top, c.top), min(a.bottom, c.bottom)
            if top >= bottom or not (grid[top:bottom, a.right:c.left] == bg).all():
                continue
            out[top + trim:bottom - trim, a.right:c.left] = a.colour if paint is None else paint


def bridges(axes: str, paint: int | None, trim: int, bg: int | None) -> Primitive:
    """Background between facing objects filled with ``paint`` (None: objects of one colour joined in it)
    along rows (``axes`` "row"), columns ("col") or both; ``trim`` rows (columns) of the facing part left
    at each of its edges."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        objs = objects_of(grid, View(8, False, b))
        if len(objs) < 2 or len(objs) > MAX_OBJECTS:
            return None
        out = grid.copy()
        if axes in ("row", "both"):
            _bridge_rows(grid, out, objs, b, paint, trim)
        if axes in ("col", "both"):
            flipped = out.T.copy()
            _bridge_rows(grid.T, flipped, objects_of(np.ascontiguousarray(grid.T), View(8, False, b)),
                         b, paint, trim)
            out = np.ascontiguousarray(flipped.T)
        return out

    return Primitive(f"bridges({axes}, paint={_colour_text(paint)}, trim={trim}{bg_text(bg)})", fn)


def _clear_rows(grid: Grid, out: np.ndarray, bg: int, paint: int) -> None:
    """Fill the rows whose background cells form one run that stops short of both borders, when that run
    is as long as the longest such run (a corridor across the whole frame, not a bay in its side)."""
    runs = []
    for y in range(grid.shape[0]):
        free = np.flatnonzero(grid[y] == bg)
        if len(free) == 0 or free[0] == 0 or free[-1] == grid.shape[1] - 1:
            continue
        if free[-1] - free[0] + 1 == len(free):
            runs.append((len(free), y, int(free[0]), int(free[-1])))
    longest = max((r[0] for r in runs), default=0)
    for length, y, start, stop in runs:
        if length == longest:
            out[y, start:stop + 1] = paint


def clear_lines(axes: str, paint: int, bg: int | None) -> Primitive:
    """Rows (``axes`` "row"), columns ("col") or both that run clear between non-background cells at both
    borders, filled with ``paint``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        return _rows_then_cols(grid, axes, lambda g, out: _clear_rows(g, out, b, paint))

    return Primitive(f"clear_lines({axes}, paint={paint}{bg_text(bg)})", fn)


def _fill_candidates(ctx: TaskContext, bg: int | None, painted: list[int]) -> list[Primitive]:
    prims = []
    for paint in [None] + painted:
        for axes in ("row", "col", "both"):
            if paint is not None:
                prims.append(clear_lines(axes, paint, bg))
            for trim in (0, 1):
                prims.append(bridges(axes, paint, trim, bg))
    return prims


# --- 7. rays that meet halfway ---------------------------------------------------------------------------

def _meet_rows(grid: Grid, out: np.ndarray, bg: int, middle: int) -> None:
    """Two cells of a row with only background between them: each paints its half of the gap in its own
    colour; the middle cell of an odd gap takes ``middle``."""
    for y in range(grid.shape[0]):
        cells = np.flatnonzero(grid[y] != bg)
        for a, b in zip(cells[:-1], cells[1:]):
            gap = int(b - a - 1)
            if gap < 2 or grid[y, a] == grid[y, b]:
                continue
            half = gap // 2
            out[y, a + 1:a + 1 + half] = grid[y, a]
            out[y, b - half:b] = grid[y, b]
            if gap % 2:
                out[y, a + 1 + half] = middle


def meet_halfway(axes: str, middle: int, bg: int | None) -> Primitive:
    """Facing cells of two colours in a row (``axes`` "row"), column ("col") or both each reach halfway to
    the other; an odd gap's middle cell is painted ``middle``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        if np.count_nonzero(grid != b) > MAX_SOURCES:
            return None
        return _rows_then_cols(grid, axes, lambda g, out: _meet_rows(g, out, b, middle))

    return Primitive(f"meet_halfway({axes}, middle={middle}{bg_text(bg)})", fn)


# --- 8. alternating flood along corridors -----------------------------------------------------------------

def _checker_seeds(grid: Grid, bg: int) -> tuple[list[tuple[int, int]], dict[int, int]] | None:
    """The seed cells of a checker flood and the colour of each parity ((y + x) % 2): the grid's two
    rarest non-background colours (a handful of cells each), each on one parity only."""
    colours, counts = np.unique(grid, return_counts=True)
    few = [(int(n), int(c)) for c, n in zip(colours, counts) if c != bg and n <= MAX_SEEDS]
    if len(few) != 2 or len(colours) - (bg in colours) < 3:
        return None
    by_parity: dict[int, int] = {}
    seeds = []
    for _, colour in few:
        ys, xs = np.nonzero(grid == colour)
        parities = set(((ys + xs) % 2).tolist())
        if len(parities) != 1:
            return None
        parity = parities.pop()
        if parity in by_parity:
            return None
        by_parity[parity] = colour
        seeds += list(zip(ys.tolist(), xs.tolist()))
    return seeds, by_parity


def checker_flood(bg: int | None) -> Primitive:
    """The background corridors (4-connected) reached from the two seed colours painted in those two
    colours alternately, like a chessboard anchored at the seeds (the path from a seed alternates)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        found = _checker_seeds(grid, b)
        if found is None:
            return None
        seeds, by_parity = found
        h, w = grid.shape
        out = grid.copy()
        stack = list(seeds)
        seen = set(seeds)
        while stack:
            y, x = stack.pop()
            for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                ny, nx = y + dy, x + dx
                if 0 <= ny < h and 0 <= nx < w and (ny, nx) not in seen and grid[ny, nx] == b:
                    seen.add((ny, nx))
                    out[ny, nx] = by_parity[(ny + nx) % 2]
                    stack.append((ny, nx))
        return out

    return Primitive(f"checker_flood({bg_text(bg).lstrip(', ')})", fn)


# --- 11. lines between matching border cells --------------------------------------------------------------

def border_lines(erase: bool, bg: int | None) -> Primitive:
    """Rows and columns whose two border cells share a marker colour (one found on the border only) drawn
    across in that colour; ``erase``: everything else cleared to the background."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        if h < 3 or w < 3:
            return None
        inner = np.unique(grid[1:-1, 1:-1])
        markers = [c for c in np.unique(grid) if c != b and c not in inner]   # colours seen on the border only
        rows = [y for y in range(h) if grid[y, 0] in markers and grid[y, 0] == grid[y, w - 1]]
        cols = [x for x in range(w) if grid[0, x] in markers and grid[0, x] == grid[h - 1, x]]
        if not rows and not cols:
            return None
        out = np.full_like(grid, b) if erase else grid.copy()
        for y in rows:
            out[y, :] = grid[y, 0]
        for x in cols:
            out[:, x] = grid[0, x]
        return out

    return Primitive(f"border_lines({'erase' if erase else 'keep'}{bg_text(bg)})", fn)


# --- 12. leaking containers --------------------------------------------------------------------------------

def _leaks(grid: Grid, bg: int) -> list[tuple[tuple[int, int, int, int], list[tuple[int, int]], tuple[int, int]]]:
    """Containers with one opening: (the interior as top, left, height, width; the opening's cells; the
    outward step). A container is a one-colour object, its box at least 3x3 and empty inside, whose box
    outline is its own colour except for background cells on one side (the corners closed)."""
    found = []
    for obj in objects_of(grid, View(8, False, bg)):
        if obj.height < 3 or obj.width < 3 or obj.n_colours != 1:
            continue
        box = grid[obj.top:obj.bottom, obj.left:obj.right]
        sides = {"N": (box[0, 1:-1], (-1, 0)), "S": (box[-1, 1:-1], (1, 0)),
                 "W": (box[1:-1, 0], (0, -1)), "E": (box[1:-1, -1], (0, 1))}
        open_sides = [d for d, (cells, _) in sides.items() if (cells == bg).any()]
        corners = (box[0, 0], box[0, -1], box[-1, 0], box[-1, -1])
        if len(open_sides) != 1 or any(c != obj.colour for c in corners):
            continue
        side = open_sides[0]
        cells, step = sides[side]
        if not ((cells == bg) | (cells == obj.colour)).all():
            continue
        inside = box[1:-1, 1:-1]
        if not (inside == bg).all():
            continue
        gap = [int(k) + 1 for k in np.flatnonzero(cells == bg)]
        if side in ("N", "S"):
            y = obj.top if side == "N" else obj.bottom - 1
            opening = [(y, obj.left + k) for k in gap]
        else:
            x = obj.left if side == "W" else obj.right - 1
            opening = [(obj.top + k, x) for k in gap]
        found.append(((obj.top + 1, obj.left + 1, obj.height - 2, obj.width - 2), opening, step))
    return found


def leak(paint: int, spread: bool, bg: int | None) -> Primitive:
    """Containers with one opening (see ``_leaks``) filled with ``paint``, and a ray of ``paint`` running
    out of each opening cell to the border or an obstacle; ``spread``: two diagonal rays as well, from the
    opening's end cells, fanning out."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        found = _leaks(grid, b)
        if not found:
            return None
        out = grid.copy()
        for (top, left, height, width), opening, (dy, dx) in found:
            out[top:top + height, left:left + width] = paint
            rays = [(y, x, dy, dx) for y, x in opening]
            if spread:
                (y0, x0), (y1, x1) = opening[0], opening[-1]
                if dy == 0:      # opening on a side: fan out up from the top end, down from the bottom end
                    rays += [(y0, x0, -1, dx), (y1, x1, 1, dx)]
                else:
                    rays += [(y0, x0, dy, -1), (y1, x1, dy, 1)]
            for y, x in opening:
                out[y, x] = paint
            for y, x, ry, rx in rays:
                for cy, cx in _straight_path(grid, y, x, ry, rx, b):
                    out[cy, cx] = paint
        return out

    return Primitive(f"leak(paint={paint}{', spread' if spread else ''}{bg_text(bg)})", fn)
