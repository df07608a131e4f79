"""The ``colour`` family: recolour, keep, erase, swap, majority and counts, on literal grids."""

from __future__ import annotations

import numpy as np

from arcvdm.search.dsl import TaskContext
from arcvdm.search.families import colour

from training_tasks import eq, grid


def test_recolour_keep_erase_swap() -> None:
    g = grid([[1, 2], [2, 0]])
    assert eq(colour.recolour(g, 2, 5), [[1, 5], [5, 0]])
    assert colour.recolour(g, 7, 5) is None
    assert eq(colour.keep(g, 2), [[0, 2], [2, 0]])
    assert eq(colour.swap(g, 1, 2), [[2, 1], [1, 0]])
    assert eq(colour.swap(colour.swap(g, 1, 2), 1, 2), g)


def test_majority_and_counts() -> None:
    g = grid([[0, 3, 3], [0, 0, 4], [0, 0, 0]])  # background 0; 3 twice, 4 once
    assert eq(colour.fill_with(g, "major"), np.full((3, 3), 3))
    assert eq(colour.fill_with(g, "minor"), np.full((3, 3), 4))
    assert eq(colour.recolour_nonbg(g, "major"), [[0, 3, 3], [0, 0, 3], [0, 0, 0]])
    assert eq(colour.colour_cell(g, "major"), [[3]])
    assert eq(colour.colour_list(g, "row"), [[3, 4]])
    assert eq(colour.colour_list(g, "col"), [[3], [4]])
    assert eq(colour.count_bar(g, 3, "row"), [[3, 3]])
    assert eq(colour.histogram(g), [[3, 0], [3, 4]])
    assert eq(colour.count_bar_all(g, "col"), [[3], [3], [3]])
    assert colour.colour_cell(np.zeros((2, 2), np.uint8), "major") is None


def test_colour_family_uses_task_colours() -> None:
    ctx = TaskContext((grid([[0, 1], [1, 2]]),), (grid([[0, 5], [5, 2]]),), (grid([[1, 2]]),))
    names = [p.name for p in colour.colour_family(ctx)]
    assert "recolour(1->5)" in names and "keep(2)" in names and "colour_cell(major)" in names
    assert "recolour(2->0)" not in names  # 2 stays in the outputs and 0 is no new colour: not suggested

