"""Helpers shared by the ``paths_*`` modules (``paths.py`` lists the themes): the caps on sources and
objects, the eight steps, the source cells of a ray rule and the background run a straight ray paints, the
source colours worth trying, the check that a primitive makes only right changes, and the name texts.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import TaskContext
from arcvdm.search.facts import grid_background

MAX_SOURCES = 30      # more source cells than this: a texture, not sources (the primitive does not apply)
MAX_OBJECTS = 20      # bridges look at pairs of objects: more than this is noise
MAX_STEPS = 120       # a bouncing ray stops after this many cells (it may run in a loop)

STEPS = {"N": (-1, 0), "S": (1, 0), "W": (0, -1), "E": (0, 1),
         "NW": (-1, -1), "NE": (-1, 1), "SW": (1, -1), "SE": (1, 1)}
STRAIGHT = ("N", "S", "W", "E")
TURNS = {"N": ("W", "E"), "S": ("W", "E"), "W": ("N", "S"), "E": ("N", "S")}

MAX_SEEDS = 10     # seed cells per grid, at most

SOURCE = -1      # a pattern entry: the ray's source colour


def _colour_text(paint: int | None) -> str:
    return "own" if paint is None else str(paint)


def _source_text(source: int | None) -> str:
    return "all" if source is None else str(source)


def _source_cells(grid: Grid, source: int | None, bg: int) -> list[tuple[int, int]] | None:
    """Cells of ``source`` (None: every non-background cell); None when there are too many."""
    mask = grid != bg if source is None else grid == source
    if source == bg or np.count_nonzero(mask) > MAX_SOURCES:
        return None
    return [(int(y), int(x)) for y, x in np.argwhere(mask)]


def ray_sources(grid: Grid, source: int | None, bg: int | None) -> tuple[int, list[tuple[int, int]]] | None:
    """(the grid's background, the cells rays start from) for a ray primitive; None when there is no
    source cell or too many (the primitive does not apply)."""
    b = grid_background(grid, bg)
    starts = _source_cells(grid, source, b)
    if not starts:
        return None
    return b, starts


def _straight_path(grid: Grid, y: int, x: int, dy: int, dx: int, bg: int) -> list[tuple[int, int]]:
    """Background cells from (y, x) in one direction up to the border or the first non-background cell."""
    h, w = grid.shape
    cells = []
    y, x = y + dy, x + dx
    while 0 <= y < h and 0 <= x < w and grid[y, x] == bg:
        cells.append((y, x))
        y, x = y + dy, x + dx
    return cells


def _single_colour_sources(ctx: TaskContext, bg: int | None) -> list[int | None]:
    """Source choices for ray rules: every non-background cell, and each input colour with few cells."""
    sources: list[int | None] = [None]
    for c in ctx.colours_in():
        if c == bg:
            continue
        if all(np.count_nonzero(i == c) <= MAX_SOURCES for i in ctx.train_inputs) and \
                any((i == c).any() for i in ctx.train_inputs):
            sources.append(c)
    return sources
