"""Coverage of the program search on a synthetic battery of generic grid operations.

Each operation is a plain numpy function, written apart from the DSL (its own crop, skew, ...) so that
a bug in a primitive cannot make its own check pass; a task is three demonstrations and one test input
of random grids (seeded) with the operation's outputs. The search sees the public task only; an operation counts
as covered when one of the two attempts equals the test output. Single operations and two-step
compositions are listed, and so are operations the search is known to miss (the frontier), so the
table shows what a new primitive adds. No ARC task is read: this measures the DSL, not a dataset.

    OMP_NUM_THREADS=1 python benchmarks/battery.py --set max_applications=30000
    OMP_NUM_THREADS=1 python benchmarks/battery.py --only skew_right,pad_border --seed 1

Expected runtime: ~5-15 s per operation on one core with max_applications=30000.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import parse_set  # noqa: E402  (benchmarks/search.py: the --set parser)

from arcvdm.config import SearchConfig  # noqa: E402
from arcvdm.grids import grids_equal  # noqa: E402
from arcvdm.search.engine import rank_answers, search_task  # noqa: E402
from arcvdm.tasks import Example, Task  # noqa: E402

Op = Callable[[np.ndarray], np.ndarray]


# --- inputs -----------------------------------------------------------------------------------------------

def cells(rng: np.random.Generator, density: float, colours: list[int]) -> np.ndarray:
    """A 5-10 x 5-10 grid on background 0 with a ``density`` share of cells in random ``colours``."""
    h, w = (int(v) for v in rng.integers(5, 11, 2))
    grid = np.zeros((h, w), dtype=np.uint8)
    mask = rng.random((h, w)) < density
    grid[mask] = rng.choice(colours, size=int(mask.sum()))
    return grid


INPUTS: dict[str, Callable[[np.random.Generator], np.ndarray]] = {
    "cells": lambda rng: cells(rng, 0.25, list(range(1, 10))),
    "sparse": lambda rng: cells(rng, 0.08, list(range(1, 10))),
    "mono": lambda rng: cells(rng, 0.5, [1]),
    "marked": lambda rng: _with_marker(cells(rng, 0.25, [1, 2, 3, 4]), rng, count=2),
    "one_marker": lambda rng: _with_marker(cells(rng, 0.1, [1, 2]), rng, count=1),
    "even_mono": lambda rng: _even(cells(rng, 0.5, [1])),
    "sheared": lambda rng: skew(cells(rng, 0.5, list(range(1, 10))), True),
    "blobs": lambda rng: blobs(rng, multicolour=True),
    "mono_blobs": lambda rng: blobs(rng, multicolour=False),
    "split_mono": lambda rng: _split(cells(rng, 0.5, [1])),
    "small": lambda rng: _small(rng),
    "sparse_blobs": lambda rng: cells(rng, 0.15, [1, 2]),
    "shapes": lambda rng: shapes(rng, multicolour=True, count=(2, 5)),
    "mono_shapes": lambda rng: shapes(rng, multicolour=False, count=(3, 6)),
    "paired_shapes": lambda rng: shapes(rng, multicolour=True, count=(3, 4), unique_colour=True),
    "one_shape": lambda rng: shapes(rng, multicolour=True, count=(1, 2)),
    "framed": lambda rng: _framed(rng),
    "few_colours": lambda rng: cells(rng, 0.3, [int(c) for c in rng.choice(np.arange(1, 10), 3, replace=False)]),
    "panels": lambda rng: _panels(rng),
    "grid_panels": lambda rng: _grid_panels(rng),
    "two_corners": lambda rng: _two_corners(rng),
    "marked_shapes": lambda rng: _mark_some(shapes(rng, multicolour=True, count=(3, 5)), rng),
}


def blobs(rng: np.random.Generator, multicolour: bool) -> np.ndarray:
    """An 8-12 x 8-12 grid with 2-4 solid rectangles (1-3 cells a side) that do not touch."""
    h, w = (int(v) for v in rng.integers(8, 13, 2))
    grid = np.zeros((h, w), dtype=np.uint8)
    colours = rng.permutation(np.arange(1, 10))
    wanted, placed = int(rng.integers(2, 5)), 0
    for _ in range(200):
        if placed == wanted:
            break
        bh, bw = (int(v) for v in rng.integers(1, 4, 2))
        r, c = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
        if grid[max(r - 1, 0) : r + bh + 1, max(c - 1, 0) : c + bw + 1].any():
            continue
        grid[r : r + bh, c : c + bw] = colours[placed] if multicolour else 1
        placed += 1
    return grid


def shapes(rng: np.random.Generator, multicolour: bool, count: tuple[int, int],
           unique_colour: bool = False) -> np.ndarray:
    """A 10-14 square-ish grid with random 4-connected shapes (3-7 cells in a 3x3 box) that do not touch,
    of distinct sizes; ``unique_colour``: every shape shares its colour with another but one."""
    h, w = (int(v) for v in rng.integers(10, 15, 2))
    grid = np.zeros((h, w), dtype=np.uint8)
    wanted = int(rng.integers(count[0], count[1] + 1))
    colours = [int(c) for c in rng.permutation(np.arange(1, 10))]
    if unique_colour:
        colours = [colours[0]] + [colours[1]] * 8
    sizes: set[int] = set()
    placed = 0
    for _ in range(400):
        if placed == wanted:
            break
        mask = _shape(rng)
        size = int(mask.sum())
        if size in sizes:
            continue
        bh, bw = mask.shape
        r, c = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
        if grid[max(r - 1, 0) : r + bh + 1, max(c - 1, 0) : c + bw + 1].any():
            continue
        grid[r : r + bh, c : c + bw][mask] = colours[placed] if multicolour else 1
        sizes.add(size)
        placed += 1
    return grid


def _shape(rng: np.random.Generator) -> np.ndarray:
    """A random 4-connected set of 3-7 cells grown from one cell inside a 3x3 box, cut to its box."""
    mask = np.zeros((3, 3), dtype=bool)
    mask[int(rng.integers(0, 3)), int(rng.integers(0, 3))] = True
    for _ in range(int(rng.integers(2, 7))):
        ys, xs = np.nonzero(mask)
        k = int(rng.integers(0, len(ys)))
        dy, dx = ((1, 0), (-1, 0), (0, 1), (0, -1))[int(rng.integers(0, 4))]
        y, x = int(ys[k]) + dy, int(xs[k]) + dx
        if 0 <= y < 3 and 0 <= x < 3:
            mask[y, x] = True
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _framed(rng: np.random.Generator) -> np.ndarray:
    """Random cells (colours 1-4) on a 10-14 grid with a rectangle outline of 5 somewhere inside it."""
    grid = cells(rng, 0.2, [1, 2, 3, 4])
    grid = np.pad(grid, ((0, 4), (0, 4)))
    h, w = grid.shape
    top, left = int(rng.integers(0, h - 5)), int(rng.integers(0, w - 5))
    bottom, right = int(rng.integers(top + 3, h)), int(rng.integers(left + 3, w))
    grid[[top, bottom], left : right + 1] = 5
    grid[top : bottom + 1, [left, right]] = 5
    return grid


def _panels(rng: np.random.Generator) -> np.ndarray:
    """3-4 equal 3x3 panels split by columns of 5; all copies of one pattern but one, which differs."""
    n = int(rng.integers(3, 5))
    common = cells(rng, 0.4, [1, 2])[:3, :3]
    odd = common.copy()
    odd[int(rng.integers(0, 3)), int(rng.integers(0, 3))] ^= 3   # 0<->3, 1<->2, 2<->1: always a change
    panels = [common] * n
    panels[int(rng.integers(0, n))] = odd
    parts = []
    for k, panel in enumerate(panels):
        if k:
            parts.append(np.full((3, 1), 5, np.uint8))
        parts.append(panel)
    return np.concatenate(parts, axis=1)


def _grid_panels(rng: np.random.Generator) -> np.ndarray:
    """2-3 x 2-3 panels of 3x3 split by lines of 5, each empty or mostly one colour (1-4, 6-9) with noise."""
    ny, nx = (int(v) for v in rng.integers(2, 4, 2))
    grid = np.full((ny * 4 - 1, nx * 4 - 1), 5, dtype=np.uint8)
    for i in range(ny):
        for j in range(nx):
            panel = np.zeros((3, 3), dtype=np.uint8)
            if rng.random() < 0.8:
                main = int(rng.choice([1, 2, 3, 4, 6, 7, 8, 9]))
                panel[rng.random((3, 3)) < 0.6] = main
                panel[int(rng.integers(0, 3)), int(rng.integers(0, 3))] = main
            grid[i * 4 : i * 4 + 3, j * 4 : j * 4 + 3] = panel
    return grid


def _two_corners(rng: np.random.Generator) -> np.ndarray:
    """Sparse cells (1-4) with two 5 cells at opposite corners of a rectangle at least 3x3."""
    grid = cells(rng, 0.05, [1, 2, 3, 4])
    h, w = grid.shape
    top, left = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
    bottom, right = int(rng.integers(top + 2, h)), int(rng.integers(left + 2, w))
    grid[top, left] = grid[bottom, right] = 5
    return grid


def _mark_some(grid: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shapes of colour 5 dropped; then one cell in eight (at least one) recoloured 5."""
    grid[grid == 5] = 0
    ys, xs = np.nonzero(grid)
    picks = rng.choice(len(ys), size=max(1, len(ys) // 8), replace=False)
    grid[ys[picks], xs[picks]] = 5
    return grid


def _small(rng: np.random.Generator) -> np.ndarray:
    """A 3x3 grid of one colour with 3-6 filled cells, and 1-3 colours at most."""
    grid = np.zeros(9, dtype=np.uint8)
    grid[rng.choice(9, size=int(rng.integers(3, 7)), replace=False)] = rng.choice(np.arange(1, 10), size=1)
    return grid.reshape(3, 3)


def _split(grid: np.ndarray) -> np.ndarray:
    """Two halves side by side with a column of 5 between them."""
    w = grid.shape[1] // 2
    return np.concatenate([grid[:, :w], np.full((grid.shape[0], 1), 5, np.uint8), grid[:, w : 2 * w]], axis=1)


def _with_marker(grid: np.ndarray, rng: np.random.Generator, count: int) -> np.ndarray:
    for _ in range(count):
        grid[int(rng.integers(0, grid.shape[0])), int(rng.integers(0, grid.shape[1]))] = 5
    return grid


def _even(grid: np.ndarray) -> np.ndarray:
    return grid[:, : grid.shape[1] // 2 * 2]


# --- operations -------------------------------------------------------------------------------------------

def crop(g: np.ndarray) -> np.ndarray:
    rows, cols = np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0))
    return g[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def skew(g: np.ndarray, right: bool) -> np.ndarray:
    h, w = g.shape
    out = np.zeros((h, w + h - 1), dtype=np.uint8)
    for r in range(h):
        start = r if right else h - 1 - r
        out[r, start : start + w] = g[r]
    return out


def unskew(g: np.ndarray) -> np.ndarray:
    h = g.shape[0]
    w = g.shape[1] - h + 1
    return np.stack([g[r, r : r + w] for r in range(h)])


def pad(g: np.ndarray, colour: int) -> np.ndarray:
    return np.pad(g, 1, constant_values=colour)


def paint_frame(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    out[[0, -1], :] = 8
    out[:, [0, -1]] = 8
    return out


def fill_marked_rows(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    out[(g == 5).any(axis=1)] = 5
    return out


def clear_marked_rows(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    out[(g == 5).any(axis=1)] = 0
    return out


def compress(g: np.ndarray) -> np.ndarray:
    return g[np.ix_(np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0)))]


def keep_top_colour(g: np.ndarray) -> np.ndarray:
    counts = np.bincount(g.ravel(), minlength=10)
    counts[0] = 0
    return np.where(g == counts.argmax(), g, 0).astype(np.uint8)


def count_colours_bar(g: np.ndarray) -> np.ndarray:
    return np.ones((1, len(set(np.unique(g).tolist()) - {0})), dtype=np.uint8)


def sort_rows_by_count(g: np.ndarray) -> np.ndarray:
    return g[sorted(range(g.shape[0]), key=lambda r: (np.count_nonzero(g[r]), r))]


def column_key(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for c in range(g.shape[1]):
        out[1:, c][g[1:, c] > 0] = g[0, c]
    return out


def row_stripes(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    out[(g > 0) & (np.arange(g.shape[0])[:, None] % 2 == 1)] = 2
    return out


def diagonal_rays(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    h, w = g.shape
    for r, c in zip(*np.nonzero(g)):
        k = 1
        while r + k < h and c + k < w:
            if out[r + k, c + k] == 0:
                out[r + k, c + k] = g[r, c]
            k += 1
    return out


def and_of_halves(g: np.ndarray) -> np.ndarray:
    w = g.shape[1] // 2
    return np.where((g[:, :w] > 0) & (g[:, w:] > 0), 2, 0).astype(np.uint8)


def cross_through_marker(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    r, c = (int(v) for v in np.argwhere(g == 5)[0])
    out[r, :][out[r, :] == 0] = 5
    out[:, c][out[:, c] == 0] = 5
    return out


def gravity_left(g: np.ndarray) -> np.ndarray:
    out = np.zeros_like(g)
    for r in range(g.shape[0]):
        kept = g[r][g[r] > 0]
        out[r, : kept.size] = kept
    return out


def mirror_top_down(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    h = g.shape[0]
    out[h - h // 2 :] = g[: h // 2][::-1]
    return out


def swap_left_right(g: np.ndarray) -> np.ndarray:
    w = g.shape[1] // 2
    return np.concatenate([g[:, w:], g[:, :w]], axis=1)


def recolour(g: np.ndarray, old: int, new: int) -> np.ndarray:
    out = g.copy()
    out[g == old] = new
    return out


def outline_content(g: np.ndarray) -> np.ndarray:
    """A ring of 3 one cell outside the content's box, sides off the grid left out, on background cells."""
    rows, cols = np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0))
    padded = np.pad(g, 1)
    top, bottom, left, right = rows[0], rows[-1] + 2, cols[0], cols[-1] + 2   # in padded coordinates
    ring = np.zeros(padded.shape, dtype=bool)
    ring[[top, bottom], left : right + 1] = True
    ring[top : bottom + 1, [left, right]] = True
    padded[ring & (padded == 0)] = 3
    return padded[1:-1, 1:-1]


def reverse_row_content(g: np.ndarray) -> np.ndarray:
    out = np.zeros_like(g)
    for r in range(g.shape[0]):
        filled = np.flatnonzero(g[r])
        out[r, filled] = g[r, filled][::-1]
    return out


def recolour_by_row_count(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for r in range(g.shape[0]):
        out[r][g[r] > 0] = min(np.count_nonzero(g[r]), 9)
    return out


def key_swap(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    body = out[1:]
    body[g[1:] == g[0, 0]] = g[0, 1]
    return out


def fullest_row(g: np.ndarray) -> np.ndarray:
    best = max(range(g.shape[0]), key=lambda r: (np.count_nonzero(g[r]), -r))
    return g[best : best + 1]


def components(g: np.ndarray) -> list[list[tuple[int, int]]]:
    """4-connected same-colour components of the non-zero cells, in reading order of their first cell."""
    seen = np.zeros(g.shape, dtype=bool)
    found = []
    for r in range(g.shape[0]):
        for c in range(g.shape[1]):
            if g[r, c] == 0 or seen[r, c]:
                continue
            stack, cells_ = [(r, c)], []
            seen[r, c] = True
            while stack:
                y, x = stack.pop()
                cells_.append((y, x))
                for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                    ny, nx = y + dy, x + dx
                    if 0 <= ny < g.shape[0] and 0 <= nx < g.shape[1] and not seen[ny, nx] and g[ny, nx] == g[r, c]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
            found.append(cells_)
    return found


def outline_objects(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    padded = np.pad(g > 0, 1)
    near = np.zeros(g.shape, dtype=bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= padded[1 + dy : 1 + dy + g.shape[0], 1 + dx : 1 + dx + g.shape[1]]
    out[near & (g == 0)] = 4
    return out


def smear_right(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for r in range(g.shape[0]):
        for c in range(1, g.shape[1]):
            if out[r, c] == 0:
                out[r, c] = out[r, c - 1]
    return out


def remove_isolated(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        if len(comp) == 1:
            out[comp[0]] = 0
    return out


def colour_by_size(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        for cell in comp:
            out[cell] = min(len(comp), 9)
    return out


def largest_object(g: np.ndarray) -> np.ndarray:
    comp = max(components(g), key=len)
    ys, xs = zip(*comp)
    return g[min(ys) : max(ys) + 1, min(xs) : max(xs) + 1]


def recolour_largest(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for cell in max(components(g), key=len):
        out[cell] = 2
    return out


def connect_pairs(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for r in range(g.shape[0]):
        filled = np.flatnonzero(g[r])
        for a, b in zip(filled[:-1], filled[1:]):
            if g[r, a] == g[r, b]:
                out[r, a + 1 : b] = g[r, a]
    return out


def tile_mirrored(g: np.ndarray) -> np.ndarray:
    return np.block([[g, g[:, ::-1]], [g[::-1], g[::-1, ::-1]]])


def or_of_split(g: np.ndarray) -> np.ndarray:
    w = g.shape[1] // 2
    return np.where((g[:, :w] > 0) | (g[:, w + 1 :] > 0), 3, 0).astype(np.uint8)


def fractal(g: np.ndarray) -> np.ndarray:
    return np.kron((g > 0).astype(np.uint8), g)


def drop_rays(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for r, c in zip(*np.nonzero(g)):
        below = out[r + 1 :, c]
        below[below == 0] = g[r, c]
    return out


def count_objects_column(g: np.ndarray) -> np.ndarray:
    return np.ones((len(components(g)), 1), dtype=np.uint8)


def fill_bboxes(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        ys, xs = zip(*comp)
        box = out[min(ys) : max(ys) + 1, min(xs) : max(xs) + 1]
        box[box == 0] = 6
    return out


def hollow_objects(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        cells_ = set(comp)
        for y, x in comp:
            if all((y + dy, x + dx) in cells_ for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1))):
                out[y, x] = 0
    return out


def gravity_down(g: np.ndarray) -> np.ndarray:
    return np.rot90(gravity_left(np.rot90(g, 1)), -1)


def scale_by_colours(g: np.ndarray) -> np.ndarray:
    k = len(set(np.unique(g).tolist()) - {0})
    return np.repeat(np.repeat(g, k, axis=0), k, axis=1)


def _box(comp: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    ys, xs = zip(*comp)
    return min(ys), max(ys) + 1, min(xs), max(xs) + 1


def flip_each_object(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        t, b, l, r = _box(comp)
        out[t:b, l:r] = g[t:b, l:r][:, ::-1]
    return out


def drop_objects(g: np.ndarray) -> np.ndarray:
    """Each object falls straight down, as a whole, until it rests on the floor or on another object."""
    out = g.copy()
    comps = sorted(components(g), key=lambda comp: -max(y for y, _ in comp))
    for comp in comps:
        for y, x in comp:
            out[y, x] = 0
        shift = 0
        while all(y + shift + 1 < g.shape[0] and out[y + shift + 1, x] == 0 for y, x in comp):
            shift += 1
        for y, x in comp:
            out[y + shift, x] = g[y, x]
    return out


def touching_border(comp: list[tuple[int, int]], shape: tuple[int, int]) -> bool:
    return any(y in (0, shape[0] - 1) or x in (0, shape[1] - 1) for y, x in comp)


def remove_border_objects(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        if touching_border(comp, g.shape):
            for cell in comp:
                out[cell] = 0
    return out


def recolour_border_objects(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        if touching_border(comp, g.shape):
            for cell in comp:
                out[cell] = 2
    return out


def recolour_by_shape_width(g: np.ndarray) -> np.ndarray:
    """Objects wider than tall become 2, taller than wide 3, square ones stay."""
    out = g.copy()
    for comp in components(g):
        t, b, l, r = _box(comp)
        paint = 2 if r - l > b - t else 3 if b - t > r - l else None
        if paint is not None:
            for cell in comp:
                out[cell] = paint
    return out


def crop_smallest(g: np.ndarray) -> np.ndarray:
    comp = min(components(g), key=len)
    t, b, l, r = _box(comp)
    return g[t:b, l:r]


def crop_unique_colour(g: np.ndarray) -> np.ndarray:
    """The box of the one object whose colour no other object has."""
    comps = components(g)
    colours = [int(g[comp[0]]) for comp in comps]
    comp = next(c for c, col in zip(comps, colours) if colours.count(col) == 1)
    t, b, l, r = _box(comp)
    return g[t:b, l:r]


def count_largest_colour(g: np.ndarray) -> np.ndarray:
    """A 1x1 grid of the largest object's colour."""
    comp = max(components(g), key=len)
    return np.full((1, 1), g[comp[0]], dtype=np.uint8)


def object_to_corner(g: np.ndarray) -> np.ndarray:
    """The content's box moved to the top-left corner."""
    rows, cols = np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0))
    out = np.zeros_like(g)
    content = g[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    out[: content.shape[0], : content.shape[1]] = content
    return out


def stack_objects(g: np.ndarray) -> np.ndarray:
    """The objects' boxes side by side, left to right in reading order, on a one-box-high grid."""
    boxes = []
    for comp in components(g):
        t, b, l, r = _box(comp)
        boxes.append(g[t:b, l:r])
    height = max(box.shape[0] for box in boxes)
    return np.concatenate([np.pad(box, ((0, height - box.shape[0]), (0, 0))) for box in boxes], axis=1)


def inside_frame(g: np.ndarray) -> np.ndarray:
    """The cells strictly inside the one rectangle drawn in colour 5."""
    ys, xs = np.nonzero(g == 5)
    return g[ys.min() + 1 : ys.max(), xs.min() + 1 : xs.max()]


def recolour_inside_frame(g: np.ndarray) -> np.ndarray:
    """Non-background cells strictly inside the colour-5 rectangle become 2."""
    ys, xs = np.nonzero(g == 5)
    out = g.copy()
    inner = out[ys.min() + 1 : ys.max(), xs.min() + 1 : xs.max()]
    inner[inner > 0] = 2
    return out


PLUS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=bool)


def cell_to_block(g: np.ndarray) -> np.ndarray:
    """Every cell becomes a 3x3 block: a plus of its colour (background stays empty)."""
    out = np.zeros((g.shape[0] * 3, g.shape[1] * 3), dtype=np.uint8)
    for r, c in zip(*np.nonzero(g)):
        out[r * 3 : r * 3 + 3, c * 3 : c * 3 + 3][PLUS] = g[r, c]
    return out


def colour_histogram(g: np.ndarray) -> np.ndarray:
    """One column per colour present (ascending), a bar of that colour as tall as its count, from the bottom."""
    colours = [int(c) for c in np.unique(g) if c]
    counts = [int((g == c).sum()) for c in colours]
    out = np.zeros((max(counts), len(colours)), dtype=np.uint8)
    for k, (colour, n) in enumerate(zip(colours, counts)):
        out[out.shape[0] - n :, k] = colour
    return out


def odd_panel(g: np.ndarray) -> np.ndarray:
    """Of the panels split by columns of 5, the one unlike the others."""
    cuts = [-1] + [int(c) for c in np.flatnonzero((g == 5).all(axis=0))] + [g.shape[1]]
    panels = [g[:, a + 1 : b] for a, b in zip(cuts[:-1], cuts[1:])]
    keys = [p.tobytes() for p in panels]
    return next(p for p, k in zip(panels, keys) if keys.count(k) == 1)


def extend_to_edges(g: np.ndarray) -> np.ndarray:
    """Every row holding a cell is filled, edge to edge, with the colour of its first cell (background stays elsewhere)."""
    out = g.copy()
    for r in range(g.shape[0]):
        filled = np.flatnonzero(g[r])
        if filled.size:
            out[r, :] = np.where(g[r] > 0, g[r], g[r, filled[0]])
    return out


def panel_summary(g: np.ndarray) -> np.ndarray:
    """Panels split by full rows and columns of 5 -> one cell per panel: its most frequent non-zero colour (0 if empty)."""
    row_cuts = [-1] + [int(r) for r in np.flatnonzero((g == 5).all(axis=1))] + [g.shape[0]]
    col_cuts = [-1] + [int(c) for c in np.flatnonzero((g == 5).all(axis=0))] + [g.shape[1]]
    out = np.zeros((len(row_cuts) - 1, len(col_cuts) - 1), dtype=np.uint8)
    for i, (a, b) in enumerate(zip(row_cuts[:-1], row_cuts[1:])):
        for j, (c, d) in enumerate(zip(col_cuts[:-1], col_cuts[1:])):
            counts = np.bincount(g[a + 1 : b, c + 1 : d].ravel(), minlength=10)
            counts[0] = 0
            out[i, j] = int(counts.argmax()) if counts.any() else 0
    return out


def shift_content(g: np.ndarray) -> np.ndarray:
    """Everything moves two cells down (what falls off the bottom is lost)."""
    out = np.zeros_like(g)
    out[2:] = g[:-2]
    return out


def box_between_corners(g: np.ndarray) -> np.ndarray:
    """The outline of the rectangle whose opposite corners are the two 5 cells, in 5, over background."""
    ys, xs = np.nonzero(g == 5)
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    out = g.copy()
    ring = np.zeros(g.shape, dtype=bool)
    ring[[top, bottom], left : right + 1] = True
    ring[top : bottom + 1, [left, right]] = True
    out[ring & (g == 0)] = 5
    return out


def keep_marked_objects(g: np.ndarray) -> np.ndarray:
    """Only objects (any colour, 8-connected through non-zero cells) holding a 5 cell are kept."""
    mask = g > 0
    seen = np.zeros(g.shape, dtype=bool)
    out = np.zeros_like(g)
    for r, c in zip(*np.nonzero(mask)):
        if seen[r, c]:
            continue
        stack, comp = [(r, c)], []
        seen[r, c] = True
        while stack:
            y, x = stack.pop()
            comp.append((y, x))
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = y + dy, x + dx
                    if 0 <= ny < g.shape[0] and 0 <= nx < g.shape[1] and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        if any(g[cell] == 5 for cell in comp):
            for cell in comp:
                out[cell] = g[cell]
    return out


def scale2(g: np.ndarray) -> np.ndarray:
    return np.repeat(np.repeat(g, 2, axis=0), 2, axis=1)


# name -> (operation, input kind); the first block is one step, the second two steps, the third the frontier
OPERATIONS: dict[str, tuple[Op, str]] = {
    "skew_right": (lambda g: skew(g, True), "cells"),
    "skew_left": (lambda g: skew(g, False), "cells"),
    "pad_border": (lambda g: pad(g, 8), "cells"),
    "paint_frame": (paint_frame, "cells"),
    "fill_marked_rows": (fill_marked_rows, "marked"),
    "compress_empty": (compress, "sparse"),
    "keep_top_colour": (keep_top_colour, "cells"),
    "count_colours_bar": (count_colours_bar, "cells"),
    "roll_right": (lambda g: np.roll(g, 1, axis=1), "cells"),
    "column_key": (column_key, "cells"),
    "row_stripes": (row_stripes, "cells"),
    "stretch_rows": (lambda g: np.repeat(g, 2, axis=0), "cells"),
    "diagonal_rays": (diagonal_rays, "sparse"),
    "and_of_halves": (and_of_halves, "even_mono"),
    "cross_through_marker": (cross_through_marker, "one_marker"),
    "gravity_left": (gravity_left, "sparse"),
    "mirror_top_down": (mirror_top_down, "cells"),
    "swap_left_right": (swap_left_right, "cells"),
    "crop_then_scale": (lambda g: scale2(crop(g)), "sparse"),
    "flip_then_recolour": (lambda g: recolour(g[::-1], 1, 2), "mono"),
    "crop_then_tile": (lambda g: np.tile(crop(g), (1, 2)), "sparse"),
    "turn_then_pad": (lambda g: pad(np.rot90(g), 3), "cells"),
    "skew_then_flip": (lambda g: skew(g, True)[:, ::-1], "cells"),
    "compress_then_scale": (lambda g: scale2(compress(g)), "sparse"),
    "unskew_then_flip": (lambda g: unskew(g)[::-1], "sheared"),
    "clear_marked_rows": (clear_marked_rows, "marked"),
    "sort_rows_by_count": (sort_rows_by_count, "cells"),
    "outline_content": (outline_content, "sparse"),
    "reverse_row_content": (reverse_row_content, "sparse"),
    "recolour_by_row_count": (recolour_by_row_count, "sparse"),
    "concat_inverted": (lambda g: np.concatenate([g, np.where(g > 0, 0, 1).astype(np.uint8)], axis=1), "mono"),
    "count_colours_square": (lambda g: np.full((len(set(np.unique(g).tolist()) - {0}),) * 2, 5, np.uint8), "cells"),
    "key_swap": (key_swap, "cells"),
    "fullest_row": (fullest_row, "cells"),
    "outline_objects": (outline_objects, "blobs"),
    "smear_right": (smear_right, "sparse"),
    "remove_isolated": (remove_isolated, "cells"),
    "colour_by_size": (colour_by_size, "mono_blobs"),
    "largest_object": (largest_object, "blobs"),
    "recolour_largest": (recolour_largest, "mono_blobs"),
    "connect_pairs": (connect_pairs, "sparse"),
    "tile_mirrored": (tile_mirrored, "cells"),
    "or_of_split": (or_of_split, "split_mono"),
    "fractal": (fractal, "small"),
    "drop_rays": (drop_rays, "sparse"),
    "count_objects_column": (count_objects_column, "blobs"),
    "fill_bboxes": (fill_bboxes, "sparse_blobs"),
    "hollow_objects": (hollow_objects, "blobs"),
    "gravity_down": (gravity_down, "sparse"),
    "scale_by_colours": (scale_by_colours, "small"),
    "transpose": (lambda g: g.T.copy(), "cells"),
    "invert_mono": (lambda g: np.where(g > 0, 0, 1).astype(np.uint8), "mono"),
    "flip_each_object": (flip_each_object, "shapes"),
    "drop_objects": (drop_objects, "shapes"),
    "remove_border_objects": (remove_border_objects, "shapes"),
    "recolour_border_objects": (recolour_border_objects, "mono_shapes"),
    "recolour_by_shape_width": (recolour_by_shape_width, "mono_shapes"),
    "crop_smallest": (crop_smallest, "shapes"),
    "crop_unique_colour": (crop_unique_colour, "paired_shapes"),
    "count_largest_colour": (count_largest_colour, "shapes"),
    "object_to_corner": (object_to_corner, "one_shape"),
    "stack_objects": (stack_objects, "shapes"),
    "inside_frame": (inside_frame, "framed"),
    "recolour_inside_frame": (recolour_inside_frame, "framed"),
    "cell_to_block": (cell_to_block, "small"),
    "colour_histogram": (colour_histogram, "few_colours"),
    "odd_panel": (odd_panel, "panels"),
    "extend_to_edges": (extend_to_edges, "sparse"),
    "panel_summary": (panel_summary, "grid_panels"),
    "shift_content": (shift_content, "sparse"),
    "box_between_corners": (box_between_corners, "two_corners"),
    "keep_marked_objects": (keep_marked_objects, "marked_shapes"),
}


def make_task(name: str, seed: int) -> Task:
    """Three demonstrations and one test input of ``name``'s operation on random grids from ``seed``."""
    op, kind = OPERATIONS[name]
    rng = np.random.default_rng(seed)
    examples = []
    for _ in range(4):
        grid = INPUTS[kind](rng)
        examples.append(Example(grid, op(grid).astype(np.uint8)))
    return Task(f"battery/{name}", tuple(examples[:3]), tuple(examples[3:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated operation names (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random grids (one task per operation)")
    parser.add_argument("--set", action="append", default=[], help="SearchConfig override key=value (repeatable)")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(OPERATIONS)
    unknown = [n for n in names if n not in OPERATIONS]
    if unknown:
        raise SystemExit(f"error: --only: unknown operation(s) {unknown}; known: {', '.join(OPERATIONS)}")
    cfg = SearchConfig(**parse_set(args.set))
    covered = 0
    print("| operation | covered | CPU s | first program |")
    print("|---|---|---|---|")
    for name in names:
        task = make_task(name, args.seed)
        start = time.process_time()
        result = search_task(task.public(), cfg)
        seconds = time.process_time() - start
        attempts = [grid for grid, _ in rank_answers(result, 0)][:2]
        ok = any(grids_equal(a, task.test[0].output) for a in attempts)
        covered += ok
        program = result.programs[0].text if result.programs else "-"
        print(f"| {name} | {'yes' if ok else 'no'} | {seconds:.1f} | `{program[:70]}` |", flush=True)
    print(f"\ncovered {covered} of {len(names)} operations (seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
