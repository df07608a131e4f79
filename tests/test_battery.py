"""The synthetic search battery (benchmarks/battery.py): every operation builds a valid, seeded task."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import battery  # noqa: E402


@pytest.mark.parametrize("name", sorted(battery.OPERATIONS))
def test_every_operation_builds_a_valid_task_that_its_seed_fixes(name: str) -> None:
    task = battery.make_task(name, seed=0)
    again = battery.make_task(name, seed=0)
    assert len(task.train) == 3 and len(task.test) == 1
    for ex, twin in zip(task.train + task.test, again.train + again.test):
        for grid, same in ((ex.input, twin.input), (ex.output, twin.output)):
            assert grid.dtype == np.uint8 and 1 <= min(grid.shape) and max(grid.shape) <= 30
            assert int(grid.max()) <= 9
            assert np.array_equal(grid, same)


def test_an_unknown_operation_is_refused_by_name() -> None:
    with pytest.raises(SystemExit, match="no_such_op"):
        battery.main(["--only", "no_such_op"])
