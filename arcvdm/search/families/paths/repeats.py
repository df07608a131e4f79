"""Things repeated along the grid, each a primitive of the ``paths`` family (``paths.py`` lists the
themes): a seed's motif stamped along a learned step to the border (``seed_trails``); a run of several
colours tiled along its row or column (``tile_runs``); evenly spaced seeds continued as stripes
(``stripes``); a square spiral on an empty grid (``spiral``) and rings around a middle seed (``rings``);
an object smeared towards its markers (``smear_to_markers``). Sections 4, 6 (first half), 10, 14 and 15.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, reproduces
from arcvdm.search.facts import agrees, grid_background
from arcvdm.search.families.paths.common import (
    MAX_OBJECTS,
    MAX_SEEDS,
    SOURCE,
    _single_colour_sources,
    _source_cells,
    _source_text,
)
from arcvdm.search.objects import View, bg_text, objects_of

# --- 4. periodic trails from seed cells -----------------------------------------------------------------

MAX_PERIOD = 3     # largest step of a trail, per axis

Arm = tuple[tuple[int, int], tuple[tuple[int, int, int], ...]]   # (step, ((dy, dx, colour or SOURCE), ...))


def _seeds(grid: Grid, source: int | None, bg: int) -> list[tuple[int, int]] | None:
    cells = _source_cells(grid, source, bg)
    return None if cells is None or len(cells) > MAX_SEEDS else cells


def seed_trails(source: int | None, arms: tuple[Arm, ...], bg: int | None) -> Primitive:
    """From every ``source`` cell (None: every non-background cell), each arm's motif stamped again and
    again, shifted by the arm's step each time, until it leaves the grid (a staircase, a zigzag); only
    background cells are painted."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        seeds = _seeds(grid, source, b)
        if not seeds:
            return None
        h, w = grid.shape
        out = grid.copy()
        for y, x in seeds:
            for (sy, sx), motif in arms:
                for k in range(h + w):
                    inside = False
                    for dy, dx, colour in motif:
                        cy, cx = y + dy + k * sy, x + dx + k * sx
                        if 0 <= cy < h and 0 <= cx < w:
                            inside = True
                            if grid[cy, cx] == b:
                                out[cy, cx] = grid[y, x] if colour == SOURCE else colour
                    if not inside:
                        break
        return out

    text = " + ".join(f"({sy},{sx})x{len(m)}" for (sy, sx), m in arms)
    return Primitive(f"seed_trails({_source_text(source)}, {text}{bg_text(bg)})", fn)


UNKNOWN, BLANK = -2, -3     # offsets canvas: nothing seen there / seen left background
REACH = 30                  # offsets run from -REACH to REACH on each axis


def _seed_offsets(ctx: TaskContext, source: int | None, bg: int) -> dict[tuple[int, int], int] | None:
    """Offsets from the seeds to the cells the outputs paint, with their colour (SOURCE: the seed's),
    when every seed of every demonstration agrees (a cell left background where another seed's painted
    offset falls, or two colours for one offset: None). Cells painted in another seed's colour are that
    seed's business and say nothing."""
    canvas = np.full((2 * REACH + 1, 2 * REACH + 1), UNKNOWN, dtype=np.int8)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        seeds = _seeds(i, source, bg)
        if not seeds:
            return None
        h, w = i.shape
        seed_colours = {int(i[y, x]) for y, x in seeds}
        for y, x in seeds:
            seen = np.where(o == i[y, x], SOURCE, o.astype(np.int8))
            seen[o == bg] = BLANK
            for other in seed_colours - {int(i[y, x])}:
                seen[o == other] = UNKNOWN
            seen[i != bg] = UNKNOWN
            window = canvas[REACH - y:REACH - y + h, REACH - x:REACH - x + w]
            known = seen != UNKNOWN
            if ((window != UNKNOWN) & known & (window != seen)).any():
                return None
            window[known] = seen[known]
    painted = {(int(dy) - REACH, int(dx) - REACH): int(canvas[dy, dx])
               for dy, dx in np.argwhere((canvas != UNKNOWN) & (canvas != BLANK))}
    return painted or None


def _seed_candidates(ctx: TaskContext, bg: int) -> list[Primitive]:
    prims = []
    for source in _single_colour_sources(ctx, bg):
        if not all(_seeds(i, source, bg) for i in ctx.train_inputs):
            continue
        painted = _seed_offsets(ctx, source, bg)
        if painted is None:
            continue
        arms = []
        for sy in range(-MAX_PERIOD, MAX_PERIOD + 1):
            for sx in range(-MAX_PERIOD, MAX_PERIOD + 1):
                if (sy, sx) == (0, 0):
                    continue
                # the motif: painted offsets within one step of the seed along (sy, sx)
                period = sy * sy + sx * sx
                motif = tuple((dy, dx, c) for (dy, dx), c in sorted(painted.items())
                              if 0 < dy * sy + dx * sx <= period)
                if motif:
                    arms.append(((sy, sx), motif))
        # arms that paint only right cells, shortest steps first; then the first single arm or pair of
        # arms (a trail on each side of the seed) that reproduces the demonstrations
        good = [a for a in arms if agrees(seed_trails(source, (a,), bg), ctx, share=1.0, everywhere=True)]
        good.sort(key=lambda a: (abs(a[0][0]) + abs(a[0][1]), a[0]))
        combos = [(a,) for a in good] + [(a, b) for n, a in enumerate(good) for b in good[n + 1:]]
        for arms_used in combos[:40]:
            prim = seed_trails(source, arms_used, bg)
            if reproduces(prim, ctx):
                prims.append(prim)
                break
    return prims


# --- 6. runs tiled along their line --------------------------------------------------------------------

def _tile_rows(grid: Grid, out: np.ndarray, bg: int) -> None:
    """Rows holding one run of two or more colours (and nothing else): the run repeated along the row."""
    w = grid.shape[1]
    for y in range(grid.shape[0]):
        cells = np.flatnonzero(grid[y] != bg)
        if len(cells) < 2 or cells[-1] - cells[0] + 1 != len(cells):
            continue
        run = grid[y, cells[0]:cells[-1] + 1]
        if len(np.unique(run)) < 2:
            continue
        out[y] = run[(np.arange(w) - cells[0]) % len(run)]


def tile_runs(axes: str, bg: int | None) -> Primitive:
    """Every row (``axes`` "row"), column ("col") or both whose only cells are one run of several colours:
    the run repeated periodically to both borders."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        out = grid.copy()
        if axes in ("col", "both"):
            flipped = out.T.copy()
            _tile_rows(grid.T, flipped, b)
            out = np.ascontiguousarray(flipped.T)
        if axes in ("row", "both"):
            _tile_rows(grid, out, b)
        return out

    return Primitive(f"tile_runs({axes}{bg_text(bg)})", fn)


# --- 10. stripes continuing a progression ---------------------------------------------------------------

MAX_STRIPE_SEEDS = 4


def _stripe_rows(grid: Grid, out: np.ndarray, bg: int) -> bool:
    """Seeds in different rows: full rows through them, then the same spacing and colour cycle continued
    from the last seed to the border. False when the seeds are not evenly spaced (or too few / many)."""
    cells = np.argwhere(grid != bg)
    if not 2 <= len(cells) <= MAX_STRIPE_SEEDS:
        return False
    order = cells[np.argsort(cells[:, 0], kind="stable")]
    rows = order[:, 0]
    steps = np.diff(rows)
    if steps[0] < 1 or (steps != steps[0]).any():
        return False
    colours = [int(grid[y, x]) for y, x in order]
    y, k = int(rows[0]), 0
    while y < grid.shape[0]:
        out[y, :] = colours[k % len(colours)]
        y, k = y + int(steps[0]), k + 1
    return True


def stripes(axis: str, bg: int | None) -> Primitive:
    """A few seed cells, evenly spaced along ``axis`` ("rows": each seed gives a full row; "cols": a full
    column; "long": along the grid's longer side), continued as stripes with the same spacing and colour
    cycle from the first seed to the far border."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        along = axis if axis != "long" else ("rows" if h > w else "cols" if w > h else None)
        if along is None:
            return None
        out = grid.copy()
        if along == "rows":
            return out if _stripe_rows(grid, out, b) else None
        flipped = out.T.copy()
        if not _stripe_rows(np.ascontiguousarray(grid.T), flipped, b):
            return None
        return np.ascontiguousarray(flipped.T)

    return Primitive(f"stripes({axis}{bg_text(bg)})", fn)


# --- 14. spirals and rings ---------------------------------------------------------------------------------

CLOCKWISE = ((0, 1), (1, 0), (0, -1), (-1, 0))


def spiral(paint: int) -> Primitive:
    """On a grid of one colour, a square spiral of ``paint`` from the top-left corner, clockwise, one
    background cell between its turns (a step is taken only when the cell after it is not painted)."""

    def fn(grid: Grid) -> Grid | None:
        if (grid != grid[0, 0]).any() or grid[0, 0] == paint:
            return None
        h, w = grid.shape
        drawn = np.zeros((h, w), dtype=bool)

        def free(y: int, x: int, dy: int, dx: int) -> bool:
            ny, nx = y + dy, x + dx
            if not (0 <= ny < h and 0 <= nx < w) or drawn[ny, nx]:
                return False
            ay, ax = ny + dy, nx + dx
            return not (0 <= ay < h and 0 <= ax < w and drawn[ay, ax])

        y, x, heading = 0, 0, 0
        drawn[0, 0] = True
        for _ in range(h * w):
            dy, dx = CLOCKWISE[heading]
            if not free(y, x, dy, dx):
                heading = (heading + 1) % 4
                dy, dx = CLOCKWISE[heading]
                if not free(y, x, dy, dx):
                    break
            y, x = y + dy, x + dx
            drawn[y, x] = True
        out = grid.copy()
        out[drawn] = paint
        return out

    return Primitive(f"spiral(paint={paint})", fn)


def rings(bg: int | None) -> Primitive:
    """Three cells of one colour, evenly spaced on a line: square rings around the middle one, every
    ``spacing`` cells (the seeds' spacing), out to the border."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        cells = np.argwhere(grid != b)
        if len(cells) != 3 or len({int(grid[y, x]) for y, x in cells}) != 1:
            return None
        order = cells[np.lexsort((cells[:, 1], cells[:, 0]))]
        first, middle, last = (order[k] for k in range(3))
        step = middle - first
        if not np.array_equal(last - middle, step):
            return None
        spacing = int(np.abs(step).max())
        if abs(int(step[0])) not in (0, spacing) or abs(int(step[1])) not in (0, spacing):
            return None     # not on a row, a column or a diagonal
        ys, xs = np.indices(grid.shape)
        distance = np.maximum(np.abs(ys - middle[0]), np.abs(xs - middle[1]))
        out = grid.copy()
        out[distance % spacing == 0] = grid[first[0], first[1]]
        return out

    return Primitive(f"rings({bg_text(bg).lstrip(', ')})", fn)


# --- 15. objects smeared towards their markers ---------------------------------------------------------

def smear_to_markers(marker: int, bg: int | None) -> Primitive:
    """Objects of two colours, one of them ``marker``: for each marker cell, the object's shape, in its
    other colour, stamped again and again one step further from the object's centre towards the marker
    (a thick trail) until it leaves the grid; the markers take the other colour too."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        objs = objects_of(grid, View(8, True, b))
        if len(objs) > MAX_OBJECTS:
            return None
        h, w = grid.shape
        out = grid.copy()
        found = False
        for obj in objs:
            if obj.n_colours != 2 or obj.size > 36:
                continue
            colours = set(np.unique(obj.patch[obj.mask]).tolist())
            if marker not in colours:
                continue
            main = (colours - {marker}).pop()
            ys, xs = np.nonzero(obj.mask)
            ys, xs = ys + obj.top, xs + obj.left
            cy, cx = (obj.top * 2 + obj.height - 1) / 2, (obj.left * 2 + obj.width - 1) / 2
            out[ys, xs] = main
            for my, mx in zip(ys.tolist(), xs.tolist()):
                if grid[my, mx] != marker:
                    continue
                dy, dx = int(np.sign(my - cy)), int(np.sign(mx - cx))
                if (dy, dx) == (0, 0):
                    continue
                found = True
                for k in range(1, h + w):
                    ty, tx = ys + k * dy, xs + k * dx
                    inside = (ty >= 0) & (ty < h) & (tx >= 0) & (tx < w)
                    if not inside.any():
                        break
                    out[ty[inside], tx[inside]] = main
        return out if found else None

    return Primitive(f"smear_to_markers({marker}{bg_text(bg)})", fn)
