"""Summary primitives: small outputs that describe a grid's objects (how many, which colour).

- ``count_objects`` draws the number of objects n as a grid: a row or a column of n cells, an n x n
  diagonal, or the first n cells of a fixed-size row.
- ``colour_of`` fills a fixed-size grid with the colour of the object a selector picks.

Both families read the layout, the colour and the output size off the demonstrations, and offer a
primitive only when it reproduces every demonstration (these outputs carry too little to be an
intermediate step).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.search.dsl import Primitive, TaskContext, reproduces
from arcvdm.search.objects import View, objects_of, task_views
from arcvdm.search.selectors import SELECTORS, select

LAYOUTS = ("row", "col", "diagonal", "fixed_row")


def _draw_count(n: int, layout: str, colour: int, shape: tuple[int, int]) -> Grid | None:
    if n < 1 or n > MAX_SIZE:
        return None
    if layout == "row":
        return np.full((1, n), colour, dtype=np.uint8)
    if layout == "col":
        return np.full((n, 1), colour, dtype=np.uint8)
    if layout == "diagonal":
        out = np.zeros((n, n), dtype=np.uint8)
        np.fill_diagonal(out, colour)
        return out
    h, w = shape                                   # fixed_row: the first n cells, row by row
    if n > h * w:
        return None
    out = np.zeros(h * w, dtype=np.uint8)
    out[:n] = colour
    return out.reshape(h, w)


def count_objects(view: View, colour_filter: int | None, layout: str, colour: int,
                  shape: tuple[int, int]) -> Primitive:
    """Count the objects (of colour ``colour_filter`` when given) and draw the count with ``colour``."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        n = sum(1 for o in objs if colour_filter is None or o.colour == colour_filter)
        return _draw_count(n, layout, colour, shape)

    which = "" if colour_filter is None else f"colour={colour_filter}, "
    size = f", {shape[0]}x{shape[1]}" if layout == "fixed_row" else ""
    return Primitive(f"count_objects({which}{layout}, {colour}{size}, {view.text})", fn)


def colour_of(view: View, selector: str, shape: tuple[int, int]) -> Primitive:
    """A grid of ``shape`` filled with the colour of the object ``selector`` picks."""

    def fn(grid: Grid) -> Grid | None:
        obj = select(grid, view, selector)
        return None if obj is None else np.full(shape, obj.colour, dtype=np.uint8)

    return Primitive(f"colour_of({selector}, {shape[0]}x{shape[1]}, {view.text})", fn)


def summary_family(ctx: TaskContext) -> list[Primitive]:
    """Counts and colours of objects, for tasks whose outputs are small and of at most two colours."""
    outs = ctx.train_outputs
    if any(o.size > 64 or len(np.unique(o)) > 2 for o in outs):
        return []
    shapes = {o.shape for o in outs}
    prims = []
    views = task_views(ctx)
    # 1. a uniform output of one fixed size: the colour of a chosen object
    if len(shapes) == 1 and all(len(np.unique(o)) == 1 for o in outs):
        shape = next(iter(shapes))
        for view in views:
            for name in SELECTORS:
                prim = colour_of(view, name, shape)
                if reproduces(prim, ctx):
                    prims.append(prim)
    # 2. counts drawn in the one non-zero colour of the outputs
    painted = {int(c) for o in outs for c in np.unique(o) if c != 0}
    if len(painted) != 1:
        return prims
    colour = painted.pop()
    fixed = next(iter(shapes)) if len(shapes) == 1 else (1, 1)
    filters: list[int | None] = [None] + [c for c in ctx.colours_in()]
    for view in views:
        for which in filters:
            for layout in LAYOUTS:
                prim = count_objects(view, which, layout, colour, fixed)
                if reproduces(prim, ctx):
                    prims.append(prim)
    return prims
