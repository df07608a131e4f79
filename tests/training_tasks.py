"""Shared by the search tests: ARC-AGI-1 training tasks outside the dev set, literal grids and contexts, and
the checks every family's tests use:

- ``assert_program_solves``: a program written by hand (a list of primitives) maps every example of a
  training task, test included, to its output;
- ``assert_search_solves``: the whole search, on the public task, ranks every test output among its first
  answers;
- ``apply_read_only``: a primitive never writes its input and returns a valid grid or None
  (``tests/search/test_registry.py`` runs it over every registered family).
"""

from __future__ import annotations

import functools

import numpy as np

from arcvdm.search.objects import View
from arcvdm.splits import dev_task_ids
from arcvdm.tasks import Task, load_dataset


@functools.lru_cache(maxsize=1)
def allowed_training_tasks() -> dict[str, Task]:
    """ARC-AGI-1 training tasks by id, the dev set left out (it picks defaults: never used to build)."""
    dev = set(dev_task_ids())
    return {t.id: t for t in load_dataset("arc1-train").tasks if t.id not in dev}


def assert_program_solves(task_id: str, program: list) -> None:
    """Apply ``program`` to every input of the task; each result must equal the output exactly."""
    task = allowed_training_tasks()[task_id]   # a KeyError here: a dev task, which must not be used
    for ex in task.train + task.test:
        grid = ex.input
        for prim in program:
            grid = prim(grid)
            assert grid is not None, (task_id, prim.name)
        assert np.array_equal(grid, ex.output), task_id


def assert_search_solves(task: Task | str, cfg=None, top: int = 2):
    """The search on the public task (an allowed training task's id, or a Task) ranks every test output among
    its first ``top`` distinct answers; returns the SearchResult. ``cfg``: a SearchConfig (default:
    ``max_applications=30000``, enough for a program of one or two steps)."""
    from arcvdm.config import SearchConfig
    from arcvdm.search.engine import rank_answers, search_task

    if isinstance(task, str):
        task = allowed_training_tasks()[task]   # a KeyError here: a dev task, which must not be used
    result = search_task(task.public(), cfg or SearchConfig(max_applications=30000))
    for k, ex in enumerate(task.test):
        answers = [grid for grid, _texts in rank_answers(result, k)[:top]]
        assert any(a.shape == ex.output.shape and np.array_equal(a, ex.output) for a in answers), (
            task.id, k, [p.text for p in result.programs[:3]])
    return result


def apply_read_only(prim, grid: np.ndarray):
    """``prim`` on ``grid`` made read-only (a write raises): the grid must be unchanged and the result a valid
    grid or None, which is returned."""
    from arcvdm.search.dsl import valid

    before = grid.copy()
    grid.flags.writeable = False
    out = prim(grid)
    grid.flags.writeable = True
    assert np.array_equal(grid, before)
    assert out is None or valid(out), prim.name
    return out


# --- literal grids and task contexts for the search tests ------------------------------------------------------

def g(rows) -> np.ndarray:
    """A literal grid."""
    return np.array(rows, dtype=np.uint8)


grid = g  # the same, where a test names its grids ``g``


def eq(a: np.ndarray | None, b) -> bool:
    """``a`` is a grid equal to the literal grid ``b``."""
    return a is not None and np.array_equal(a, np.asarray(b, dtype=np.uint8))


# the two plain object views most tests use: 4- and 8-connected, one colour per object, background 0
V4, V8 = View(4, False, 0), View(8, False, 0)

# objects of four colours and shapes: a 2x2 block, an L, a bar, a diagonal pair, one two-colour object
SCENE = g([
    [1, 1, 0, 0, 0, 0],
    [1, 1, 0, 2, 5, 0],
    [0, 0, 0, 2, 2, 0],
    [0, 0, 0, 0, 0, 0],
    [3, 0, 0, 0, 0, 4],
    [3, 0, 0, 0, 4, 0],
])


def seeded_grid(seed: int, h: int, w: int, density: float) -> np.ndarray:
    """An (h, w) grid on background 0 with about a ``density`` share of cells in random colours 1-9."""
    rng = np.random.default_rng(seed)
    grid = np.zeros((h, w), dtype=np.uint8)
    mask = rng.random((h, w)) < density
    grid[mask] = rng.integers(1, 10, size=int(mask.sum()))
    return grid


def ctx(pairs, tests=()):
    """A TaskContext from literal (input, output) pairs and test inputs."""
    from arcvdm.search.dsl import TaskContext

    return TaskContext(tuple(g(i) for i, _ in pairs), tuple(g(o) for _, o in pairs), tuple(g(t) for t in tests))


def task_ctx(task_id: str):
    """The TaskContext of an allowed training task (demonstrations and test inputs)."""
    from arcvdm.search.dsl import TaskContext

    task = allowed_training_tasks()[task_id]
    return TaskContext(tuple(e.input for e in task.train), tuple(e.output for e in task.train),
                       tuple(e.input for e in task.test))
