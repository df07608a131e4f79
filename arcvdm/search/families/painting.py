"""Painting primitives: fill enclosed regions (one colour, or a colour learned per region from its size
or shape), outline objects, recolour their inner cells, de-noise (small objects, weakly attached cells,
a noise colour, majority per block).

Every primitive keeps the grid's shape except ``block_majority`` (one cell per k x k block). Colours
that a primitive paints are chosen by the family from what the demonstration outputs paint
(``facts.painted_colours``). Moving objects is in ``moving.py``, lines and rays in ``lines.py``.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, background, grid_background, painted_colours, same_size, task_background
from arcvdm.search.families.recolour import KEEP, repeated
from arcvdm.search.objects import Obj, View, bg_text, objects_of, reach_border, task_views, touches_border

# --- 1. filling enclosed regions and outlines ---------------------------------------------------------

def fill_enclosed(colour: int, conn: int, bg: int | None) -> Primitive:
    """Background cells that cannot reach the border through background (``conn``-steps) get ``colour``."""

    def fn(grid: Grid) -> Grid | None:
        free = grid == grid_background(grid, bg)
        enclosed = free & ~reach_border(free, conn)
        if not enclosed.any():
            return None
        out = grid.copy()
        out[enclosed] = colour
        return out

    return Primitive(f"fill_enclosed({colour}, conn={conn}{bg_text(bg)})", fn)


def _size_extreme(region: Obj, regions: list[Obj]) -> str:
    sizes = [r.size for r in regions]
    if region.size == max(sizes):
        return "largest"
    return "smallest" if region.size == min(sizes) else "middle"


HOLE_PROPERTIES = {   # coarse first: the search keeps the first fit
    "square": lambda r, regions: r.size == r.box_area and r.height == r.width,
    "extreme": _size_extreme,
    "size": lambda r, regions: r.size,
    "shape": lambda r, regions: r.shape_key,
}


def _regions(grid: Grid, bg: int, enclosed: bool) -> list[Obj]:
    """The background regions (4-connected) as objects; ``enclosed``: only those off the border."""
    free = (grid == bg).astype(np.uint8)
    found = objects_of(free, View(4, False, 0))
    return [o for o in found if not (enclosed and touches_border(o, grid.shape))]


def learn_hole_colours(ctx: TaskContext, prop: str, bg: int | None, enclosed: bool = True) -> dict | None:
    """Region property value -> the colour the output paints the region (KEEP: left as it is), or None."""
    get = HOLE_PROPERTIES[prop]
    mapping: dict[object, int] = {}
    seen: dict[object, int] = {}
    painted = False
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        b = grid_background(i, bg)
        regions = _regions(i, b, enclosed)
        for region in regions:
            got = o[region.top:region.bottom, region.left:region.right][region.mask]
            if not (got == got[0]).all():
                return None
            colour = KEEP if got[0] == b else int(got[0])
            painted |= colour != KEEP
            key = get(region, regions)
            seen[key] = seen.get(key, 0) + 1
            if mapping.setdefault(key, colour) != colour:
                return None
    return mapping if painted and repeated(mapping, seen) else None


def fill_holes_by(prop: str, mapping: dict, bg: int | None, enclosed: bool = True) -> Primitive:
    """Paint each background region (``enclosed``: only those off the border) with the colour its
    property maps to (learned)."""
    get = HOLE_PROPERTIES[prop]

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        regions = _regions(grid, b, enclosed)
        if not regions:
            return None
        out = grid.copy()
        for region in regions:
            colour = mapping.get(get(region, regions))
            if colour is None:
                return None
            if colour != KEEP:
                cells = out[region.top:region.bottom, region.left:region.right]
                cells[region.mask] = colour
        return out

    name = "fill_holes_by" if enclosed else "fill_regions_by"
    return Primitive(f"{name}({prop}{bg_text(bg)})", fn)


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


def fill_family(ctx: TaskContext) -> list[Primitive]:
    """Fill enclosed background (one colour, or a colour per hole learned from its size or shape);
    outline objects; recolour objects' inner cells, with painted colours."""
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
    prims = [p for p in prims if agrees(p, ctx)]
    for enclosed in (True, False):
        for prop in HOLE_PROPERTIES:
            mapping = learn_hole_colours(ctx, prop, bg, enclosed)
            if mapping is not None and len(set(mapping.values())) > 1:     # one colour: fill_enclosed
                prims.append(fill_holes_by(prop, mapping, bg, enclosed))
    return prims


# --- 2. de-noising -------------------------------------------------------------------------------------

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


def prune(k: int, bg: int | None) -> Primitive:
    """Non-background cells with fewer than ``k`` 4-neighbours of their own colour become background
    (strays, and spurs stuck to the side of a solid shape, go; a rectangle's corners have two)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        padded = np.pad(grid.astype(np.int16), 1, constant_values=-1)
        same = np.zeros((h, w), dtype=np.int8)
        for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
            same += padded[dy:dy + h, dx:dx + w] == grid
        weak = (grid != b) & (same < k)
        if not weak.any():
            return None
        out = grid.copy()
        out[weak] = b
        return out

    return Primitive(f"prune({k}{bg_text(bg)})", fn)


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


def denoise_family(ctx: TaskContext) -> list[Primitive]:
    """Remove small objects or weakly attached cells; replace a noise colour by its neighbours' majority;
    majority per block."""
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
    prims += [prune(1, task_background(ctx)), prune(2, task_background(ctx))]
    for c in ctx.colours_in():
        if all((i == c).any() and (c not in o) for i, o in pairs):
            prims.append(majority_filter(c))
    return [p for p in prims if p.name.startswith("block_majority") or agrees(p, ctx)]
