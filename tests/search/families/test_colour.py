"""Behaviour tests of the geometry, colour and parts primitives and of the last-step fitters (literal grids)."""

from __future__ import annotations

import numpy as np

from arcvdm.search.dsl import TaskContext
from arcvdm.search.families import colour


def G(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


A = G([[1, 2, 0],
       [3, 0, 0]])  # 2x3, asymmetric


def eq(a: np.ndarray | None, b: list[list[int]] | np.ndarray) -> bool:
    return a is not None and np.array_equal(a, np.asarray(b, dtype=np.uint8))



def test_recolour_keep_erase_swap() -> None:
    g = G([[1, 2], [2, 0]])
    assert eq(colour.recolour(g, 2, 5), [[1, 5], [5, 0]])
    assert colour.recolour(g, 7, 5) is None
    assert eq(colour.keep(g, 2), [[0, 2], [2, 0]])
    assert eq(colour.swap(g, 1, 2), [[2, 1], [1, 0]])
    assert eq(colour.swap(colour.swap(g, 1, 2), 1, 2), g)


def test_majority_and_counts() -> None:
    g = G([[0, 3, 3], [0, 0, 4], [0, 0, 0]])  # background 0; 3 twice, 4 once
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
    ctx = TaskContext((G([[0, 1], [1, 2]]),), (G([[0, 5], [5, 2]]),), (G([[1, 2]]),))
    names = [p.name for p in colour.colour_family(ctx)]
    assert "recolour(1->5)" in names and "keep(2)" in names and "colour_cell(major)" in names
    assert "recolour(2->0)" not in names  # 2 stays in the outputs and 0 is no new colour: not suggested

