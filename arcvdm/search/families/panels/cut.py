"""Cutting a grid into panels: the colour of its separator lines (``panel_separator``), the panels between
them (``separator_boxes``), panels of one shape cut at separators or into 2, 3 or 4 equal parts
(``panel_boxes``), and the cells of a lattice of equal blocks (``lattice_index``). Shared by every
``panels_*`` module (``panels.py`` lists the themes).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.families.parts import between_lines, separator_colour

SPLITS = ("sep", "h2", "h3", "v2", "v3", "q4", "long2")


# --- cutting a grid into panels ---------------------------------------------------------------------

def panel_separator(grid: Grid) -> int | None:
    """The colour of a grid's separator lines (``parts.separator_colour``), a non-zero colour winning
    over lines of 0 (empty panels also make full lines of 0); None when no colour qualifies."""
    return separator_colour(grid, nonzero_first=True)


def separator_boxes(grid: Grid) -> list[tuple[int, int, int, int]] | None:
    """The panels between the lines of ``panel_separator`` as (top, bottom, left, right) boxes in reading
    order, of any shapes; None when the grid has no separator colour."""
    sep = panel_separator(grid)
    if sep is None:
        return None
    return [(r0, r1, c0, c1) for r0, r1 in between_lines((grid == sep).all(axis=1))
            for c0, c1 in between_lines((grid == sep).all(axis=0))]


def panel_boxes(grid: Grid, mode: str) -> list[tuple[int, int, int, int]] | None:
    """The panels of ``grid`` as (top, bottom, left, right) boxes of one shape, cut by ``mode``:
    ``sep`` at the lines of ``panel_separator``, ``h2``/``h3`` side by side, ``v2``/``v3`` stacked, ``q4``
    quadrants, ``long2`` halves across the longer side; None when there are fewer than two or they differ
    in shape."""
    h, w = grid.shape
    if mode == "sep":
        boxes = separator_boxes(grid)
        if boxes is None:
            return None
    elif mode in ("h2", "h3"):
        n = int(mode[1])
        if w % n:
            return None
        boxes = [(0, h, k * (w // n), (k + 1) * (w // n)) for k in range(n)]
    elif mode in ("v2", "v3"):
        n = int(mode[1])
        if h % n:
            return None
        boxes = [(k * (h // n), (k + 1) * (h // n), 0, w) for k in range(n)]
    elif mode == "long2":                    # halves across the longer side, whichever way the grid lies
        if h == w:
            return None
        return panel_boxes(grid, "h2" if w > h else "v2")
    elif mode == "q4":
        if h % 2 or w % 2:
            return None
        boxes = [(r, r + h // 2, c, c + w // 2) for r in (0, h // 2) for c in (0, w // 2)]
    else:
        raise ValueError(f"unknown panel split {mode!r}; choose one of {SPLITS}")
    if len(boxes) < 2 or len({(r1 - r0, c1 - c0) for r0, r1, c0, c1 in boxes}) != 1:
        return None
    return boxes


def lattice_index(grid: Grid) -> tuple[np.ndarray, np.ndarray] | None:
    """The cells of a separator lattice whose blocks all share one shape: row indices (R, bh) and column
    indices (C, bw), so that ``grid[rows[i][:, None], cols[j]]`` is block (i, j). None when the grid has
    no separator colour (``panel_separator``) or its blocks differ in shape."""
    sep = panel_separator(grid)
    if sep is None:
        return None
    row_runs = between_lines((grid == sep).all(axis=1))
    col_runs = between_lines((grid == sep).all(axis=0))
    if not row_runs or not col_runs:
        return None
    heights = {r1 - r0 for r0, r1 in row_runs}
    widths = {c1 - c0 for c0, c1 in col_runs}
    if len(heights) != 1 or len(widths) != 1:
        return None
    rows = np.array([np.arange(r0, r1) for r0, r1 in row_runs])
    cols = np.array([np.arange(c0, c1) for c0, c1 in col_runs])
    return rows, cols
