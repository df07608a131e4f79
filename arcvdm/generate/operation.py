"""One step a generated program may take (``Operation``), and the helpers its parameter samplers share.

``Operation.apply`` is the one door every step goes through: it returns a valid ARC grid (uint8, 1x1-30x30,
colours 0-9) or ``None``. The catalogue of operations (``catalogue.OPERATIONS``) is built from these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from arcvdm.generate.inputs import ENGINE_KINDS, INPUTS
from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.search.facts import background

Params = tuple[Any, ...]
Sampler = Callable[[np.random.Generator, Grid], Params]


def no_params(rng: np.random.Generator, grid: Grid) -> Params:
    """The sampler of an operation without parameters."""
    return ()


@dataclass(frozen=True)
class Operation:
    """One step a generated program may take.

    ``fn(grid, params)`` does the work; ``sample(rng, grid)`` draws parameters, where ``grid`` is the first
    example's grid at this step (so a colour parameter can name a colour that is there); ``show(params)``
    is the step's text (default ``name(p1, p2)``)."""

    name: str
    family: str
    fn: Callable[[Grid, Params], Grid | None] = field(repr=False)
    sample: Sampler = field(default=no_params, repr=False)
    kinds: tuple[str, ...] = ENGINE_KINDS
    show: Callable[[Params], str] | None = field(default=None, repr=False)
    first_only: bool = False     # assumes its input kind: never applied to another step's output

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in INPUTS]
        if unknown:
            raise ValueError(f"operation {self.name!r}: unknown input kind(s) {unknown}; known: {', '.join(INPUTS)}")

    def text(self, params: Params) -> str:
        """The step as a program shows it, parameters included."""
        if self.show is not None:
            return self.show(params)
        return f"{self.name}({', '.join(str(p) for p in params)})" if params else self.name

    def apply(self, grid: Grid, params: Params) -> Grid | None:
        """The step's output on ``grid``: a valid grid, or None where the operation does not apply or its
        result is no ARC grid (too large, empty, colours outside 0-9)."""
        return as_valid(self.fn(grid, params))


def as_valid(out: Any) -> Grid | None:
    """``out`` as a contiguous uint8 grid when it is a valid ARC grid, else None."""
    if out is None:
        return None
    out = np.asarray(out)
    if out.ndim != 2 or not (1 <= out.shape[0] <= MAX_SIZE and 1 <= out.shape[1] <= MAX_SIZE):
        return None
    if out.dtype != np.uint8:
        if out.dtype.kind not in "iub" or out.min() < 0 or out.max() > 9:
            return None
        return np.ascontiguousarray(out, dtype=np.uint8)
    if out.max() > 9:
        return None
    return np.ascontiguousarray(out)


# --- parameter samplers' helpers ----------------------------------------------------------------------

def pick(rng: np.random.Generator, options: tuple | list) -> Any:
    """One of ``options``, uniformly."""
    return options[int(rng.integers(0, len(options)))]


def present(rng: np.random.Generator, grid: Grid) -> int:
    """A colour of ``grid`` other than its background (the background when it holds no other)."""
    bg = background(grid)
    colours = [int(c) for c in np.unique(grid) if c != bg]
    return pick(rng, colours) if colours else bg


def absent(rng: np.random.Generator, grid: Grid) -> int:
    """A colour 1-9 that ``grid`` does not hold (any 1-9 other than its background when it holds them all)."""
    there = {int(c) for c in np.unique(grid)}
    colours = [c for c in range(1, 10) if c not in there] or [c for c in range(1, 10) if c != background(grid)]
    return pick(rng, colours)
