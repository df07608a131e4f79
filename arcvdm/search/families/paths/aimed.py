"""Rays aimed by what surrounds their sources, each a primitive of the ``paths`` family (``paths.py``
lists the themes): towards or away from the nearest wall (``wall_rays``) or border (``border_rays``);
through every region, taking each region's seed colour (``crossing_rays``); diagonally from the outer
corners of objects (``corner_rays``); across the grid, shifting at markers on a side border
(``shifting_rays``). Sections 6 (second half), 9, 13 and 16.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, grid_background
from arcvdm.search.families.paths.common import (
    MAX_SEEDS,
    MAX_SOURCES,
    STEPS,
    _single_colour_sources,
    _source_cells,
    _source_text,
    _straight_path,
    ray_sources,
)
from arcvdm.search.objects import bg_text

# --- 6. rays towards a wall or the nearest border ------------------------------------------------------

def _walls(grid: Grid, bg: int) -> tuple[list[int], list[int]]:
    """Rows and columns filled by one non-background colour from border to border."""
    rows = [y for y in range(grid.shape[0]) if grid[y, 0] != bg and (grid[y] == grid[y, 0]).all()]
    cols = [x for x in range(grid.shape[1]) if grid[0, x] != bg and (grid[:, x] == grid[0, x]).all()]
    return rows, cols


def _wall_step(y: int, x: int, rows: list[int], cols: list[int], towards: bool) -> tuple[int, int] | None:
    """The step from (y, x) towards (or away from) the nearest wall; None when it is not one wall."""
    best: list[tuple[int, tuple[int, int]]] = []
    for r in rows:
        if r != y:
            best.append((abs(r - y), (1 if r > y else -1, 0)))
    for c in cols:
        if c != x:
            best.append((abs(c - x), (0, 1 if c > x else -1)))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[1][0] == best[0][0] and best[1][1] != best[0][1]:
        return None      # two walls as near: no one direction
    dy, dx = best[0][1]
    return (dy, dx) if towards else (-dy, -dx)


def wall_rays(spec: tuple[tuple[int, bool], ...], bg: int | None) -> Primitive:
    """Rays from the cells of each colour of ``spec`` towards the nearest wall (a full row or column of one
    colour), stopping next to it, or (towards False) away from it; painted in the source's colour."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        rows, cols = _walls(grid, b)
        if not rows and not cols:
            return None
        out = grid.copy()
        for colour, towards in spec:
            starts = _source_cells(grid, colour, b)
            if starts is None:
                return None
            for y, x in starts:
                step = _wall_step(y, x, rows, cols, towards)
                if step is not None:
                    for cy, cx in _straight_path(grid, y, x, step[0], step[1], b):
                        out[cy, cx] = colour
        return out

    text = "; ".join(f"{c}:{'towards' if t else 'away'}" for c, t in spec)
    return Primitive(f"wall_rays({text}{bg_text(bg)})", fn)


def _wall_candidates(ctx: TaskContext, bg: int) -> list[Primitive]:
    if not all(any(_walls(i, bg)) for i in ctx.train_inputs):
        return []
    spec = []
    for colour in _single_colour_sources(ctx, bg)[1:]:
        for towards in (True, False):
            if agrees(wall_rays(((colour, towards),), bg), ctx, share=1.0, everywhere=True):
                spec.append((colour, towards))
                break
    if not spec:
        return []
    return [wall_rays(tuple(spec), bg)] + [wall_rays((one,), bg) for one in spec]


def _border_step(grid: Grid, y: int, x: int, towards: bool) -> tuple[int, int] | None:
    """The step from (y, x) towards (or away from) the nearest border; None on a tie."""
    h, w = grid.shape
    found = sorted([(y, (-1, 0)), (h - 1 - y, (1, 0)), (x, (0, -1)), (w - 1 - x, (0, 1))])
    if found[0][0] == found[1][0]:
        return None
    dy, dx = found[0][1]
    return (dy, dx) if towards else (-dy, -dx)


def border_rays(source: int | None, towards: bool, bg: int | None) -> Primitive:
    """Rays from ``source`` cells (None: every non-background cell) towards the nearest border of the grid
    (or away from it), up to the border or an obstacle, in the source's colour."""

    def fn(grid: Grid) -> Grid | None:
        found = ray_sources(grid, source, bg)
        if found is None:
            return None
        b, starts = found
        out = grid.copy()
        for y, x in starts:
            step = _border_step(grid, y, x, towards)
            if step is not None:
                for cy, cx in _straight_path(grid, y, x, step[0], step[1], b):
                    out[cy, cx] = grid[y, x]
        return out

    return Primitive(f"border_rays({_source_text(source)}, {'towards' if towards else 'away'}{bg_text(bg)})", fn)


def _border_candidates(ctx: TaskContext, bg: int) -> list[Primitive]:
    """Border rays for sources that go more than one way in the demonstrations (one way for all is a plain
    ray, which ``lines.py`` offers)."""
    prims = []
    for source in _single_colour_sources(ctx, bg):
        for towards in (True, False):
            steps = set()
            for i in ctx.train_inputs:
                for y, x in _source_cells(i, source, bg) or []:
                    steps.add(_border_step(i, y, x, towards))
            if len(steps - {None}) >= 2:
                prims.append(border_rays(source, towards, bg))
    return prims


# --- 9. rays that take the colour of the region they cross -----------------------------------------------

DIRECTION_SETS = {"diagonal": ("NW", "NE", "SW", "SE"), "straight": ("N", "S", "W", "E"), "all": tuple(STEPS)}


def _region_colours(grid: Grid) -> dict[int, int] | None:
    """Seed colours by the region colour they sit in: each rare colour (a few cells) paints its region's
    colour (the most common colour around its cells); None when a region gets two colours."""
    colours, counts = np.unique(grid, return_counts=True)
    rare = [int(c) for c, n in zip(colours, counts) if n <= MAX_SEEDS]
    if not rare or len(rare) == len(colours):
        return None
    h, w = grid.shape
    paint: dict[int, int] = {}
    for colour in rare:
        around = np.zeros(10, dtype=np.int64)
        for y, x in np.argwhere(grid == colour).tolist():
            for dy, dx in STEPS.values():
                ny, nx = y + dy, x + dx
                if 0 <= ny < h and 0 <= nx < w and grid[ny, nx] not in rare:
                    around[grid[ny, nx]] += 1
        if not around.any():
            return None
        region = int(np.argmax(around))
        if paint.setdefault(region, colour) != colour:
            return None
    return paint


def crossing_rays(directions: str) -> Primitive:
    """Rays from every rare-coloured seed cell in ``directions`` ("diagonal", "straight", "all") to the
    border, through everything; a cell of a region colour takes the colour of that region's seeds."""

    def fn(grid: Grid) -> Grid | None:
        paint = _region_colours(grid)
        if paint is None:
            return None
        h, w = grid.shape
        seeds = np.argwhere(np.isin(grid, list(paint.values()))).tolist()
        if len(seeds) > MAX_SOURCES:
            return None
        out = grid.copy()
        for y, x in seeds:
            for d in DIRECTION_SETS[directions]:
                dy, dx = STEPS[d]
                cy, cx = y + dy, x + dx
                while 0 <= cy < h and 0 <= cx < w:
                    colour = paint.get(int(grid[cy, cx]))
                    if colour is not None:
                        out[cy, cx] = colour
                    cy, cx = cy + dy, cx + dx
        return out

    return Primitive(f"crossing_rays({directions})", fn)


def _crossing_candidates(ctx: TaskContext) -> list[Primitive]:
    """Crossing rays, when every demonstration changes cells only into its seed colours."""
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        paint = _region_colours(i)
        changed = i != o
        if paint is None or not changed.any() or not np.isin(o[changed], list(paint.values())).all():
            return []
    return [crossing_rays(directions) for directions in DIRECTION_SETS]


# --- 13. diagonal rays from the corners of objects ---------------------------------------------------------

DIAGONALS = ("NW", "NE", "SW", "SE")
MINORITY = -3    # a corner-ray paint: the grid's least frequent non-background colour
OTHER = -4       # a corner-ray paint: the grid's other non-background colour (of two)


def _corners(grid: Grid, bg: int, direction: str) -> np.ndarray:
    """(n, 2) outer corners facing the diagonal ``direction``: non-background cells whose three neighbours
    towards that corner (vertical, horizontal, diagonal) are background; outside the grid counts as
    background."""
    dy, dx = STEPS[direction]
    h, w = grid.shape
    padded = np.full((h + 2, w + 2), bg, dtype=grid.dtype)
    padded[1:-1, 1:-1] = grid
    vertical = padded[1 + dy:h + 1 + dy, 1:w + 1] == bg
    horizontal = padded[1:h + 1, 1 + dx:w + 1 + dx] == bg
    diagonal = padded[1 + dy:h + 1 + dy, 1 + dx:w + 1 + dx] == bg
    return np.argwhere((grid != bg) & vertical & horizontal & diagonal)


def _paint_colour(grid: Grid, bg: int, paint: int | None, own: int) -> int | None:
    """The colour a corner ray paints: its corner's (``paint`` None), the grid's least frequent
    non-background colour (MINORITY), the other one of exactly two non-background colours (OTHER), or
    ``paint`` itself; None when the grid has no such colour."""
    if paint is None:
        return own
    if paint not in (MINORITY, OTHER):
        return paint
    colours, counts = np.unique(grid[grid != bg], return_counts=True)
    if paint == MINORITY:
        return int(colours[np.argmin(counts)]) if len(colours) >= 2 else None
    others = [int(c) for c in colours if c != own]
    return others[0] if len(colours) == 2 and len(others) == 1 else None


def corner_rays(directions: tuple[str, ...], paint: int | None, bg: int | None, clear: bool = False) -> Primitive:
    """Diagonal rays from every outer corner of the objects (any colours together) facing each of
    ``directions``, up to the border or an obstacle (``clear``: only rays that reach the border); painted
    as ``_paint_colour`` says."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        out = grid.copy()
        total = 0
        for d in directions:
            corners = _corners(grid, b, d)
            total += len(corners)
            if total > MAX_SOURCES:
                return None
            dy, dx = STEPS[d]
            for y, x in corners.tolist():
                colour = _paint_colour(grid, b, paint, int(grid[y, x]))
                if colour is None:
                    return None
                cells = _straight_path(grid, y, x, dy, dx, b)
                if clear and cells:
                    ey, ex = cells[-1][0] + dy, cells[-1][1] + dx
                    if 0 <= ey < h and 0 <= ex < w:
                        continue        # blocked before the border
                for cy, cx in cells:
                    out[cy, cx] = colour
        return out if total else None

    colour = {None: "own", MINORITY: "minority", OTHER: "other"}.get(paint, str(paint))
    mode = ", clear" if clear else ""
    return Primitive(f"corner_rays({'+'.join(directions)}, paint={colour}{mode}{bg_text(bg)})", fn)


def _corner_candidates(ctx: TaskContext, bg: int, painted: list[int]) -> list[Primitive]:
    """Corner rays in the diagonals whose rays are painted in every demonstration."""
    prims = []
    for paint in [None, MINORITY, OTHER] + painted:
        for clear in (False, True):
            directions = tuple(d for d in DIAGONALS
                               if agrees(corner_rays((d,), paint, bg, clear), ctx, share=1.0, everywhere=True))
            if not directions:
                continue
            prim = corner_rays(directions, paint, bg, clear)
            if clear and _same_on_demonstrations(prim, corner_rays(directions, paint, bg), ctx):
                continue         # no ray is blocked in the demonstrations: the plain rays say it all
            prims.append(prim)
    return prims


def _same_on_demonstrations(one: Primitive, other: Primitive, ctx: TaskContext) -> bool:
    for i in ctx.train_inputs:
        a, b = one(i), other(i)
        if (a is None) != (b is None) or (a is not None and not np.array_equal(a, b)):
            return False
    return True


# --- 16. rays that shift at markers ---------------------------------------------------------------------

def shifting_rays(source: int, mark: int, bg: int | None) -> Primitive:
    """Rays from the ``source`` cells on one border straight across the grid; every line of cells across
    the ray's way that holds a ``mark`` cell on a side border shifts the ray one cell away from that
    border (the shifts add up)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        for turn in range(4):                           # bring the sources to the top border
            g = np.rot90(grid, turn)
            h, w = g.shape
            starts = np.flatnonzero(g[0] == source)
            if len(starts) == 0 or (g[1:] == source).any():
                continue
            left, right = g[:, 0] == mark, g[:, -1] == mark
            if (g == mark).sum() != left.sum() + right.sum() or not (left.any() or right.any()):
                return None
            if left.any() and right.any():
                return None
            shift = 1 if left.any() else -1
            out = g.copy()
            for x0 in starts.tolist():
                x = x0
                for y in range(1, h):
                    if left[y] or right[y]:
                        x += shift
                    if 0 <= x < w and g[y, x] == b:
                        out[y, x] = source
            return np.ascontiguousarray(np.rot90(out, -turn))
        return None

    return Primitive(f"shifting_rays({source}, at={mark}{bg_text(bg)})", fn)
