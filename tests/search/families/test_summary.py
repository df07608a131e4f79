"""Object primitives of the search DSL (objects.py, selectors.py, select.py, recolour.py, summary.py):
labelling, selectors, crop / keep / remove / recolour / boxes / summaries, on literal grids; and
hand-written programs that solve ARC-AGI-1 training tasks."""

import numpy as np
import pytest

from arcvdm.search.dsl import TaskContext
from arcvdm.search.families import summary
from arcvdm.search.objects import View
from arcvdm.search.registry import FAMILIES

from training_tasks import assert_program_solves


def g(rows):
    return np.array(rows, dtype=np.uint8)


def ctx(pairs, tests=()):
    return TaskContext(tuple(g(i) for i, _ in pairs), tuple(g(o) for _, o in pairs), tuple(g(t) for t in tests))


V4, V8 = View(4, False, 0), View(8, False, 0)

SCENE = g([
    [1, 1, 0, 0, 0, 0],
    [1, 1, 0, 2, 5, 0],
    [0, 0, 0, 2, 2, 0],
    [0, 0, 0, 0, 0, 0],
    [3, 0, 0, 0, 0, 4],
    [3, 0, 0, 0, 4, 0],
])



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

