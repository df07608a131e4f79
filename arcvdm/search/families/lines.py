"""Line primitives: rays drawn from cells of a colour, and lines joining same-coloured cells (in rows,
columns or diagonals).

A ray leaves a source cell (or an object's front: ``from_objects``) in one of 8 directions and paints
background cells until the border; its ``mode`` says what a non-background cell on the way does:
``stop`` (the ray ends), ``through`` (the ray skips it and goes on) or ``hit`` (only a ray that ends on a
non-background cell is painted, up to it). Ray directions are learned from the demonstrations: a
direction is offered for a source colour when, in every demonstration, the cells its rays would paint
are painted in the output. When several colours have rays, one primitive draws all of them (in the order
of colours that reproduces the demonstrations).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search import kernels
from arcvdm.search.cache import by_content
from arcvdm.search.dsl import Primitive, TaskContext, reproduces
from arcvdm.search.facts import agrees, background, grid_background, painted_colours, same_size, task_background
from arcvdm.search.objects import MAX_OBJECTS, View, bg_text, objects_of

STEPS = {"N": (-1, 0), "S": (1, 0), "W": (0, -1), "E": (0, 1),
         "NW": (-1, -1), "NE": (-1, 1), "SW": (1, -1), "SE": (1, 1)}
MODES = ("stop", "through", "hit")
MAX_SOURCES = 30        # cells of one colour that may shoot rays or be joined (more: a texture, not sources)
_STEP_TABLE = np.array(list(STEPS.values()), dtype=np.int64)  # (8, 2): STEPS as ``kernels.rays`` reads them

RaySpec = tuple[tuple[int | None, tuple[str, ...]], ...]  # ((source colour or None: all, directions), ...)


# --- rays ----------------------------------------------------------------------------------------------

def _ray(rows: list[list[int]], r: int, c: int, dy: int, dx: int, mode: str, bg: int) -> list[tuple[int, int]]:
    """Background cells the ray from (r, c) paints (see the module docstring for ``mode``); ``rows`` is the
    grid as Python lists (a walk cell by cell reads them several times faster than a numpy array)."""
    h, w = len(rows), len(rows[0])
    cells = []
    y, x = r + dy, c + dx
    while 0 <= y < h and 0 <= x < w:
        if rows[y][x] != bg:
            if mode != "through":
                return cells
        else:
            cells.append((y, x))
        y, x = y + dy, x + dx
    return [] if mode == "hit" else cells


def _starts(grid: Grid, source: int, direction: str, bg: int, from_objects: bool) -> list[tuple[int, int]]:
    """Cells rays leave from: every ``source`` cell, or (``from_objects``) each object's front in
    ``direction``: its cells with no own cell ahead (straight directions), its one foremost corner
    cell (diagonals)."""
    if not from_objects:  # shared (every direction, mode and primitive asks again): never written
        return by_content("colour_cells", grid, (source,), lambda: np.argwhere(grid == source).tolist())
    dy, dx = STEPS[direction]
    found = []
    for obj in objects_of(grid, View(8, False, bg)):
        if obj.colour != source or obj.n_colours != 1:
            continue
        ys, xs = np.nonzero(obj.mask)
        if dy == 0 or dx == 0:
            for y, x in zip(ys.tolist(), xs.tolist()):
                ny, nx = y + dy, x + dx
                if not (0 <= ny < obj.height and 0 <= nx < obj.width and obj.mask[ny, nx]):
                    found.append((obj.top + y, obj.left + x))
        else:
            reach = ys * dy + xs * dx
            best = np.flatnonzero(reach == reach.max())
            if len(best) == 1:
                found.append((obj.top + int(ys[best[0]]), obj.left + int(xs[best[0]])))
    return found


def _rays(rows: list[list[int]], starts: list, direction: str, mode: str, bg: int) -> list[tuple[int, int]]:
    """Every cell the rays from ``starts`` in ``direction`` paint (``rows``: the grid as Python lists)."""
    dy, dx = STEPS[direction]
    cells = []
    for r, c in starts:
        cells += _ray(rows, r, c, dy, dx, mode, bg)
    return cells


def _paint_cells(grid: Grid, source: int, direction: str, mode: str, bg: int,
                 from_objects: bool) -> list[tuple[int, int]] | None:
    """Every cell the rays of ``source`` in ``direction`` paint (None: too many sources)."""
    starts = _starts(grid, source, direction, bg, from_objects)
    if len(starts) > MAX_SOURCES:
        return None
    if not starts:
        return []
    return _rays(by_content("rows", grid, (), grid.tolist), starts, direction, mode, bg)


def _draw(grid: Grid, spec: RaySpec, mode: str, bg: int, paint: int | None, from_objects: bool) -> Grid | None:
    """Draw every ray of ``spec`` on a copy of ``grid``; obstacles are read from ``grid`` itself. (``kernels.rays``
    compiled; this is its reference.)"""
    out = grid.copy()
    expanded = []
    for source, directions in spec:
        if source is None:                                   # every colour of the grid
            expanded += [(int(c), directions) for c in np.unique(grid) if c != bg]
        else:
            expanded.append((source, directions))
    rows = grid.tolist()
    for source, directions in expanded:
        if source == bg:
            return None
        colour = source if paint is None else paint
        # a colour's cells are its starts in every direction; objects' fronts depend on the direction
        cells_of = None if from_objects or not directions else _starts(grid, source, directions[0], bg, False)
        for d in directions:
            starts = cells_of if cells_of is not None else _starts(grid, source, d, bg, True)
            if len(starts) > MAX_SOURCES:
                return None
            cells = _rays(rows, starts, d, mode, bg)
            if cells:
                ys, xs = zip(*cells)
                out[list(ys), list(xs)] = colour
    return out


def rays(spec: RaySpec, mode: str, paint: int | None, bg: int | None, from_objects: bool = False) -> Primitive:
    """Rays from the cells (or the objects' fronts) of each source colour of ``spec``, painted in the
    source's colour (or ``paint``)."""

    # the spec as ``kernels.rays`` reads it: one source per row (-1: every colour), its directions (rows of
    # ``_STEP_TABLE``) -1 padded
    sources = np.array([-1 if s is None else s for s, _d in spec], dtype=np.int64)
    directions = np.full((len(spec), len(STEPS)), -1, dtype=np.int64)
    for i, (_s, names) in enumerate(spec):
        directions[i, : len(names)] = [list(STEPS).index(d) for d in names]
    code, paint_code = kernels.MODE_CODES[mode], (-1 if paint is None else paint)

    def fn(grid: Grid) -> Grid | None:
        if kernels.ENABLED:
            status, out = kernels.rays(grid, sources, directions, _STEP_TABLE, code, grid_background(grid, bg),
                                       paint_code, from_objects, MAX_SOURCES, MAX_OBJECTS)
            if status >= 0:
                return out if status else None
        return _draw(grid, spec, mode, grid_background(grid, bg), paint, from_objects)

    what = "; ".join(f"{'all' if s is None else s}:{'+'.join(d)}" for s, d in spec)
    colour = "" if paint is None else f", paint={paint}"
    where = ", from_objects" if from_objects else ""
    return Primitive(f"rays({what}, {mode}{colour}{where}{bg_text(bg)})", fn)


def _ray_directions(ctx: TaskContext, source: int, mode: str, paint: int, bg: int | None,
                    from_objects: bool) -> tuple[str, ...]:
    """Directions whose rays from ``source`` are painted in every demonstration, mostly with ``paint``
    (a crossing ray of another colour may cover a few cells)."""
    found = []
    for d in STEPS:
        ok, drew, other = True, 0, 0
        for i, o in zip(ctx.train_inputs, ctx.train_outputs):
            b = grid_background(i, bg)
            cells = _paint_cells(i, source, d, mode, b, from_objects)
            if cells is None:
                ok = False
                break
            for y, x in cells:
                if o[y, x] == paint:
                    drew += 1
                elif o[y, x] != b:
                    other += 1
                else:
                    ok = False
                    break
            if not ok:
                break
        if ok and drew > other:
            found.append(d)
    return tuple(found)


def rays_family(ctx: TaskContext) -> list[Primitive]:
    """Rays from the cells (or objects) of each input colour, in the directions the demonstrations
    agree on."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    painted = painted_colours(ctx)
    sources = []
    for source in ctx.colours_in():
        if any(source == background(g) or np.count_nonzero(g == source) > MAX_SOURCES for g in ctx.train_inputs):
            continue
        if any((i == source).any() for i in ctx.train_inputs):
            sources.append(source)
    blocks = any(o.size > 1 and o.colour in sources
                 for i in ctx.train_inputs for o in objects_of(i, View(8, False, grid_background(i, bg))))
    prims = []
    for from_objects in ((False, True) if blocks else (False,)):
        for mode in MODES:
            prims += _rays_of_mode(ctx, sources, painted, mode, bg, from_objects)
    return prims


def _rays_of_mode(ctx: TaskContext, sources: list[int], painted: list[int], mode: str, bg: int | None,
                  from_objects: bool) -> list[Primitive]:
    prims = []
    own: list[tuple[int | None, tuple[str, ...]]] = []      # rays painted in their source's colour
    for source in sources:
        directions = _ray_directions(ctx, source, mode, source, bg, from_objects)
        if directions:
            own.append((source, directions))
            prims.append(rays(((source, directions),), mode, None, bg, from_objects))
        for paint in painted:
            if paint != source:
                directions = _ray_directions(ctx, source, mode, paint, bg, from_objects)
                if directions:
                    prims.append(rays(((source, directions),), mode, paint, bg, from_objects))
    if len(own) >= 2 and len({d for _, d in own}) == 1:     # every colour shoots the same way
        prims.append(rays(((None, own[0][1]),), mode, None, bg, from_objects))
    elif 2 <= len(own) <= 3:
        orders = [rays(tuple(p), mode, None, bg, from_objects) for p in permutations(own)]
        fitting = [p for p in orders if reproduces(p, ctx)]
        prims += fitting if fitting else orders[:1]
    return prims


# --- lines between same-coloured cells ------------------------------------------------------------------

def _between(marks: np.ndarray) -> np.ndarray:
    """(h, w) bool: cells strictly between the first and the last mark of their row."""
    w = marks.shape[1]
    first = np.argmax(marks, axis=1)
    last = w - 1 - np.argmax(marks[:, ::-1], axis=1)
    cols = np.arange(w)[None, :]
    two = marks.sum(axis=1) >= 2
    return (cols > first[:, None]) & (cols < last[:, None]) & two[:, None]


def _between_diagonal(marks: np.ndarray) -> np.ndarray:
    """(h, w) bool: cells strictly between the first and the last mark of their diagonal or anti-diagonal."""
    span = np.zeros_like(marks)
    cells = np.argwhere(marks).tolist()
    for key in (lambda r, c: c - r, lambda r, c: c + r):
        lines: dict[int, list[tuple[int, int]]] = {}
        for r, c in cells:
            lines.setdefault(key(r, c), []).append((r, c))
        for found in lines.values():
            if len(found) < 2:
                continue
            (r0, c0), (r1, c1) = found[0], found[-1]      # argwhere: ordered by row
            step = 1 if c1 > c0 else -1
            for k in range(1, r1 - r0):
                span[r0 + k, c0 + step * k] = True
    return span


def _span(marks: np.ndarray, axes: str) -> np.ndarray:
    if axes == "row":
        return _between(marks)
    if axes == "col":
        return _between(marks.T).T
    return _between_diagonal(marks)


def connect(source: int | None, axes: tuple[str, ...], paint: int | None, bg: int | None) -> Primitive:
    """Paint the background between the first and last ``source`` cells of every row / column / diagonal
    (``axes``; later axes paint over earlier ones) with ``paint``. ``source`` None: every colour joins
    its own cells, in its own colour."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        free = grid == b
        colours = [source] if source is not None else [int(c) for c in np.unique(grid) if c != b]
        out = grid.copy()
        for axis in axes:
            for colour in colours:
                span = _span(grid == colour, axis) & free
                out[span] = colour if paint is None else paint
        return out

    who = "all" if source is None else str(source)
    colour = "" if paint is None else f", paint={paint}"
    return Primitive(f"connect({who}, {'+'.join(axes)}{colour}{bg_text(bg)})", fn)


AXES = (("row",), ("col",), ("diag",), ("row", "col"), ("col", "row"))


def connect_family(ctx: TaskContext) -> list[Primitive]:
    """Lines joining same-coloured cells in rows, columns or diagonals, for colours the outputs paint."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    painted = painted_colours(ctx)
    prims = []
    sources = []
    for source in ctx.colours_in():
        if any(source == background(g) for g in ctx.train_inputs):
            continue
        counts = [np.count_nonzero(g == source) for g in ctx.train_inputs]
        if max(counts) < 2 or max(counts) > MAX_SOURCES:
            continue
        sources.append(source)
        for paint in painted:
            for axes in AXES:
                prims.append(connect(source, axes, None if paint == source else paint, bg))
    if len(sources) >= 2 and len(set(sources) & set(painted)) >= 2:
        prims += [connect(None, axes, None, bg) for axes in AXES]
    return [p for p in prims if agrees(p, ctx)]
