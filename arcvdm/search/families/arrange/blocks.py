"""Same-size edits of a separator grid's blocks: blocks filled or emptied by their cell count, one block
copied into the others (``arrange.py`` section 4).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import colour_counts, grid_background
from arcvdm.search.families.parts import between_lines
from arcvdm.search.objects import bg_text

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
            colours = colour_counts(block[block != b])
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
