"""Item actions of the ``traits`` family: what an object or a background region may have done to it
(kept, painted with a literal colour or one read off the grid, holes or inner cells filled), which actions
explain a demonstration (``_actions``) and how one is applied (``_do``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.facts import colour_counts
from arcvdm.search.objects import Obj, reach_border

Action = tuple   # ("keep",) or (kind, colour) with kind "paint", "holes" or "interior"
KEEP_ACTION: Action = ("keep",)
ACTION_ORDER = {"keep": 0, "paint": 1, "paint_rarest": 2, "paint_minor": 3, "paint_touching": 4,
                "paint_column_key": 5, "paint_row_key": 6, "holes": 7, "holes_own": 8, "interior": 9}
# paint with a colour read off the grid
DERIVED = ("paint_rarest", "paint_minor", "paint_touching", "paint_column_key", "paint_row_key")


def rarest_colour(grid: Grid, bg: int) -> int | None:
    """The one least frequent colour of the grid other than ``bg`` (None on a tie or with no other colour):
    a marker whose colour other objects take."""
    counts = colour_counts(grid)
    counts[bg] = 0
    present = counts[counts > 0]
    if present.size == 0 or np.count_nonzero(present == present.min()) > 1:
        return None
    return int(np.flatnonzero(counts == present.min())[0])


def _hole_mask(obj: Obj) -> np.ndarray:
    """(bh, bw) bool: cells of the object's box, not its own, that cannot reach the box's edge."""
    outside = ~obj.mask
    return outside & ~reach_border(outside, 4)


def _inner_mask(obj: Obj) -> np.ndarray:
    """(bh, bw) bool: the object's cells whose four neighbours are all its own."""
    m = np.pad(obj.mask, 1)
    return obj.mask & m[:-2, 1:-1] & m[2:, 1:-1] & m[1:-1, :-2] & m[1:-1, 2:]


def _derived(kind: str, obj: Obj, grid: Grid, bg: int, rare: int | None) -> int | None:
    """The colour a derived paint action uses: the grid's rarest colour (``rare``), the object's less
    frequent colour when it has two (``paint_minor``), the one colour, neither the background nor its
    own, that touches it (``paint_touching``), or the one such colour in the object's columns
    (``paint_column_key``: a key drawn above or below it) or rows; None when there is no such colour."""
    if kind == "paint_rarest":
        return rare
    if kind == "paint_minor":
        if obj.n_colours != 2:
            return None
        counts = colour_counts(grid[obj.top:obj.bottom, obj.left:obj.right][obj.mask])
        counts[obj.colour] = 0
        return int(np.argmax(counts))
    own = int(grid[obj.top:obj.bottom, obj.left:obj.right][obj.mask][0])
    if kind == "paint_touching":
        near = _around(obj, grid) - {bg, own}
    else:
        band = grid[:, obj.left:obj.right] if kind == "paint_column_key" else grid[obj.top:obj.bottom, :]
        near = set(np.unique(band).tolist()) - {bg, own}
    return near.pop() if len(near) == 1 else None


def _actions(obj: Obj, grid: Grid, out: Grid, with_inside: bool, bg: int, rare: int | None) -> set[Action]:
    """The actions that turn the object's box of ``grid`` into what the output shows there (empty: none
    does); ``with_inside``: filling holes and inner cells too; ``rare``: the grid's rarest colour."""
    before = grid[obj.top:obj.bottom, obj.left:obj.right]
    after = out[obj.top:obj.bottom, obj.left:obj.right]
    mask = obj.mask
    got = after[mask]
    found: set[Action] = set()
    kept = bool((got == before[mask]).all())
    if kept:
        found.add(KEEP_ACTION)
    if (got == got[0]).all():
        found.add(("paint", int(got[0])))
        for kind in DERIVED:
            if _derived(kind, obj, grid, bg, rare) == got[0]:
                found.add((kind,))
    if not with_inside:
        return found
    holes = _hole_mask(obj)
    if kept and holes.any():
        inside = after[holes]
        if (inside == inside[0]).all() and (inside != before[holes]).any():
            found.add(("holes", int(inside[0])))
            if inside[0] == obj.colour:
                found.add(("holes_own",))
    inner = _inner_mask(obj)
    if inner.any():
        rim = mask & ~inner
        inside = after[inner]
        if (after[rim] == before[rim]).all() and (inside == inside[0]).all() and (inside != before[inner]).any():
            found.add(("interior", int(inside[0])))
    return found


def _do(out: Grid, obj: Obj, action: Action, grid: Grid, bg: int, rare: int | None) -> bool:
    """Apply ``action`` to the object's cells of ``out`` (a copy of ``grid`` the caller owns); False when
    it cannot (a derived colour that does not exist)."""
    if action[0] == "keep":
        return True
    box = out[obj.top:obj.bottom, obj.left:obj.right]
    if action[0] == "paint":
        box[obj.mask] = action[1]
    elif action[0] in DERIVED:
        colour = _derived(action[0], obj, grid, bg, rare)
        if colour is None:
            return False
        box[obj.mask] = colour
    elif action[0] == "holes":
        box[_hole_mask(obj)] = action[1]
    elif action[0] == "holes_own":
        box[_hole_mask(obj)] = obj.colour
    else:
        box[_inner_mask(obj)] = action[1]
    return True


def _action_text(action: Action) -> str:
    return " ".join(str(part) for part in action)



def _around(item: Obj, grid: Grid) -> set[int]:
    """Colours of the cells 4-next to the item, outside it."""
    top, left = max(item.top - 1, 0), max(item.left - 1, 0)
    bottom, right = min(item.bottom + 1, grid.shape[0]), min(item.right + 1, grid.shape[1])
    mine = np.zeros((bottom - top, right - left), dtype=bool)
    mine[item.top - top:item.bottom - top, item.left - left:item.right - left] = item.mask
    near = np.zeros_like(mine)
    near[1:, :] |= mine[:-1, :]
    near[:-1, :] |= mine[1:, :]
    near[:, 1:] |= mine[:, :-1]
    near[:, :-1] |= mine[:, 1:]
    return set(np.unique(grid[top:bottom, left:right][near & ~mine]).tolist())
