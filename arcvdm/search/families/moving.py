"""Moving primitives: gravity of cells and of whole objects, objects sliding until they touch another,
objects aligned with an anchor object, everything nudged one step, objects turned in place, the whole
content moved against a side.

Objects move rigidly and never overlap: each one slides step by step while its cells stay inside the
grid and land on background. The family is offered only when every demonstration keeps its input's
number of non-background cells (nothing painted or erased, though a move may come with a recolouring).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, background, grid_background, same_size, task_background
from arcvdm.search.families.geometry import content_box
from arcvdm.search.objects import Obj, View, bg_text, objects_of, task_views

DIRECTIONS = {"down": (1, 0), "up": (-1, 0), "right": (0, 1), "left": (0, -1)}
MAX_MOVER_CELLS = 60    # a colour with more cells in a demonstration is scenery, not the moving objects
MAX_MOVERS = 12         # attract: more objects of the moving colour than this is a pattern, not movers


# --- 1. gravity: cells and whole objects ----------------------------------------------------------------

def gravity_cells(direction: str, bg: int | None) -> Primitive:
    """Every non-background cell slides towards ``direction``, keeping the order along its line."""
    dy, dx = DIRECTIONS[direction]

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        g = grid if dx == 0 else grid.T                 # work on columns
        out = np.full_like(g, b)
        for c in range(g.shape[1]):
            col = g[:, c]
            kept = col[col != b]
            if len(kept) == 0:
                continue
            if (dy or dx) > 0:
                out[len(col) - len(kept):, c] = kept
            else:
                out[:len(kept), c] = kept
        out = out if dx == 0 else out.T
        return np.ascontiguousarray(out)

    return Primitive(f"gravity_cells({direction}{bg_text(bg)})", fn)


def _slide(out: Grid, obj: Obj, dy: int, dx: int, bg: int) -> int:
    """How many steps ``obj`` can move by (dy, dx) in ``out`` before leaving it or hitting a cell."""
    h, w = out.shape
    ys, xs = np.nonzero(obj.mask)
    ys, xs = ys + obj.top, xs + obj.left
    # the most steps the walls allow, then every step 1..most at once: (cells, steps)
    free = h + w                                     # no wall ahead along an axis the move does not use
    most = min((h - 1 - ys.max()) if dy > 0 else ys.min() if dy < 0 else free,
               (w - 1 - xs.max()) if dx > 0 else xs.min() if dx < 0 else free)
    if most <= 0:
        return 0
    k = np.arange(1, most + 1)
    blocked = out[ys[:, None] + dy * k[None, :], xs[:, None] + dx * k[None, :]] != bg   # (cells, most)
    hit = blocked.any(axis=0)
    return int(np.argmax(hit)) if hit.any() else int(most)


def _place(out: Grid, obj: Obj, dy: int, dx: int) -> None:
    region = out[obj.top + dy:obj.bottom + dy, obj.left + dx:obj.right + dx]
    region[obj.mask] = obj.patch[obj.mask]


def gravity_objects(view: View, direction: str, mover: int | None) -> Primitive:
    """Objects fall rigidly towards ``direction`` until a wall or another object stops them.

    ``mover``: only objects of that colour move; the others stay where they are, as obstacles.
    """
    dy, dx = DIRECTIONS[direction]

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs:
            return None
        bg = view.background_of(grid)
        out = np.full_like(grid, bg)
        moving = []
        for o in objs:
            if mover is None or o.colour == mover:
                moving.append(o)
            else:
                _place(out, o, 0, 0)
        if not moving:
            return None
        # the object nearest the wall moves first, so the others land on it
        lead = {"down": lambda o: -o.bottom, "up": lambda o: o.top, "right": lambda o: -o.right,
                "left": lambda o: o.left}[direction]
        for o in sorted(moving, key=lead):
            k = _slide(out, o, dy, dx, bg)
            _place(out, o, dy * k, dx * k)
        return out

    who = "" if mover is None else f", colour={mover}"
    return Primitive(f"gravity_objects({direction}{who}, {view.text})", fn)


DIAGONALS = ((1, 1), (1, -1), (-1, 1), (-1, -1))


def attract(view: View, mover: int, diagonal: bool = False, target: int | None = None) -> Primitive:
    """Each object of colour ``mover`` slides, in the one direction where it meets another object (of
    colour ``target`` when given; the others still block), until it touches it (the nearest such
    direction when several); ``diagonal``: the four diagonal directions are tried too."""
    steps = tuple(DIRECTIONS.values()) + (DIAGONALS if diagonal else ())

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        bg = view.background_of(grid)
        out = np.full_like(grid, bg)
        moving = []
        for o in objs:
            if o.colour == mover:
                moving.append(o)
            else:
                _place(out, o, 0, 0)
        if not moving or len(moving) == len(objs) or len(moving) > MAX_MOVERS:
            return None
        moved = False
        for o in moving:
            best = None
            for dy, dx in steps:
                k = _slide(out, o, dy, dx, bg)
                ys, xs = np.nonzero(o.mask)
                ny, nx = ys + o.top + dy * (k + 1), xs + o.left + dx * (k + 1)
                inside = (ny >= 0) & (nx >= 0) & (ny < grid.shape[0]) & (nx < grid.shape[1])
                if not inside.all():                                 # stopped by a wall
                    continue
                if target is not None and not (out[ny, nx] == target).any():
                    continue
                if best is None or k < best[0]:
                    best = (k, dy, dx)
            if best is None:
                _place(out, o, 0, 0)
                continue
            k, dy, dx = best
            _place(out, o, dy * k, dx * k)
            moved |= k > 0
        return out if moved else None

    how = (", diagonal" if diagonal else "") + ("" if target is None else f", to={target}")
    return Primitive(f"attract(colour={mover}{how}, {view.text})", fn)


def nudge(direction: str, bg: int | None) -> Primitive:
    """Every non-background cell moves one step towards ``direction`` (None if one would leave the grid)."""
    dy, dx = DIRECTIONS[direction]

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        ys, xs = np.nonzero(grid != b)
        if len(ys) == 0:
            return None
        ny, nx = ys + dy, xs + dx
        if ny.min() < 0 or nx.min() < 0 or ny.max() >= grid.shape[0] or nx.max() >= grid.shape[1]:
            return None
        out = np.full_like(grid, b)
        out[ny, nx] = grid[ys, xs]
        return out

    return Primitive(f"nudge({direction}{bg_text(bg)})", fn)


def align(view: View, anchor: int, axis: str) -> Primitive:
    """Every object moves along ``axis``'s other direction until its top row ("row") or its left column
    ("col") is the anchor's: the one object of colour ``anchor``."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        anchors = [o for o in objs if o.colour == anchor]
        if len(anchors) != 1 or len(objs) < 2:
            return None
        target = anchors[0].top if axis == "row" else anchors[0].left
        out = np.full_like(grid, view.background_of(grid))
        for o in objs:
            dy, dx = (target - o.top, 0) if axis == "row" else (0, target - o.left)
            if o.top + dy < 0 or o.bottom + dy > grid.shape[0] or o.left + dx < 0 or o.right + dx > grid.shape[1]:
                return None
            _place(out, o, dy, dx)
        return out

    return Primitive(f"align({axis}, anchor={anchor}, {view.text})", fn)


# --- 4. objects turned in place, the whole content moved to a side ------------------------------------------

TURNS = ("flip_lr", "flip_ud", "rot180", "transpose")   # transpose: square boxes only (the box keeps its place)
SIDES = {"up": (0, None), "down": (1, None), "left": (None, 0), "right": (None, 1),
         "up_left": (0, 0), "up_right": (0, 1), "down_left": (1, 0), "down_right": (1, 1)}


def turn_objects(view: View, kind: str) -> Primitive:
    """Every object turned (``TURNS``) inside its own box; the box stays where it is. None when there is no
    object, or for ``transpose`` when a box is not square."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs:
            return None
        out = grid.copy()
        bg = view.background_of(grid)
        for o in objs:
            if kind == "transpose" and o.height != o.width:
                return None
            region = out[o.top:o.bottom, o.left:o.right]
            region[o.mask] = bg
        for o in objs:
            mask, patch = o.mask, o.patch
            if kind == "flip_lr":
                mask, patch = mask[:, ::-1], patch[:, ::-1]
            elif kind == "flip_ud":
                mask, patch = mask[::-1], patch[::-1]
            elif kind == "rot180":
                mask, patch = mask[::-1, ::-1], patch[::-1, ::-1]
            else:
                mask, patch = mask.T, patch.T
            region = out[o.top:o.bottom, o.left:o.right]
            region[mask] = patch[mask]
        return out

    return Primitive(f"turn_objects({kind}, {view.text})", fn)


def move_content(side: str, bg: int | None) -> Primitive:
    """The box around every non-background cell moved, as one piece, against a side or into a corner of
    the grid (``SIDES``); None when it is there already."""
    row_end, col_end = SIDES[side]

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        found = content_box(grid, b)
        if found is None:
            return None
        top, bottom, left, right = found
        box = grid[top:bottom, left:right]
        new_top = top if row_end is None else (0 if row_end == 0 else grid.shape[0] - box.shape[0])
        new_left = left if col_end is None else (0 if col_end == 0 else grid.shape[1] - box.shape[1])
        if (new_top, new_left) == (top, left):
            return None
        out = np.full_like(grid, b)
        out[new_top:new_top + box.shape[0], new_left:new_left + box.shape[1]] = box
        return out

    return Primitive(f"move_content({side}{bg_text(bg)})", fn)


def move_family(ctx: TaskContext) -> list[Primitive]:
    """Gravity of cells and objects in four directions; objects of one colour moving to touch the rest or
    serving as the anchor the others align with; one-step nudges; objects turned in place; the content
    moved to a side or corner."""
    if not same_size(ctx):
        return []
    # moving keeps the number of non-background cells (a move may come with a recolouring step)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        b = background(i)
        if np.count_nonzero(i != b) != np.count_nonzero(o != b):
            return []
    bg = task_background(ctx)
    prims = [gravity_cells(d, bg) for d in DIRECTIONS] + [nudge(d, bg) for d in DIRECTIONS]
    prims += [move_content(side, bg) for side in SIDES]
    colours = [c for c in ctx.colours_in() if all(c != background(g) for g in ctx.inputs)]
    colours = [c for c in colours if all(np.count_nonzero(g == c) <= MAX_MOVER_CELLS for g in ctx.train_inputs)]
    # a colour whose cells move in some demonstration can be the mover; one that never moves, the anchor
    pairs = list(zip(ctx.train_inputs, ctx.train_outputs))
    movers = [c for c in colours if any(((i == c) != (o == c)).any() for i, o in pairs)]
    anchors = [c for c in colours if c not in movers]
    if len(movers) > 3:                                    # most colours change: not a task of moving objects
        movers = []
    for view in task_views(ctx):
        for d in DIRECTIONS:
            prims.append(gravity_objects(view, d, None))
        prims += [turn_objects(view, kind) for kind in TURNS]
        if view.multi:
            continue
        for c in movers:
            if len(colours) >= 3:                          # aimed at one colour first: the stricter rule
                prims += [attract(view, c, target=t) for t in colours if t != c]
            prims += [attract(view, c), attract(view, c, diagonal=True)]
            prims += [gravity_objects(view, d, c) for d in DIRECTIONS]
        for c in anchors:
            prims += [align(view, c, "row"), align(view, c, "col")]
    return [p for p in prims if agrees(p, ctx)]
