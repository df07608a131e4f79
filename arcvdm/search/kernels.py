"""Compiled kernels for the search's hottest loops (numba), each the same function as a numpy reference.

The search spends most of its time in primitives applied to small grids, where a numpy call costs more in
overhead than in arithmetic. The loops that dominate (``benchmarks/fingerprint.py --primitives``) are written
here once more as plain loops that numba compiles: object labelling with every object's box and colour counts
(``objects.py``), symmetric and periodic completion (``families/geometry.py``), rays (``families/lines.py``).

Each kernel has a **reference**: the numpy code it replaces, which stays where it was and is what runs when
the compiled path is off (numba missing, or ``ARCVDM_JIT=0`` in the environment, or inside ``reference()``).
``tests/search/test_kernels.py`` holds every kernel equal to its reference on random grids, and a search run
both ways to the same candidates. A kernel returns ``(ok, grid)`` where the reference returns a grid or None
(rays: a status, -1 also sending the caller to the reference); a cell colour outside 0-9, which compiled code
would index past a table with, always sends the caller to the reference.

Compiled code is cached on disk beside this file (numba's ``cache=True``), so a process compiles a kernel
once per machine (a few seconds in all) and later processes load it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import numpy as np

try:  # the compiled path is optional: without numba every caller runs its numpy reference
    import numba
except ImportError:  # pragma: no cover - numba is a dependency; this guards a platform without its wheel
    numba = None

# The compiled path is on when numba imports and ARCVDM_JIT is not "0"; callers read ``ENABLED`` at call time.
ENABLED = numba is not None and os.environ.get("ARCVDM_JIT", "1") != "0"


@contextmanager
def reference():
    """Run the numpy references inside this block (tests compare the two paths; the flag is process-wide)."""
    global ENABLED
    before = ENABLED
    ENABLED = False
    try:
        yield
    finally:
        ENABLED = before


def _compile(fn):
    """``fn`` compiled by numba (lazily, per argument types, cached on disk); ``fn`` itself without numba."""
    if numba is None:
        return fn
    try:
        return numba.njit(cache=True, nogil=True)(fn)
    except RuntimeError:  # numba found nowhere to write its cache (a read-only install): compile in each process
        return numba.njit(nogil=True)(fn)


# --- 1. Colours and objects: background, colour sets, labels with boxes and colour counts -------------

@_compile
def colour_counts(cells):
    """(ok, counts): how many cells of each colour 0-9 (``facts.colour_counts``); not ok when a value lies
    outside 0-9 (the reference counts those too)."""
    counts = np.zeros(10, dtype=np.int64)
    for v in cells.flat:
        if v < 0 or v > 9:
            return False, counts
        counts[v] += 1
    return True, counts


@_compile
def background(cells):
    """``facts.background``: the most frequent colour, ties to the lower; -1 when a value lies outside 0-9."""
    ok, counts = colour_counts(cells)
    if not ok:
        return -1
    return np.argmax(counts)


@_compile
def colour_bits(cells):
    """``facts.colour_set`` as bits (bit c: colour c is present); -1 when a value lies outside 0-9."""
    ok, counts = colour_counts(cells)
    if not ok:
        return -1
    bits = 0
    for c in range(10):
        if counts[c]:
            bits |= 1 << c
    return bits


@_compile
def label_objects(grid, bg, conn, multi):
    """Connected components of the cells that are not ``bg``: (labels, n, stats).

    ``labels`` (h, w) int32: -1 on background, objects numbered 0..n-1 in raster order of their first cell;
    ``conn`` 4 or 8 (neighbours), 0 (every cell of one colour is one object); ``multi``: neighbours of any
    non-background colours join. ``stats`` (n, 15) int64 per object: top, left, bottom, right (exclusive),
    size, then its count of each colour 0-9. n is -1 when a cell's colour lies outside 0-9: the caller runs the
    reference. (``objects._cells`` and ``objects.label`` are the reference.)"""
    h, w = grid.shape
    labels = np.full((h, w), -1, dtype=np.int32)
    stats = np.zeros((h * w, 15), dtype=np.int64)
    if not colour_counts(grid)[0]:  # compiled code does not check bounds: the colour table must not be written past
        return labels, -1, stats[:0]
    stack = np.empty(h * w, dtype=np.int64)
    first_of_colour = np.full(10, -1, dtype=np.int64)
    n = 0
    for r in range(h):
        for c in range(w):
            v = grid[r, c]
            if v == bg or labels[r, c] >= 0:
                continue
            if conn == 0:
                k = first_of_colour[v]
                if k < 0:
                    k = n
                    first_of_colour[v] = k
                    stats[k, 0], stats[k, 1], stats[k, 2], stats[k, 3] = r, c, r + 1, c + 1
                    n += 1
                labels[r, c] = k
                _count_cell(stats, k, r, c, v)
                continue
            k = n
            n += 1
            stats[k, 0], stats[k, 1], stats[k, 2], stats[k, 3] = r, c, r + 1, c + 1
            labels[r, c] = k
            stack[0] = r * w + c
            top = 1
            while top > 0:
                top -= 1
                y = stack[top] // w
                x = stack[top] % w
                u = grid[y, x]
                _count_cell(stats, k, y, x, u)
                for dy in range(-1, 2):
                    for dx in range(-1, 2):
                        if (dy == 0 and dx == 0) or (conn == 4 and dy != 0 and dx != 0):
                            continue
                        yy, xx = y + dy, x + dx
                        if 0 <= yy < h and 0 <= xx < w and labels[yy, xx] < 0:
                            t = grid[yy, xx]
                            if t != bg and (multi or t == u):
                                labels[yy, xx] = k
                                stack[top] = yy * w + xx
                                top += 1
    return labels, n, stats[:n]


@_compile
def _count_cell(stats, k, y, x, v):
    stats[k, 0] = min(stats[k, 0], y)
    stats[k, 1] = min(stats[k, 1], x)
    stats[k, 2] = max(stats[k, 2], y + 1)
    stats[k, 3] = max(stats[k, 3], x + 1)
    stats[k, 4] += 1
    stats[k, 5 + v] += 1


# --- 2. Completion: symmetric and periodic fills --------------------------------------------------------

SYMMETRY_CODES = {"lr": 0, "ud": 1, "lrud": 2, "diag": 3, "rot": 4, "all": 5}  # ``geometry.SYMMETRY_KINDS``
_IMAGES = (1, 1, 3, 1, 3, 7)  # images per kind (the identity excluded); kinds 3-5 need a square grid


@_compile
def _image_cell(kind, k, y, x, h, w):
    """Where image ``k`` of symmetry ``kind`` reads cell (y, x) from (``geometry._mirrors``' k-th image)."""
    if kind == 0:
        return y, w - 1 - x
    if kind == 1:
        return h - 1 - y, x
    if kind == 2:
        if k == 0:
            return y, w - 1 - x
        if k == 1:
            return h - 1 - y, x
        return h - 1 - y, w - 1 - x
    if kind == 3:
        return x, y
    # kinds 4 and 5 (square grids): rotations by 90, 180 and 270 degrees anticlockwise (np.rot90), then for
    # "all" the transpose, left-right, up-down and anti-transpose
    if k == 0:
        return x, w - 1 - y
    if k == 1:
        return h - 1 - y, w - 1 - x
    if k == 2:
        return h - 1 - x, y
    if k == 3:
        return x, y
    if k == 4:
        return y, w - 1 - x
    if k == 5:
        return h - 1 - y, x
    return h - 1 - x, w - 1 - y


@_compile
def sym_fill(grid, kind, hole):
    """``geometry.sym_fill`` with ``kind`` as its ``SYMMETRY_CODES`` number: (ok, filled grid)."""
    h, w = grid.shape
    out = grid.copy()
    if kind >= 3 and h != w:
        return False, out
    n_images = _IMAGES[kind]
    filled = False
    for y in range(h):
        for x in range(w):
            if grid[y, x] != hole:
                continue
            got = False
            value = hole
            for k in range(n_images):
                yy, xx = _image_cell(kind, k, y, x, h, w)
                v = grid[yy, xx]
                if v != hole:
                    if got and v != value:
                        return False, out  # two images disagree on a hole
                    got = True
                    value = v
            if got:
                out[y, x] = value
                filled = True
    return filled, out


@_compile
def _periods(grid, hole, transpose):
    """ok[p] for p in 1..n: rows (``transpose``: columns) i and i + p agree wherever both cells are not ``hole``
    (``geometry.row_periods``); n, the last, is always ok."""
    h, w = grid.shape
    if transpose:
        h, w = w, h
    ok = np.ones(h + 1, dtype=np.bool_)
    ok[0] = False
    for p in range(1, h):
        for i in range(h - p):
            clash = False
            for x in range(w):
                if transpose:
                    a, b = grid[x, i], grid[x, i + p]
                else:
                    a, b = grid[i, x], grid[i + p, x]
                if a != hole and b != hole and a != b:
                    clash = True
                    break
            if clash:
                ok[p] = False
                break
    return ok


@_compile
def period_fill(grid, hole):
    """``geometry.period_fill``: (ok, filled grid)."""
    h, w = grid.shape
    out = grid.copy()
    holes = 0
    for y in range(h):
        for x in range(w):
            if grid[y, x] == hole:
                holes += 1
    if holes == 0 or holes == h * w:
        return False, out
    ok_y = _periods(grid, hole, False)
    ok_x = _periods(grid, hole, True)
    # the periods in the reference's order: by area, then rows, then columns (all of them at most 30 < 64)
    keys = np.empty(h * w, dtype=np.int64)
    n = 0
    for py in range(1, h + 1):
        if not ok_y[py]:
            continue
        for px in range(1, w + 1):
            if ok_x[px] and (py < h or px < w):
                keys[n] = (py * px) * 4096 + py * 64 + px
                n += 1
    keys = np.sort(keys[:n])
    colour = np.empty(h * w, dtype=np.int64)
    for i in range(n):
        py = (keys[i] // 64) % 64
        px = keys[i] % 64
        colour[: py * px] = -1
        fits = True
        for y in range(h):
            for x in range(w):
                v = grid[y, x]
                if v == hole:
                    continue
                c = (y % py) * px + x % px
                if colour[c] < 0:
                    colour[c] = v
                elif colour[c] != v:
                    fits = False  # a class holds two colours
                    break
            if not fits:
                break
        if not fits:
            continue
        for y in range(h):
            for x in range(w):
                if grid[y, x] == hole:
                    c = (y % py) * px + x % px
                    if colour[c] < 0:
                        fits = False  # a hole whose class is never seen
                        break
                    out[y, x] = colour[c]
            if not fits:
                break
        if fits:
            return True, out
        out[:, :] = grid
    return False, out


# --- 3. Rays --------------------------------------------------------------------------------------------

MODE_CODES = {"stop": 0, "through": 1, "hit": 2}  # ``lines.MODES``


@_compile
def _walk(grid, out, r, c, dy, dx, mode, bg, colour):
    """Paint into ``out`` the cells the ray from (r, c) paints on ``grid`` (``lines._ray``)."""
    h, w = grid.shape
    y, x = r + dy, c + dx
    end = -1  # the ray's last painted step (hit: only once it ends on a non-background cell)
    steps = 0
    while 0 <= y < h and 0 <= x < w:
        if grid[y, x] != bg:
            if mode != 1:
                end = steps
                break
        y, x = y + dy, x + dx
        steps += 1
    if mode == 2 and end < 0:
        return
    y, x = r + dy, c + dx
    for _ in range(steps):
        if grid[y, x] == bg:
            out[y, x] = colour
        y, x = y + dy, x + dx


@_compile
def _starts(grid, source, bg, from_objects, labels, n_objects, max_objects, dy, dx):
    """The cells rays of ``source`` leave from in direction ``d`` (``lines._starts``) as (count, ys, xs)."""
    h, w = grid.shape
    ys = np.empty(h * w, dtype=np.int64)
    xs = np.empty(h * w, dtype=np.int64)
    n = 0
    if not from_objects:
        for y in range(h):
            for x in range(w):
                if grid[y, x] == source:
                    ys[n], xs[n] = y, x
                    n += 1
        return n, ys, xs
    if n_objects == 0 or n_objects > max_objects:  # ``objects.MAX_OBJECTS``: no objects at all
        return 0, ys, xs
    if dy == 0 or dx == 0:  # a straight front: cells whose next cell is off the grid or not the object's
        for y in range(h):
            for x in range(w):
                if grid[y, x] != source:
                    continue
                ny, nx = y + dy, x + dx
                if not (0 <= ny < h and 0 <= nx < w) or grid[ny, nx] != source:
                    ys[n], xs[n] = y, x
                    n += 1
        return n, ys, xs
    # a diagonal front: each object's one foremost cell, if one cell alone is foremost
    best = np.full(n_objects, -(1 << 30), dtype=np.int64)
    ties = np.zeros(n_objects, dtype=np.int64)
    by = np.zeros(n_objects, dtype=np.int64)
    bx = np.zeros(n_objects, dtype=np.int64)
    for y in range(h):
        for x in range(w):
            k = labels[y, x]
            if k < 0 or grid[y, x] != source:
                continue
            reach = y * dy + x * dx
            if reach > best[k]:
                best[k], ties[k], by[k], bx[k] = reach, 1, y, x
            elif reach == best[k]:
                ties[k] += 1
    for k in range(n_objects):
        if ties[k] == 1:
            ys[n], xs[n] = by[k], bx[k]
            n += 1
    return n, ys, xs


@_compile
def rays(grid, sources, directions, steps, mode, bg, paint, from_objects, max_sources, max_objects):
    """``lines._draw``: rays of each (source, directions) entry. ``sources[i]``: a colour, or -1 for every
    colour of the grid; ``directions[i]``: rows of ``steps`` ((dy, dx) per direction), -1 padded; ``mode``:
    ``MODE_CODES``; ``paint``: -1 for the source's colour; more than ``max_sources`` starts or ``max_objects``
    objects: see ``lines``. (status, grid): 1 the grid, 0 none (the reference's None), -1 a cell's colour outside
    0-9 (the caller runs the reference)."""
    out = grid.copy()
    ok, present = colour_counts(grid)
    if not ok:
        return -1, out
    labels = np.empty((0, 0), dtype=np.int32)
    n_objects = 0
    if from_objects:
        labels, n_objects, _stats = label_objects(grid, bg, 8, False)
    for i in range(len(sources)):
        first = sources[i]
        last = first
        if first < 0:
            first, last = 0, 9
        for source in range(first, last + 1):
            if sources[i] < 0 and (present[source] == 0 or source == bg):
                continue
            if source == bg:
                return 0, out
            colour = source if paint < 0 else paint
            for j in range(directions.shape[1]):
                d = directions[i, j]
                if d < 0:
                    break
                dy, dx = steps[d, 0], steps[d, 1]
                n, ys, xs = _starts(grid, source, bg, from_objects, labels, n_objects, max_objects, dy, dx)
                if n > max_sources:  # a texture, not sources
                    return 0, out
                for s in range(n):
                    _walk(grid, out, ys[s], xs[s], dy, dx, mode, bg, colour)
    return 1, out
