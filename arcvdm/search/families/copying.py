"""Same-size tasks that copy: a pattern learned around marker objects stamped at every marker, and partial
copies of a template object completed (shifted, or rotated / reflected as well).

1. ``stamp_around``: the demonstrations show, around every single-colour object of one colour and shape
   (a lone cell, a 2x2 square), the same cells painted (a cross, corners); the learned window is painted
   around every such marker of any grid. Its ``midpoint`` variant stamps around the cell midway between
   the two lone cells of a colour (a plus between two dots).
2. ``complete_copies``: the largest objects are templates; every smaller object whose cells all lie,
   colour for colour, on some placement of a template (optionally rotated or reflected) gets the rest of
   that placement painted onto background cells.

Each primitive edits a copy of its input and returns a grid of its shape (unchanged where it finds nothing
to do), or None where it does not apply. The family offers nothing unless every demonstration output has
its input's shape, and keeps a primitive only when most cells it changes take their output colour
(``facts.agrees``): at most 14 primitives per task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.cache import by_content
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, same_size, task_background
from arcvdm.search.objects import Obj, View, objects_of

# A marker kind: (colour, height, width, packed mask); a stamp: relative (dy, dx) -> colour painted.
Key = tuple[int, int, int, bytes]
Stamp = dict[tuple[int, int], int]

MAX_MARKERS = 40      # more single-colour objects than this on a grid: not a marker task
MAX_MARKER_BOX = 16  # a marker's box holds at most this many cells (a lone cell, a 2x2 or 3x3 shape)
MIN_SEEN = 2         # a marker kind the demonstrations show once is a memorised picture, not a rule
MAX_TEMPLATE = 64     # template cells; larger "templates" are backgrounds or walls, not shapes to copy


# --- 1. stamps learned around markers --------------------------------------------------------------------

def _key(obj: Obj) -> Key:
    return (obj.colour, obj.height, obj.width, obj.shape_key)


def _markers(grid: Grid, view: View) -> tuple[Obj, ...] | None:
    objs = objects_of(grid, view)
    return objs if 0 < len(objs) <= MAX_MARKERS else None


MIDPOINT = b"mid"   # the shape part of a midpoint anchor's key


def _anchors(grid: Grid, view: View, where: str) -> list[tuple[Key, int, int, int, int]] | None:
    """(key, top, left, bottom, right) of every anchor box a stamp is placed around: each marker object's
    box (``where="box"``), or the cell midway between the two lone cells of a colour that has exactly
    two (``where="midpoint"``, when the midpoint is a whole cell). None: too many or no objects."""
    objs = _markers(grid, view)
    if objs is None:
        return None
    if where == "box":
        return [(_key(o), o.top, o.left, o.bottom, o.right) for o in objs]
    lone: dict[int, list[Obj]] = {}
    for o in objs:
        if o.size == 1:
            lone.setdefault(o.colour, []).append(o)
    found = []
    for colour, pair in sorted(lone.items()):
        if len(pair) == 2 and (pair[0].top + pair[1].top) % 2 == 0 and (pair[0].left + pair[1].left) % 2 == 0:
            y, x = (pair[0].top + pair[1].top) // 2, (pair[0].left + pair[1].left) // 2
            found.append(((colour, 1, 1, MIDPOINT), y, x, y + 1, x + 1))
    return found


def learn_stamps(ctx: TaskContext, view: View, radius: int, where: str = "box") -> dict[Key, Stamp]:
    """For each marker kind, the cells within ``radius`` of its anchor box (``_anchors``) that every demonstration paints the
    same colour around it, kept when that colour differs from the input somewhere (the stamp changes
    something). A cell whose output colour varies between markers is left out of the stamp; kinds seen
    fewer than ``MIN_SEEN`` times, or with a box larger than ``MAX_MARKER_BOX`` cells, get no stamp."""
    seen: dict[Key, dict[tuple[int, int], set[int]]] = {}
    changes: dict[Key, set[tuple[int, int]]] = {}
    count: dict[Key, int] = {}
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        anchors = _anchors(i, view, where)
        if anchors is None:
            return {}
        h, w = i.shape
        for key, top, left, bottom, right in anchors:
            if (bottom - top) * (right - left) > MAX_MARKER_BOX:
                continue
            count[key] = count.get(key, 0) + 1
            cells, changed = seen.setdefault(key, {}), changes.setdefault(key, set())
            for y in range(top - radius, bottom + radius):
                for x in range(left - radius, right + radius):
                    if 0 <= y < h and 0 <= x < w:
                        rel = (y - top, x - left)
                        cells.setdefault(rel, set()).add(int(o[y, x]))
                        if o[y, x] != i[y, x]:
                            changed.add(rel)
    stamps: dict[Key, Stamp] = {}
    for key, cells in seen.items():
        if count[key] < MIN_SEEN:
            continue
        stamp = {rel: next(iter(cols)) for rel, cols in cells.items() if len(cols) == 1 and rel in changes[key]}
        if stamp:
            stamps[key] = stamp
    return stamps


def _stamp_text(key: Key, stamp: Stamp) -> str:
    colour, h, w, shape = key
    cells = " ".join(f"{dy},{dx}:{c}" for (dy, dx), c in sorted(stamp.items()))
    return f"{colour}@{'mid' if shape == MIDPOINT else f'{h}x{w}'}[{cells}]"


def stamp_around(view: View, radius: int, stamps: dict[Key, Stamp], where: str = "box") -> Primitive:
    """Paint each marker kind's learned stamp around every anchor of that kind (positions relative to the
    anchor's top-left corner; parts off the grid are dropped). Markers of other kinds are left as they are."""
    if where not in ("box", "midpoint"):
        raise ValueError(f"stamp_around: where must be box or midpoint, got {where!r}")

    def fn(grid: Grid) -> Grid | None:
        anchors = _anchors(grid, view, where)
        if anchors is None:
            return None
        out = grid.copy()
        h, w = grid.shape
        for key, top, left, _, _ in anchors:
            for (dy, dx), c in stamps.get(key, {}).items():
                y, x = top + dy, left + dx
                if 0 <= y < h and 0 <= x < w:
                    out[y, x] = c
        return out

    text = "; ".join(_stamp_text(k, s) for k, s in sorted(stamps.items()))
    name = "stamp_around" if where == "box" else "stamp_midpoints"
    return Primitive(f"{name}({view.text}, r={radius}, {text})", fn)


# --- 2. partial copies of a template completed ------------------------------------------------------------

_DIHEDRAL: tuple[Callable[[np.ndarray], np.ndarray], ...] = (
    lambda a: a, np.fliplr, np.flipud, lambda a: np.rot90(a, 2),
    np.transpose, lambda a: np.rot90(a, 1), lambda a: np.rot90(a, -1), lambda a: np.rot90(a, 2).T,
)


@dataclass(frozen=True)
class _Covers:
    """Placements of a template that cover an object (``_relative_placements``), K of them, in orientation
    order: each one's template cells (10 off them) as it paints them, and the same framed to P x P (P: the
    template's longer side) with where its cells are, its size, and its top and left relative to the object's
    box."""

    cells: list[np.ndarray]
    framed: np.ndarray     # (K, P, P) uint8
    on: np.ndarray         # (K, P, P) bool
    heights: np.ndarray    # (K,)
    widths: np.ndarray     # (K,)
    tops: np.ndarray       # (K,)
    lefts: np.ndarray      # (K,)


def _relative_placements(obj: Obj, tmpl: Obj, turns: int) -> _Covers | None:
    """Placements of the template, in its first ``turns`` orientations, that cover every cell of ``obj`` with
    its own colour (None: none does). They depend on the two objects' cells alone, not on where they lie, so
    they are kept per (object, template) pattern (``cache.by_content``): a grid's copies repeat one pattern, and
    the search meets the same objects on many grids."""
    pattern = (obj.shape_key, tmpl.shape_key, tmpl.cells.tobytes(), turns)
    return by_content("copy_covers", obj.cells, pattern, lambda: _covers(obj, tmpl, turns))


def _covers(obj: Obj, tmpl: Obj, turns: int) -> _Covers | None:
    """``_relative_placements``, computed."""
    ys, xs = np.nonzero(obj.mask)
    colours = obj.patch[ys, xs]
    side = max(tmpl.height, tmpl.width)
    found: list[tuple[np.ndarray, int, int]] = []
    for turn in _DIHEDRAL[:turns]:
        cells = np.where(turn(tmpl.mask), turn(tmpl.cells), 10).astype(np.uint8)   # 10: not a template cell
        th, tw = cells.shape
        ty, tx = np.nonzero(cells == colours[0])                  # anchors: template cells of the first colour
        tops, lefts = ys[0] - ty, xs[0] - tx                      # (A,) placement of each anchor
        ry, rx = ys[None, :] - tops[:, None], xs[None, :] - lefts[:, None]   # (A, N) object cells in the template
        inside = ((ry >= 0) & (rx >= 0) & (ry < th) & (rx < tw)).all(axis=1)
        fits = np.flatnonzero(inside)
        if fits.size:
            same = (cells[ry[fits], rx[fits]] == colours).all(axis=1)   # the template shows the object's colours
            fits = fits[same]
        cells.flags.writeable = False
        found += [(cells, int(tops[a]), int(lefts[a])) for a in fits.tolist()]
    if not found:
        return None
    pictures, tops, lefts = zip(*found)
    framed = np.full((len(found), side, side), 10, dtype=np.uint8)
    for k, cells in enumerate(pictures):
        framed[k, :cells.shape[0], :cells.shape[1]] = cells
    return _Covers(list(pictures), framed, framed != 10, np.array([c.shape[0] for c in pictures]),
                   np.array([c.shape[1] for c in pictures]), np.array(tops), np.array(lefts))


def _placements(obj: Obj, tmpl: Obj, turns: int, grid: Grid, bg: int, framed: np.ndarray,
                pad: int) -> list[tuple[np.ndarray, int, int]]:
    """Placements (template cells, top, left) of the template, in its first ``turns`` orientations, that
    cover every cell of ``obj`` with its own colour (``_relative_placements``), overlap the grid and fall,
    elsewhere, only on background cells or on cells already of the template's colour. All are tested at once,
    on ``framed``: the grid with ``pad`` >= the template's longer side cells of background around it (cells off
    the grid are not tested)."""
    covers = _relative_placements(obj, tmpl, turns)
    if covers is None:
        return []
    h, w = grid.shape
    side = covers.framed.shape[1]
    tops, lefts = covers.tops + obj.top, covers.lefts + obj.left
    rows = (tops + pad)[:, None, None] + np.arange(side)[None, :, None]
    cols = (lefts + pad)[:, None, None] + np.arange(side)[None, None, :]
    under = framed[rows, cols]                                                  # (K, side, side)
    free = ((under == bg) | (under == covers.framed) | ~covers.on).all(axis=(1, 2))
    meets = (tops < h) & (tops + covers.heights > 0) & (lefts < w) & (lefts + covers.widths > 0)   # on the grid
    return [(covers.cells[k], int(tops[k]), int(lefts[k])) for k in np.flatnonzero(free & meets).tolist()]


def complete_copies(view: View, turns: int, pick: str) -> Primitive:
    """Complete every object that is a part of a larger template object: the template placement covering
    it (translation only with ``turns=1``, any rotation or reflection with ``turns=8``) is painted onto the
    grid. ``pick="unique"`` paints only when every covering placement paints the same cells;
    ``pick="first"`` takes the largest template's first one. Templates are the objects of the largest size."""
    if turns not in (1, 8) or pick not in ("unique", "first"):
        raise ValueError(f"complete_copies: turns must be 1 or 8 and pick unique or first, got {turns}, {pick!r}")

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs or len(objs) > MAX_MARKERS:
            return None
        bg = view.background_of(grid)
        largest = max(o.size for o in objs)
        templates = [o for o in objs if o.size == largest and o.size <= MAX_TEMPLATE]
        out = grid.copy()
        h, w = grid.shape
        pad = max((max(t.height, t.width) for t in templates), default=0)
        framed = np.full((h + 2 * pad, w + 2 * pad), bg, dtype=grid.dtype)   # the grid amid background
        framed[pad:pad + h, pad:pad + w] = grid
        for obj in objs:
            if obj.size == largest:
                continue
            options = [p for t in templates for p in _placements(obj, t, turns, grid, bg, framed, pad)]
            if not options:
                continue
            # what a placement paints, as a key: its template cells span their whole box (an object's mask
            # is tight), so (top, left, cells) fixes the painted cells and their colours, and back
            painted = {(top, left, cells.shape, cells.tobytes()) for cells, top, left in options}
            if pick == "unique" and len(painted) > 1:
                continue
            cells, top, left = options[0]
            ys, xs = np.nonzero(cells != 10)
            gy, gx = ys + top, xs + left
            keep = (gy >= 0) & (gy < h) & (gx >= 0) & (gx < w)
            ys, xs, gy, gx = ys[keep], xs[keep], gy[keep], gx[keep]
            keep = out[gy, gx] == bg                       # background cells only (distinct cells: at once)
            out[gy[keep], gx[keep]] = cells[ys[keep], xs[keep]]
        return out

    return Primitive(f"complete_copies({view.text}, {'shift' if turns == 1 else 'dihedral'}, {pick})", fn)


# --- the family -------------------------------------------------------------------------------------------

def copying_family(ctx: TaskContext) -> list[Primitive]:
    """Stamps learned around single-colour markers and around midpoints of lone-cell pairs (radius 1 and
    2, 8- and 4-connected) and completed template copies (multi-colour objects, shifted or turned)."""
    if not ctx.train_inputs or not same_size(ctx):
        return []
    bg = task_background(ctx)
    prims: list[Primitive] = []
    for conn in (8, 4):
        view = View(conn, False, bg)
        for where in ("box", "midpoint"):
            previous: dict[Key, Stamp] = {}
            for radius in (1, 2):
                stamps = learn_stamps(ctx, view, radius, where)
                if stamps and stamps != previous:      # a wider window that learns nothing more: skipped
                    prims.append(stamp_around(view, radius, stamps, where))
                previous = stamps
    for conn in (8, 4):
        view = View(conn, True, bg)
        if all(objects_of(g, view) and len(objects_of(g, view)) <= MAX_MARKERS for g in ctx.inputs):
            prims += [complete_copies(view, turns, pick) for turns, pick in ((1, "unique"), (8, "unique"), (8, "first"))]
    return [p for p in prims if agrees(p, ctx)]
