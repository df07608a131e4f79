"""Same-size rules over object and cell properties, learned from the demonstrations.

Every rule here is learned from the demonstration pairs inside the family, and a primitive is offered only
when it reproduces every demonstration and applies to every test input, so most tasks get none. Three
themes:

- **cell rules** — each cell's output colour is a function of its colour (all of it, only whether it is
  background, or none of it) and one or two position or line features that ``local_rule`` does not see:
  row / column / diagonal index modulo 2-4 counted from either side, position modulo 2 or half inside
  the cell's own component, distance to the border, the rank of its colour by count, whether the row or
  column is one colour or holds any colour, the middle row / column, where the row's first
  non-background cell is, whether the cell lies in the bounding box of a component of colour c. The
  output is "keep", a literal colour, or the colour of the row's / column's first or last cell, of the
  row's one colour, of the ring mirrored about the centre (``cell_rule(col%3, is_bg)``,
  ``cell_rule(take=row_first, is_bg)``).
  Every key that changes a cell must be seen in two demonstrations, and an unseen key refuses the grid;
  a task a plain colour map explains gets no cell rule.
- **object rules** — each object (connected component, in each of the task's views) is kept, painted,
  or has its holes (with a colour, or its own) or its inner cells filled, by a decision learned over
  object features (size, size rank, largest / smallest, extreme positions, holes, rectangle, orientation,
  grid sides touched, the grid's centre, shape shared with or seen in an earlier object, a colour no
  other object has, touching another object or colour c, holding colour c, cells not of its main colour,
  symmetric, parities, ...): a map of one feature's values (unseen values refuse), a stump "feature = v"
  or "feature >= t" (every other value gets the other action), or a map of a pair of two-valued features
  (or of the colour or the sides and one). A paint colour is literal or read off the grid: its rarest
  colour, the object's minor colour, the one colour touching the object, the one key colour in its
  columns or rows (``object_rule(size=6: paint 2, else paint 1, conn=8, bg=0)``).
- **region rules** — the same learner over the background's 4-connected regions, whose features are their
  size, shape, parities, sides and the colours they touch: a region is left or painted
  (``region_rule(touches_1 True: paint 1, bg=0)``).

A decision must use two actions and every key that changes something must hold two items, so a rule read
off one object does not pass for a rule.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import ndimage

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family, reproduces
from arcvdm.search.objects import (Obj, View, bg_text, objects_of, reach_border, task_background, task_views,
                                   touches_border)
from arcvdm.search.select import same_size

MAX_CELL_RULES = 2     # cell rules offered per task (the first ones, simplest first, with distinct answers)
MAX_ITEM_RULES = 2     # object / region rules offered per task
MAX_ITEMS = 60         # more objects or regions than this: a texture, not items a rule speaks of (and slow)

KEEP = 10              # output code: the cell keeps its colour
TAKE = 11              # output code: the cell takes the colour of the rule's "take" feature


def _distinct(prims: list[Primitive], ctx: TaskContext, limit: int) -> list[Primitive]:
    """The first ``limit`` primitives that reproduce the demonstrations, apply to every test input, and
    give test answers no earlier one gave (equivalent rules add nothing to the search)."""
    found, seen = [], set()
    for prim in prims:
        if not reproduces(prim, ctx):
            continue
        answers = [prim(t) for t in ctx.test_inputs]
        if any(a is None for a in answers):
            continue
        key = b"".join(bytes(a.shape) + a.tobytes() for a in answers)
        if key in seen:
            continue
        seen.add(key)
        found.append(prim)
        if len(found) >= limit:
            break
    return found


def rule_background(ctx: TaskContext) -> int | None:
    """The background every rule of a task uses: the demonstration inputs' common most frequent colour,
    else 0 when every input holds some 0 (a large object can outnumber it), else None: each grid's own."""
    fixed = task_background(ctx)
    if fixed is None and all((g == 0).any() for g in ctx.inputs):
        return 0
    return fixed


def _changes(ctx: TaskContext) -> bool:
    """Same-size demonstrations, at least one of which changes a cell."""
    return same_size(ctx) and any(not np.array_equal(i, o) for i, o in zip(ctx.train_inputs, ctx.train_outputs))


# --- 1. cell rules by position and line features ---------------------------------------------------------

class CellFeatures:
    """One grid's per-cell features, each an (h, w) int64 array, computed on first use and kept."""

    def __init__(self, grid: Grid, bg: int | None):
        self.grid = grid
        self.h, self.w = grid.shape
        self.bg = background(grid) if bg is None else bg
        self.rows, self.cols = np.indices(grid.shape)
        self._cache: dict[str, np.ndarray] = {}

    def get(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = CELL_FEATURES[name](self)
        return self._cache[name]

    def component_box(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(top, left, height, width) of each cell's 8-connected one-colour component's bounding box, each
        (h, w), -1 on background."""
        if "_box" not in self._cache:
            box = np.full((4,) + self.grid.shape, -1, dtype=np.int64)
            for colour in np.unique(self.grid).tolist():
                if colour == self.bg:
                    continue
                labels, n = ndimage.label(self.grid == colour, structure=np.ones((3, 3)))
                slices = ndimage.find_objects(labels)
                # (4, n): top, left, height, width of each component, read at every cell by its label
                per_label = np.array([(r.start, c.start, r.stop - r.start, c.stop - c.start) for r, c in slices]).T
                cells = labels > 0
                box[:, cells] = per_label[:, labels[cells] - 1]
            self._cache["_box"] = box
        box = self._cache["_box"]
        return box[0], box[1], box[2], box[3]

    def in_box(self, colour: int) -> np.ndarray:
        """1 where the cell lies in the bounding box of an 8-connected component of ``colour``, 2 on the cells
        of ``colour`` themselves, 0 elsewhere."""
        inside = np.zeros(self.grid.shape, dtype=np.int64)
        if colour == self.bg:
            return inside
        own = self.grid == colour
        labels, n = ndimage.label(own, structure=np.ones((3, 3)))
        for box in ndimage.find_objects(labels):
            inside[box] = 1
        inside[own] = 2
        return inside


def _first_at(grid: Grid, bg: int) -> np.ndarray:
    """(h,) index of each row's first non-background cell, -1 when the row has none."""
    nonbg = grid != bg
    return np.where(nonbg.any(axis=1), np.argmax(nonbg, axis=1), -1)


def _component_row(f: CellFeatures) -> np.ndarray:
    top, _left, _height, _width = f.component_box()
    return np.where(top >= 0, (f.rows - top) % 2, -1)


def _component_col(f: CellFeatures) -> np.ndarray:
    _top, left, _height, _width = f.component_box()
    return np.where(left >= 0, (f.cols - left) % 2, -1)


def _component_half(f: CellFeatures, axis: int) -> np.ndarray:
    """Which half of its component's box the cell lies in along ``axis`` (0: rows): 0 the first half, 1 the
    middle line (odd sizes), 2 the second half; -1 on background."""
    top, left, height, width = f.component_box()
    start, size, at = (top, height, f.rows) if axis == 0 else (left, width, f.cols)
    return np.where(start >= 0, np.sign(2 * (at - start) - (size - 1)) + 1, -1)


def _ring(f: CellFeatures) -> np.ndarray:
    return np.minimum(np.minimum(f.rows, f.cols), np.minimum(f.h - 1 - f.rows, f.w - 1 - f.cols))


def _colour_rank(f: CellFeatures) -> np.ndarray:
    """Each cell's colour's rank by count in the grid: 0 the most frequent, ties to the lower colour."""
    counts = np.bincount(f.grid.ravel(), minlength=10)
    order = sorted(range(10), key=lambda c: (-int(counts[c]), c))
    rank = np.zeros(10, dtype=np.int64)
    for place, colour in enumerate(order):
        rank[colour] = place
    return rank[f.grid]


def _row_uniform(f: CellFeatures) -> np.ndarray:
    same = (f.grid == f.grid[:, :1]).all(axis=1)
    return np.broadcast_to(same[:, None], f.grid.shape).astype(np.int64)


def _col_uniform(f: CellFeatures) -> np.ndarray:
    same = (f.grid == f.grid[:1, :]).all(axis=0)
    return np.broadcast_to(same[None, :], f.grid.shape).astype(np.int64)


CellFeature = Callable[[CellFeatures], np.ndarray]

POSITION_FEATURES: dict[str, CellFeature] = {   # combined in pairs as well
    "in_component_row%2": _component_row,
    "in_component_col%2": _component_col,
    "col%2": lambda f: f.cols % 2,
    "col%3": lambda f: f.cols % 3,
    "col%4": lambda f: f.cols % 4,
    "col_from_right%2": lambda f: (f.w - 1 - f.cols) % 2,
    "col_from_right%3": lambda f: (f.w - 1 - f.cols) % 3,
    "row%2": lambda f: f.rows % 2,
    "row%3": lambda f: f.rows % 3,
    "row%4": lambda f: f.rows % 4,
    "row_from_bottom%2": lambda f: (f.h - 1 - f.rows) % 2,
    "row_from_bottom%3": lambda f: (f.h - 1 - f.rows) % 3,
    "ring%2": lambda f: _ring(f) % 2,
    "row_has_colour": lambda f: np.broadcast_to((f.grid != f.bg).any(axis=1)[:, None], f.grid.shape).astype(np.int64),
    "col_has_colour": lambda f: np.broadcast_to((f.grid != f.bg).any(axis=0)[None, :], f.grid.shape).astype(np.int64),
}

LINE_FEATURES: dict[str, CellFeature] = {       # used alone
    "ring": lambda f: np.minimum(_ring(f), 9),
    "diagonal%3": lambda f: (f.rows - f.cols) % 3,
    "antidiagonal%3": lambda f: (f.rows + f.cols) % 3,
    "in_component_half_row": lambda f: _component_half(f, 0),
    "in_component_half_col": lambda f: _component_half(f, 1),
    "row_uniform": _row_uniform,
    "colour_rank": _colour_rank,
    "middle": lambda f: (f.rows * 2 + 1 == f.h) + 2 * (f.cols * 2 + 1 == f.w),
    "col_uniform": _col_uniform,
    "row_first_at": lambda f: np.broadcast_to(_first_at(f.grid, f.bg)[:, None], f.grid.shape),
    "col_first_at": lambda f: np.broadcast_to(_first_at(f.grid.T, f.bg)[None, :], f.grid.shape),
}

def _line_colour(grid: Grid, bg: int) -> np.ndarray:
    """(h,) the one non-background colour of each row: ``bg`` when it has none, -1 when it has several."""
    found = np.full(grid.shape[0], bg, dtype=np.int64)
    for r in range(grid.shape[0]):
        colours = np.unique(grid[r][grid[r] != bg])
        if len(colours) == 1:
            found[r] = colours[0]
        elif len(colours) > 1:
            found[r] = -1
    return found


def _ring_reversed(f: CellFeatures) -> np.ndarray:
    """The colour of the ring as far from the centre as this cell's ring is from the border (concentric
    frames turned inside out), read on the main diagonal."""
    rings = _ring(f)
    deepest = int(rings.max())
    diagonal = np.array([f.grid[k, k] for k in range(deepest + 1)], dtype=np.int64)
    return diagonal[deepest - rings]


TAKE_FEATURES: dict[str, CellFeature] = {       # colours a cell may take (-1: none)
    "row_first": lambda f: np.broadcast_to(f.grid[:, :1], f.grid.shape).astype(np.int64),
    "row_last": lambda f: np.broadcast_to(f.grid[:, -1:], f.grid.shape).astype(np.int64),
    "col_first": lambda f: np.broadcast_to(f.grid[:1, :], f.grid.shape).astype(np.int64),
    "col_last": lambda f: np.broadcast_to(f.grid[-1:, :], f.grid.shape).astype(np.int64),
    "row_colour": lambda f: np.broadcast_to(_line_colour(f.grid, f.bg)[:, None], f.grid.shape),
    "ring_reversed": _ring_reversed,
    "col_colour": lambda f: np.broadcast_to(_line_colour(f.grid.T, f.bg)[None, :], f.grid.shape),
}

CELL_FEATURES: dict[str, CellFeature] = {**POSITION_FEATURES, **LINE_FEATURES, **TAKE_FEATURES}
for _c in range(10):
    CELL_FEATURES[f"in_box_of_{_c}"] = lambda f, c=_c: f.in_box(c)


COLOUR_KEYS = ("colour", "is_bg", "any")     # how much of a cell's own colour its key holds: finest first


def colour_key(grid: Grid, bg: int, mode: str) -> np.ndarray:
    """(h*w,) int64: each cell's colour (``colour``), whether it is background (``is_bg``), or 0 (``any``)."""
    if mode == "colour":
        return grid.astype(np.int64).ravel()
    if mode == "is_bg":
        return (grid == bg).astype(np.int64).ravel()
    return np.zeros(grid.size, dtype=np.int64)


def cell_keys(f: CellFeatures, features: tuple[str, ...], mode: str) -> np.ndarray:
    """(h*w,) int64 key of each cell: its ``colour_key`` and the features' values."""
    key = colour_key(f.grid, f.bg, mode)
    for name in features:
        key = key * 64 + (f.get(name).ravel() + 1)     # every feature value lies in -1..62
    return key


class CellDemos:
    """The demonstrations prepared once for the cell-rule learner: each input's features and, per cell, the
    output codes it allows (bit k: colour k, bit ``KEEP``: its own colour), concatenated over demonstrations."""

    def __init__(self, ctx: TaskContext, bg: int | None):
        self.bg = bg
        self.features = [CellFeatures(i, bg) for i in ctx.train_inputs]
        self.outputs = np.concatenate([o.astype(np.int64).ravel() for o in ctx.train_outputs])
        inputs = np.concatenate([i.astype(np.int64).ravel() for i in ctx.train_inputs])
        self.allowed = np.left_shift(1, self.outputs) | np.where(self.outputs == inputs, 1 << KEEP, 0)
        self.demo = np.concatenate([np.full(i.size, k, dtype=np.int64) for k, i in enumerate(ctx.train_inputs)])
        self._colour_keys = {mode: np.concatenate([colour_key(f.grid, f.bg, mode) for f in self.features])
                             for mode in COLOUR_KEYS}
        self._values: dict[str, np.ndarray] = {}

    def values(self, name: str) -> np.ndarray:
        """The feature ``name`` of every demonstration cell, concatenated (kept)."""
        if name not in self._values:
            self._values[name] = np.concatenate([f.get(name).ravel() for f in self.features])
        return self._values[name]

    def keys(self, features: tuple[str, ...], mode: str) -> np.ndarray:
        """The cells' keys as ``cell_keys`` makes them, concatenated."""
        key = self._colour_keys[mode]
        for name in features:
            key = key * 64 + (self.values(name) + 1)
        return key


def learn_cell_rule(demos: CellDemos, features: tuple[str, ...], mode: str,
                    take: str | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(sorted keys, output codes) consistent with every demonstration, or None.

    A code is a colour, ``KEEP`` or ``TAKE``; a key's code is the first of KEEP, TAKE, the lowest colour
    that every one of its cells allows. Every key whose code changes a cell must be met in at least two
    demonstrations (one demonstration's accident is not a rule)."""
    keys = demos.keys(features, mode)
    allowed = demos.allowed
    if take is not None:
        allowed = allowed | np.where(demos.outputs == demos.values(take), 1 << TAKE, 0)
    order = np.argsort(keys, kind="stable")
    keys, allowed, demo = keys[order], allowed[order], demos.demo[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    both = np.bitwise_and.reduceat(allowed, starts)
    if (both == 0).any():
        return None
    codes = np.where(both & (1 << KEEP), KEEP,
                     np.where(both & (1 << TAKE), TAKE, np.argmax((both[:, None] >> np.arange(10)) & 1, axis=1)))
    changing = codes != KEEP
    if not changing.any():
        return None
    first_demo = np.minimum.reduceat(demo, starts)
    last_demo = np.maximum.reduceat(demo, starts)
    if (first_demo[changing] == last_demo[changing]).any():
        return None
    return keys[starts], codes


def cell_rule(features: tuple[str, ...], mode: str, take: str | None, bg: int | None,
              table: tuple[np.ndarray, np.ndarray]) -> Primitive:
    """Each cell gets the code its key maps to in ``table`` (keep, a colour, or the ``take`` feature's
    colour); None when some cell's key was never seen in the demonstrations."""
    table_keys, table_codes = table

    def fn(grid: Grid) -> Grid | None:
        f = CellFeatures(grid, bg)
        keys = cell_keys(f, features, mode)
        at = np.searchsorted(table_keys, keys)
        at[at >= len(table_keys)] = 0
        if not (table_keys[at] == keys).all():
            return None
        codes = table_codes[at]
        out = grid.ravel().astype(np.int64)
        out = np.where(codes < 10, codes, out)
        if take is not None:
            taken = f.get(take).ravel()
            if (taken[codes == TAKE] < 0).any():
                return None                               # no colour to take there
            out = np.where(codes == TAKE, taken, out)
        return out.reshape(grid.shape).astype(np.uint8)

    parts = list(features) + ([f"take={take}"] if take else []) + ([] if mode == "colour" else [f"{mode}"])
    return Primitive(f"cell_rule({', '.join(parts)}{bg_text(bg)})", fn)


def _consistent(demos: CellDemos, features: tuple[str, ...]) -> bool:
    """Cells with the same colour and the same values of all ``features`` agree on some output code: when
    this fails no rule over fewer of these features fits (a coarser key only merges more cells)."""
    if len(features) <= 4:
        key = demos.keys(features, "colour")
    else:
        key = demos.keys((), "colour")
        for name in features:
            _, key = np.unique(key * 64 + demos.values(name) + 1, return_inverse=True)   # renumbered: stays small
    order = np.argsort(key, kind="stable")
    key, allowed = key[order], demos.allowed[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return bool((np.bitwise_and.reduceat(allowed, starts) != 0).all())


def _cell_rule_candidates(ctx: TaskContext) -> list[Primitive]:
    """Cell rules in order of simplicity: one feature, then a colour to take, then two position features.
    A rule keyed by colour and features is tried before the same rule without the colour, which can only
    fit when the finer one does."""
    demos = CellDemos(ctx, rule_background(ctx))
    if _consistent(demos, ()):
        return []                     # a colour map explains the demonstrations: positions add nothing
    singles = list(LINE_FEATURES) + [f"in_box_of_{c}" for c in ctx.colours_in()
                                     if all(c != background(g) for g in ctx.train_inputs)]
    pairs: list[tuple[str, ...]] = []
    if _consistent(demos, tuple(POSITION_FEATURES)):
        names = list(POSITION_FEATURES)
        singles = names + singles
        pairs = [(names[a], names[b]) for a in range(len(names)) for b in range(a + 1, len(names))]
    prims = []
    for features in [(name,) for name in singles] + [(), ] + pairs:
        if not features:
            for take in TAKE_FEATURES:
                for mode in ("is_bg", "colour"):
                    table = learn_cell_rule(demos, (), mode, take)
                    if table is not None:
                        prims.append(cell_rule((), mode, take, demos.bg, table))
            continue
        if not _consistent(demos, features):
            continue
        for mode in ("any", "is_bg", "colour"):
            table = learn_cell_rule(demos, features, mode, None)
            if table is not None:
                prims.append(cell_rule(features, mode, None, demos.bg, table))
    return prims


# --- 2. object and region rules: a decision over item features ------------------------------------------

Action = tuple   # ("keep",) or (kind, colour) with kind "paint", "holes" or "interior"
KEEP_ACTION: Action = ("keep",)
ACTION_ORDER = {"keep": 0, "paint": 1, "paint_rarest": 2, "paint_minor": 3, "paint_touching": 4,
                "paint_column_key": 5, "paint_row_key": 6, "holes": 7, "holes_own": 8, "interior": 9}
# paint with a colour read off the grid
DERIVED = ("paint_rarest", "paint_minor", "paint_touching", "paint_column_key", "paint_row_key")


def rarest_colour(grid: Grid, bg: int) -> int | None:
    """The one least frequent colour of the grid other than ``bg`` (None on a tie or with no other colour):
    a marker whose colour other objects take."""
    counts = np.bincount(grid.ravel(), minlength=10)
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
        counts = np.bincount(grid[obj.top:obj.bottom, obj.left:obj.right][obj.mask], minlength=10)
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


def _symmetric(obj: Obj) -> bool:
    cells = obj.cells
    return bool((cells == cells[:, ::-1]).all() or (cells == cells[::-1, :]).all())


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


class Decision:
    """An action per item chosen from its features: ``map`` (the value of one feature, or of two for
    ``pair``; unseen values give None) or a stump, ``is`` (feature = value) / ``atleast`` (feature >=
    value), whose other action covers every other value."""

    def __init__(self, kind: str, features: tuple[str, ...], value, table: dict):
        self.kind, self.features, self.value, self.table = kind, features, value, table

    def key(self, values: dict):
        if self.kind == "is":
            return values[self.features[0]] == self.value
        if self.kind == "atleast":
            return values[self.features[0]] >= self.value
        return tuple(values[name] for name in self.features)

    def action(self, values: dict) -> Action | None:
        return self.table.get(self.key(values))

    @property
    def text(self) -> str:
        if self.kind in ("is", "atleast"):
            sign = "=" if self.kind == "is" else ">="
            return (f"{self.features[0]}{sign}{self.value}: {_action_text(self.table[True])}, "
                    f"else {_action_text(self.table[False])}")
        parts = []
        for key in sorted(self.table, key=repr):
            if self.table[key] != KEEP_ACTION:
                parts.append(f"{'/'.join(str(k) for k in key)}: {_action_text(self.table[key])}")
        return f"{'+'.join(self.features)} " + ", ".join(parts)


def _best(allowed: set[Action]) -> Action:
    return min(allowed, key=lambda a: (ACTION_ORDER[a[0]],) + a[1:])


def fit_decision(kind: str, features: tuple[str, ...], value,
                 items: list[tuple[dict, set[Action]]]) -> Decision | None:
    """The decision of this kind consistent with every item (features, allowed actions), or None. It must
    use two actions, and every key that does something must hold at least two items."""
    probe = Decision(kind, features, value, {})
    groups: dict[object, set[Action]] = {}
    counts: dict[object, int] = {}
    for values, allowed in items:
        key = probe.key(values)
        groups[key] = groups[key] & allowed if key in groups else set(allowed)
        counts[key] = counts.get(key, 0) + 1
        if not groups[key]:
            return None
    table = {key: _best(allowed) for key, allowed in groups.items()}
    if len(set(table.values())) < 2:
        return None
    if any(counts[key] < 2 for key, action in table.items() if action != KEEP_ACTION):
        return None
    if kind in ("is", "atleast") and len(table) != 2:
        return None
    return Decision(kind, features, value, table)


def decision_candidates(items: list[tuple[dict, set[Action]]], names: list[str]) -> list[Decision]:
    """Decisions that fit, simplest first: a feature with two values, a stump, a map of a few values, a
    pair of two-valued features, the colour paired with a two-valued feature."""
    seen_values = {name: sorted({values[name] for values, _ in items}) for name in names}   # one type a feature
    two = [name for name in names if len(seen_values[name]) == 2]
    tries: list[tuple[str, tuple[str, ...], object]] = [("map", (name,), None) for name in two]
    for name in names:
        if len(seen_values[name]) > 2:
            tries += [("is", (name,), v) for v in seen_values[name]]
    for name in NUMERIC:
        if name in names and len(seen_values[name]) > 2:
            tries += [("atleast", (name,), v) for v in seen_values[name][1:]]
    tries += [("map", (name,), None) for name in MAPPED if name in names and len(seen_values[name]) > 2]
    tries += [("pair", (two[a], two[b]), None) for a in range(len(two)) for b in range(a + 1, len(two))]
    for many in ("colour", "sides"):              # one rule per colour (per side), e.g. border or not
        if many in names and len(seen_values[many]) > 2:
            tries += [("pair", (many, name), None) for name in two if name != many]
    found = []
    for kind, features, value in tries:
        decision = fit_decision(kind, features, value, items)
        if decision is not None:
            found.append(decision)
            if len(found) >= 2 * MAX_ITEM_RULES:
                break
    return found


def object_rule(view: View, decision: Decision) -> Primitive:
    """Each object gets the action its features decide (keep, paint, fill holes, fill inner cells);
    None when some object's features were never seen."""
    needed = decision.features

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if not objs or len(objs) > MAX_ITEMS:
            return None
        bg = view.background_of(grid)
        rare = rarest_colour(grid, bg)
        out = grid.copy()
        for obj in objs:
            values = {name: OBJECT_FEATURES[name](obj, objs, grid, bg) for name in needed}
            action = decision.action(values)
            if action is None or not _do(out, obj, action, grid, bg, rare):
                return None
        return out

    return Primitive(f"object_rule({decision.text}, {view.text})", fn)


def _regions(grid: Grid, bg: int) -> tuple[Obj, ...]:
    """The background's 4-connected regions as objects."""
    return objects_of((grid == bg).astype(np.uint8), View(4, False, 0))


def region_rule(bg: int | None, decision: Decision) -> Primitive:
    """Each 4-connected background region is left or painted as its features decide; None when some
    region's features were never seen."""
    needed = decision.features

    def fn(grid: Grid) -> Grid | None:
        b = background(grid) if bg is None else bg
        regions = _regions(grid, b)
        if not regions or len(regions) > MAX_ITEMS:
            return None
        rare = rarest_colour(grid, b)
        out = grid.copy()
        for region in regions:
            values = {name: REGION_FEATURES[name](region, regions, grid, b) for name in needed}
            action = decision.action(values)
            if action is None or not _do(out, region, action, grid, b, rare):
                return None
        return out

    return Primitive(f"region_rule({decision.text}{bg_text(bg)})", fn)


def _object_items(ctx: TaskContext, view: View, names: list[str]) -> list[tuple[dict, set[Action]]] | None:
    """Every demonstration object's features and allowed actions; None when some object has none, or
    cells outside the objects change (other than holes a rule could fill)."""
    items = []
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        objs = objects_of(i, view)
        if not objs:
            return None
        changed = i != o
        for obj in objs:                                  # only object cells and holes may change
            box = changed[obj.top:obj.bottom, obj.left:obj.right]
            box &= ~(obj.mask | _hole_mask(obj))
        if changed.any():
            return None
        bg = view.background_of(i)
        rare = rarest_colour(i, bg)
        for obj in objs:
            allowed = _actions(obj, i, o, True, bg, rare)
            if not allowed:
                return None
            items.append(({name: OBJECT_FEATURES[name](obj, objs, i, bg) for name in names}, allowed))
    return items


def _region_items(ctx: TaskContext, bg: int | None, names: list[str]) -> list[tuple[dict, set[Action]]] | None:
    items = []
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        b = background(i) if bg is None else bg
        if ((i != o) & (i != b)).any():
            return None                                   # a region rule only paints background
        regions = _regions(i, b)
        if not regions or len(regions) > MAX_ITEMS:
            return None
        rare = rarest_colour(i, b)
        for region in regions:
            allowed = _actions(region, i, o, False, b, rare)
            if not allowed:
                return None
            items.append(({name: REGION_FEATURES[name](region, regions, i, b) for name in names}, allowed))
    return items


def _item_rule_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    touches = [f"touches_{c}" for c in ctx.colours_in()]
    plain = [name for name in OBJECT_FEATURES if not name.startswith(("touches_", "has_"))]
    for view in task_views(ctx):
        # "has colour c" tells objects apart only when they may hold several colours
        object_names = plain + touches + ([f"has_{c}" for c in ctx.colours_in()] if view.multi else [])
        items = _object_items(ctx, view, object_names)
        if items is not None:
            prims += [object_rule(view, d) for d in decision_candidates(items, object_names)]
    bg = rule_background(ctx)
    names = list(SHARED_FEATURES) + ["framed"] + touches
    items = _region_items(ctx, bg, names)
    if items is not None:
        prims += [region_rule(bg, d) for d in decision_candidates(items, names)]
    return prims


# --- the family ----------------------------------------------------------------------------------------------

@family("traits")
def traits_family(ctx: TaskContext) -> list[Primitive]:
    """Cell, object and region rules learned from same-size demonstrations that change some cells; only
    rules that reproduce every demonstration and apply to every test input are offered."""
    if not _changes(ctx):
        return []
    prims = _distinct(_cell_rule_candidates(ctx), ctx, MAX_CELL_RULES)
    prims += _distinct(_item_rule_candidates(ctx), ctx, MAX_ITEM_RULES)
    return prims
