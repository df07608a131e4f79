"""The task engine's operations: ``OPERATIONS[name]`` is an ``Operation`` a generated program may use.

An operation is a grid -> grid function with explicit parameters, a sampler of those parameters, a
family (the group that coverage reports count by) and the input kinds (``inputs.INPUTS``) it suits.
Two sources, kept apart on purpose:

- every operation of the search battery (``battery.OPERATIONS``, family ``battery``): plain numpy written
  apart from the search's DSL; each assumes its own input kind, so it is only ever a program's first step;
- a spread of the search's own parameterised functions and primitive factories (``search_ops.py``), which
  suit any grid (they return ``None`` where they do not apply) and so may follow any step.

A program's text shows each step with its parameters: ``recolour(1->2) | scale_up(2)``. ``Operation.apply``
is the one door: it returns a valid grid (uint8, 1x1-30x30, colours 0-9) or ``None``.
"""

from __future__ import annotations

from arcvdm.generate.battery import OPERATIONS as BATTERY
from arcvdm.generate.operation import Operation, Params
from arcvdm.generate.search_ops import SEARCH_OPERATIONS
from arcvdm.grids import Grid

# --- the battery's operations -----------------------------------------------------------------------------

def _battery_operation(name: str) -> Operation:
    op, kind = BATTERY[name]

    def fn(grid: Grid, params: Params) -> Grid | None:
        # The battery's reference operations are written for well-formed inputs of their kind; a random draw
        # can be degenerate (a "sparse" grid with no cell, a marker that is missing) and they then index out
        # of range or reduce an empty array. Such an input is one the operation does not apply to.
        try:
            return op(grid)
        except (IndexError, ValueError, ZeroDivisionError):
            return None

    return Operation(name, "battery", fn, kinds=(kind,), first_only=True)


def _registry() -> dict[str, Operation]:
    table = {name: _battery_operation(name) for name in BATTERY}
    for op in SEARCH_OPERATIONS:
        if op.name in table:
            raise ValueError(f"operation name {op.name!r} is used twice (battery and search); rename one")
        table[op.name] = op
    return table


# name -> operation: the battery's first, then the search's, in the order search_ops lists them
OPERATIONS: dict[str, Operation] = _registry()

FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(op.family for op in OPERATIONS.values()))
