"""Item features of the ``traits`` family: what a decision may read of an object or a background region
(size and its rank, extreme positions, sides touched, shape shared or seen before, holes, colours held or
touched, symmetry, parities, ...), as tables of functions ``(item, items, grid, bg) -> value``.
"""

from __future__ import annotations

from typing import Callable

from arcvdm.grids import Grid
from arcvdm.search.families.traits.actions import _around
from arcvdm.search.objects import Obj, touches_border


def _symmetric(obj: Obj) -> bool:
    cells = obj.cells
    return bool((cells == cells[:, ::-1]).all() or (cells == cells[::-1, :]).all())


def _sides(item: Obj, shape: tuple[int, int]) -> str:
    """The grid sides the item touches, as letters t, b, l, r ("none" for none)."""
    touched = (item.top == 0, item.bottom == shape[0], item.left == 0, item.right == shape[1])
    return "".join(letter for letter, hit in zip("tblr", touched) if hit) or "none"


def _at_centre(item: Obj, shape: tuple[int, int]) -> bool:
    """The item's bounding box holds the grid's centre (a cell, or the point between two or four cells)."""
    cy, cx = (shape[0] - 1) / 2, (shape[1] - 1) / 2
    return item.top <= cy <= item.bottom - 1 and item.left <= cx <= item.right - 1


def _orientation(item: Obj) -> str:
    """"wide", "tall" or "even": how the item's bounding box is shaped."""
    if item.width > item.height:
        return "wide"
    return "tall" if item.height > item.width else "even"


def _rank(item: Obj, items: tuple[Obj, ...]) -> int:
    """1 for the largest size, 2 for the next distinct size, ..."""
    return sorted({p.size for p in items}, reverse=True).index(item.size) + 1


def _shape_seen_before(obj: Obj, items: tuple[Obj, ...], grid: Grid, bg: int) -> bool:
    """An object earlier in raster order has this one's shape: the later ones are copies of a template."""
    for other in items:
        if other is obj:
            return False
        if other.shape_key == obj.shape_key:
            return True
    return False


ItemFeature = Callable[[Obj, tuple[Obj, ...], Grid, int], object]

SHARED_FEATURES: dict[str, ItemFeature] = {   # objects and regions; coarse first
    "largest": lambda o, items, grid, bg: o.size == max(p.size for p in items),
    "smallest": lambda o, items, grid, bg: o.size == min(p.size for p in items),
    "border": lambda o, items, grid, bg: touches_border(o, grid.shape),
    "rectangle": lambda o, items, grid, bg: o.size == o.box_area,
    "square": lambda o, items, grid, bg: o.size == o.box_area and o.height == o.width,
    "line": lambda o, items, grid, bg: min(o.height, o.width) == 1,
    "size%2": lambda o, items, grid, bg: o.size % 2,
    "width%2": lambda o, items, grid, bg: o.width % 2,
    "height%2": lambda o, items, grid, bg: o.height % 2,
    "size_rank": lambda o, items, grid, bg: _rank(o, items),
    "sides": lambda o, items, grid, bg: _sides(o, grid.shape),
    "at_centre": lambda o, items, grid, bg: _at_centre(o, grid.shape),
    "orientation": lambda o, items, grid, bg: _orientation(o),
    "topmost": lambda o, items, grid, bg: o.top == min(p.top for p in items),
    "bottommost": lambda o, items, grid, bg: o.bottom == max(p.bottom for p in items),
    "leftmost": lambda o, items, grid, bg: o.left == min(p.left for p in items),
    "rightmost": lambda o, items, grid, bg: o.right == max(p.right for p in items),
    "size": lambda o, items, grid, bg: o.size,
    "width": lambda o, items, grid, bg: o.width,
    "height": lambda o, items, grid, bg: o.height,
}

OBJECT_FEATURES: dict[str, ItemFeature] = {
    **SHARED_FEATURES,
    "has_holes": lambda o, items, grid, bg: o.n_holes > 0,
    "shared_shape": lambda o, items, grid, bg: sum(p.shape_key == o.shape_key for p in items) > 1,
    "shape_seen_before": _shape_seen_before,
    "unique_colour": lambda o, items, grid, bg: sum(p.colour == o.colour for p in items) == 1,
    "symmetric": lambda o, items, grid, bg: _symmetric(o),
    "touches_other": lambda o, items, grid, bg: bool(_around(o, grid) - {bg, o.colour}),
    "holes": lambda o, items, grid, bg: o.n_holes,
    "colour": lambda o, items, grid, bg: o.colour,
    "n_colours": lambda o, items, grid, bg: o.n_colours,
    "minor_cells": lambda o, items, grid, bg: o.minor,
    "shape_count": lambda o, items, grid, bg: sum(p.shape_key == o.shape_key for p in items),
}

def _framed(item: Obj, grid: Grid, bg: int) -> bool:
    """The ring around the item's bounding box (inside the grid) holds no background: a closed frame."""
    top, left = max(item.top - 1, 0), max(item.left - 1, 0)
    bottom, right = min(item.bottom + 1, grid.shape[0]), min(item.right + 1, grid.shape[1])
    ring = grid[top:bottom, left:right] != bg
    ring[item.top - top:item.bottom - top, item.left - left:item.right - left] = True
    return bool(ring.all())


REGION_FEATURES: dict[str, ItemFeature] = dict(SHARED_FEATURES)
REGION_FEATURES["framed"] = lambda o, items, grid, bg: _framed(o, grid, bg)
for _c in range(10):
    REGION_FEATURES[f"touches_{_c}"] = lambda o, items, grid, bg, c=_c: c in _around(o, grid)
    OBJECT_FEATURES[f"touches_{_c}"] = REGION_FEATURES[f"touches_{_c}"]
    OBJECT_FEATURES[f"has_{_c}"] = lambda o, items, grid, bg, c=_c: bool((o.patch[o.mask] == c).any())

NUMERIC = ("size_rank", "size", "width", "height", "holes", "n_colours", "minor_cells", "shape_count")
# features with few values: a full map of them may fit
MAPPED = ("orientation", "sides", "size_rank", "holes", "colour", "n_colours", "shape_count")
