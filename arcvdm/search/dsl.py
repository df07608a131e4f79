"""The search DSL: grid -> grid primitives, families that choose their parameters from a task, and fitters.

Vocabulary (also in the README glossary):

- **primitive** — one named, parameter-bound function ``Grid -> Grid | None`` (``None``: it does not
  apply to that grid, e.g. "crop to the largest object" on an empty grid). Its ``name`` is the readable
  text a program shows, parameters included: ``"crop_object(largest, conn=8)"``.
- **family** — a function ``TaskContext -> list[Primitive]`` listed in ``registry.FAMILIES`` under a name. It
  reads the task's demonstrations and test inputs (never a test output: ``TaskContext`` has none) to
  choose parameters, e.g. one "recolour" primitive per colour present. A family returns its primitives
  in a fixed order, so the search is deterministic.
- **fitter** — the optional last step of a program, learned from the demonstrations: given the grids a
  program produced for the demonstration inputs and the true outputs, it returns a ``Primitive`` that
  maps each produced grid to its output (e.g. a colour map), or ``None`` when no single such map exists.
  Listed in ``registry.FITTERS``.
- **program** — a sequence of primitives (and an optional fitted last step) that maps every
  demonstration input exactly to its output. Its text is the names joined by `` | ``.

Grids are ``numpy.uint8`` arrays of shape (h, w), colours 0-9, 1x1 to 30x30, treated as values: a
primitive never writes into its input and must return a valid grid (or ``None``); the engine rejects
anything larger than 30x30 or empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid, grid_key, grids_equal


@dataclass(frozen=True)
class TaskContext:
    """What a family may read of a task to choose parameters: demonstrations and test inputs only."""

    train_inputs: tuple[Grid, ...]
    train_outputs: tuple[Grid, ...]
    test_inputs: tuple[Grid, ...]

    @property
    def inputs(self) -> tuple[Grid, ...]:
        """Every input grid: demonstrations first, then test inputs."""
        return self.train_inputs + self.test_inputs

    def colours_in(self) -> list[int]:
        """Colours present in any input grid, ascending."""
        return sorted({int(c) for g in self.inputs for c in np.unique(g)})

    def colours_out(self) -> list[int]:
        """Colours present in any demonstration output, ascending."""
        return sorted({int(c) for g in self.train_outputs for c in np.unique(g)})


@dataclass(frozen=True)
class Primitive:
    """A named grid -> grid function; ``None`` means "does not apply to this grid"."""

    name: str
    fn: Callable[[Grid], Grid | None]
    cost: int = 1  # counts towards program length (ties between programs go to the shorter)

    def __call__(self, grid: Grid) -> Grid | None:
        return self.fn(grid)


Family = Callable[[TaskContext], list[Primitive]]
Fitter = Callable[[list[Grid], list[Grid]], "Primitive | None"]
PairGate = Callable[[Grid, Grid], bool]  # a fitter's test on one (produced, output) pair (``registry.FITTER_GATES``)

def valid(grid: Grid | None) -> bool:
    """True for a grid the search may keep: 2-D uint8, 1x1 to 30x30. (Asked of every primitive result: the
    dtype is compared by identity first, the common case, and by equality only when that fails.)"""
    if grid is None or not isinstance(grid, np.ndarray) or grid.ndim != 2:
        return False
    h, w = grid.shape
    return 1 <= h <= MAX_SIZE and 1 <= w <= MAX_SIZE and (grid.dtype is _UINT8 or grid.dtype == _UINT8)


_UINT8 = np.dtype(np.uint8)


def reproduces(prim: Primitive, ctx: TaskContext) -> bool:
    """``prim`` maps every demonstration input exactly to its output (families that offer a primitive only
    when it alone explains the demonstrations use this)."""
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        got = prim(i)
        if not grids_equal(got, o):
            return False
    return True


def grids_key(grids: Iterable[Grid | None]) -> tuple:
    """Several grids as one hashable key: ``grids.grid_key`` (shape and cells) per grid, None for a missing
    one. Every "the same answers as one already kept" test of the search compares these keys."""
    return tuple(None if grid is None else grid_key(grid) for grid in grids)


def answers_key(prim: Primitive, grids: tuple[Grid, ...] | list[Grid]) -> tuple:
    """What ``prim`` gives on ``grids`` as one key (``grids_key``; None where it does not apply): families
    drop a primitive whose key repeats an earlier one's (the same rule found twice)."""
    return grids_key(prim(grid) for grid in grids)


def drop_repeated(prims: list[Primitive], grids: tuple[Grid, ...] | list[Grid]) -> list[Primitive]:
    """``prims`` in order, less any whose ``answers_key`` on ``grids`` repeats an earlier one's (the same
    rule found twice costs the search twice for nothing)."""
    kept, seen = [], set()
    for prim in prims:
        key = answers_key(prim, grids)
        if key not in seen:
            seen.add(key)
            kept.append(prim)
    return kept


