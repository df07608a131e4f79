"""Lattice completion, primitives of the ``complete`` family (``complete.py`` lists the themes): the
picture repeats along two lattice vectors that need not be the grid's axes (rows that shift each period:
bricks, diagonals); the smallest lattice the known cells agree on (but for a ``noise`` share) fills the
hidden cells (``lattice_fill_mask``, ``lattice_fill``) or repairs spoilt ones (``lattice_repair``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.families.complete.holes import _hole_mask, auto_fill, crop_box

MAX_LATTICE_CHECKS = 60  # lattices checked cell by cell before giving up (keeps a call cheap)
NOISE = 0.1  # the share of cells a noisy lattice may have outside their class's colour

# --- lattices ----------------------------------------------------------------------------------------------------

def shift_clashes(grid: Grid, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every shift (dy, dx) (indices taken modulo the arrays' shape): how many known cells (i, j) see a
    known cell (i + dy, j + dx) of another colour, and how many see a known cell at all; by FFT correlation
    of each colour's plane with itself."""
    h, w = grid.shape
    size = (2 * h, 2 * w)
    same = 0
    for c in np.unique(grid[known]).tolist():
        f = np.fft.rfft2((known & (grid == c)).astype(np.float64), size)
        same = same + np.conj(f) * f
    f = np.fft.rfft2(known.astype(np.float64), size)
    pairs = np.rint(np.fft.irfft2(f * np.conj(f), size)).astype(np.int64)
    return np.rint(np.fft.irfft2(f * np.conj(f) - same, size)).astype(np.int64), pairs


def lattice_classes(h: int, w: int, py: int, px: int, shear: int) -> np.ndarray:
    """The class of each cell under the lattice spanned by (0, px) and (py, shear): rows repeat every ``py``
    rows shifted ``shear`` columns to the right, columns every ``px``."""
    rows = np.arange(h)[:, None]
    cols = np.arange(w)[None, :]
    block = rows // py
    return (rows % py) * px + (cols - block * shear) % px


def lattice_fill_mask(grid: Grid, mask: np.ndarray, noise: float = 0.0, repair: bool = False) -> Grid | None:
    """Fill the cells of ``mask`` from the smallest lattice (fewest classes; then shorter rows) on whose
    classes the known cells agree, but for at most a ``noise`` share of them (the minority of their class),
    and whose every class holding a hidden cell is seen. Hidden cells take their class's (majority) colour;
    with ``repair`` the known cells outside the majority do too."""
    h, w = grid.shape
    known = ~mask
    n_known = int(known.sum())
    vals = grid[known].astype(np.int64)
    clashes, pairs = shift_clashes(grid, known)
    n1 = clashes.shape[1]
    # a noisy cell spoils at most two pairs of a shift
    allowed = np.floor(2 * noise * pairs).astype(np.int64)
    fits = clashes <= allowed  # the picture agrees with itself moved by (dy, dx), indices modulo the shape
    xs = [p for p in range(1, w + 1) if fits[0, p]]
    candidates = []
    most = 2 * n_known // 3  # a pattern that repeats: each class seen 1.5 times on average
    for px in xs:
        # rows repeat every py < h rows shifted by a shear: a necessary test is that the picture agrees with
        # itself moved by one lattice step down, (py, shear) and (py, shear - px)
        pys = np.arange(1, min(h - 1, most // px) + 1)
        shears = np.arange(px)
        ok = fits[np.ix_(pys, shears % n1)] & fits[np.ix_(pys, (shears - px) % n1)]
        for i, shear in zip(*np.nonzero(ok)):
            candidates.append((int(pys[i]) * px, int(pys[i]), px, int(shear)))
        if h * px <= most and px < w:
            candidates.append((h * px, h, px, 0))  # rows never repeat
    candidates.sort()
    checked = 0
    for _, py, px, shear in candidates:
        checked += 1
        if checked > MAX_LATTICE_CHECKS:
            return None  # too many near misses: no clear lattice
        n = py * px
        classes = lattice_classes(h, w, py, px, shear)
        counts = np.bincount(classes[known] * 10 + vals, minlength=n * 10).reshape(n, 10)
        if n_known - int(counts.max(axis=1).sum()) > noise * n_known:
            continue  # too many cells outside their class's colour
        table = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)
        filled = table[classes[mask]]
        if (filled < 0).any():
            continue  # a hidden cell whose class is never seen
        out = grid.copy()
        out[mask] = filled.astype(np.uint8)
        if repair:
            out[known] = table[classes[known]].astype(np.uint8)
        return out
    return None


def lattice_fill(grid: Grid, hole: int | str, hidden: bool = False, noise: float = 0.0) -> Grid | None:
    """Fill the ``hole`` cells from the smallest lattice the known cells agree on, but for a ``noise`` share
    of them (see lattice_fill_mask)."""
    if hole == "auto":
        return auto_fill(grid, lambda m: lattice_fill_mask(grid, m, noise=noise), hidden)
    mask = _hole_mask(grid, hole)
    if mask is None:
        return None
    out = lattice_fill_mask(grid, mask, noise=noise)
    if out is None:
        return None
    return crop_box(out, mask) if hidden else out


def lattice_repair(grid: Grid) -> Grid | None:
    """A repeating picture with some cells spoilt (at most NOISE of them): every cell takes the majority
    colour of its class in the smallest lattice that explains the rest. None when nothing changes."""
    out = lattice_fill_mask(grid, np.zeros(grid.shape, dtype=bool), noise=NOISE, repair=True)
    if out is None or np.array_equal(out, grid):
        return None
    return out
