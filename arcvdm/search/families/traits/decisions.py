"""Object and region rules of the ``traits`` family: a ``Decision`` maps an item's features to an action
(a map of one or two features, or a stump ``feature = v`` / ``feature >= t``), ``fit_decision`` and
``decision_candidates`` learn it from the demonstration items (``_object_items`` / ``_region_items``: each
item's features and the actions that explain it), and ``object_rule`` / ``region_rule`` are the primitives
that apply it to every object of a view or every 4-connected background region.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import background
from arcvdm.search.families.traits.actions import (
    ACTION_ORDER,
    KEEP_ACTION,
    Action,
    _action_text,
    _actions,
    _do,
    _hole_mask,
    rarest_colour,
)
from arcvdm.search.families.traits.items import MAPPED, NUMERIC, OBJECT_FEATURES, REGION_FEATURES
from arcvdm.search.objects import Obj, View, bg_text, objects_of

MAX_ITEM_RULES = 2     # object / region rules offered per task
MAX_ITEMS = 60         # more objects or regions than this: a texture, not items a rule speaks of (and slow)


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
