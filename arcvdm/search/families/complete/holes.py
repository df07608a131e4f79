"""What hides the picture, shared by the ``complete_*`` modules (``complete.py`` lists the themes): the
``cover`` colour (the one colour whose cells form one solid rectangle), the hole's cells in a grid, the part
of a filled grid under the hole's box, and the ``auto`` hole (per grid, the rarest colour a fill can fill).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.facts import background

AUTO_TRIES = 3  # colours tried as the hole of an ``auto`` hole, rarest first

# --- holes ---------------------------------------------------------------------------------------------------

def cover_colour(grid: Grid) -> int | None:
    """The one colour (not the background) whose cells form one solid rectangle of at least 2 cells; None if
    no colour or several do."""
    bg = background(grid)
    found = []
    for c in np.unique(grid).tolist():
        if c == bg:
            continue
        ys, xs = np.nonzero(grid == c)
        area = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
        if ys.size == area and ys.size >= 2:
            found.append(c)
    return found[0] if len(found) == 1 else None


def _hole_mask(grid: Grid, hole: int | str) -> np.ndarray | None:
    """The cells of the hole colour (``hole``, or the grid's cover colour); None when there are none, or
    only they (``auto`` holes are chosen by the caller: None here too)."""
    colour = cover_colour(grid) if hole == "cover" else hole
    if not isinstance(colour, int):
        return None
    mask = grid == colour
    if not mask.any() or mask.all():
        return None
    return mask


def crop_box(filled: Grid, mask: np.ndarray) -> Grid:
    """The part of ``filled`` under the bounding box of ``mask``."""
    ys, xs = np.nonzero(mask)
    return filled[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1].copy()


def auto_hole(grid: Grid, fill) -> tuple[Grid, np.ndarray] | None:
    """Per grid, the hole is the rarest non-background colour (of the AUTO_TRIES rarest) whose cells ``fill``
    (a function of the mask returning a grid with every masked cell filled, or None) can fill: (filled
    grid, hole mask)."""
    bg = background(grid)
    colours, counts = np.unique(grid, return_counts=True)
    rarest = [c for _, c in sorted(zip(counts.tolist(), colours.tolist())) if c != bg]
    for c in rarest[:AUTO_TRIES]:
        mask = grid == c
        out = fill(mask)
        if out is not None:
            return out, mask
    return None


def auto_fill(grid: Grid, fill, hidden: bool) -> Grid | None:
    """``auto_hole``'s filled grid, or only the filled box of its hole when ``hidden``; None if no hole fills."""
    found = auto_hole(grid, fill)
    if found is None:
        return None
    return crop_box(found[0], found[1]) if hidden else found[0]
