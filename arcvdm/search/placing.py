"""Same-size tasks that place objects relative to other objects: moved towards, into or next to them,
mirrored at a marker, repeated towards markers, or stamped (turned, scaled, recoloured) at markers.

1. ``step_towards``: every object of one colour (or every object, drawn to one colour) moves one step,
   or steps until it touches, towards the nearest object of another colour, diagonally when that object
   lies off both its rows and columns; a straight move may leave a full line of a new colour along its
   trailing side, and an object drawn in may take its target's colour.
2. ``fit_into_frame``: the cells of one colour mark the corners (or the outline) of a frame; everything
   else moves, rigidly, to the middle of the frame's inside.
3. ``stretch_to_marker``: a lone cell of one colour in line with an object's box pulls the box's far
   edge onto it; the lines in between repeat the box's line next to that edge (a bar grows longer).
4. ``stamp_template``: multi-colour objects of three or more cells at scale 1 are templates; their
   minority ("anchor") colours are the markers. Wherever the grid holds a template's anchor cells in
   some rotation / reflection and scale 1-4, the rest of the template is painted around them, in the
   colour of the marker's other cells when it has some (a partial copy names its colour). Where the
   anchors do not say the turn, the template is painted as it is, or in a turn learned per anchor
   colour from the demonstrations.
5. ``stamp_roles``: a stamp learned around multi-colour markers whose colours vary between
   demonstrations, each stamp cell naming the marker cell whose colour it takes (a cross grows its arms).
6. ``repeat_to_border``: the largest object is a shape and each other object a marker in some direction;
   copies of the shape in the marker's colour run from the marker to the border.
7. ``fit_into_holes``: the nearest object with the exact shape (optionally turned) of an enclosed
   background hole moves into it (a jigsaw piece into its slot).
8. ``mirror_at_marker``: an object whose marker-coloured cells form one edge line of its box is reflected
   across that line (the marker line becomes the mirror's first line).
9. ``snap_onto``: lone cells move onto the nearest cells of the largest object, which take their colours.
10. ``slide_along_connector``: a block with a one-cell-wide straight tail drops the tail and moves along
    it to where it ended.

Each primitive edits a copy of its input and returns a grid of its shape (unchanged where it finds
nothing to do: a demonstration may already be done), or None where it does not apply. The family
offers nothing unless every demonstration keeps its input's shape, binds colours from the
demonstrations (the moving colour, the marker that disappears, the frame colour that stays), and offers
a primitive only when nearly every cell it changes on the demonstrations takes its output colour
(``select.agrees``): no primitive on most tasks, at most a few.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family
from arcvdm.search.objects import Obj, View, label, objects_of, reach_border, task_background
from arcvdm.search.select import agrees, same_size

AGREE_SHARE = 0.8    # a primitive is offered when this share of the cells it changes take their output colour
MAX_MOVERS = 12      # more objects of the moving colour than this: a texture, not movers
MAX_STEPS = 30       # ``touch`` steps at most this many times (the grid's side)
MAX_SCALE = 4        # templates are stamped at scales 1..MAX_SCALE
MAX_TEMPLATE = 64    # template cells; larger "templates" are walls or backgrounds
MIN_TEMPLATE = 3     # template cells at scale 1; smaller multi-colour objects are markers
MAX_ANCHORS = 60     # candidate anchor cells per grid; more: not a marker task
MAX_PARTIAL_ANCHORS = 20   # the same for partial copies (each anchor cell is tried against every candidate)


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


# --- 4. a template stamped onto its anchor cells, turned and scaled ------------------------------------------

TURNS: tuple[Callable[[np.ndarray], np.ndarray], ...] = (
    lambda a: a, np.fliplr, np.flipud, lambda a: np.rot90(a, 2),
    np.transpose, lambda a: np.rot90(a, 1), lambda a: np.rot90(a, -1), lambda a: np.rot90(a, 2).T,
)
TURN_NAMES = ("as_is", "flip_lr", "flip_ud", "rot180", "transpose", "rot270", "rot90", "antitranspose")
EMPTY = 10   # a cell of a template's box that is not a template cell


def _unscaled_size(obj: Obj) -> int:
    """How many cells ``obj`` has once shrunk by the largest factor its picture is an up-scaling of."""
    cells = np.where(obj.mask, obj.patch, EMPTY)
    for s in range(min(obj.height, obj.width, MAX_SCALE), 1, -1):
        if obj.height % s or obj.width % s:
            continue
        small = cells[::s, ::s]
        if np.array_equal(np.repeat(np.repeat(small, s, axis=0), s, axis=1), cells):
            return int(np.count_nonzero(small != EMPTY))
    return obj.size


def _templates(objs: tuple[Obj, ...]) -> list[tuple[Obj, int, list[int]]]:
    """(template, main colour, anchor colours) for each multi-colour object of at least ``MIN_TEMPLATE``
    cells at scale 1, largest first; an object whose anchor colours a larger template already uses is a
    marker (a partial or scaled copy), not a template."""
    ranked = [(-_unscaled_size(o), k, o) for k, o in enumerate(objs) if o.n_colours >= 2 and o.size <= MAX_TEMPLATE]
    ranked.sort(key=lambda r: r[:2])
    found, taken = [], set()
    for negative_size, _, o in ranked:
        if -negative_size < MIN_TEMPLATE:
            break
        colours = np.bincount(o.patch[o.mask], minlength=10)
        main = int(np.argmax(colours))
        anchors = [c for c in range(10) if colours[c] and c != main]
        if taken & set(anchors):
            continue
        taken |= set(anchors)
        found.append((o, main, anchors))
    return found


_PICTURES: dict[bytes, list] = {}   # template picture -> its turned and scaled pictures (the search repeats grids)
MAX_CACHED = 512


def _pictures(tmpl: Obj, anchors: list[int]) -> list[tuple[int, np.ndarray, np.ndarray, bytes, int, int]]:
    """The template's distinct pictures (EMPTY off its cells) in its eight turns at scales 1..MAX_SCALE:
    (turn index, 0 = as it is; picture; its anchor mask; that mask's bytes; first anchor cell's row and
    column in raster order)."""
    cells = np.where(tmpl.mask, tmpl.patch, EMPTY).astype(np.uint8)
    key = bytes(cells.shape) + cells.tobytes()
    if key in _PICTURES:
        return _PICTURES[key]
    found, seen = [], set()
    for s in range(1, MAX_SCALE + 1):
        for index, turn in enumerate(TURNS):
            pic = np.ascontiguousarray(np.repeat(np.repeat(turn(cells), s, axis=0), s, axis=1))
            seen_key = (pic.shape, pic.tobytes())
            if seen_key in seen:
                continue
            seen.add(seen_key)
            pic_anchor = np.isin(pic, anchors)
            ays, axs = np.nonzero(pic_anchor)
            found.append((index, pic, pic_anchor, pic_anchor.tobytes(), int(ays[0]), int(axs[0])))
    if len(_PICTURES) >= MAX_CACHED:
        _PICTURES.clear()
    _PICTURES[key] = found
    return found


def _placement(grid: Grid, pic: np.ndarray, top: int, left: int, pic_anchor: np.ndarray, anchor_bytes: bytes,
               grid_anchor: np.ndarray, main: int, bg: int, labels: np.ndarray) -> tuple | None:
    """What placing ``pic`` at (top, left) paints, or None when it does not fit there: the anchor-coloured
    cells of the placement's box (``grid_anchor``) must be exactly the picture's anchor cells, colour for
    colour, all on the grid (other parts of the picture may fall off it); its main cells may hold only
    background or one other colour (the copy's colour), and every cell of the objects holding its anchor
    cells must lie on the picture. Returns (anchor cells, painted (y, x, colour) cells)."""
    ph, pw = pic.shape
    h, w = grid.shape
    y0, x0, y1, x1 = max(top, 0), max(left, 0), min(top + ph, h), min(left + pw, w)
    if y0 >= y1 or x0 >= x1:
        return None
    window = grid_anchor[y0:y1, x0:x1]
    if (y0, x0, y1, x1) == (top, left, top + ph, left + pw):
        if window.tobytes() != anchor_bytes:
            return None
    else:                                            # clipped by the border: no anchor cell may fall off
        part = pic_anchor[y0 - top:y1 - top, x0 - left:x1 - left]
        if np.count_nonzero(part) != np.count_nonzero(pic_anchor) or not np.array_equal(window, part):
            return None
        pic, pic_anchor = pic[y0 - top:y1 - top, x0 - left:x1 - left], part
    under = grid[y0:y1, x0:x1]
    if not np.array_equal(under[pic_anchor], pic[pic_anchor]):     # each anchor cell of its own colour
        return None
    main_cells = pic == main
    found = set(np.unique(under[main_cells]).tolist()) - {bg}
    if len(found) > 1:
        return None
    colour = found.pop() if found else main
    # the objects the anchor cells belong to lie wholly on the picture
    ids = np.unique(labels[y0:y1, x0:x1][pic_anchor])
    ids = ids[ids >= 0]
    inside = np.zeros(grid.shape, dtype=bool)
    inside[y0:y1, x0:x1] = pic != EMPTY
    if ids.size and not inside[np.isin(labels, ids)].all():
        return None
    ys, xs = np.nonzero(pic_anchor)
    anchor_cells = frozenset(zip((ys + y0).tolist(), (xs + x0).tolist()))
    ys, xs = np.nonzero(main_cells & (under == bg))
    painted = tuple(zip((ys + y0).tolist(), (xs + x0).tolist(), [colour] * len(ys)))
    return anchor_cells, painted


def _partial_placement(grid: Grid, pic: np.ndarray, top: int, left: int, pic_anchor: np.ndarray,
                       grid_anchor: np.ndarray, main: int, bg: int, labels: np.ndarray) -> tuple | None:
    """Like ``_placement`` for a partial copy, the picture wholly on the grid: some of its anchor cells
    are there (each of its own colour), the others are background, and no other anchor-coloured cell
    lies in its box. The missing anchor cells are painted too."""
    ph, pw = pic.shape
    h, w = grid.shape
    if top < 0 or left < 0 or top + ph > h or left + pw > w:
        return None
    window = grid_anchor[top:top + ph, left:left + pw]
    if (window & ~pic_anchor).any():
        return None
    under = grid[top:top + ph, left:left + pw]
    present = window & pic_anchor
    missing = pic_anchor & ~window
    if not present.any() or not np.array_equal(under[present], pic[present]) or (under[missing] != bg).any():
        return None
    main_cells = pic == main
    found = set(np.unique(under[main_cells]).tolist()) - {bg}
    if len(found) > 1:
        return None
    colour = found.pop() if found else main
    ids = np.unique(labels[top:top + ph, left:left + pw][present])
    ids = ids[ids >= 0]
    inside = np.zeros(grid.shape, dtype=bool)
    inside[top:top + ph, left:left + pw] = pic != EMPTY
    if ids.size and not inside[np.isin(labels, ids)].all():
        return None
    ys, xs = np.nonzero(present)
    anchor_cells = frozenset(zip((ys + top).tolist(), (xs + left).tolist()))
    ys, xs = np.nonzero(main_cells & (under == bg))
    painted = list(zip((ys + top).tolist(), (xs + left).tolist(), [colour] * len(ys)))
    ys, xs = np.nonzero(missing)
    painted += list(zip((ys + top).tolist(), (xs + left).tolist(), pic[ys, xs].tolist()))
    return anchor_cells, tuple(painted)


def stamp_template(view: View, turns: tuple[tuple[int, int], ...] = (), partial: bool = False) -> Primitive:
    """Paint every template (``_templates``, objects cut by ``view``, a multi-colour view) wherever its
    anchor cells (colours other than its most frequent one) appear outside the templates in one of its
    turns and scales (``_placement``). Where several turns fit the same anchor cells, the first in
    ``TURNS`` order (the template as it is, then mirrored, then turned) is painted. ``turns``: (anchor
    colour, turn index) pairs that fix the turn of the template holding that anchor colour. ``partial``:
    markers may show only some of the anchor cells (``_partial_placement``); the rest are painted too."""
    fixed = dict(turns)

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        templates = _templates(objs)
        if not templates:
            return None
        bg = view.background_of(grid)
        outside = np.ones(grid.shape, dtype=bool)
        for tmpl, _, _ in templates:
            outside[tmpl.top:tmpl.bottom, tmpl.left:tmpl.right] = False
        labels = objs[0].labels
        by_site: dict[tuple, tuple[int, tuple]] = {}
        for number, (tmpl, main, anchors) in enumerate(templates):
            grid_anchor = np.isin(grid, anchors)
            candidates = grid_anchor & outside
            most = MAX_PARTIAL_ANCHORS if partial else MAX_ANCHORS
            if not candidates.any() or np.count_nonzero(candidates) > most:
                continue
            only = {fixed[c] for c in anchors if c in fixed}
            cells_of = {c: list(zip(*np.nonzero(candidates & (grid == c)))) for c in anchors}
            for index, pic, pic_anchor, anchor_bytes, ay, ax in _pictures(tmpl, anchors):
                if only and index not in only:
                    continue
                if partial:                       # any anchor cell of the picture may be the one shown
                    offsets = {(int(gy) - py, int(gx) - px) for py, px in zip(*np.nonzero(pic_anchor))
                               for gy, gx in cells_of[int(pic[py, px])]}
                else:
                    offsets = {(int(gy) - ay, int(gx) - ax) for gy, gx in cells_of[int(pic[ay, ax])]}
                for top, left in sorted(offsets):
                    if partial:
                        got = _partial_placement(grid, pic, top, left, pic_anchor, grid_anchor, main, bg, labels)
                    else:
                        got = _placement(grid, pic, top, left, pic_anchor, anchor_bytes, grid_anchor, main, bg,
                                         labels)
                    if got is None:
                        continue
                    site = (number, got[0])
                    if site not in by_site or index < by_site[site][0]:
                        by_site[site] = (index, got[1])
        out = grid.copy()
        for _, painted in by_site.values():
            for y, x, c in painted:
                out[y, x] = c
        return out

    text = "".join(f", {c}:{TURN_NAMES[t]}" for c, t in turns) + (", partial" if partial else "")
    return Primitive(f"stamp_template({view.text}{text})", fn)


def _wrong_cells(prim: Primitive, ctx: TaskContext) -> int | None:
    """Cells where ``prim``'s grids differ from the demonstration outputs (None: it does not apply to one)."""
    wrong = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        got = prim(i)
        if got is None:
            return None
        wrong += int(np.count_nonzero(got != o))
    return wrong


def learn_turns(ctx: TaskContext, view: View) -> tuple[tuple[int, int], ...]:
    """Fixed turns for ``stamp_template``, learned greedily per anchor colour of the demonstrations'
    templates: the turn that leaves the fewest cells wrong, kept when it is better than no fixed turn."""
    colours: set[int] = set()
    for grid in ctx.train_inputs:
        for _, _, anchors in _templates(objects_of(grid, view)):
            colours |= set(anchors)
    turns: tuple[tuple[int, int], ...] = ()
    best = _wrong_cells(stamp_template(view), ctx)
    if best is None or best == 0:
        return ()
    for c in sorted(colours):
        choice = None
        for t in range(len(TURNS)):
            wrong = _wrong_cells(stamp_template(view, turns + ((c, t),)), ctx)
            if wrong is not None and wrong < best:
                best, choice = wrong, t
        if choice is not None:
            turns += ((c, choice),)
    return turns


# --- 5. stamps whose colours are the marker's own -------------------------------------------------------------

# A marker kind: (height, width, packed mask, colour pattern: each cell's colour renamed by first appearance).
Kind = tuple[int, int, bytes, bytes]
# A role stamp: relative (dy, dx) -> ("cell", y, x): the colour of the marker's cell (y, x), or ("colour", c, 0).
RoleStamp = dict[tuple[int, int], tuple[str, int, int]]

MAX_MARKER_BOX = 16   # a marker's box holds at most this many cells
MAX_MARKERS = 40      # more objects than this on a grid: not a marker task


def _kind(obj: Obj) -> Kind:
    """The marker's shape and which of its cells share a colour (not the colours themselves)."""
    values = obj.patch[obj.mask].tolist()
    rename: dict[int, int] = {}
    pattern = bytes(rename.setdefault(v, len(rename)) for v in values)
    return obj.height, obj.width, obj.shape_key, pattern


def _markers(grid: Grid, view: View) -> list[Obj] | None:
    objs = objects_of(grid, view)
    if not objs or len(objs) > MAX_MARKERS:
        return None
    return [o for o in objs if o.box_area <= MAX_MARKER_BOX]


def learn_role_stamps(ctx: TaskContext, view: View, radius: int) -> dict[Kind, RoleStamp]:
    """For each marker kind seen with different colours, the cells within ``radius`` of its box that every
    demonstration paints with the colour of one same cell of the marker (or, failing that, one same
    colour), kept where some demonstration changes that cell; a kind gets a stamp only when some cell
    takes a marker's colour."""
    options: dict[Kind, dict[tuple[int, int], set]] = {}
    changed: dict[Kind, set[tuple[int, int]]] = {}
    palettes: dict[Kind, set[bytes]] = {}
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        markers = _markers(i, view)
        if markers is None:
            return {}
        h, w = i.shape
        for m in markers:
            kind = _kind(m)
            palettes.setdefault(kind, set()).add(m.patch[m.mask].tobytes())
            cells, moved = options.setdefault(kind, {}), changed.setdefault(kind, set())
            colour_cells: dict[int, set] = {}
            for y, x in zip(*np.nonzero(m.mask)):
                colour_cells.setdefault(int(m.patch[y, x]), set()).add(("cell", int(y), int(x)))
            for y in range(m.top - radius, m.bottom + radius):
                for x in range(m.left - radius, m.right + radius):
                    if not (0 <= y < h and 0 <= x < w):
                        continue
                    rel = (y - m.top, x - m.left)
                    c = int(o[y, x])
                    here = colour_cells.get(c, set()) | {("colour", c, 0)}
                    cells[rel] = cells[rel] & here if rel in cells else here
                    if o[y, x] != i[y, x]:
                        moved.add(rel)
    stamps: dict[Kind, RoleStamp] = {}
    for kind, cells in options.items():
        if len(palettes[kind]) < 2:              # one palette only: a literal stamp (copying) says it
            continue
        stamp = {}
        for rel, roles in cells.items():
            if rel in changed[kind] and roles:
                stamp[rel] = min(roles)          # "cell" sorts before "colour": the marker's own colour first
        # a stamp of fixed colours only is a literal stamp (copying) or an eraser: not this rule
        if any(how == "cell" for how, _, _ in stamp.values()):
            stamps[kind] = stamp
    return stamps


def stamp_roles(view: View, radius: int, stamps: dict[Kind, RoleStamp]) -> Primitive:
    """Paint each marker kind's learned role stamp around every marker of that kind, each cell in the
    colour of the marker cell it names (or its fixed colour); parts off the grid are dropped."""

    def fn(grid: Grid) -> Grid | None:
        markers = _markers(grid, view)
        if markers is None:
            return None
        out = grid.copy()
        h, w = grid.shape
        for m in markers:
            stamp = stamps.get(_kind(m))
            if stamp is None:
                continue
            for (dy, dx), (how, a, b) in stamp.items():
                y, x = m.top + dy, m.left + dx
                if 0 <= y < h and 0 <= x < w:
                    out[y, x] = m.patch[a, b] if how == "cell" else a
        return out

    text = "; ".join(f"{k[0]}x{k[1]}:" + " ".join(f"{dy},{dx}:" + (f"@{a},{b}" if how == "cell" else str(a))
                                                 for (dy, dx), (how, a, b) in sorted(st.items()))
                     for k, st in sorted(stamps.items()))
    return Primitive(f"stamp_roles({view.text}, r={radius}, {text})", fn)


# --- 6. copies of a shape repeated towards its markers -----------------------------------------------------

def _first_copy(shape: Obj, marker: Obj, dy: int, dx: int, mode: str) -> int | None:
    """How many cells along (dy, dx) the first copy of ``shape`` lies: ``mode="nearest"``: the smallest
    shift whose copy covers every marker cell without overlapping the shape; ``"gap0"`` / ``"gap1"``: the
    shape's own height / width plus that gap, provided the copy covers the marker. None: no such copy."""
    sy, sx = _cells(shape)
    my, mx = _cells(marker)
    own = set(zip(sy.tolist(), sx.tolist()))
    if mode == "nearest":
        shifts = range(1, max(shape.height, shape.width) + 2)
    else:
        gap = int(mode[-1])
        step = shape.height + gap if dy else shape.width + gap
        if dy and dx and shape.height != shape.width:      # a diagonal step of a non-square shape: unclear
            return None
        shifts = range(step, step + 1)
    for k in shifts:
        copy = set(zip((sy + dy * k).tolist(), (sx + dx * k).tolist()))
        if copy & own:
            continue
        if all(cell in copy for cell in zip(my.tolist(), mx.tolist())):
            return k
    return None


def repeat_to_border(view: View, mode: str) -> Primitive:
    """The largest object is a shape; every other object is a marker that says a direction (from the
    shape's centre to its centre, diagonal when off both the shape's middle row and column). Copies of
    the shape, in the marker's colour, are painted on background cells along that direction, the first
    one covering the marker (``_first_copy``), then at the same step until the border."""
    if mode not in ("nearest", "gap0", "gap1"):
        raise ValueError(f"repeat_to_border: mode must be nearest, gap0 or gap1, got {mode!r}")

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2 or len(objs) > MAX_MOVERS:
            return None
        shape = max(objs, key=lambda o: o.size)
        if sum(o.size == shape.size for o in objs) > 1 or shape.size > MAX_TEMPLATE:
            return None
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        sy, sx = _cells(shape)
        for m in objs:
            if m is shape:
                continue
            # the direction from the shape's centre to the marker's (doubled: whole numbers)
            dy = _sign((m.top + m.bottom) - (shape.top + shape.bottom))
            dx = _sign((m.left + m.right) - (shape.left + shape.right))
            if (dy, dx) == (0, 0):
                continue
            k = _first_copy(shape, m, dy, dx, mode)
            if k is None:
                continue
            step = k
            while True:
                ys, xs = sy + dy * step, sx + dx * step
                inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
                if not inside.any():
                    break
                ys, xs = ys[inside], xs[inside]
                free = out[ys, xs] == bg
                out[ys[free], xs[free]] = m.colour
                step += k
        return out

    return Primitive(f"repeat_to_border({mode}, {view.text})", fn)


# --- 7. shapes fitted into holes of their shape -------------------------------------------------------------

def _holes(grid: Grid, bg: int) -> list[tuple[int, int, np.ndarray]]:
    """Enclosed background regions (4-connected, not reaching the border): (top, left, box mask) each."""
    free = grid == bg
    enclosed = free & ~reach_border(free, 4)
    if not enclosed.any():
        return []
    labels, n = label(enclosed.astype(np.uint8), 0, 4)
    found = []
    for k in range(n):
        ys, xs = np.nonzero(labels == k)
        top, left = int(ys.min()), int(xs.min())
        mask = np.zeros((int(ys.max()) - top + 1, int(xs.max()) - left + 1), dtype=bool)
        mask[ys - top, xs - left] = True
        found.append((top, left, mask))
    return found


def _piece(obj: Obj, mask: np.ndarray, turned: bool) -> np.ndarray | None:
    """``obj``'s colours (its box) in the first turn (only as it is unless ``turned``) whose cells are
    exactly ``mask``'s, or None."""
    if obj.size != int(np.count_nonzero(mask)):
        return None
    for turn in TURNS if turned else TURNS[:1]:
        if turn(obj.mask).shape == mask.shape and np.array_equal(turn(obj.mask), mask):
            return turn(obj.cells)
    return None


def fit_into_holes(view: View, turned: bool = False) -> Primitive:
    """Every enclosed hole (``_holes``) receives the nearest object of its shape (as it is, or, when
    ``turned``, in any rotation or reflection; none when two are equally near), moved into it; the
    object's old cells become background."""

    def fn(grid: Grid) -> Grid | None:
        bg = view.background_of(grid)
        holes = _holes(grid, bg)
        if not holes:
            return None
        objs = objects_of(grid, view)
        out = grid.copy()
        used: set[int] = set()
        for top, left, mask in holes:
            hole_box = (top, left, top + mask.shape[0], left + mask.shape[1])
            fits = []
            for o in objs:
                if o.index in used:
                    continue
                piece = _piece(o, mask, turned)
                if piece is not None:
                    fits.append((_gap(_box(o), hole_box), o.index, o, piece))
            if not fits:
                continue
            # several candidates: the nearest fits, when it is the only one that near
            fits.sort(key=lambda f: f[:2])
            if len(fits) > 1 and fits[0][0] == fits[1][0]:
                continue
            _, _, o, piece = fits[0]
            used.add(o.index)
            ys, xs = _cells(o)
            out[ys, xs] = bg
            mys, mxs = np.nonzero(mask)
            out[mys + top, mxs + left] = piece[mys, mxs]
        return out

    return Primitive(f"fit_into_holes({view.text}{', turned' if turned else ''})", fn)


# --- 8. objects mirrored across their marker line -------------------------------------------------------------

def _marker_side(obj: Obj, marker: int) -> str | None:
    """The side of ``obj``'s box whose edge line holds every marker cell of the object and nothing else of it
    ("top", "bottom", "left", "right"), or None."""
    on = obj.mask & (obj.patch == marker)
    rest = obj.mask & ~on
    if not on.any() or not rest.any():
        return None
    ys, xs = np.nonzero(on)
    if (ys == 0).all() and not rest[0].any():
        return "top"
    if (ys == obj.height - 1).all() and not rest[-1].any():
        return "bottom"
    if (xs == 0).all() and not rest[:, 0].any():
        return "left"
    if (xs == obj.width - 1).all() and not rest[:, -1].any():
        return "right"
    return None


def mirror_at_marker(view: View, marker: int) -> Primitive:
    """Every object (cut by ``view``, a multi-colour view) whose cells of colour ``marker`` form its box's edge
    line on one side gets the rest of itself reflected across that line's inner edge: the mirror image lies
    beyond, starting on the marker line (marker cells it misses become background)."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs or len(objs) > MAX_MOVERS:
            return None
        bg = view.background_of(grid)
        h, w = grid.shape
        out = grid.copy()
        for o in objs:
            side = _marker_side(o, marker)
            if side is None:
                continue
            ys, xs = _cells(o)
            colours = grid[ys, xs]
            keep = colours != marker
            out[ys[~keep], xs[~keep]] = bg
            ys, xs, colours = ys[keep], xs[keep], colours[keep]
            if side == "top":
                ys = 2 * o.top + 1 - ys
            elif side == "bottom":
                ys = 2 * (o.bottom - 1) - 1 - ys
            elif side == "left":
                xs = 2 * o.left + 1 - xs
            else:
                xs = 2 * (o.right - 1) - 1 - xs
            inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
            out[ys[inside], xs[inside]] = colours[inside]
        return out

    return Primitive(f"mirror_at_marker(marker={marker}, {view.text})", fn)


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


# --- the family -----------------------------------------------------------------------------------------

def _changed_colours(ctx: TaskContext) -> list[int]:
    """Colours whose cells differ between some demonstration input and its output (gained or lost)."""
    found: set[int] = set()
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        diff = i != o
        found |= {int(c) for c in np.unique(i[diff])} | {int(c) for c in np.unique(o[diff])}
    return sorted(found)


@family("placing")
def placing_family(ctx: TaskContext) -> list[Primitive]:
    """Steps towards the nearest object, shapes centred in a frame, objects stretched or mirrored at a
    marker, templates and role stamps at markers, pieces fitted into holes, lone cells snapped onto an
    anchor, blocks pulled along their connector and shapes repeated to the border; each kept only when
    it agrees with the demonstrations. (Moves by an object's size, reflections across a wall and about a
    pivot are in ``arrange_moves`` / ``arrange_symmetry``; slides until contact in ``moving``.)"""
    if not ctx.train_inputs or not same_size(ctx):
        return []
    pairs = list(zip(ctx.train_inputs, ctx.train_outputs))
    bg = task_background(ctx)
    colours = [c for c in ctx.colours_in() if c != bg]
    moved = [c for c in _changed_colours(ctx) if c in colours]
    new = [c for c in ctx.colours_out() if c not in ctx.colours_in()]
    new = new if len(new) == 1 else []          # one colour the outputs bring: a line left behind
    prims: list[Primitive] = []
    single, multi = View(8, False, bg), View(8, True, bg)
    if len(moved) <= 3:
        for c in moved:
            prims += [step_towards(single, c, "step"), step_towards(single, c, "touch")]
            prims += [step_towards(single, c, "touch", behind=n) for n in new]
    # a marker that pulls an object is covered by it: fewer of its cells in every output
    for c in colours:
        if all(np.count_nonzero(o == c) < np.count_nonzero(i == c) for i, o in pairs):
            prims += [stretch_to_marker(multi, c), mirror_at_marker(multi, c)]
    # objects drawn into a colour that gains cells in every demonstration, taking its colour
    for c in colours:
        if all(np.count_nonzero(o == c) > np.count_nonzero(i == c) for i, o in pairs):
            prims.append(step_towards(single, None, "touch", adopt=True, target=c))
    # a frame colour never changes: its cells stay where they are
    for c in colours:
        if c not in moved and len(colours) >= 2:
            prims.append(fit_into_frame(c, bg))
    template = stamp_template(multi)
    prims += [template, stamp_template(multi, partial=True)]
    if agrees(template, ctx):                 # half right: fixed turns per anchor colour may do the rest
        turns = learn_turns(ctx, multi)
        if turns:
            prims.append(stamp_template(multi, turns))
    for view in (single, View(4, False, bg)):
        prims += [fit_into_holes(view), fit_into_holes(view, turned=True)]
    prims.append(snap_onto(single))
    prims.append(slide_along_connector(View(4, False, bg)))
    prims += [repeat_to_border(single, mode) for mode in ("nearest", "gap0", "gap1")]
    previous: dict = {}
    for radius in (1, 2):
        stamps = learn_role_stamps(ctx, multi, radius)
        if stamps and stamps != previous:        # a wider window that learns nothing more: skipped
            prims.append(stamp_roles(multi, radius, stamps))
        previous = stamps
    return _distinct([p for p in prims if agrees(p, ctx, AGREE_SHARE)], ctx)


def _distinct(prims: list[Primitive], ctx: TaskContext) -> list[Primitive]:
    """``prims`` less those that give, on every input of the task, the grids an earlier one gives (two views
    or variants that agree here cost the search twice for nothing)."""
    kept, seen = [], set()
    for p in prims:
        key = []
        for grid in ctx.inputs:
            got = p(grid)
            key.append(b"" if got is None else bytes(got.shape) + got.tobytes())
        if tuple(key) not in seen:
            seen.add(tuple(key))
            kept.append(p)
    return kept
