"""Same-size arrangement primitives: the grid keeps its shape while objects, lines and blocks are
completed, moved or repeated.

1. Symmetry: each object completed inside its box (``mirror_objects``), cells mirrored about a pivot
   colour (``mirror_about``), holes filled from the grid's own, possibly off-centre, axes
   (``symmetry_fill``); holes filled from diagonal stripes (``diagonal_period_fill``).
2. Moves: by the object's own height / width (``move_by_size``), single cells to the wall of their
   colour (``attach_to_own_colour``), objects reflected across a bracket's back line
   (``reflect_across``), bars sorted by length (``sort_bars``).
3. Repeats and lines: the content band repeated along an axis (``repeat_content``), whole rows and
   columns through marker cells (``cross_lines``), single cells joined to the largest object
   (``lines_to_largest``), a diagonal bouncing between borders (``bounce``), an elbow line joining two
   cells (``elbow``), cells recoloured inside another colour's box (``recolour_in_box``).
4. Separator grids: blocks filled or emptied by their cell count (``fill_blocks``), one block copied
   into the others (``copy_blocks``).

Each primitive edits a copy of its input and returns a grid of its shape (unchanged where it applies
but finds nothing to do, so a program may leave one demonstration as it is), or None where it does not
apply. The family offers nothing unless every demonstration output has its input's shape, binds
colours and pivots from the demonstrations, and keeps a primitive only when most cells it changes take
their output colour (``select.agrees``): about 0-25 primitives per task.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family
from arcvdm.search.objects import Obj, View, bg_text, grid_background, objects_of, task_background, task_views
from arcvdm.search.select import agrees, painted_colours, same_size
from arcvdm.search.parts import between_lines

MIRROR_KINDS = ("lr", "ud", "lrud", "rot")
MAX_MARKERS = 12         # cross_lines: more marker cells than this is a picture, not markers
MAX_VIEWS = 3            # object views tried per task (task_views order: single-colour conn 8 first)


# --- 1. symmetry: per object, about a pivot, about the grid's axes; diagonal stripes -------------------------

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
    ``pivot``: a colour, or "fewest" / "most" / "symmetric" (see ``_pivot_colour``)."""

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


def diagonal_period_fill(hole: int, max_period: int = 6) -> Primitive:
    """Cells of colour ``hole`` take the colour of their diagonal stripe: the smallest period p (2 to
    ``max_period``) such that every other cell's colour depends only on (row + column) mod p (tried first)
    or (row - column) mod p, with every stripe known."""

    def fn(grid: Grid) -> Grid | None:
        known = grid != hole
        if known.all() or not known.any():
            return None
        ys, xs = np.indices(grid.shape)
        for sums in (ys + xs, ys - xs):
            for p in range(2, max_period + 1):
                stripe = sums % p
                colours = np.full(p, -1, dtype=np.int16)
                clash = False
                for k in range(p):
                    seen = np.unique(grid[known & (stripe == k)])
                    if len(seen) != 1:
                        clash = True
                        break
                    colours[k] = seen[0]
                if not clash:
                    return colours[stripe].astype(np.uint8)
        return None

    return Primitive(f"diagonal_period_fill(hole={hole})", fn)


# --- 2. moves: by the object's size, to a wall of its colour, across a bracket; sorted bars ------------------

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


def attach_to_own_colour(view: View) -> Primitive:
    """Each single-cell object moves in a straight line (across anything on the way) until it touches the
    nearest larger object of its own colour in line with it; one with no such object is erased."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        movers = [o for o in objs if o.size == 1]
        anchors = [o for o in objs if o.size > 1]
        if not movers or not anchors:
            return None
        owner = np.full(grid.shape, -1, dtype=np.int32)              # colour of the anchor on each cell
        for o in anchors:
            box = owner[o.top:o.bottom, o.left:o.right]
            box[o.mask] = o.colour
        out = grid.copy()
        for o in movers:
            out[o.top, o.left] = view.background_of(grid)
        h, w = grid.shape
        for o in movers:
            best = None
            for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                y, x, k = o.top + dy, o.left + dx, 1
                while 0 <= y < h and 0 <= x < w and owner[y, x] != o.colour:
                    y, x, k = y + dy, x + dx, k + 1
                if 0 <= y < h and 0 <= x < w and (best is None or k < best[0]):
                    best = (k, y - dy, x - dx)
            if best is not None:
                out[best[1], best[2]] = o.colour
        return out

    return Primitive(f"attach_to_own_colour({view.text})", fn)


def _back_line(o: Obj) -> tuple[str, int] | None:
    """The longest full line of an object's box on the box's edge: ("row", y) or ("col", x) in grid
    coordinates, or None when it has none or two of the same length."""
    lines = []
    for y in (0, o.height - 1):
        if o.mask[y].all():
            lines.append((o.width, "row", o.top + y))
    for x in (0, o.width - 1):
        if o.mask[:, x].all():
            lines.append((o.height, "col", o.left + x))
    lines.sort(reverse=True)
    if not lines or (len(lines) > 1 and lines[0][0] == lines[1][0] and lines[0][1:] != lines[1][1:]):
        return None
    return lines[0][1], lines[0][2]


def reflect_across(view: View, wall: int) -> Primitive:
    """Every object not of colour ``wall`` is reflected across the back line (``_back_line``) of the
    nearest ``wall`` object, e.g. into or out of a bracket; None if an image leaves the grid."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        walls = [(o, _back_line(o)) for o in objs if o.colour == wall]
        movers = [o for o in objs if o.colour != wall]
        if not walls or not movers or any(line is None for _, line in walls):
            return None
        out = grid.copy()
        bg = view.background_of(grid)
        for o in movers:
            region = out[o.top:o.bottom, o.left:o.right]
            region[o.mask] = bg
        h, w = grid.shape
        for o in movers:
            cy, cx = o.top + o.bottom, o.left + o.right                 # twice the box centre
            near = min(walls, key=lambda a: abs(a[0].top + a[0].bottom - cy) + abs(a[0].left + a[0].right - cx))
            axis, at = near[1]
            if axis == "row":
                top, left, patch, mask = 2 * at - (o.bottom - 1), o.left, o.patch[::-1], o.mask[::-1]
            else:
                top, left, patch, mask = o.top, 2 * at - (o.right - 1), o.patch[:, ::-1], o.mask[:, ::-1]
            if top < 0 or left < 0 or top + o.height > h or left + o.width > w:
                return None
            target = out[top:top + o.height, left:left + o.width]
            target[mask] = patch[mask]
        return out

    return Primitive(f"reflect_across(wall={wall}, {view.text})", fn)


def sort_bars(align: str, bg: int | None) -> Primitive:
    """Rows holding one run of one colour (a bar) are sorted by length and stacked at the bottom, the
    longest lowest, each pushed to the ``align`` side ("left" / "right"); other cells stay as they are
    (a floor, when full rows of it lie below the bars). None if a row holds anything else."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        bars, floor = [], h
        for r in range(h - 1, -1, -1):                       # full rows at the bottom are the floor
            if floor == r + 1 and (grid[r] != b).all():
                floor = r
        for r in range(floor):
            xs = np.flatnonzero(grid[r] != b)
            if len(xs) == 0:
                continue
            colours = np.unique(grid[r, xs])
            if len(colours) != 1 or xs[-1] - xs[0] + 1 != len(xs):
                return None
            bars.append((len(xs), int(colours[0])))
        if len(bars) < 2:
            return None
        out = grid.copy()
        out[:floor] = b
        for k, (length, colour) in enumerate(sorted(bars, reverse=True)):
            row = floor - 1 - k
            if align == "right":
                out[row, w - length:] = colour
            else:
                out[row, :length] = colour
        return out

    return Primitive(f"sort_bars({align}{bg_text(bg)})", fn)


# --- 3. repeats and lines ------------------------------------------------------------------------------------

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


def bounce(colour: int) -> Primitive:
    """From the one cell of ``colour`` on the grid's edge, a diagonal line runs along the grid's longer
    side, away from that edge, and bounces off the two other borders until it reaches the far edge."""

    def fn(grid: Grid) -> Grid | None:
        ys, xs = np.nonzero(grid == colour)
        if len(ys) != 1:
            return None
        tall = grid.shape[0] >= grid.shape[1]
        g = grid if tall else grid.T                    # work along the rows: the line runs up or down
        y, x = (int(ys[0]), int(xs[0])) if tall else (int(xs[0]), int(ys[0]))
        h, w = g.shape
        if w < 2 or y not in (0, h - 1):
            return None
        dy = -1 if y == h - 1 else 1
        dx = 1 if x < w - 1 else -1
        out = g.copy()
        while 0 <= y + dy < h:
            if not 0 <= x + dx < w:
                dx = -dx
            y, x = y + dy, x + dx
            out[y, x] = colour
        return np.ascontiguousarray(out if tall else out.T)

    return Primitive(f"bounce({colour})", fn)


def elbow(start: int, end: int, first: str, paint: int) -> Primitive:
    """A line of colour ``paint`` from the one ``start`` cell to the one ``end`` cell: along its row
    (``first="row"``) or column up to the end's column or row, then straight to the end cell."""

    def fn(grid: Grid) -> Grid | None:
        a, b = np.argwhere(grid == start), np.argwhere(grid == end)
        if len(a) != 1 or len(b) != 1:
            return None
        (y0, x0), (y1, x1) = a[0].tolist(), b[0].tolist()
        cy, cx = (y0, x1) if first == "row" else (y1, x0)              # the corner
        out = grid.copy()
        for (ya, xa), (yb, xb) in (((y0, x0), (cy, cx)), ((cy, cx), (y1, x1))):
            ys = range(min(ya, yb), max(ya, yb) + 1)
            xs = range(min(xa, xb), max(xa, xb) + 1)
            for y in ys:
                for x in xs:
                    if (y, x) not in ((y0, x0), (y1, x1)):
                        out[y, x] = paint
        return out

    return Primitive(f"elbow({start}->{end}, {first} first, paint={paint})", fn)


def recolour_in_box(box: int, source: int, paint: int) -> Primitive:
    """Cells of colour ``source`` inside the bounding box of the ``box`` cells take colour ``paint``."""

    def fn(grid: Grid) -> Grid | None:
        ys, xs = np.nonzero(grid == box)
        if len(ys) == 0:
            return None
        out = grid.copy()
        region = out[ys.min():ys.max() + 1, xs.min():xs.max() + 1]          # a view into ``out``
        region[region == source] = paint
        return out

    return Primitive(f"recolour_in_box(box={box}, {source}->{paint})", fn)


# --- 4. blocks of a separator grid ---------------------------------------------------------------------------

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
    rows = between_lines((grid == sep).all(axis=1))
    cols = between_lines((grid == sep).all(axis=0))
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
    most non-background cells (``source="most"``) or the first in reading order (``"first"``), in its
    own colours (``paint="own"``) or the separator's (``paint="sep"``). ``sep``: the separator colour,
    or None for each grid's own (``grid_separator``)."""

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
    """The primitives above whose parameters fit the task, each kept only when most cells it changes on
    the demonstration inputs take their output colour (``agrees``); nothing unless sizes are kept."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    painted = painted_colours(ctx)
    views = [v for v in task_views(ctx) if v.conn in (8, 0)][:MAX_VIEWS]
    pairs = list(zip(ctx.train_inputs, ctx.train_outputs))
    prims: list[Primitive] = []
    # 1. symmetry per object (in the object's colours, or the one painted colour); about the grid's axes
    paints: list[int | None] = [None] + (painted if len(painted) == 1 else [])
    for view in views:
        for kind in MIRROR_KINDS:
            prims += [mirror_objects(view, kind, p) for p in paints]
    for hole in ctx.colours_in():          # a hole colour: every cell a demonstration changes had it
        if all(((i != o) <= (i == hole)).all() and (i == hole).any() for i, o in pairs):
            prims += [symmetry_fill(hole), diagonal_period_fill(hole)]
    # 2. outputs that only paint background: symmetry about a pivot, repeats, lines
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
        singles = [c for c in ctx.colours_in() if all(np.count_nonzero(g == c) == 1 for g in ctx.inputs)]
        prims += [bounce(c) for c in singles]
        for a in singles:
            for b in singles:
                if a != b:
                    prims += [elbow(a, b, first, p) for first in ("row", "col") for p in painted if p not in (a, b)]
    # 3. moves: by the object's own size and sorted bars keep the number of non-background cells
    if all(np.count_nonzero(i != background(i)) == np.count_nonzero(o != background(i)) for i, o in pairs):
        for view in views[:1]:
            prims += [move_by_size(view, d) for d in ("up", "down", "left", "right")]
        prims += [sort_bars(align, bg) for align in ("left", "right")]
    prims += [attach_to_own_colour(view) for view in views[:1] if not view.multi]
    for view in views[:1]:
        if view.multi:
            continue
        for c in ctx.colours_in():             # a wall colour: present in every input, never changed
            if all((i == c).any() and c != background(i) and ((i == c) == (o == c)).all() for i, o in pairs):
                prims.append(reflect_across(view, c))
    # 4. recolouring inside another colour's box: the one colour that changes, the one it becomes
    changed = sorted({int(c) for i, o in pairs for c in np.unique(i[i != o])})
    if len(changed) == 1 and len(painted) == 1:
        for box in ctx.colours_in():
            if box not in changed and all((g == box).any() for g in ctx.inputs):
                prims.append(recolour_in_box(box, changed[0], painted[0]))
    # 5. separator blocks, of a colour every input shares or each grid's own
    for sep in _separators(ctx):
        prims += [fill_blocks(sep, pick, bg) for pick in ("most", "fewest")]
        prims += [copy_blocks(sep, src, paint, bg) for src in ("most", "first") for paint in ("own", "sep")]
    if all(grid_separator(g) is not None for g in ctx.inputs):
        prims += [copy_blocks(None, src, paint, bg) for src in ("most", "first") for paint in ("own", "sep")]
    return [p for p in prims if agrees(p, ctx)]
