"""Every catalogue operation is pure and answers a valid grid or None on inputs of its kinds (one table)."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.generate.battery import OPERATIONS as BATTERY
from arcvdm.generate.catalogue import FAMILIES, OPERATIONS
from arcvdm.generate.operation import as_valid
from arcvdm.generate.inputs import INPUTS

DRAWS = 3


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_an_operation_is_pure_and_returns_a_valid_grid_or_none(name: str) -> None:
    op = OPERATIONS[name]
    for kind in op.kinds:
        for k in range(DRAWS):
            rng = np.random.default_rng([7, k])
            grid = INPUTS[kind](rng)
            before = grid.copy()
            params = op.sample(rng, grid)
            out = op.apply(grid, params)
            assert np.array_equal(grid, before), f"{name} wrote into its {kind} input"
            if out is not None:
                assert out.dtype == np.uint8 and out.ndim == 2 and 1 <= min(out.shape) and max(out.shape) <= 30
                assert int(out.max()) <= 9
            text = op.text(params)
            assert text and "\n" not in text and "|" not in text


def test_the_catalogue_holds_every_battery_operation_and_forty_of_the_search() -> None:
    assert set(BATTERY) <= set(OPERATIONS)
    search = [op for op in OPERATIONS.values() if op.family != "battery"]
    assert len(search) >= 40 and not any(op.first_only for op in search)
    assert FAMILIES[0] == "battery" and len(FAMILIES) >= 8


def test_program_text_shows_the_parameters() -> None:
    assert OPERATIONS["recolour"].text((1, 2)) == "recolour(1->2)"
    assert OPERATIONS["scale_up"].text((2, 2)) == "scale_up(2)"
    assert OPERATIONS["gravity_cells"].text(("down", None)) == "gravity_cells(down)"


@pytest.mark.parametrize("value, valid", [
    (np.zeros((2, 3), np.int64), True), (np.full((2, 2), 10), False), (np.zeros((31, 2), np.uint8), False),
    (np.zeros((0, 3), np.uint8), False), (np.zeros(4, np.uint8), False), (None, False),
])
def test_as_valid_keeps_only_arc_grids(value, valid: bool) -> None:
    out = as_valid(value)
    assert (out is not None) == valid
    if valid:
        assert out.dtype == np.uint8
