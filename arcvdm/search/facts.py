"""What a task's grids show, computed one way for every family: colour counts, background colours, shapes,
painted colours, and whether a primitive agrees with what the demonstrations change.

Every family reads these facts from here, so a rule ("the background is the most frequent colour, ties to
the lower colour"; "a primitive is worth offering when half the cells it changes come out right") has one
source.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search import kernels
from arcvdm.search.dsl import Primitive, TaskContext


def background(grid: Grid) -> int:
    """The grid's background colour: its most frequent colour, ties broken towards the lower colour.
    (``kernels.background`` compiled; the lines below are its reference.)"""
    if kernels.ENABLED:
        found = kernels.background(grid)
        if found >= 0:
            return int(found)
    counts = colour_counts(grid)
    return int(np.argmax(counts))


def colour_counts(cells: np.ndarray) -> np.ndarray:
    """How many cells of each colour 0-9 (``cells``: a grid, or any array of colours), shape (10,)."""
    return np.bincount(cells.ravel(), minlength=10)


def colour_set(cells: np.ndarray) -> int:
    """The colours present, as bits (bit c: colour c is present): two grids have the same colours when these are
    equal. (``kernels.colour_bits`` compiled; the lines below are its reference.)"""
    if kernels.ENABLED:
        bits = kernels.colour_bits(cells)
        if bits >= 0:
            return int(bits)
    present = np.flatnonzero(colour_counts(cells))
    return int(np.bitwise_or.reduce(1 << present)) if present.size else 0


def agrees(prim: Primitive, ctx: TaskContext, share: float = 0.5, everywhere: bool = False) -> bool:
    """Applied to the demonstration inputs, ``prim`` changes some cells, and at least ``share`` of the
    cells it changes take their output colour: the one filter families use to offer a primitive that
    edits a grid in place (a program may use it after another step, so it need not explain every change).

    ``everywhere``: it must also apply to every demonstration and keep its shape. ``share=1.0,
    everywhere=True`` is the strict form: a step that makes only right changes, wherever it applies.
    """
    changed = right = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return False
        got = prim(i)
        if got is None or got.shape != i.shape:
            if everywhere:
                return False
            continue
        diff = got != i
        n_changed = int(np.count_nonzero(diff))
        n_right = int(np.count_nonzero(got[diff] == o[diff]))
        if share >= 1.0 and n_right < n_changed:
            return False  # one wrong cell already fails the strict form
        changed += n_changed
        right += n_right
    return changed > 0 and right >= share * changed


def painted_colours(ctx: TaskContext) -> list[int]:
    """Colours the outputs put on cells that change (same-size demonstrations), ascending."""
    found: set[int] = set()
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape == o.shape:
            found |= {int(c) for c in np.unique(o[i != o])}
    return sorted(found)


def same_size(ctx: TaskContext) -> bool:
    """Every demonstration output has its input's shape."""
    return all(i.shape == o.shape for i, o in zip(ctx.train_inputs, ctx.train_outputs))


def rule_background(ctx: TaskContext) -> int | None:
    """The background every rule of a task uses: the demonstration inputs' common most frequent colour,
    else 0 when every input holds some 0 (a large object can outnumber it), else None: each grid's own."""
    fixed = task_background(ctx)
    if fixed is None and all((g == 0).any() for g in ctx.inputs):
        return 0
    return fixed


def grid_background(grid: Grid, bg: int | None) -> int:
    """``bg`` when the task fixes it, else the grid's most frequent colour."""
    return background(grid) if bg is None else bg


def task_background(ctx: TaskContext) -> int | None:
    """The colour that is most frequent in every demonstration input, or None when they disagree.

    A test input may hold more of an object colour than of the background (a large object), so a task
    whose demonstrations agree on the background keeps it for every grid.
    """
    found = {background(g) for g in ctx.train_inputs}
    return found.pop() if len(found) == 1 else None


def output_background(outputs: list[Grid]) -> int:
    """The colour pieces leave unpainted: the most frequent colour over every demonstration output
    (ties: the lower colour)."""
    return background(np.concatenate([o.ravel() for o in outputs]))
