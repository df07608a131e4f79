"""The ``order`` family (order.py): lines sorted by how full they are, each line's content reversed, the
fullest or emptiest line picked; when the family offers each; and the search finding them end to end."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.config import SearchConfig
from arcvdm.search.dsl import TaskContext
from arcvdm.search.families.order import order_family, pick_line, reverse_content, sort_lines
from arcvdm.tasks import Example, Task

from training_tasks import assert_search_solves, ctx, seeded_grid


def G(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


GRID = G([[1, 0, 0, 0],
          [2, 2, 3, 0],
          [0, 0, 0, 0],
          [4, 0, 5, 0]])


def random_grid(seed: int, h: int = 6, w: int = 7, density: float = 0.35) -> np.ndarray:
    return seeded_grid(seed, h, w, density)


def context(pairs: list[tuple[np.ndarray, np.ndarray]]) -> TaskContext:
    return ctx(pairs, tests=[pairs[0][0]])


def test_sort_lines_orders_rows_by_filled_cells_and_keeps_ties_in_order() -> None:
    assert sort_lines(GRID, "rows", "most").tolist() == [[2, 2, 3, 0], [4, 0, 5, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
    assert sort_lines(GRID, "rows", "fewest").tolist() == [[0, 0, 0, 0], [1, 0, 0, 0], [4, 0, 5, 0], [2, 2, 3, 0]]
    assert np.array_equal(sort_lines(GRID.T, "cols", "most"), sort_lines(GRID, "rows", "most").T)
    in_order = G([[1, 1], [1, 0], [0, 0]])
    assert sort_lines(in_order, "rows", "most") is None  # nothing to reorder


@pytest.mark.parametrize("axis", ["rows", "cols"])
@pytest.mark.parametrize("seed", range(4))
def test_reverse_content_twice_is_the_identity(axis: str, seed: int) -> None:
    grid = random_grid(seed)
    once = reverse_content(grid, axis)
    assert once is not None and np.array_equal(once != 0, grid != 0)  # filled cells stay where they are
    assert np.array_equal(reverse_content(once, axis), grid)


def test_reverse_content_reverses_only_the_filled_cells() -> None:
    assert reverse_content(GRID, "rows").tolist() == [[1, 0, 0, 0], [3, 2, 2, 0], [0, 0, 0, 0], [5, 0, 4, 0]]


def test_pick_line_takes_the_single_fullest_or_emptiest_line() -> None:
    assert pick_line(GRID, "rows", "most").tolist() == [[2, 2, 3, 0]]
    assert pick_line(GRID, "rows", "fewest").tolist() == [[0, 0, 0, 0]]
    assert pick_line(GRID, "cols", "fewest").tolist() == [[0], [0], [0], [0]]
    assert pick_line(GRID.T, "cols", "most").tolist() == [[2], [2], [3], [0]]
    assert pick_line(G([[1, 0], [0, 1]]), "rows", "most") is None  # a tie: no single line


def test_the_family_offers_each_primitive_only_when_the_outputs_call_for_it() -> None:
    grids = [random_grid(s) for s in range(3)]

    def names(outputs: list[np.ndarray]) -> set[str]:
        return {p.name for p in order_family(context(list(zip(grids, outputs))))}

    assert names([g[::-1] for g in grids]) == {"sort_lines(rows, most)", "sort_lines(rows, fewest)"}
    assert names([reverse_content(g, "cols") for g in grids]) == {"reverse_content(cols)"}
    assert names([g[2:3] for g in grids]) == {"pick_line(rows, most)", "pick_line(rows, fewest)"}
    assert names([np.rot90(g) for g in grids]) == set()


def synthetic_task(fn, seeds: range) -> Task:
    examples = [Example(g, fn(g)) for g in (random_grid(s) for s in seeds)]
    return Task("synthetic", tuple(examples[:-1]), tuple(examples[-1:]))


@pytest.mark.parametrize(
    "fn",
    [
        lambda g: sort_lines(g, "cols", "fewest"),
        lambda g: reverse_content(g, "rows"),
    ],
    ids=["sort_lines", "reverse_content"],
)
def test_the_search_finds_an_order_program(fn) -> None:
    task = synthetic_task(fn, range(20, 24))
    assert_search_solves(task, SearchConfig(max_applications=3000, max_states=500))
