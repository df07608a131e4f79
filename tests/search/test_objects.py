"""Objects and selectors (``objects.py``, ``selectors.py``): labelling, object properties and caches, and the
selectors that pick one object, on literal grids."""

import numpy as np
import pytest

from arcvdm.search import objects, selectors
from arcvdm.search.facts import task_background
from arcvdm.search.objects import View, label, objects_of, task_views

from training_tasks import SCENE, V4, V8, ctx, g


def test_label_literal_4_and_8_connected():
    grid = g([[1, 0, 1],
              [0, 1, 0],
              [2, 2, 0]])
    labels, n = label(grid, 0, conn=4)
    assert n == 4
    assert labels.tolist() == [[0, -1, 1], [-1, 2, -1], [3, 3, -1]]
    labels, n = label(grid, 0, conn=8)
    assert n == 2 and labels.tolist() == [[0, -1, 0], [-1, 0, -1], [1, 1, -1]]
    labels, n = label(grid, 0, conn=8, multi=True)
    assert n == 1 and (labels[grid != 0] == 0).all()


@pytest.mark.parametrize("size", [6, 25])
def test_flood_and_propagation_agree(size):
    rng = np.random.default_rng(size)
    for _ in range(5):
        grid = (rng.random((size, size)) < 0.45).astype(np.uint8) * rng.integers(1, 4, (size, size)).astype(np.uint8)
        for conn in (4, 8):
            for multi in (False, True):
                a, na = objects._label_flood(grid, 0, conn, multi)
                b, nb = objects._label_propagate(grid, 0, conn, multi)
                assert na == nb and np.array_equal(a, b)


def test_objects_of_properties_and_cache():
    objs = objects_of(SCENE, V4)
    assert [(o.top, o.left, o.size, o.colour) for o in objs] == [
        (0, 0, 4, 1), (1, 3, 3, 2), (1, 4, 1, 5), (4, 0, 2, 3), (4, 5, 1, 4), (5, 4, 1, 4)]
    assert objects_of(SCENE.copy(), V4) is objs                    # cached by content
    assert len(objects_of(SCENE, V8)) == 5                         # the two 4-cells join diagonally
    multi = objects_of(SCENE, View(4, True, 0))
    assert [o.size for o in multi] == [4, 4, 2, 1, 1] and multi[1].n_colours == 2
    assert objects.holes(objects_of(g([[1, 1, 1], [1, 0, 1], [1, 1, 1]]), V4)[0]) == 1


def test_texture_is_not_objects():
    checker = (np.indices((30, 30)).sum(axis=0) % 2).astype(np.uint8)   # 450 single cells (conn=4)
    assert objects_of(checker, V4) == ()
    assert len(objects_of(checker, V8)) == 1                            # diagonal steps join them all


@pytest.mark.parametrize("selector, expected", [
    ("largest", (0, 0)), ("smallest", None), ("largest_box", None), ("smallest_box", (4, 0)),
    ("rare_colour", None), ("rare_shape", None), ("top", (0, 0)), ("bottom", (4, 4)), ("left", None),
    ("right", (4, 4)), ("densest", None), ("sparsest", (4, 4)), ("most_colours", None),
])
def test_selectors(selector, expected):
    # conn=8: blue square (4 cells, box 4), red L (3, box 4), green bar (2, box 2), yellow diagonal (2, box 4)
    grid = g([[1, 1, 0, 0, 0, 0],
              [1, 1, 0, 2, 0, 0],
              [0, 0, 0, 2, 2, 0],
              [0, 0, 0, 0, 0, 0],
              [3, 3, 0, 0, 4, 0],
              [0, 0, 0, 0, 0, 4]])
    found = selectors.select(grid, V8, selector)                 # None: a tie (or nothing singles one out)
    assert (None if found is None else (found.top, found.left)) == expected


def test_rare_colour_and_shape_selectors():
    grid = g([[1, 0, 1, 0, 2, 2],
              [0, 0, 0, 0, 0, 0],
              [1, 1, 0, 1, 1, 0]])
    assert (selectors.select(grid, V4, "rare_colour").top, selectors.select(grid, V4, "rare_colour").left) == (0, 4)
    assert selectors.select(grid, V4, "rare_shape") is None       # singles twice, bars twice... no lone shape
    grid[0, 2] = 0
    assert selectors.select(grid, V4, "rare_shape").left == 0     # now the one single cell


def test_most_minor_selector():
    grid = g([[1, 2, 1, 0, 1, 1, 1, 0, 3, 2],
              [2, 1, 1, 0, 1, 2, 1, 0, 3, 3]])
    found = selectors.select(grid, View(8, True, 0), "most_minor")
    assert (found.left, found.minor) == (0, 2)                           # two red spots on blue


def test_marked_selector():
    grid = g([[0, 5, 0, 0, 0, 0],
              [1, 1, 0, 0, 1, 1],
              [0, 1, 0, 0, 1, 0]])
    found = selectors.select(grid, V8, "marked")                           # the shape the grey cell touches
    assert (found.top, found.left, found.colour) == (1, 0, 1)
    assert selectors.select(grid[1:], V8, "marked") is None                # no marker: nothing flagged


def test_symmetric_and_holes_selectors():
    grid = g([[1, 1, 1, 0, 2, 2],
              [1, 0, 1, 0, 2, 0],
              [1, 1, 1, 0, 0, 0]])
    assert selectors.select(grid, V8, "most_holes").colour == 1
    assert selectors.select(grid, V8, "symmetric") is None       # ring yes, L no: with two objects, neither is rarer
    three = g([[1, 1, 0, 2, 0, 3, 0], [0, 1, 0, 2, 0, 3, 3]])   # two Ls (no mirror symmetry) and a bar
    assert selectors.select(three, V8, "symmetric").colour == 2


def test_task_background_and_views():
    same = ctx([([[5, 5, 1], [5, 5, 5]], [[5, 5, 5], [5, 5, 5]]), ([[5, 2], [5, 5]], [[5, 5], [5, 5]])])
    assert task_background(same) == 5
    views = task_views(same)
    assert views == [View(8, False, 5)]                        # every other view cuts these inputs the same way
    differ = ctx([([[5, 5, 0]], [[5]]), ([[0, 0, 5]], [[0]])])
    assert task_background(differ) is None
    assert [v.bg for v in task_views(differ)] == [None, 0]
    assert View(8, True, 0).text == "conn=8, multi, bg=0"


def test_common_shape_selector():
    grid = g([[1, 0, 2, 0, 3, 3],
              [1, 0, 2, 0, 0, 0],
              [0, 0, 0, 0, 4, 0]])
    assert selectors.select(grid, V4, "common_shape").colour == 1          # two bars, one pair, one single
    assert selectors.select(g([[1, 0, 2]]), V4, "common_shape") is None     # fewer than three objects

