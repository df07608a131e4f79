"""Selectors: rules that pick one object out of a grid's objects (``"largest"``, ``"rare_colour"``, ...).

A selector returns the index of its object, or ``None`` when the choice is ambiguous (a tie, or fewer
objects than the rule needs), so a primitive built on it does not apply to that grid. ``SELECTORS`` is
ordered from the most common rule in ARC tasks to the rarest: families offer them in this order.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.cache import by_content
from arcvdm.search.facts import background
from arcvdm.search.objects import Obj, View, holes, objects_of


def _symmetric(obj: Obj) -> bool:
    """The object's cells and colours are unchanged by a left-right or an up-down flip."""
    cells = obj.cells
    return bool((cells == cells[:, ::-1]).all() or (cells == cells[::-1, :]).all())


def _unique_extreme(values: list, largest: bool) -> int | None:
    """Index of the one maximum (or minimum) of ``values``; None on a tie or fewer than 2 values."""
    if len(values) < 2:
        return None
    best = max(values) if largest else min(values)
    hits = [i for i, v in enumerate(values) if v == best]
    return hits[0] if len(hits) == 1 else None


def _rarest(keys: list) -> int | None:
    """Index of the one object whose key no other object shares (and no other key is as rare)."""
    if len(keys) < 2:
        return None
    counts = Counter(keys)
    alone = [i for i, k in enumerate(keys) if counts[k] == 1]
    return alone[0] if len(alone) == 1 else None


def _commonest(keys: list) -> int | None:
    """Index of the first object whose key is shared by more objects than any other key."""
    if len(keys) < 3:
        return None
    ranked = Counter(keys).most_common(2)
    if ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return keys.index(ranked[0][0])


def _next_to_other(grid: Grid) -> np.ndarray:
    """(h, w) bool: cells with an 8-neighbour whose colour is neither theirs nor the background."""
    h, w = grid.shape
    bg = background(grid)
    padded = np.pad(grid.astype(np.int16), 1, constant_values=-1)
    found = np.zeros((h, w), dtype=bool)
    for dy in range(3):
        for dx in range(3):
            near = padded[dy:dy + h, dx:dx + w]
            found |= (near >= 0) & (near != grid) & (near != bg)
    return found


def _marked(objs: tuple[Obj, ...], grid: Grid) -> int | None:
    """The largest object touching a cell of another (non-background) colour."""
    flagged = by_content("next_to_other", grid, (), lambda: _next_to_other(grid))  # one grid, many primitives
    flags = [bool((flagged[o.top:o.bottom, o.left:o.right] & o.mask).any()) for o in objs]
    return _largest_flagged(objs, flags)


def _largest_flagged(objs: tuple[Obj, ...], flags: list[bool]) -> int | None:
    """Index of the largest flagged object (a marker touching a shape is flagged too, and smaller);
    None when nothing is flagged, every object is, or two largest tie."""
    hits = [i for i, f in enumerate(flags) if f]
    if not hits or len(hits) == len(objs):
        return None
    sizes = [objs[i].size for i in hits]
    best = [i for i in hits if objs[i].size == max(sizes)]
    return best[0] if len(best) == 1 else None


Selector = Callable[[tuple[Obj, ...], Grid], "int | None"]

SELECTORS: dict[str, Selector] = {
    "largest": lambda objs, grid: _unique_extreme([o.size for o in objs], True),
    "smallest": lambda objs, grid: _unique_extreme([o.size for o in objs], False),
    "largest_box": lambda objs, grid: _unique_extreme([o.box_area for o in objs], True),
    "smallest_box": lambda objs, grid: _unique_extreme([o.box_area for o in objs], False),
    "rare_colour": lambda objs, grid: _rarest([o.colour for o in objs]),
    "rare_shape": lambda objs, grid: _rarest([o.shape_key for o in objs]),
    "rare_pattern": lambda objs, grid: _rarest([o.cells.tobytes() + o.shape_key for o in objs]),
    "common_pattern": lambda objs, grid: _commonest([o.cells.tobytes() + o.shape_key for o in objs]),
    "common_shape": lambda objs, grid: _commonest([o.shape_key for o in objs]),
    "symmetric": lambda objs, grid: _rarest([_symmetric(o) for o in objs]),
    "most_colours": lambda objs, grid: _unique_extreme([o.n_colours for o in objs], True),
    "most_minor": lambda objs, grid: _unique_extreme([o.minor for o in objs], True),
    "marked": _marked,
    "most_holes": lambda objs, grid: _unique_extreme([holes(o) for o in objs], True),
    "densest": lambda objs, grid: _unique_extreme([o.size / o.box_area for o in objs], True),
    "sparsest": lambda objs, grid: _unique_extreme([o.size / o.box_area for o in objs], False),
    "top": lambda objs, grid: _unique_extreme([o.top for o in objs], False),
    "bottom": lambda objs, grid: _unique_extreme([o.bottom for o in objs], True),
    "left": lambda objs, grid: _unique_extreme([o.left for o in objs], False),
    "right": lambda objs, grid: _unique_extreme([o.right for o in objs], True),
}


def select(grid: Grid, view: View, selector: str) -> Obj | None:
    """The one object ``selector`` picks in ``grid`` under ``view``, or None."""
    objs = objects_of(grid, view)
    if not objs:
        return None
    if len(objs) == 1:
        return objs[0]
    index = SELECTORS[selector](objs, grid)
    return None if index is None else objs[index]
