"""Object primitives: crop to, keep or remove objects chosen by a property; boxes around objects.

Every family here reads the task to keep its list short: only the views (``objects.task_views``) that
cut the inputs differently, only selectors that pick an object in every demonstration input, and only
colours that the demonstration outputs paint. Recolouring objects is in ``recolour.py``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, background, painted_colours, same_size
from arcvdm.search.objects import Obj, View, holes, objects_of, task_views, touches_border
from arcvdm.search.selectors import SELECTORS, select

# --- helpers --------------------------------------------------------------------------------------------

def _fits(shape: tuple[int, int], out_shape: tuple[int, int]) -> bool:
    """An output of ``out_shape`` could come from a crop of ``shape`` (same, transposed, scaled)."""
    (h, w), (oh, ow) = shape, out_shape
    if (h, w) in ((oh, ow), (ow, oh)):
        return True
    return oh % h == 0 and ow % w == 0 and oh // h == ow // w


def erase_object(grid: Grid, obj: Obj, bg: int) -> None:
    """Set ``obj``'s cells of ``grid`` (a copy owned by the caller) to ``bg``."""
    region = grid[obj.top:obj.bottom, obj.left:obj.right]
    region[obj.mask] = bg


def paint_object(grid: Grid, obj: Obj, colour: int) -> None:
    """Set ``obj``'s cells of ``grid`` (a copy owned by the caller) to ``colour``."""
    region = grid[obj.top:obj.bottom, obj.left:obj.right]
    region[obj.mask] = colour


# --- 1. crop to one object ---------------------------------------------------------------------------

def crop_object(view: View, selector: str, cells_only: bool) -> Primitive:
    """The bounding box of the object ``selector`` picks; ``cells_only``: other cells in it become background."""

    def fn(grid: Grid) -> Grid | None:
        obj = select(grid, view, selector)
        if obj is None:
            return None
        if cells_only:
            return np.where(obj.mask, obj.patch, view.background_of(grid)).astype(np.uint8)
        return obj.patch.copy()

    name = "extract_object" if cells_only else "crop_object"
    return Primitive(f"{name}({selector}, {view.text})", fn)


def crop_object_family(ctx: TaskContext) -> list[Primitive]:
    """Crop to the bounding box of one object (or to its cells alone), for tasks whose outputs shrink."""
    if same_size(ctx):
        return []
    prims = []
    for view in task_views(ctx):
        for name in SELECTORS:
            chosen = [select(g, view, name) for g in ctx.train_inputs]
            if any(o is None or not _fits(o.mask.shape, out.shape) for o, out in zip(chosen, ctx.train_outputs)):
                continue
            prims.append(crop_object(view, name, cells_only=False))
            if view.multi or any((~o.mask).any() for o in chosen):      # else the same as the crop
                prims.append(crop_object(view, name, cells_only=True))
    return prims


# --- 2. keep / remove objects in place -----------------------------------------------------------------

Predicate = Callable[[Obj, tuple[Obj, ...], tuple[int, int]], bool]

PREDICATES: dict[str, Predicate] = {
    "largest": lambda o, objs, shape: o.size == max(p.size for p in objs),
    "smallest": lambda o, objs, shape: o.size == min(p.size for p in objs),
    "border": lambda o, objs, shape: touches_border(o, shape),
    "shared_shape": lambda o, objs, shape: sum(p.shape_key == o.shape_key for p in objs) > 1,
    "holed": lambda o, objs, shape: holes(o) > 0,
    "solid_box": lambda o, objs, shape: o.size == o.box_area,
    "multicolour": lambda o, objs, shape: o.n_colours > 1,
    "single_cell": lambda o, objs, shape: o.size == 1,
}


def keep_objects(view: View, predicate: str, keep: bool) -> Primitive:
    """``keep``: erase every object the predicate rejects; otherwise erase every object it accepts."""
    test = PREDICATES[predicate]

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        bg = view.background_of(grid)
        out = grid.copy()
        erased = 0
        for o in objs:
            if test(o, objs, grid.shape) != keep:
                erase_object(out, o, bg)
                erased += 1
        return out if 0 < erased < len(objs) else None

    return Primitive(f"{'keep' if keep else 'remove'}_objects({predicate}, {view.text})", fn)


def keep_object(view: View, selector: str, keep: bool) -> Primitive:
    """``keep``: erase every object but the selected one; otherwise erase the selected one."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        index = SELECTORS[selector](objs, grid)
        if index is None:
            return None
        bg = view.background_of(grid)
        out = grid.copy()
        for k, o in enumerate(objs):
            if (k == index) != keep:
                erase_object(out, o, bg)
        return out

    return Primitive(f"{'keep' if keep else 'remove'}_object({selector}, {view.text})", fn)


def _erases_only(ctx: TaskContext) -> bool:
    """Some demonstration turns cells to the background and none paints a background cell."""
    any_erased = False
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return False
        bg = background(i)
        changed = i != o
        if not ((o[changed] == bg).all() or (o[changed] == 0).all()):
            return False
        any_erased |= bool(changed.any())
    return any_erased


def keep_object_family(ctx: TaskContext) -> list[Primitive]:
    """Keep or remove one selected object, or every object with a property, in place."""
    if not _erases_only(ctx):
        return []
    prims = []
    for view in task_views(ctx):
        for name in SELECTORS:
            if all(select(g, view, name) is not None for g in ctx.train_inputs):
                prims.append(keep_object(view, name, keep=True))
                prims.append(keep_object(view, name, keep=False))
        for name in PREDICATES:
            prims.append(keep_objects(view, name, keep=True))
            prims.append(keep_objects(view, name, keep=False))
    return [p for p in prims if agrees(p, ctx)]


# --- 3. boxes around objects ---------------------------------------------------------------------------

def box_objects(view: View, colour: int | None, mode: str) -> Primitive:
    """mode "outline": a rectangle one cell outside each object's box; "fill": background inside the box;
    painted with ``colour`` (None: the object's own colour)."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs:
            return None
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        for o in objs:
            paint = o.colour if colour is None else colour
            if mode == "fill":
                region = out[o.top:o.bottom, o.left:o.right]
                region[region == bg] = paint
                continue
            t, l, b, r = max(o.top - 1, 0), max(o.left - 1, 0), min(o.bottom + 1, h), min(o.right + 1, w)
            ring = np.zeros((b - t, r - l), dtype=bool)
            if o.top - 1 >= 0:
                ring[0, :] = True
            if o.bottom < h:
                ring[-1, :] = True
            if o.left - 1 >= 0:
                ring[:, 0] = True
            if o.right < w:
                ring[:, -1] = True
            region = out[t:b, l:r]
            region[ring & (region == bg)] = paint
        return out

    colour_text = "own" if colour is None else colour
    return Primitive(f"box_objects({mode}, {colour_text}, {view.text})", fn)


def box_family(ctx: TaskContext) -> list[Primitive]:
    """Outline each object's bounding box, or fill the background inside it, with a painted colour."""
    if not same_size(ctx):
        return []
    prims = []
    for view in task_views(ctx):
        for c in [None] + painted_colours(ctx):
            prims.append(box_objects(view, c, "outline"))
            prims.append(box_objects(view, c, "fill"))
    return [p for p in prims if agrees(p, ctx)]
