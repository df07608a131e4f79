"""One panel's content drawn again (``panels.py`` themes 3 and 5): panels that become a turned copy of the
source panel (``copy_panels``), and a single-colour shape drawn once per cell of a colour map panel
(``shape_by_map``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, grids_key, reproduces
from arcvdm.search.families.geometry import d8
from arcvdm.search.families.panels.cut import SPLITS, panel_boxes

# --- 3. panels filled with turned copies of one panel ----------------------------------------------------

COPY_TURNS = ("keep", "id", "flip_lr", "flip_ud", "rot180", "rot90", "rot270", "transpose", "antitranspose")


def _source_index(grid: Grid, boxes: list[tuple[int, int, int, int]]) -> int | None:
    """The panel with the most non-zero cells, or None on a tie."""
    counts = [int(np.count_nonzero(grid[r0:r1, c0:c1])) for r0, r1, c0, c1 in boxes]
    best = max(counts)
    return counts.index(best) if best > 0 and counts.count(best) == 1 else None


def _turned(panel: Grid, turn: str) -> Grid:
    return panel if turn == "id" else d8(turn, panel)


def copy_panels(mode: str, turns: tuple[str, ...]) -> Primitive:
    """Panel k of the grid becomes ``turns[k]`` applied to the source panel (the one with the most
    non-zero cells), or stays as it is (``"keep"``). None when the grid does not cut into
    ``len(turns)`` panels of one shape, the source is tied, or a turn does not fit the panel's shape."""

    def fn(grid: Grid) -> Grid | None:
        boxes = panel_boxes(grid, mode)
        if boxes is None or len(boxes) != len(turns):
            return None
        s = _source_index(grid, boxes)
        if s is None:
            return None
        r0, r1, c0, c1 = boxes[s]
        source = grid[r0:r1, c0:c1]
        out = grid.copy()
        for (t0, t1, u0, u1), turn in zip(boxes, turns):
            if turn == "keep":
                continue
            turned = _turned(source, turn)
            if turned.shape != (t1 - t0, u1 - u0):
                return None
            out[t0:t1, u0:u1] = turned
        return out

    return Primitive(f"copy_panels({mode}, {'/'.join(turns)})", fn)


def _learn_turns(ctx: TaskContext, mode: str) -> tuple[str, ...] | None:
    """For each panel index, the first turn in ``COPY_TURNS`` order that maps the source panel onto that
    output panel in every demonstration; None when some panel has none or every panel is kept."""
    count = None
    fits: list[list[str]] | None = None
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return None
        boxes = panel_boxes(i, mode)
        if boxes is None or (count is not None and len(boxes) != count):
            return None
        count = len(boxes)
        s = _source_index(i, boxes)
        if s is None:
            return None
        r0, r1, c0, c1 = boxes[s]
        source = i[r0:r1, c0:c1]
        if fits is None:
            fits = [list(COPY_TURNS) for _ in boxes]
        for k, (t0, t1, u0, u1) in enumerate(boxes):
            wanted, before = o[t0:t1, u0:u1], i[t0:t1, u0:u1]
            kept = []
            for turn in fits[k]:
                got = before if turn == "keep" else _turned(source, turn)
                if got.shape == wanted.shape and np.array_equal(got, wanted):
                    kept.append(turn)
            fits[k] = kept
            if not kept:
                return None
    if fits is None or all(f[0] == "keep" for f in fits):
        return None
    return tuple(f[0] for f in fits)


def _copy_candidates(ctx: TaskContext) -> list[Primitive]:
    """Panel copies that reproduce every demonstration and apply to every test input."""
    if ctx.train_inputs[0].shape != ctx.train_outputs[0].shape:
        return []
    prims: list[Primitive] = []
    seen: set[tuple] = set()
    for mode in SPLITS:
        if panel_boxes(ctx.train_inputs[0], mode) is None:
            continue
        turns = _learn_turns(ctx, mode)
        if turns is None:
            continue
        prim = copy_panels(mode, turns)
        if not reproduces(prim, ctx):
            continue                        # the turns fit every panel, but a cell off the panels changed
        answers = [prim(t) for t in ctx.test_inputs]
        if any(a is None for a in answers):
            continue
        answer_key = grids_key(answers)
        if answer_key not in seen:          # another cut giving the same answers adds nothing
            seen.add(answer_key)
            prims.append(prim)
    return prims


# --- 5. two panels: a shape drawn once per cell of a colour map --------------------------------------------

def shape_by_map(mode: str) -> Primitive:
    """Two panels cut by ``mode``: the one in a single colour is a shape, the other a colour map. The
    output has a panel-sized block per map cell: the shape drawn in that cell's colour, or empty where the
    map is 0. None when the grid does not cut into two panels, not exactly one of them is single-coloured,
    or the output would pass 30 x 30."""

    def fn(grid: Grid) -> Grid | None:
        boxes = panel_boxes(grid, mode)
        if boxes is None or len(boxes) != 2:
            return None
        first, second = (grid[r0:r1, c0:c1] for r0, r1, c0, c1 in boxes)
        single = [len(set(np.unique(p).tolist()) - {0}) == 1 for p in (first, second)]
        if single[0] == single[1]:
            return None
        shape, colours = (first, second) if single[0] else (second, first)
        h, w = shape.shape
        if h * h > 30 or w * w > 30:
            return None
        drawn = shape != 0
        out = np.zeros((h * h, w * w), dtype=np.uint8)
        for i in range(h):
            for j in range(w):
                if colours[i, j] != 0:
                    out[i * h:(i + 1) * h, j * w:(j + 1) * w][drawn] = colours[i, j]
        return out

    return Primitive(f"shape_by_map({mode})", fn)


def _shape_map_candidates(ctx: TaskContext) -> list[Primitive]:
    """Shape-by-map cuts that reproduce every demonstration (outputs larger than their inputs only)."""
    i, o = ctx.train_inputs[0], ctx.train_outputs[0]
    if o.shape[0] <= i.shape[0] or o.shape[1] <= i.shape[1]:
        return []
    prims = []
    for mode in ("sep", "h2", "v2", "long2"):
        prim = shape_by_map(mode)
        if reproduces(prim, ctx) and all(prim(t) is not None for t in ctx.test_inputs):
            prims.append(prim)
            break  # the first cut that explains it: the others cut the same panels
    return prims
