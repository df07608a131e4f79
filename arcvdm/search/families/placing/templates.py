"""Templates stamped at their markers (``placing.py`` lists the themes): a multi-colour object of three or
more cells is a template whose minority ("anchor") colours mark where copies go; wherever the grid holds its
anchor cells in some turn and scale, the rest is painted around them (``stamp_template``), all anchors shown
or, with ``partial``, only some; the turn per anchor colour can be learned from the demonstrations
(``learn_turns``). ``TURNS`` (the eight rotations and reflections) is shared with ``copies.py``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.cache import by_content
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import colour_counts
from arcvdm.search.objects import Obj, View, objects_of

MAX_SCALE = 4        # templates are stamped at scales 1..MAX_SCALE
MAX_TEMPLATE = 64    # template cells; larger "templates" are walls or backgrounds
MIN_TEMPLATE = 3     # template cells at scale 1; smaller multi-colour objects are markers
MAX_ANCHORS = 60     # candidate anchor cells per grid; more: not a marker task
MAX_PARTIAL_ANCHORS = 20   # the same for partial copies (each anchor cell is tried against every candidate)


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
        colours = colour_counts(o.patch[o.mask])
        main = int(np.argmax(colours))
        anchors = [c for c in range(10) if colours[c] and c != main]
        if taken & set(anchors):
            continue
        taken |= set(anchors)
        found.append((o, main, anchors))
    return found


def _pictures(tmpl: Obj, anchors: list[int]) -> list[tuple[int, np.ndarray, np.ndarray, bytes, int, int]]:
    """The template's distinct pictures (EMPTY off its cells) in its eight turns at scales 1..MAX_SCALE:
    (turn index, 0 = as it is; picture; its anchor mask; that mask's bytes; first anchor cell's row and
    column in raster order)."""
    cells = np.where(tmpl.mask, tmpl.patch, EMPTY).astype(np.uint8)
    return by_content("template_pictures", cells, (), lambda: _turned_and_scaled(cells, anchors))


def _turned_and_scaled(cells: np.ndarray,
                       anchors: list[int]) -> list[tuple[int, np.ndarray, np.ndarray, bytes, int, int]]:
    """``_pictures``, computed (``anchors`` are the colours other than the most frequent of ``cells``: a
    function of them)."""
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
    colour = _main_colour(under[main_cells], main, bg)
    if colour is None:
        return None
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


def _main_colour(under_main: np.ndarray, main: int, bg: int) -> int | None:
    """The colour the picture's main cells take on the grid: the one non-background colour already under
    them, ``main`` when none is; None when several are."""
    found = set(np.unique(under_main).tolist()) - {bg}
    if len(found) > 1:
        return None
    return found.pop() if found else main


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
    colour = _main_colour(under[main_cells], main, bg)
    if colour is None:
        return None
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


def _offsets(grid: Grid, pic: np.ndarray, pic_anchor: np.ndarray, cells_of: dict[int, tuple[np.ndarray, np.ndarray]],
             ay: int, ax: int, partial: bool) -> list[tuple[int, int]]:
    """Where ``pic`` may be placed, (top, left) in increasing order: its first anchor cell (``ay``, ``ax``) on a
    candidate cell of its colour (``cells_of``: each anchor colour's candidate cells) with every anchor cell of
    the picture on the grid in its own colour (what ``_placement`` asks first); with ``partial``, any of its
    anchor cells on a candidate of its colour, the picture wholly on the grid (``_partial_placement``'s first
    test). Only placements those tests would refuse are left out."""
    h, w = grid.shape
    ph, pw = pic.shape
    if partial:                       # any anchor cell of the picture may be the one shown
        if ph > h or pw > w:
            return []
        ys, xs = np.nonzero(pic_anchor)
        colours = pic[ys, xs]
        tops, lefts = [], []
        for c, (gy, gx) in cells_of.items():   # each candidate cell with each anchor cell of its colour
            mine = colours == c
            if gy.size and mine.any():
                tops.append((gy[:, None] - ys[mine]).ravel())
                lefts.append((gx[:, None] - xs[mine]).ravel())
        if not tops:
            return []
        top, left = np.concatenate(tops), np.concatenate(lefts)
        on = (top >= 0) & (left >= 0) & (top + ph <= h) & (left + pw <= w)
        places = np.unique(top[on] * 64 + left[on])       # 0 <= left < 30: (top, left) in increasing order
        return list(zip((places // 64).tolist(), (places % 64).tolist()))
    gy, gx = cells_of[int(pic[ay, ax])]
    top, left = gy - ay, gx - ax                          # increasing (top, left): the cells are in raster order
    ys, xs = np.nonzero(pic_anchor)
    rows, cols = top[:, None] + ys, left[:, None] + xs    # (placements, anchor cells)
    on = ((rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)).all(axis=1)
    top, left, rows, cols = top[on], left[on], rows[on], cols[on]
    same = (grid[rows, cols] == pic[ys, xs]).all(axis=1)
    return list(zip(top[same].tolist(), left[same].tolist()))


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
            cells_of = {c: np.nonzero(candidates & (grid == c)) for c in anchors}   # raster order
            for index, pic, pic_anchor, anchor_bytes, ay, ax in _pictures(tmpl, anchors):
                if only and index not in only:
                    continue
                for top, left in _offsets(grid, pic, pic_anchor, cells_of, ay, ax, partial):
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
