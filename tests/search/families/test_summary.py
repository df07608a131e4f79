"""The ``summary`` family: counts and colours of objects drawn as small grids, on literal grids; and
hand-written programs that solve ARC-AGI-1 training tasks."""

import pytest

from arcvdm.search.families import summary
from arcvdm.search.registry import FAMILIES

from training_tasks import V4, V8, assert_program_solves, ctx, g


@pytest.mark.parametrize("layout, expected", [
    ("row", [[5, 5, 5]]), ("col", [[5], [5], [5]]), ("diagonal", [[5, 0, 0], [0, 5, 0], [0, 0, 5]]),
    ("fixed_row", [[5, 5], [5, 0]]),
])
def test_count_objects_layouts(layout, expected):
    grid = g([[1, 0, 2], [0, 0, 0], [1, 1, 0]])
    prim = summary.count_objects(V4, None, layout, 5, (2, 2))
    assert prim(grid).tolist() == expected
    assert summary.count_objects(V4, 1, "row", 5, (2, 2))(grid).tolist() == [[5, 5]]   # blue objects only
    assert prim(g([[0, 0]])) is None


def test_colour_of_and_summary_family():
    task = ctx([([[1, 1, 0, 2]], [[1, 1], [1, 1]]), ([[3, 0, 4, 4], [0, 0, 4, 4]], [[4, 4], [4, 4]])])
    names = [p.name for p in FAMILIES["summary"](task)]
    assert "colour_of(largest, 2x2, conn=8, bg=0)" in names
    assert summary.colour_of(V8, "largest", (2, 2))(g([[6, 0, 7, 7]])).tolist() == [[7, 7], [7, 7]]
    assert summary.colour_of(V8, "largest", (2, 2))(g([[6, 0, 7]])) is None
    counting = ctx([([[1, 0, 1, 0, 1, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]), ([[1, 0, 1, 0]], [[8, 0], [0, 8]])])
    assert FAMILIES["summary"](counting) == []                            # first output does not count
    counting = ctx([([[1, 0, 1, 0, 1, 0]], [[8, 0, 0], [0, 8, 0], [0, 0, 8]]), ([[1, 0, 1, 0]], [[8, 0], [0, 8]])])
    assert [p.name for p in FAMILIES["summary"](counting)][0] == "count_objects(diagonal, 8, conn=8, bg=0)"


def test_training_task_count_objects():
    assert_program_solves("d0f5fe59", [summary.count_objects(V8, None, "diagonal", 8, (1, 1))])

