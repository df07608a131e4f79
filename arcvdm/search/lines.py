"""Line primitives: rays drawn from cells of a colour, and lines joining same-coloured cells.

``rays`` directions are learned from the demonstrations: a direction is offered when, in every
demonstration, the background cells on that ray from every source cell are painted in the output.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family
from arcvdm.search.objects import bg_text, grid_background, task_background
from arcvdm.search.select import painted_colours, same_size

STEPS = {"N": (-1, 0), "S": (1, 0), "W": (0, -1), "E": (0, 1),
         "NW": (-1, -1), "NE": (-1, 1), "SW": (1, -1), "SE": (1, 1)}


def _ray(grid: Grid, r: int, c: int, dy: int, dx: int, stop: bool, bg: int) -> list[tuple[int, int]]:
    """Background cells on the ray from (r, c), until the border (or the first non-background cell)."""
    h, w = grid.shape
    cells = []
    y, x = r + dy, c + dx
    while 0 <= y < h and 0 <= x < w:
        if grid[y, x] != bg:
            if stop:
                break
        else:
            cells.append((y, x))
        y, x = y + dy, x + dx
    return cells


def rays(source: int, directions: tuple[str, ...], stop: bool, paint: int, bg: int | None) -> Primitive:
    """From every cell of colour ``source``, paint background cells in ``directions`` with ``paint``."""

    def fn(grid: Grid) -> Grid | None:
        starts = np.argwhere(grid == source)
        if len(starts) == 0 or len(starts) > 60:
            return None
        b = grid_background(grid, bg)
        if source == b:
            return None
        out = grid.copy()
        for r, c in starts.tolist():
            for d in directions:
                for y, x in _ray(grid, r, c, *STEPS[d], stop, b):
                    out[y, x] = paint
        return None if np.array_equal(out, grid) else out

    how = "stop" if stop else "through"
    return Primitive(f"rays({source}, {'+'.join(directions)}, {how}, paint={paint}{bg_text(bg)})", fn)


def _ray_directions(ctx: TaskContext, source: int, stop: bool, paint: int, bg: int | None) -> tuple[str, ...]:
    """Directions whose rays from every ``source`` cell are painted ``paint`` in every demonstration."""
    found = []
    for d, (dy, dx) in STEPS.items():
        ok, drew = True, False
        for i, o in zip(ctx.train_inputs, ctx.train_outputs):
            b = grid_background(i, bg)
            for r, c in np.argwhere(i == source).tolist():
                cells = _ray(i, r, c, dy, dx, stop, b)
                if any(o[y, x] != paint for y, x in cells):
                    ok = False
                    break
                drew |= bool(cells)
            if not ok:
                break
        if ok and drew:
            found.append(d)
    return tuple(found)


@family("rays")
def rays_family(ctx: TaskContext) -> list[Primitive]:
    """Rays from the cells of an input colour, in the directions the demonstrations agree on."""
    if not same_size(ctx):
        return []
    prims = []
    bg = task_background(ctx)
    painted = painted_colours(ctx)
    for source in ctx.colours_in():
        if any(source == background(g) or np.count_nonzero(g == source) > 60 for g in ctx.train_inputs):
            continue
        for paint in sorted({source} | set(painted)):
            for stop in (True, False):
                directions = _ray_directions(ctx, source, stop, paint, bg)
                if directions:
                    prims.append(rays(source, directions, stop, paint, bg))
    return prims


def connect(source: int, axes: str, paint: int, bg: int | None) -> Primitive:
    """Paint the background between consecutive ``source`` cells of a row (axes "row"), a column
    ("col") or both ("both") with ``paint``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        out = grid.copy()
        views = []
        if axes in ("row", "both"):
            views.append(out)
        if axes in ("col", "both"):
            views.append(out.T)          # a view: writes land in ``out``
        src = grid == source
        for k, view in enumerate(views):
            s = src if view is out else src.T
            g = grid if view is out else grid.T
            for r in range(view.shape[0]):
                cols = np.flatnonzero(s[r])
                for start, end in zip(cols[:-1], cols[1:]):
                    gap = g[r, start + 1:end]
                    if end - start > 1 and (gap == b).any():
                        seg = view[r, start + 1:end]
                        seg[gap == b] = paint
        return None if np.array_equal(out, grid) else out

    return Primitive(f"connect({source}, {axes}, paint={paint}{bg_text(bg)})", fn)


@family("connect")
def connect_family(ctx: TaskContext) -> list[Primitive]:
    """Lines joining same-coloured cells in a row or column, for colours that gain cells."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    painted = painted_colours(ctx)
    prims = []
    for source in ctx.colours_in():
        if any(source == background(g) for g in ctx.train_inputs):
            continue
        if not all(np.count_nonzero(g == source) >= 2 for g in ctx.train_inputs):
            continue
        for paint in sorted({source} | set(painted)):
            if paint not in painted:
                continue
            for axes in ("row", "col", "both"):
                prims.append(connect(source, axes, paint, bg))
    return prims
