"""Recolour primitives: recolour one chosen object, or every object by a property map learned from the
demonstrations (property value -> the colour the object's cells take in the output); objects of one
colour that take the colour of the nearest other object, or the pattern of a same-shaped template; a
template copied onto marker cells; objects redrawn by a pattern learned for their shape.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, background, painted_colours, same_size, task_background
from arcvdm.search.families.select import paint_object
from arcvdm.search.objects import Obj, View, holes, objects_of, task_views, touches_border
from arcvdm.search.selectors import SELECTORS, select

# --- 1. recolour one object, or every object by a learned property map ----------------------------------

def recolour_object(view: View, selector: str, colour: int) -> Primitive:
    def fn(grid: Grid) -> Grid | None:
        obj = select(grid, view, selector)
        if obj is None:
            return None
        out = grid.copy()
        paint_object(out, obj, colour)
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
    "aspect": lambda o, objs, shape: (o.width > o.height) - (o.width < o.height),   # 1 wide, -1 tall, 0 square
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
    seen: dict[object, int] = {}
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
            seen[value] = seen.get(value, 0) + 1
            if not options[value]:
                return None
    if not changed_any:
        return None
    mapping = {value: (KEEP if KEEP in allowed else min(allowed)) for value, allowed in options.items()}
    return mapping if repeated(mapping, seen) else None


def repeated(mapping: dict, seen: dict) -> bool:
    """Every value the map changes something for was seen at least twice in the demonstrations: a map
    read off single examples (one shape, one colour) memorises them rather than generalising."""
    return all(seen[value] >= 2 for value, to in mapping.items() if to != KEEP)


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
                paint_object(out, obj, colour)
        return out

    return Primitive(f"recolour_by({prop}, {view.text})", fn)


# --- 2. recolour from other objects: the nearest one, or a template of the same shape -------------------

MAX_PAIRS = 40_000      # cell pairs compared by recolour_nearest (bounds its time on large grids)


def recolour_nearest(view: View, target: int) -> Primitive:
    """Each object of colour ``target`` takes the colour of the nearest cell of another non-background
    colour (straight-line distance between cells); None on a tie between two colours."""

    def fn(grid: Grid) -> Grid | None:
        bg = view.background_of(grid)
        others = np.argwhere((grid != bg) & (grid != target))
        objs = [o for o in objects_of(grid, view) if o.colour == target and o.n_colours == 1]
        if len(others) == 0 or not objs:
            return None
        out = grid.copy()
        for obj in objs:
            ys, xs = np.nonzero(obj.mask)
            if len(ys) * len(others) > MAX_PAIRS:
                return None
            d2 = (ys[:, None] + obj.top - others[None, :, 0]) ** 2 + (xs[:, None] + obj.left - others[None, :, 1]) ** 2
            best = d2.min()
            nearest = {int(grid[r, c]) for r, c in others[(d2 == best).any(axis=0)]}
            if len(nearest) != 1:
                return None
            paint_object(out, obj, nearest.pop())
        return out

    return Primitive(f"recolour_nearest({target}, {view.text})", fn)


def stamp(view: View, target: int) -> Primitive:
    """Each object of colour ``target`` takes the pattern of an object of the same shape that has other
    colours (the first such template in raster order)."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        templates = [o for o in objs if o.colour != target or o.n_colours > 1]
        out = grid.copy()
        changed = False
        for obj in objs:
            if obj.colour != target or obj.n_colours != 1:
                continue
            for t in templates:
                if t.shape_key == obj.shape_key:
                    region = out[obj.top:obj.bottom, obj.left:obj.right]
                    region[obj.mask] = t.patch[t.mask]
                    changed = True
                    break
        return out if changed else None

    return Primitive(f"stamp({target}, {view.text})", fn)


def stamp_at(view: View, marker: int) -> Primitive:
    """Copy the one template object (every object but the single cells of colour ``marker``) onto each
    marker: its own ``marker`` cell lands on the marker, or, without one, its centre does."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        markers = [o for o in objs if o.size == 1 and o.colour == marker]
        templates = [o for o in objs if not (o.size == 1 and o.colour == marker)]
        if not markers or len(templates) != 1:
            return None
        t = templates[0]
        own = np.argwhere(t.mask & (t.patch == marker))
        if len(own) == 1:
            ay, ax = int(own[0][0]), int(own[0][1])
        elif t.height % 2 and t.width % 2:
            ay, ax = t.height // 2, t.width // 2
        else:
            return None
        out = grid.copy()
        for m in markers:
            top, left = m.top - ay, m.left - ax
            if top < 0 or left < 0 or top + t.height > grid.shape[0] or left + t.width > grid.shape[1]:
                return None
            region = out[top:top + t.height, left:left + t.width]
            region[t.mask] = t.patch[t.mask]
        return out

    return Primitive(f"stamp_at({marker}, {view.text})", fn)


def learn_redraw(ctx: TaskContext, view: View) -> dict | None:
    """Object shape -> the pattern the output draws in its bounding box, or None when inconsistent."""
    mapping: dict[bytes, np.ndarray] = {}
    seen: dict[bytes, int] = {}
    changes: dict[bytes, object] = {}
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return None
        for obj in objects_of(i, view):
            drawn = o[obj.top:obj.bottom, obj.left:obj.right]
            if not np.array_equal(mapping.setdefault(obj.shape_key, drawn), drawn):
                return None
            seen[obj.shape_key] = seen.get(obj.shape_key, 0) + 1
            if not np.array_equal(drawn, obj.patch):
                changes[obj.shape_key] = True
    changed = {key: (True if key in changes else KEEP) for key in mapping}
    return mapping if changes and repeated(changed, seen) else None


def redraw_by_shape(view: View, mapping: dict) -> Primitive:
    """Each object's bounding box is redrawn with the pattern learned for its shape."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs:
            return None
        out = grid.copy()
        for obj in objs:
            pattern = mapping.get(obj.shape_key)
            if pattern is None:
                return None
            out[obj.top:obj.bottom, obj.left:obj.right] = pattern
        return out

    return Primitive(f"redraw_by_shape({view.text})", fn)


def recolour_family(ctx: TaskContext) -> list[Primitive]:
    """Recolour one selected object to a painted colour; recolour every object by a learned property map;
    recolour from the nearest object; stamp templates onto same-shaped objects or onto marker cells;
    redraw objects by a learned shape -> pattern map."""
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
    for c in _losing_colours(ctx):
        for view in task_views(ctx):
            if not view.multi and view.conn:
                prims.append(recolour_nearest(view, c))
        prims.append(stamp(View(8, True, task_background(ctx)), c))
    for c in ctx.colours_in():
        prims.append(stamp_at(View(8, True, task_background(ctx)), c))
    for view in task_views(ctx):
        mapping = learn_redraw(ctx, view) if not view.multi else None
        if mapping is not None:
            prims.append(redraw_by_shape(view, mapping))
    checked = ("recolour_nearest", "stamp")
    return [p for p in prims if not p.name.startswith(checked) or agrees(p, ctx)]


def _losing_colours(ctx: TaskContext) -> list[int]:
    """Input colours (not the background) whose cells the demonstration outputs recolour."""
    found = set()
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        bg = background(i)
        changed = (i != o) & (i != bg) & (o != bg)
        found |= {int(c) for c in np.unique(i[changed])}
    return sorted(found)
