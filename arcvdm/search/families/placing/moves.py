"""Objects moved relative to other objects, each a primitive of the ``placing`` family (``placing.py`` lists
the themes): a step, or steps until touching, towards the nearest object of another colour
(``step_towards``); a shape centred in a frame (``fit_into_frame``); a box stretched onto a marker in line
with it (``stretch_to_marker``); lone cells snapped onto the nearest cells of the largest object
(``snap_onto``); a block pulled along its one-cell-wide tail (``slide_along_connector``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive
from arcvdm.search.facts import background
from arcvdm.search.families.placing.boxes import MAX_MOVERS, _box, _cells, _gap, _next_to, _toward
from arcvdm.search.families.placing.roles import MAX_MARKERS
from arcvdm.search.objects import Obj, View, objects_of

MAX_STEPS = 30       # ``touch`` steps at most this many times (the grid's side)


# --- 1. a step towards the nearest other object ------------------------------------------------------------

def step_towards(view: View, mover: int | None, mode: str, behind: int | None = None, adopt: bool = False,
                 target: int | None = None) -> Primitive:
    """Each object of colour ``mover`` (None: of any colour but ``target``) moves towards the nearest object
    of another colour (of colour ``target`` when given; box gap, ties to the first in raster order): one
    step (``mode="step"``) or step after step until it touches it or the next step is blocked
    (``mode="touch"``). Objects already touching their target stay. ``behind``: a straight move also
    leaves a full line of that colour along the moved box's trailing side. ``adopt``: an object that ends
    touching its target takes the target's colour (drawn in by it)."""
    if mover is None and target is None:
        raise ValueError("step_towards: give the mover colour, the target colour or both")
    if mode not in ("step", "touch"):
        raise ValueError(f"step_towards: mode must be step or touch, got {mode!r}")

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if mover is None:
            movers = [o for o in objs if o.colour != target]
        else:
            movers = [o for o in objs if o.colour == mover]
        others = [o for o in objs if o.colour != mover and (target is None or o.colour == target)]
        if not movers or not others or len(movers) > MAX_MOVERS:
            return None
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        # the nearest mover first: one that stops against it sees it drawn in already
        movers.sort(key=lambda o: min(_gap(_box(o), _box(t)) for t in others))
        for o in movers:
            box = _box(o)
            goal = min(others, key=lambda t: _gap(box, _box(t)))
            tbox = _box(goal)
            ys, xs = _cells(o)
            colours = grid[ys, xs]
            out[ys, xs] = bg                     # lift the object off the grid while it moves
            oy = ox = 0
            for _ in range(1 if mode == "step" else MAX_STEPS):
                here = (box[0] + oy, box[1] + ox, box[2] + oy, box[3] + ox)
                if _gap(here, tbox) <= 1:
                    break
                dy, dx = _toward(here, tbox)
                ny, nx = ys + oy + dy, xs + ox + dx
                if ny.min() < 0 or nx.min() < 0 or ny.max() >= h or nx.max() >= w or (out[ny, nx] != bg).any():
                    break
                oy, ox = oy + dy, ox + dx
            drawn_in = adopt and _next_to(out, ys + oy, xs + ox, goal.colour)
            out[ys + oy, xs + ox] = goal.colour if drawn_in else colours
            if behind is not None and (oy, ox) != (0, 0):
                if oy and ox:                    # a diagonal move has no trailing side
                    return None
                if oy:
                    y = box[0] + oy - 1 if oy > 0 else box[2] + oy
                    if 0 <= y < h:
                        out[y, :] = behind
                else:
                    x = box[1] + ox - 1 if ox > 0 else box[3] + ox
                    if 0 <= x < w:
                        out[:, x] = behind
        return out

    who = ("" if mover is None else f"colour={mover}, ") + ("" if target is None else f"to={target}, ")
    extra = ("" if behind is None else f", behind={behind}") + (", adopt" if adopt else "")
    return Primitive(f"step_towards({who}{mode}{extra}, {view.text})", fn)


# --- 2. a shape moved into a frame ----------------------------------------------------------------------

def fit_into_frame(frame: int, bg: int | None) -> Primitive:
    """The cells of colour ``frame`` (four corner markers, or an outline) span a box; every other
    non-background cell moves, rigidly, so that its bounding box sits in the middle of the box's inside
    (the box less its border line). None where it does not fit or cannot be centred exactly."""

    def fn(grid: Grid) -> Grid | None:
        b = background(grid) if bg is None else bg
        fys, fxs = np.nonzero(grid == frame)
        if len(fys) < 2 or frame == b:
            return None
        moving = (grid != b) & (grid != frame)
        ys, xs = np.nonzero(moving)
        if len(ys) == 0:
            return None
        inner_h = int(fys.max() - fys.min()) - 1
        inner_w = int(fxs.max() - fxs.min()) - 1
        mh, mw = int(ys.max() - ys.min()) + 1, int(xs.max() - xs.min()) + 1
        if mh > inner_h or mw > inner_w or (inner_h - mh) % 2 or (inner_w - mw) % 2:
            return None
        dy = int(fys.min()) + 1 + (inner_h - mh) // 2 - int(ys.min())
        dx = int(fxs.min()) + 1 + (inner_w - mw) // 2 - int(xs.min())
        if dy == 0 and dx == 0:
            return grid.copy()                    # already in place
        out = grid.copy()
        colours = grid[ys, xs]
        out[ys, xs] = b
        if (out[ys + dy, xs + dx] != b).any():    # it would land on the frame or on something else
            return None
        out[ys + dy, xs + dx] = colours
        return out

    suffix = "" if bg is None else f", bg={bg}"
    return Primitive(f"fit_into_frame(frame={frame}{suffix})", fn)


# --- 3. an object stretched to a marker -------------------------------------------------------------------

def _stretch(out: Grid, obj: Obj, my: int, mx: int) -> bool:
    """Stretch ``obj``'s box (all its colours) in ``out`` so its far edge lands on the marker cell (my, mx),
    which lies beyond one side of the box and within its rows or columns: the edge line moves to the
    marker and the line next to the edge fills the cells in between. False when not in line."""
    top, left, bottom, right = _box(obj)
    box = out[top:bottom, left:right].copy()
    if left <= mx < right and (my >= bottom or my < top):
        rows = box if my >= bottom else box[::-1]
        if len(rows) < 2:
            return False
        n = abs(my - (bottom - 1 if my >= bottom else top)) + len(rows)
        grown = np.concatenate([rows[:-1], np.repeat(rows[-2:-1], n - len(rows), axis=0), rows[-1:]])
        grown = grown if my >= bottom else grown[::-1]
        y0 = top if my >= bottom else my
        out[y0:y0 + n, left:right] = grown
        return True
    if top <= my < bottom and (mx >= right or mx < left):
        cols = box if mx >= right else box[:, ::-1]
        if cols.shape[1] < 2:
            return False
        n = abs(mx - (right - 1 if mx >= right else left)) + cols.shape[1]
        grown = np.concatenate([cols[:, :-1], np.repeat(cols[:, -2:-1], n - cols.shape[1], axis=1), cols[:, -1:]],
                               axis=1)
        grown = grown if mx >= right else grown[:, ::-1]
        x0 = left if mx >= right else mx
        out[top:bottom, x0:x0 + n] = grown
        return True
    return False


def stretch_to_marker(view: View, marker: int) -> Primitive:
    """Every lone cell of colour ``marker`` pulls the nearest object whose rows or columns it shares:
    the object's box grows up to the marker (``_stretch``), which it covers."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        markers = [o for o in objs if o.size == 1 and o.colour == marker]
        bodies = [o for o in objs if not (o.size == 1 and o.colour == marker)]
        if not markers or not bodies or len(markers) > MAX_MOVERS:
            return None
        out = grid.copy()
        out[[m.top for m in markers], [m.left for m in markers]] = view.background_of(grid)
        for m in markers:
            in_line = [o for o in bodies if o.top <= m.top < o.bottom or o.left <= m.left < o.right]
            if not in_line:
                return None
            body = min(in_line, key=lambda o: _gap(_box(o), (m.top, m.left, m.top + 1, m.left + 1)))
            if not _stretch(out, body, m.top, m.left):
                return None
        return out

    return Primitive(f"stretch_to_marker(marker={marker}, {view.text})", fn)


# --- 9. lone cells snapped onto an anchor object -------------------------------------------------------------

def snap_onto(view: View) -> Primitive:
    """The largest object is an anchor; every lone cell (an object of one cell) moves onto the anchor's
    nearest cell (straight-line distance), which takes its colour. None when two cells would land on one
    anchor cell or a nearest cell is not unique."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2 or len(objs) > MAX_MARKERS:
            return None
        anchor = max(objs, key=lambda o: o.size)
        lone = [o for o in objs if o.size == 1 and o is not anchor]
        if not lone or sum(o.size == anchor.size for o in objs) > 1:
            return None
        ays, axs = _cells(anchor)
        out = grid.copy()
        taken = set()
        bg = view.background_of(grid)
        for o in lone:
            d = (ays - o.top) ** 2 + (axs - o.left) ** 2
            k = int(np.argmin(d))
            if np.count_nonzero(d == d[k]) > 1 or k in taken:
                return None
            taken.add(k)
            out[o.top, o.left] = bg
            out[ays[k], axs[k]] = o.colour
        return out

    return Primitive(f"snap_onto({view.text})", fn)


# --- 10. a block sliding along its connector ------------------------------------------------------------------

def _tail(mask: np.ndarray) -> tuple[int, int, int] | None:
    """A one-cell-wide straight tail at one end of ``mask`` (the rows at the top or bottom, or the columns
    at the left or right, holding one cell each, in one line) with a wider block behind it: (dy, dx) of the
    tail's side and its length, or None."""
    for axis in (0, 1):
        lines = mask if axis == 0 else mask.T
        counts = lines.sum(axis=1)
        n = len(counts)
        for end in (0, 1):
            order = range(n) if end == 0 else range(n - 1, -1, -1)
            length = 0
            for k in order:
                if counts[k] != 1:
                    break
                length += 1
            if length == 0 or length == n or counts.max() < 2:
                continue
            tail = lines[:length] if end == 0 else lines[n - length:]
            if len({int(np.argmax(row)) for row in tail}) != 1:      # not one straight line
                continue
            step = -1 if end == 0 else 1
            return (step, 0, length) if axis == 0 else (0, step, length)
    return None


def slide_along_connector(view: View) -> Primitive:
    """Every object made of a block and a one-cell-wide straight tail (``_tail``) loses the tail and its
    block moves along it by the tail's length, to where the tail ended (a block pulled in by its rope)."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs or len(objs) > MAX_MOVERS:
            return None
        bg = view.background_of(grid)
        out = grid.copy()
        moved = []
        for o in objs:
            found = _tail(o.mask)
            if found is None:
                continue
            dy, dx, length = found
            ys, xs = np.nonzero(o.mask)
            if dy:
                keep = (ys >= length) if dy < 0 else (ys < o.height - length)
            else:
                keep = (xs >= length) if dx < 0 else (xs < o.width - length)
            ys, xs = ys + o.top, xs + o.left
            out[ys, xs] = bg
            moved.append((ys[keep] + dy * length, xs[keep] + dx * length, grid[ys[keep], xs[keep]]))
        for ys, xs, colours in moved:
            if (out[ys, xs] != bg).any():                # the block would land on something
                return None
            out[ys, xs] = colours
        return out

    return Primitive(f"slide_along_connector({view.text})", fn)
