"""Box and cell helpers shared by the ``placing_*`` modules that move objects (``moves.py``,
``copies.py``; ``placing.py`` lists the themes): an object's cells and box, the gap between two boxes
and the step from one towards the other, whether cells lie next to a colour; and the cap on moving objects.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.objects import Obj

MAX_MOVERS = 12      # more objects of the moving colour than this: a texture, not movers


# --- helpers --------------------------------------------------------------------------------------------

def _sign(v: int) -> int:
    return (v > 0) - (v < 0)


def _cells(obj: Obj) -> tuple[np.ndarray, np.ndarray]:
    """Grid rows and columns of ``obj``'s cells."""
    ys, xs = np.nonzero(obj.mask)
    return ys + obj.top, xs + obj.left


def _gap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    """Chebyshev gap between two boxes (top, left, bottom, right; bottom/right exclusive): 0 when they
    overlap, 1 when they touch (edge or corner), more when apart."""
    gy = max(b[0] - a[2] + 1, a[0] - b[2] + 1, 0)
    gx = max(b[1] - a[3] + 1, a[1] - b[3] + 1, 0)
    return max(gy, gx)


def _toward(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int]:
    """The step (dy, dx) from box ``a`` towards box ``b``: along an axis only where they do not overlap."""
    dy = 1 if b[0] >= a[2] else -1 if b[2] <= a[0] else 0
    dx = 1 if b[1] >= a[3] else -1 if b[3] <= a[1] else 0
    return dy, dx


def _box(obj: Obj) -> tuple[int, int, int, int]:
    return obj.top, obj.left, obj.bottom, obj.right


def _next_to(grid: Grid, ys: np.ndarray, xs: np.ndarray, colour: int) -> bool:
    """Some edge-neighbour of the cells (ys, xs) holds ``colour``."""
    h, w = grid.shape
    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        ny, nx = ys + dy, xs + dx
        inside = (ny >= 0) & (ny < h) & (nx >= 0) & (nx < w)
        if (grid[ny[inside], nx[inside]] == colour).any():
            return True
    return False
