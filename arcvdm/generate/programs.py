"""Random programs over the catalogue: a first operation with an input kind it suits, then up to two more
steps, each with parameters drawn from the grid it meets.

``sample_program`` draws a program and its first example together, because parameters are drawn from the
first example's grid at each step (a recolour names a colour that is there); a step that does not apply
to that grid, or leaves it unchanged, ends the draw (the engine counts why and draws again). ``Program.run``
then applies the same steps, parameters fixed, to the other inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from arcvdm.generate.catalogue import OPERATIONS
from arcvdm.generate.inputs import INPUTS
from arcvdm.generate.operation import Operation, Params, pick
from arcvdm.grids import Grid, grids_equal


@dataclass(frozen=True)
class Step:
    """One operation with its parameters fixed."""

    op: Operation
    params: Params

    @property
    def text(self) -> str:
        return self.op.text(self.params)


@dataclass(frozen=True)
class Program:
    """Steps applied in order to an input grid of ``kind`` (``inputs.INPUTS``)."""

    steps: tuple[Step, ...]
    kind: str

    @property
    def text(self) -> str:
        """The program as one line: the steps' texts joined by `` | ``."""
        return " | ".join(step.text for step in self.steps)

    @property
    def families(self) -> tuple[str, ...]:
        """The steps' families, each once, in order."""
        return tuple(dict.fromkeys(step.op.family for step in self.steps))

    def run(self, grid: Grid) -> Grid | None:
        """The output on ``grid``, or None when a step does not apply."""
        for step in self.steps:
            grid = step.op.apply(grid, step.params)
            if grid is None:
                return None
        return grid


@dataclass(frozen=True)
class Draw:
    """A sampled program and its first example, or why the draw failed (``program`` None then)."""

    program: Program | None
    grid_in: Grid | None = None
    grid_out: Grid | None = None
    reason: str = ""


# The first step is one of the battery's operations this share of the time, else one of the search's: the
# battery lists 80 operations against the search's 48, and uniform draws made 72% of tasks start with it.
BATTERY_SHARE = 0.5
# Input kinds are drawn in proportion to these weights (1 when not listed) among those the first step
# suits: ARC training inputs are the most ARC-like grids, so they come up as often as four other kinds.
KIND_WEIGHTS = {"arc_training": 4.0}


class Sampler:
    """Draws programs from the operations that suit the allowed input ``kinds``."""

    def __init__(self, kinds: tuple[str, ...], operations: dict[str, Operation] | None = None) -> None:
        table = OPERATIONS if operations is None else operations
        first = [op for op in table.values() if set(op.kinds) & set(kinds)]
        self.first_battery = [op for op in first if op.first_only]
        self.first_search = [op for op in first if not op.first_only]
        self.later = [op for op in table.values() if not op.first_only]
        self.kinds = set(kinds)
        if not first:
            raise ValueError(f"no operation suits the input kinds {sorted(kinds)}; known kinds: {', '.join(INPUTS)}")

    def first_step(self, rng: np.random.Generator) -> tuple[Operation, str]:
        """The first operation (``BATTERY_SHARE``) and an input kind it suits (``KIND_WEIGHTS``)."""
        battery = bool(rng.random() < BATTERY_SHARE)
        op = pick(rng, self.first_battery if (battery and self.first_battery) or not self.first_search
                  else self.first_search)
        kinds = [k for k in op.kinds if k in self.kinds]
        weights = np.array([KIND_WEIGHTS.get(k, 1.0) for k in kinds])
        return op, kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]

    def draw(self, rng: np.random.Generator, depth: int) -> Draw:
        """A program of ``depth`` steps and its first example (input, output)."""
        op, kind = self.first_step(rng)
        grid = INPUTS[kind](rng)
        first_in, steps = grid, []
        for k in range(depth):
            if k:
                op = pick(rng, self.later)
            params = op.sample(rng, grid)
            out = op.apply(grid, params)
            if out is None:
                return Draw(None, reason="does_not_apply")
            if grids_equal(out, grid):
                return Draw(None, reason="step_unchanged")
            steps.append(Step(op, params))
            grid = out
        return Draw(Program(tuple(steps), kind), first_in, grid)
