"""Same-size arrangement primitives: symmetry completed per object or about a pivot object, objects
moved by their own size, content repeated along an axis, crossing lines from marker cells, and the
cells of a separator grid filled or emptied as whole blocks.

Each primitive edits a copy of its input and keeps the grid's shape. The family reads the task to
offer only what can apply: nothing unless every demonstration output has its input's shape, pivots
and painted colours taken from the demonstrations, and (for primitives that edit in place) only those
whose changed cells mostly take their output colour (``select.agrees``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family
from arcvdm.search.objects import View, bg_text, grid_background, objects_of, task_background, task_views
from arcvdm.search.select import agrees, painted_colours, same_size

MIRROR_KINDS = ("lr", "ud", "lrud", "rot")
MAX_MARKERS = 12         # cross_lines: more marker cells than this is a picture, not markers
MAX_VIEWS = 3            # object views tried per task (task_views order: single-colour conn 8 first)


# --- 1. symmetry: per object, about a pivot ----------------------------------------------------------------

def _images(mask: np.ndarray, cells: np.ndarray, kind: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(mask, colours) of the object's mirror images inside its box under ``kind`` (identity left out);
    rotations need a square box (none otherwise)."""
    if kind == "lr":
        return [(mask[:, ::-1], cells[:, ::-1])]
    if kind == "ud":
        return [(mask[::-1], cells[::-1])]
    if kind == "lrud":
        return [(mask[:, ::-1], cells[:, ::-1]), (mask[::-1], cells[::-1]), (mask[::-1, ::-1], cells[::-1, ::-1])]
    if kind == "rot":
        if mask.shape[0] != mask.shape[1]:
            return []
        return [(np.rot90(mask, k), np.rot90(cells, k)) for k in (1, 2, 3)]
    raise ValueError(f"unknown mirror kind {kind!r}; choose one of {MIRROR_KINDS}")


def mirror_objects(view: View, kind: str, paint: int | None) -> Primitive:
    """Each object becomes symmetric inside its bounding box: background cells of the box that a mirror
    image of the object covers take the image's colour (or ``paint``)."""

    def fn(grid: Grid) -> Grid | None:
        bg = view.background_of(grid)
        out = grid.copy()
        for obj in objects_of(grid, view):
            if obj.size < 2:
                continue
            box = out[obj.top:obj.bottom, obj.left:obj.right]           # a view into ``out``
            for mask, cells in _images(obj.mask, obj.cells, kind):
                new = mask & (box == bg)
                box[new] = cells[new] if paint is None else paint
        return out

    colour = "" if paint is None else f", paint={paint}"
    return Primitive(f"mirror_objects({kind}{colour}, {view.text})", fn)


def _pivot_colour(grid: Grid, pivot: int | str, bg: int) -> int | None:
    """``pivot`` itself; or among two or more non-background colours the one with the fewest / most cells
    ("fewest", "most"), or the one whose cells alone are symmetric left-right and up-down ("symmetric").
    None when no single colour qualifies."""
    if isinstance(pivot, int):
        return pivot
    counts = np.bincount(grid.ravel(), minlength=10)
    counts[bg] = 0
    present = [c for c in range(10) if counts[c] > 0]
    if len(present) < 2:
        return None
    if pivot == "symmetric":
        found = []
        for c in present:
            ys, xs = np.nonzero(grid == c)
            box = grid[ys.min():ys.max() + 1, xs.min():xs.max() + 1] == c
            if np.array_equal(box, box[::-1]) and np.array_equal(box, box[:, ::-1]):
                found.append(c)
        return found[0] if len(found) == 1 else None
    ranked = sorted(present, key=lambda c: int(counts[c]), reverse=pivot == "most")
    return None if counts[ranked[0]] == counts[ranked[1]] else ranked[0]


def mirror_about(pivot: int | str, kind: str, bg: int | None) -> Primitive:
    """Every non-background cell not of the pivot colour is copied to its mirror images about the centre
    of the pivot cells' bounding box, onto background cells (images outside the grid are dropped).
    ``pivot``: a colour, or "fewest" / "most" (see ``_pivot_colour``)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        p = _pivot_colour(grid, pivot, b)
        if p is None:
            return None
        ps, qs = np.nonzero(grid == p)
        if len(ps) == 0:
            return None
        sy, sx = int(ps.min() + ps.max()), int(qs.min() + qs.max())   # twice the centre
        ys, xs = np.nonzero((grid != b) & (grid != p))
        if len(ys) == 0:
            return None
        colours = grid[ys, xs]
        images = {"lr": [(ys, sx - xs)], "ud": [(sy - ys, xs)],
                  "lrud": [(ys, sx - xs), (sy - ys, xs), (sy - ys, sx - xs)]}[kind]
        h, w = grid.shape
        out = grid.copy()
        for iy, ix in images:
            inside = (iy >= 0) & (ix >= 0) & (iy < h) & (ix < w)
            iy, ix, cs = iy[inside], ix[inside], colours[inside]
            free = out[iy, ix] == b
            out[iy[free], ix[free]] = cs[free]
        return out

    return Primitive(f"mirror_about({kind}, pivot={pivot}{bg_text(bg)})", fn)


def _mirror_axis(grid: Grid, hole: int) -> int | None:
    """The column sum ``s`` (column x mirrors to ``s - x``) under which every pair of cells that are both
    not ``hole`` agrees, comparing the most pairs (at least a third of the grid's cells); None if none."""
    h, w = grid.shape
    known = grid != hole
    best, best_pairs = None, h * w // 3
    for s in range(w // 2, 2 * w - 1 - w // 2):
        lo, hi = max(0, s - (w - 1)), min(w - 1, s)             # columns x whose mirror s - x is inside
        xs = np.arange(lo, hi + 1)
        a, b = grid[:, xs], grid[:, s - xs]
        both = known[:, xs] & known[:, s - xs]
        pairs = int(np.count_nonzero(both))
        if pairs > best_pairs and np.array_equal(a[both], b[both]):
            best, best_pairs = s, pairs
    return best


def symmetry_fill(hole: int) -> Primitive:
    """Cells of colour ``hole`` take the colour of their mirror image about the grid's own left-right and
    up-down axes (found from the cells that are not ``hole``; the axes need not be the grid's middle),
    then of their image under both mirrors."""

    def fn(grid: Grid) -> Grid | None:
        if not (grid == hole).any():
            return None
        sx, sy = _mirror_axis(grid, hole), _mirror_axis(grid.T, hole)
        if sx is None and sy is None:
            return None
        h, w = grid.shape
        ys, xs = np.nonzero(grid == hole)
        out = grid.copy()
        images = []
        if sx is not None:
            images.append((ys, sx - xs))
        if sy is not None:
            images.append((sy - ys, xs))
        if sx is not None and sy is not None:
            images.append((sy - ys, sx - xs))
        for iy, ix in images:
            inside = (iy >= 0) & (ix >= 0) & (iy < h) & (ix < w)
            colours = np.full(len(ys), hole, dtype=grid.dtype)
            colours[inside] = grid[iy[inside], ix[inside]]
            take = (out[ys, xs] == hole) & (colours != hole)
            out[ys[take], xs[take]] = colours[take]
        return out

    return Primitive(f"symmetry_fill(hole={hole})", fn)


# --- 2. moving by the object's own size --------------------------------------------------------------------

def move_by_size(view: View, direction: str) -> Primitive:
    """Every object moves towards ``direction`` by its own height (up/down) or width (left/right);
    None if one would leave the grid. Objects are drawn in raster order of their first cell."""
    sign = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}[direction]

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs:
            return None
        out = np.full_like(grid, view.background_of(grid))
        h, w = grid.shape
        for o in objs:
            dy, dx = sign[0] * o.height, sign[1] * o.width
            if o.top + dy < 0 or o.left + dx < 0 or o.bottom + dy > h or o.right + dx > w:
                return None
            region = out[o.top + dy:o.bottom + dy, o.left + dx:o.right + dx]
            region[o.mask] = o.patch[o.mask]
        return out

    return Primitive(f"move_by_size({direction}, {view.text})", fn)


# --- 3. repeating the content along an axis ----------------------------------------------------------------

def repeat_content(axis: str, gap: int, both: bool, bg: int | None) -> Primitive:
    """The band of rows (``axis="rows"``) or columns holding every non-background cell, plus ``gap``
    background lines, is repeated along the axis: towards the end of the grid, and (``both``) towards
    its start as well. Repeats cover the whole grid; the last one may be cut by the border."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        g = grid if axis == "rows" else grid.T
        filled = np.flatnonzero((g != b).any(axis=1))
        if len(filled) == 0:
            return None
        start, stop = int(filled[0]), int(filled[-1]) + 1
        period = stop - start + gap
        if period >= g.shape[0]:
            return None
        band = np.full((period, g.shape[1]), b, dtype=g.dtype)
        band[:stop - start] = g[start:stop]
        out = g.copy()
        first = 0 if both else start
        for r in range(first, g.shape[0]):
            out[r] = band[(r - start) % period]
        out = out if axis == "rows" else out.T
        return np.ascontiguousarray(out)

    where = ", both" if both else ""
    return Primitive(f"repeat_content({axis}, gap={gap}{where}{bg_text(bg)})", fn)


# --- 4. crossing lines from marker cells -------------------------------------------------------------------

def cross_lines(meet: int, bg: int | None) -> Primitive:
    """Each non-background cell (at most ``MAX_MARKERS``) draws its whole row and column in its colour
    over background; a cell on lines of two different colours takes ``meet``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        ys, xs = np.nonzero(grid != b)
        if len(ys) == 0 or len(ys) > MAX_MARKERS:
            return None
        h, w = grid.shape
        lines = np.full((h, w), -1, dtype=np.int16)          # colour of the line(s) on each cell, -2: a clash
        for y, x in zip(ys.tolist(), xs.tolist()):
            c = int(grid[y, x])
            for cells in (lines[y, :], lines[:, x]):          # views into ``lines``
                cells[(cells != -1) & (cells != c)] = -2
                cells[cells == -1] = c
        out = grid.copy()
        free = grid == b
        drawn = free & (lines >= 0)
        out[drawn] = lines[drawn]
        out[free & (lines == -2)] = meet
        return out

    return Primitive(f"cross_lines(meet={meet}{bg_text(bg)})", fn)


def lines_to_largest(view: View) -> Primitive:
    """Each single-cell object draws a line of its colour in each of the four directions where the first
    non-background cell it meets belongs to the largest object (a unique largest one), up to it."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        sizes = sorted((o.size for o in objs), reverse=True)
        if sizes[0] == sizes[1]:
            return None
        target = max(objs, key=lambda o: o.size)
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        for o in objs:
            if o.size != 1:
                continue
            for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                y, x = o.top + dy, o.left + dx
                path = []
                while 0 <= y < h and 0 <= x < w and grid[y, x] == bg:
                    path.append((y, x))
                    y, x = y + dy, x + dx
                if 0 <= y < h and 0 <= x < w and o.labels[y, x] == target.index:
                    for py, px in path:
                        out[py, px] = o.colour
        return out

    return Primitive(f"lines_to_largest({view.text})", fn)


# --- 5. blocks of a separator grid -------------------------------------------------------------------------

def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Maximal [start, stop) runs of False in a boolean vector (the blocks between separator lines)."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, f in enumerate(flags.tolist()):
        if not f and start is None:
            start = i
        elif f and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(flags)))
    return runs


def grid_separator(grid: Grid) -> int | None:
    """The lowest colour that fills both a whole row and a whole column of ``grid``, or None."""
    for c in range(10):
        is_c = grid == c
        if is_c.all(axis=1).any() and is_c.all(axis=0).any():
            return c
    return None


def blocks(grid: Grid, sep: int | None) -> list[tuple[int, int, int, int]] | None:
    """The blocks (top, bottom, left, right) between full rows and columns of colour ``sep`` (None: the
    grid's ``grid_separator``), in reading order; None when there are fewer than two."""
    if sep is None:
        sep = grid_separator(grid)
        if sep is None:
            return None
    rows = _runs((grid == sep).all(axis=1))
    cols = _runs((grid == sep).all(axis=0))
    found = [(r0, r1, c0, c1) for r0, r1 in rows for c0, c1 in cols]
    return found if len(found) >= 2 else None


def fill_blocks(sep: int, pick: str, bg: int | None) -> Primitive:
    """The blocks holding the most (``pick="most"``) or fewest non-background cells are filled with their
    commonest non-background colour; every other block is emptied."""

    def fn(grid: Grid) -> Grid | None:
        found = blocks(grid, sep)
        if found is None:
            return None
        b = grid_background(grid, bg)
        counts = []
        for r0, r1, c0, c1 in found:
            counts.append(int(np.count_nonzero(grid[r0:r1, c0:c1] != b)))
        target = max(counts) if pick == "most" else min(c for c in counts if c > 0) if any(counts) else 0
        if target == 0:
            return None
        out = grid.copy()
        for (r0, r1, c0, c1), n in zip(found, counts):
            block = grid[r0:r1, c0:c1]
            if n != target:
                out[r0:r1, c0:c1] = b
                continue
            colours = np.bincount(block[block != b], minlength=10)
            out[r0:r1, c0:c1] = int(np.argmax(colours))
        return out

    return Primitive(f"fill_blocks({pick}, sep={sep}{bg_text(bg)})", fn)


def copy_blocks(sep: int | None, source: str, paint: str, bg: int | None) -> Primitive:
    """One block is copied onto the background cells of every other block of its shape: the one with the
    most non-background cells (``source="most"``) or the first in reading order (``"first"``), in its own colours (``paint="own"``) or the separator's (``paint="sep"``);
    ``sep``: the separator colour, or None for each grid's own (``grid_separator``)."""

    def fn(grid: Grid) -> Grid | None:
        line = grid_separator(grid) if sep is None else sep
        found = None if line is None else blocks(grid, line)
        if found is None:
            return None
        b = grid_background(grid, bg)
        counts = [int(np.count_nonzero(grid[r0:r1, c0:c1] != b)) for r0, r1, c0, c1 in found]
        best = max(counts)
        if source == "most" and (best == 0 or counts.count(best) > 1):
            return None
        r0, r1, c0, c1 = found[counts.index(best) if source == "most" else 0]
        template = grid[r0:r1, c0:c1]
        drawn = template != b
        out = grid.copy()
        for t0, t1, u0, u1 in found:
            block = out[t0:t1, u0:u1]                                # a view into ``out``
            if block.shape != template.shape:
                continue
            new = drawn & (block == b)
            if paint == "own":
                block[new] = template[new]
            else:
                block[new] = line
        return out

    name = "auto" if sep is None else sep
    return Primitive(f"copy_blocks({source}, sep={name}, paint={paint}{bg_text(bg)})", fn)


def _separators(ctx: TaskContext) -> list[int]:
    """Colours that form full separator lines cutting every input into at least two blocks."""
    found = []
    for c in ctx.colours_in():
        if all(blocks(g, c) is not None for g in ctx.inputs):
            found.append(c)
    return found


# --- the family ----------------------------------------------------------------------------------------------

def _adds_only(ctx: TaskContext) -> bool:
    """Every demonstration output keeps its input's non-background cells (it only paints background)."""
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        b = background(i)
        keep = i != b
        if not np.array_equal(i[keep], o[keep]):
            return False
    return True


@family("arrange")
def arrange_family(ctx: TaskContext) -> list[Primitive]:
    """Symmetry per object and about a pivot colour, moves by the object's size, repeated content,
    crossing lines and separator blocks, each kept only when it fits the task's demonstrations."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    painted = painted_colours(ctx)
    views = [v for v in task_views(ctx) if v.conn in (8, 0)][:MAX_VIEWS]
    prims: list[Primitive] = []
    # 1. symmetry: per object (in the object's colours, or one painted colour), about a pivot colour
    paints: list[int | None] = [None] + (painted if len(painted) == 1 else [])
    for view in views:
        for kind in MIRROR_KINDS:
            prims += [mirror_objects(view, kind, p) for p in paints]
    if _adds_only(ctx):
        pivots: list[int | str] = ["fewest", "most", "symmetric"]
        for c in ctx.colours_in():
            if all((g == c).any() and c != background(g) for g in ctx.inputs):
                pivots.append(c)
        for pivot in pivots:
            prims += [mirror_about(pivot, kind, bg) for kind in ("lr", "ud", "lrud")]
        for axis in ("rows", "cols"):
            for gap in (0, 1):
                prims += [repeat_content(axis, gap, both, bg) for both in (False, True)]
        prims += [cross_lines(meet, bg) for meet in painted]
        prims += [lines_to_largest(view) for view in views if not view.multi]
    for hole in ctx.colours_in():          # a hole colour: every cell a demonstration changes had it
        if all(((i != o) <= (i == hole)).all() and (i == hole).any()
               for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
            prims.append(symmetry_fill(hole))
    # 2. moves by the object's own size (the number of non-background cells is kept)
    if all(np.count_nonzero(i != background(i)) == np.count_nonzero(o != background(i))
           for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
        for view in views[:1]:
            prims += [move_by_size(view, d) for d in ("up", "down", "left", "right")]
    # 3. separator blocks
    for sep in _separators(ctx):
        prims += [fill_blocks(sep, pick, bg) for pick in ("most", "fewest")]
        prims += [copy_blocks(sep, src, paint, bg) for src in ("most", "first") for paint in ("own", "sep")]
    if all(grid_separator(g) is not None for g in ctx.inputs):
        prims += [copy_blocks(None, src, paint, bg) for src in ("most", "first") for paint in ("own", "sep")]
    return [p for p in prims if agrees(p, ctx)]
