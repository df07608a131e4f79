"""Object primitives: crop to, keep, remove and recolour objects chosen by a property; object boxes.

Every family here reads the task to keep its list short: only the views (``objects.task_views``) that
cut the inputs differently, only selectors that pick an object in every demonstration input, and only
colours that the demonstration outputs paint. Learned maps (``recolour_by``) are read off the
demonstrations: property value -> output colour of the object's cells.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, family
from arcvdm.search.objects import (SELECTORS, Obj, View, holes, objects_of, select, task_views,
                                   touches_border)


# --- helpers --------------------------------------------------------------------------------------------

def same_size(ctx: TaskContext) -> bool:
    """Every demonstration output has its input's shape."""
    return all(i.shape == o.shape for i, o in zip(ctx.train_inputs, ctx.train_outputs))


def painted_colours(ctx: TaskContext) -> list[int]:
    """Colours the outputs put on cells that change (same-size demonstrations), ascending."""
    found: set[int] = set()
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape == o.shape:
            found |= {int(c) for c in np.unique(o[i != o])}
    return sorted(found)


def agrees(prim: Primitive, ctx: TaskContext, share: float = 0.5) -> bool:
    """Applied to the demonstration inputs, ``prim`` changes some cells, and at least ``share`` of the
    cells it changes take their output colour: a cheap filter for primitives that edit a grid in place
    (a program may use it after another step, so it need not explain every change)."""
    changed = right = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return False
        got = prim(i)
        if got is None or got.shape != i.shape:
            continue
        diff = got != i
        changed += int(np.count_nonzero(diff))
        right += int(np.count_nonzero(got[diff] == o[diff]))
    return changed > 0 and right >= share * changed


def _fits(shape: tuple[int, int], out_shape: tuple[int, int]) -> bool:
    """An output of ``out_shape`` could come from a crop of ``shape`` (same, transposed, scaled)."""
    (h, w), (oh, ow) = shape, out_shape
    if (h, w) in ((oh, ow), (ow, oh)):
        return True
    return oh % h == 0 and ow % w == 0 and oh // h == ow // w


def _erase(grid: Grid, obj: Obj, bg: int) -> None:
    """Set ``obj``'s cells of ``grid`` (a copy owned by the caller) to ``bg``."""
    region = grid[obj.top:obj.bottom, obj.left:obj.right]
    region[obj.mask] = bg


def _paint(grid: Grid, obj: Obj, colour: int) -> None:
    region = grid[obj.top:obj.bottom, obj.left:obj.right]
    region[obj.mask] = colour


# --- 1. crop to one object ---------------------------------------------------------------------------

def crop_object(view: View, selector: str, cells_only: bool) -> Primitive:
    def fn(grid: Grid) -> Grid | None:
        obj = select(grid, view, selector)
        if obj is None:
            return None
        if cells_only:
            return np.where(obj.mask, obj.patch, view.background_of(grid)).astype(np.uint8)
        return obj.patch.copy()

    name = "extract_object" if cells_only else "crop_object"
    return Primitive(f"{name}({selector}, {view.text})", fn)


@family("crop_object")
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
            if view.multi or any((o.mask == False).any() for o in chosen):  # noqa: E712
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
                _erase(out, o, bg)
                erased += 1
        return out if 0 < erased < len(objs) else None

    return Primitive(f"{'keep' if keep else 'remove'}_objects({predicate}, {view.text})", fn)


def keep_object(view: View, selector: str, keep: bool) -> Primitive:
    """``keep``: erase every object but the selected one; otherwise erase the selected one."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        index = SELECTORS[selector](objs)
        if index is None:
            return None
        bg = view.background_of(grid)
        out = grid.copy()
        for k, o in enumerate(objs):
            if (k == index) != keep:
                _erase(out, o, bg)
        return out

    return Primitive(f"{'keep' if keep else 'remove'}_object({selector}, {view.text})", fn)


def _erases_only(ctx: TaskContext) -> bool:
    """Some demonstration turns cells to the background and none paints a background cell."""
    any_erased = False
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return False
        bg = int(np.argmax(np.bincount(i.ravel(), minlength=10)))
        changed = i != o
        if not ((o[changed] == bg).all() or (o[changed] == 0).all()):
            return False
        any_erased |= bool(changed.any())
    return any_erased


@family("keep_object")
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


# --- 3. recolour objects -------------------------------------------------------------------------------

def recolour_object(view: View, selector: str, colour: int) -> Primitive:
    def fn(grid: Grid) -> Grid | None:
        obj = select(grid, view, selector)
        if obj is None:
            return None
        out = grid.copy()
        _paint(out, obj, colour)
        return out

    return Primitive(f"recolour_object({selector}, {colour}, {view.text})", fn)


def _size_rank(o: Obj, objs: tuple[Obj, ...]) -> int:
    """1 for the largest size, 2 for the next distinct size, ..."""
    sizes = sorted({p.size for p in objs}, reverse=True)
    return sizes.index(o.size) + 1


def _size_rank_up(o: Obj, objs: tuple[Obj, ...]) -> int:
    sizes = sorted({p.size for p in objs})
    return sizes.index(o.size) + 1


def _extreme(o: Obj, objs: tuple[Obj, ...]) -> str:
    """"largest" / "smallest" (by cells, ties included) or "middle"."""
    sizes = [p.size for p in objs]
    if o.size == max(sizes):
        return "largest"
    return "smallest" if o.size == min(sizes) else "middle"


Property = Callable[[Obj, tuple[Obj, ...], tuple[int, int]], object]

PROPERTIES: dict[str, Property] = {   # coarse properties first: the search keeps the first fit
    "border": lambda o, objs, shape: touches_border(o, shape),
    "solid_box": lambda o, objs, shape: o.size == o.box_area,
    "has_holes": lambda o, objs, shape: holes(o) > 0,
    "shared_shape": lambda o, objs, shape: sum(p.shape_key == o.shape_key for p in objs) > 1,
    "single_cell": lambda o, objs, shape: o.size == 1,
    "extreme": lambda o, objs, shape: _extreme(o, objs),
    "size_rank": lambda o, objs, shape: _size_rank(o, objs),
    "size_rank_up": lambda o, objs, shape: _size_rank_up(o, objs),
    "holes": lambda o, objs, shape: holes(o),
    "height": lambda o, objs, shape: o.height,
    "width": lambda o, objs, shape: o.width,
    "size": lambda o, objs, shape: o.size,
    "shape": lambda o, objs, shape: o.shape_key,
    "colour_size": lambda o, objs, shape: (o.colour, o.size),
}

KEEP = -1   # "this object keeps its colours"


def learn_recolour(ctx: TaskContext, view: View, prop: str) -> dict | None:
    """Property value -> output colour (or KEEP) consistent with every demonstration, or None."""
    get = PROPERTIES[prop]
    options: dict[object, set[int]] = {}
    changed_any = False
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return None
        objs = objects_of(i, view)
        for obj in objs:
            got = o[obj.top:obj.bottom, obj.left:obj.right][obj.mask]
            mine = obj.patch[obj.mask]
            allowed = set()
            if (got == mine).all():
                allowed.add(KEEP)
            else:
                changed_any = True
            if (got == got[0]).all():
                allowed.add(int(got[0]))
            value = get(obj, objs, i.shape)
            options[value] = options.get(value, allowed) & allowed
            if not options[value]:
                return None
    if not changed_any:
        return None
    return {value: (KEEP if KEEP in allowed else min(allowed)) for value, allowed in options.items()}


def recolour_by(view: View, prop: str, mapping: dict) -> Primitive:
    get = PROPERTIES[prop]

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs:
            return None
        out = grid.copy()
        for obj in objs:
            colour = mapping.get(get(obj, objs, grid.shape))
            if colour is None:
                return None
            if colour != KEEP:
                _paint(out, obj, colour)
        return out

    return Primitive(f"recolour_by({prop}, {view.text})", fn)


@family("recolour_object")
def recolour_family(ctx: TaskContext) -> list[Primitive]:
    """Recolour one selected object to a painted colour; recolour every object by a learned property map."""
    if not same_size(ctx):
        return []
    colours = painted_colours(ctx)
    prims = []
    for view in task_views(ctx):
        for prop in PROPERTIES:
            mapping = learn_recolour(ctx, view, prop)
            if mapping is not None:
                prims.append(recolour_by(view, prop, mapping))
        for name in SELECTORS:
            if all(select(g, view, name) is not None for g in ctx.train_inputs):
                for c in colours:
                    prim = recolour_object(view, name, c)
                    if agrees(prim, ctx):
                        prims.append(prim)
    return prims


# --- 4. boxes around objects ---------------------------------------------------------------------------

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


@family("box_objects")
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
