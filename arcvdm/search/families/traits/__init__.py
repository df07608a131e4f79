"""Same-size rules over object and cell properties, learned from the demonstrations.

Every rule here is learned from the demonstration pairs inside the family, and a primitive is offered only
when it reproduces every demonstration and applies to every test input, so most tasks get none. Three
themes, each in its own module:

- **cell rules** (``cells.py``) — each cell's output colour is a function of its colour (all of it,
  only whether it is background, or none of it) and one or two position or line features that
  ``local_rule`` does not see: row / column / diagonal index modulo 2-4 counted from either side, position
  modulo 2 or half inside the cell's own component, distance to the border, the rank of its colour by
  count, whether the row or column is one colour or holds any colour, the middle row / column, where the
  row's first non-background cell is, whether the cell lies in the bounding box of a component of colour
  c. The output is "keep", a literal colour, or the colour of the row's / column's first or last cell, of
  the row's one colour, of the ring mirrored about the centre (``cell_rule(col%3, is_bg)``,
  ``cell_rule(take=row_first, is_bg)``).
  Every key that changes a cell must be seen in two demonstrations, and an unseen key refuses the grid;
  a task a plain colour map explains gets no cell rule.
- **object rules** — each object (connected component, in each of the task's views) is kept, painted,
  or has its holes (with a colour, or its own) or its inner cells filled (the actions:
  ``actions.py``), by a decision (``decisions.py``) learned over object features
  (``items.py``: size, size rank, largest / smallest, extreme positions, holes, rectangle,
  orientation, grid sides touched, the grid's centre, shape shared with or seen in an earlier object, a
  colour no other object has, touching another object or colour c, holding colour c, cells not of its
  main colour, symmetric, parities, ...): a map of one feature's values (unseen values refuse), a stump
  "feature = v" or "feature >= t" (every other value gets the other action), or a map of a pair of
  two-valued features (or of the colour or the sides and one). A paint colour is literal or read off the
  grid: its rarest colour, the object's minor colour, the one colour touching the object, the one key
  colour in its columns or rows (``object_rule(size=6: paint 2, else paint 1, conn=8, bg=0)``).
- **region rules** (``decisions.py``, features in ``items.py``) — the same learner over the
  background's 4-connected regions, whose features are their size, shape, parities, sides and the colours
  they touch: a region is left or painted (``region_rule(touches_1 True: paint 1, bg=0)``).

A decision must use two actions and every key that changes something must hold two items, so a rule read
off one object does not pass for a rule. This module holds the family: which rules it tries, in what
order, and the filter that keeps the first few with distinct answers.
"""

from __future__ import annotations

import numpy as np

from arcvdm.search.dsl import Primitive, TaskContext, answers_key, reproduces
from arcvdm.search.facts import background, rule_background, same_size
from arcvdm.search.families.traits.cells import (
    LINE_FEATURES,
    POSITION_FEATURES,
    TAKE_FEATURES,
    CellDemos,
    _consistent,
    cell_rule,
    learn_cell_rule,
)
from arcvdm.search.families.traits.decisions import (
    MAX_ITEM_RULES,
    _object_items,
    _region_items,
    decision_candidates,
    object_rule,
    region_rule,
)
from arcvdm.search.families.traits.items import OBJECT_FEATURES, SHARED_FEATURES
from arcvdm.search.objects import task_views

MAX_CELL_RULES = 2     # cell rules offered per task (the first ones, simplest first, with distinct answers)


def _distinct(prims: list[Primitive], ctx: TaskContext, limit: int) -> list[Primitive]:
    """The first ``limit`` primitives that reproduce the demonstrations, apply to every test input, and
    give test answers no earlier one gave (equivalent rules add nothing to the search)."""
    found, seen = [], set()
    for prim in prims:
        if not reproduces(prim, ctx):
            continue
        key = answers_key(prim, ctx.test_inputs)
        if None in key:
            continue
        if key in seen:
            continue
        seen.add(key)
        found.append(prim)
        if len(found) >= limit:
            break
    return found


def _changes(ctx: TaskContext) -> bool:
    """Same-size demonstrations, at least one of which changes a cell."""
    return same_size(ctx) and any(not np.array_equal(i, o) for i, o in zip(ctx.train_inputs, ctx.train_outputs))


# --- 1. cell rules: the order they are tried in ----------------------------------------------------------

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


# --- 2. object and region rules: the items and decisions tried -------------------------------------------

def _item_rule_candidates(ctx: TaskContext) -> list[Primitive]:
    """Object rules in each of the task's views, then region rules over the background, each list simplest
    decision first."""
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


# --- the family ------------------------------------------------------------------------------------------

def traits_family(ctx: TaskContext) -> list[Primitive]:
    """Cell, object and region rules learned from same-size demonstrations that change some cells; only
    rules that reproduce every demonstration and apply to every test input are offered."""
    if not _changes(ctx):
        return []
    prims = _distinct(_cell_rule_candidates(ctx), ctx, MAX_CELL_RULES)
    prims += _distinct(_item_rule_candidates(ctx), ctx, MAX_ITEM_RULES)
    return prims
