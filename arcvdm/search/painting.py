"""Painting primitives: move objects (gravity, towards another object), fill enclosed regions, outline
objects, de-noise.

Every primitive keeps the grid's shape except ``block_majority`` (one cell per k x k block). Colours
that a primitive paints are chosen by the family from what the demonstration outputs paint
(``select.painted_colours``); moving objects of one colour only is offered for the input colours.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family
from arcvdm.search.objects import bg_text, grid_background, task_background
from arcvdm.search.objects import Obj, View, objects_of, task_views
from arcvdm.search.select import agrees, painted_colours, same_size

DIRECTIONS = {"down": (1, 0), "up": (-1, 0), "right": (0, 1), "left": (0, -1)}


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
        return None if np.array_equal(out, grid) else np.ascontiguousarray(out)

    return Primitive(f"gravity_cells({direction}{bg_text(bg)})", fn)


def _slide(out: Grid, obj: Obj, dy: int, dx: int, bg: int, limit: int = 30) -> int:
    """How many steps ``obj`` can move by (dy, dx) in ``out`` before leaving it or hitting a cell."""
    h, w = out.shape
    ys, xs = np.nonzero(obj.mask)
    ys, xs = ys + obj.top, xs + obj.left
    steps = 0
    while steps < limit:
        ny, nx = ys + dy * (steps + 1), xs + dx * (steps + 1)
        if ny.min() < 0 or nx.min() < 0 or ny.max() >= h or nx.max() >= w:
            break
        if (out[ny, nx] != bg).any():
            break
        steps += 1
    return steps


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
        return None if np.array_equal(out, grid) else out

    who = "" if mover is None else f", colour={mover}"
    return Primitive(f"gravity_objects({direction}{who}, {view.text})", fn)


def attract(view: View, mover: int) -> Primitive:
    """Each object of colour ``mover`` slides, in the one direction where it meets another object,
    until it touches it (the nearest such direction when several)."""

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
        if not moving or len(moving) == len(objs):
            return None
        moved = False
        for o in moving:
            best = None
            for dy, dx in DIRECTIONS.values():
                k = _slide(out, o, dy, dx, bg)
                ys, xs = np.nonzero(o.mask)
                ny, nx = ys + o.top + dy * (k + 1), xs + o.left + dx * (k + 1)
                inside = (ny >= 0) & (nx >= 0) & (ny < grid.shape[0]) & (nx < grid.shape[1])
                if inside.all() and (best is None or k < best[0]):   # stopped by a cell, not a wall
                    best = (k, dy, dx)
            if best is None:
                _place(out, o, 0, 0)
                continue
            k, dy, dx = best
            _place(out, o, dy * k, dx * k)
            moved |= k > 0
        return out if moved else None

    return Primitive(f"attract(colour={mover}, {view.text})", fn)


@family("move_objects")
def move_family(ctx: TaskContext) -> list[Primitive]:
    """Gravity of cells and objects in four directions; objects of one colour moving to touch the rest."""
    if not same_size(ctx):
        return []
    # moving keeps each input's colour counts (unless objects overlap the wall, which ARC avoids)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if not np.array_equal(np.bincount(i.ravel(), minlength=10), np.bincount(o.ravel(), minlength=10)):
            return []
    prims = [gravity_cells(d, task_background(ctx)) for d in DIRECTIONS]
    colours = [c for c in ctx.colours_in() if all(c != background(g) for g in ctx.inputs)]
    for view in task_views(ctx):
        for d in DIRECTIONS:
            prims.append(gravity_objects(view, d, None))
        for c in colours:
            if view.multi:
                continue
            prims.append(attract(view, c))
            for d in DIRECTIONS:
                prims.append(gravity_objects(view, d, c))
    return [p for p in prims if agrees(p, ctx)]


# --- 2. filling enclosed regions and outlines ---------------------------------------------------------

def _reach_border(free: np.ndarray, conn: int) -> np.ndarray:
    """Cells of ``free`` connected (within ``free``) to the grid's border."""
    reach = np.zeros_like(free)
    reach[0, :], reach[-1, :] = free[0, :], free[-1, :]
    reach[:, 0], reach[:, -1] = free[:, 0], free[:, -1]
    while True:
        grown = reach.copy()
        grown[1:, :] |= reach[:-1, :]
        grown[:-1, :] |= reach[1:, :]
        grown[:, 1:] |= reach[:, :-1]
        grown[:, :-1] |= reach[:, 1:]
        if conn == 8:
            grown[1:, 1:] |= reach[:-1, :-1]
            grown[1:, :-1] |= reach[:-1, 1:]
            grown[:-1, 1:] |= reach[1:, :-1]
            grown[:-1, :-1] |= reach[1:, 1:]
        grown &= free
        if np.array_equal(grown, reach):
            return reach
        reach = grown


def fill_enclosed(colour: int, conn: int, bg: int | None) -> Primitive:
    """Background cells that cannot reach the border through background (``conn``-steps) get ``colour``."""

    def fn(grid: Grid) -> Grid | None:
        free = grid == grid_background(grid, bg)
        enclosed = free & ~_reach_border(free, conn)
        if not enclosed.any():
            return None
        out = grid.copy()
        out[enclosed] = colour
        return out

    return Primitive(f"fill_enclosed({colour}, conn={conn}{bg_text(bg)})", fn)


def _neighbours_any(mask: np.ndarray, conn: int | str) -> np.ndarray:
    """Cells with at least one ``conn``-neighbour in ``mask`` (4, 8, or "x": the 4 diagonal neighbours)."""
    near = np.zeros_like(mask)
    if conn != "x":
        near[1:, :] |= mask[:-1, :]
        near[:-1, :] |= mask[1:, :]
        near[:, 1:] |= mask[:, :-1]
        near[:, :-1] |= mask[:, 1:]
    if conn in (8, "x"):
        near[1:, 1:] |= mask[:-1, :-1]
        near[1:, :-1] |= mask[:-1, 1:]
        near[:-1, 1:] |= mask[1:, :-1]
        near[:-1, :-1] |= mask[1:, 1:]
    return near


def outline(colour: int, conn: int | str, source: int | None, bg: int | None) -> Primitive:
    """Background cells next to a non-background cell (of colour ``source`` when given) get ``colour``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        solid = grid != b if source is None else grid == source
        ring = _neighbours_any(solid, conn) & (grid == b)
        if not ring.any():
            return None
        out = grid.copy()
        out[ring] = colour
        return out

    of = "" if source is None else f", of={source}"
    return Primitive(f"outline({colour}, conn={conn}{of}{bg_text(bg)})", fn)


def interior(colour: int, conn: int, bg: int | None) -> Primitive:
    """Non-background cells whose ``conn``-neighbours are all non-background get ``colour``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        empty = np.pad(grid == b, 1, constant_values=True)
        inner = ~_neighbours_any(empty, conn)[1:-1, 1:-1] & (grid != b)
        if not inner.any():
            return None
        out = grid.copy()
        out[inner] = colour
        return out

    return Primitive(f"interior({colour}, conn={conn}{bg_text(bg)})", fn)


@family("fill_enclosed")
def fill_family(ctx: TaskContext) -> list[Primitive]:
    """Fill enclosed background; outline objects; recolour objects' inner cells, with painted colours."""
    if not same_size(ctx):
        return []
    prims = []
    bg = task_background(ctx)
    sources = [c for c in ctx.colours_in() if all(c != background(g) for g in ctx.inputs)]
    for c in painted_colours(ctx):
        prims += [fill_enclosed(c, 4, bg), fill_enclosed(c, 8, bg), outline(c, 4, None, bg),
                  outline(c, 8, None, bg), interior(c, 4, bg), interior(c, 8, bg)]
        if len(sources) > 1:
            prims += [outline(c, conn, s, bg) for s in sources if s != c for conn in (4, 8, "x")]
    return [p for p in prims if agrees(p, ctx)]


# --- 3. de-noising -------------------------------------------------------------------------------------

def remove_small(view: View, k: int) -> Primitive:
    """Erase every object of fewer than ``k`` cells."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        bg = view.background_of(grid)
        out = grid.copy()
        erased = 0
        for o in objs:
            if o.size < k:
                region = out[o.top:o.bottom, o.left:o.right]
                region[o.mask] = bg
                erased += 1
        return out if erased else None

    return Primitive(f"remove_small({k}, {view.text})", fn)


def majority_filter(noise: int) -> Primitive:
    """Each cell of colour ``noise`` takes the most common other colour among its 8 neighbours."""

    def fn(grid: Grid) -> Grid | None:
        noisy = grid == noise
        if not noisy.any():
            return None
        h, w = grid.shape
        onehot = np.pad(grid[:, :, None] == np.arange(10), ((1, 1), (1, 1), (0, 0)))  # (h+2, w+2, 10)
        counts = np.zeros((h, w, 10), dtype=np.int16)
        for dy in range(3):
            for dx in range(3):
                counts += onehot[dy:dy + h, dx:dx + w]
        counts[:, :, noise] = 0
        change = noisy & (counts.max(axis=2) > 0)
        out = grid.copy()
        out[change] = np.argmax(counts, axis=2)[change]
        return out

    return Primitive(f"majority_filter({noise})", fn)


def block_majority(k: int) -> Primitive:
    """Shrink by ``k``: each k x k block becomes its most frequent colour (ties: lower colour)."""

    def fn(grid: Grid) -> Grid | None:
        h, w = grid.shape
        if h % k or w % k or (h == k and w == k):
            return None
        blocks = grid.reshape(h // k, k, w // k, k).transpose(0, 2, 1, 3).reshape(h // k, w // k, k * k)
        counts = np.zeros((h // k, w // k, 10), dtype=np.int32)
        for colour in range(10):
            counts[..., colour] = (blocks == colour).sum(axis=2)
        return np.argmax(counts, axis=2).astype(np.uint8)

    return Primitive(f"block_majority({k})", fn)


@family("denoise")
def denoise_family(ctx: TaskContext) -> list[Primitive]:
    """Remove small objects; replace a noise colour by its neighbours' majority; majority per block."""
    prims = []
    pairs = list(zip(ctx.train_inputs, ctx.train_outputs))
    for k in (2, 3, 4):
        if all(o.shape[0] * k == i.shape[0] and o.shape[1] * k == i.shape[1] for i, o in pairs):
            prims.append(block_majority(k))
    if not same_size(ctx):
        return prims
    for view in task_views(ctx):
        if not view.multi:
            prims += [remove_small(view, k) for k in (2, 3)]
    for c in ctx.colours_in():
        if all((i == c).any() and (c not in o) for i, o in pairs):
            prims.append(majority_filter(c))
    return [p for p in prims if p.name.startswith("block_majority") or agrees(p, ctx)]
