"""Reference grid and line operations of the search battery (``arcvdm.generate.battery``): plain numpy, written apart
from the DSL so that a bug in a primitive cannot make its own check pass. Background is 0."""

from __future__ import annotations

import numpy as np


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


def smear_right(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for r in range(g.shape[0]):
        for c in range(1, g.shape[1]):
            if out[r, c] == 0:
                out[r, c] = out[r, c - 1]
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


def gravity_down(g: np.ndarray) -> np.ndarray:
    return np.rot90(gravity_left(np.rot90(g, 1)), -1)


def scale_by_colours(g: np.ndarray) -> np.ndarray:
    k = len(set(np.unique(g).tolist()) - {0})
    return np.repeat(np.repeat(g, k, axis=0), k, axis=1)


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


def _panels_of(g: np.ndarray) -> list[np.ndarray]:
    """The panels between full columns of 5, left to right."""
    cuts = [-1] + [int(c) for c in np.flatnonzero((g == 5).all(axis=0))] + [g.shape[1]]
    return [g[:, a + 1 : b] for a, b in zip(cuts[:-1], cuts[1:])]


def odd_panel(g: np.ndarray) -> np.ndarray:
    """Of the panels split by columns of 5, the one unlike the others."""
    panels = _panels_of(g)
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


def scale2(g: np.ndarray) -> np.ndarray:
    return np.repeat(np.repeat(g, 2, axis=0), 2, axis=1)


def above_below(g: np.ndarray) -> np.ndarray:
    """Cells above the full row of 5 become 2, cells below it 3 (background stays)."""
    line = int(np.flatnonzero((g == 5).all(axis=1))[0])
    out = g.copy()
    above, below = out[:line], out[line + 1 :]
    above[above > 0] = 2
    below[below > 0] = 3
    return out


def densest_panel(g: np.ndarray) -> np.ndarray:
    """Of the panels split by columns of 5, the one with the most filled cells (the first on ties)."""
    panels = _panels_of(g)
    return max(panels, key=lambda p: int(np.count_nonzero(p)))


def colours_by_frequency(g: np.ndarray) -> np.ndarray:
    """A column of the colours present, the most frequent first (lower colour first on ties)."""
    counts = np.bincount(g.ravel(), minlength=10)
    colours = sorted((c for c in range(1, 10) if counts[c]), key=lambda c: (-counts[c], c))
    return np.array(colours, dtype=np.uint8)[:, None]


def crop_between_corners(g: np.ndarray) -> np.ndarray:
    """The cells strictly inside the box whose corners are the 5 cells."""
    ys, xs = np.nonzero(g == 5)
    return g[ys.min() + 1 : ys.max(), xs.min() + 1 : xs.max()]
