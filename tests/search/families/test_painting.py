"""The painting families (``fill_and_outline``, ``denoise``): fills, outlines, interiors, de-noising, on
literal grids; what they offer; and hand-written programs that solve ARC-AGI-1 training tasks."""

import numpy as np

from arcvdm.search.families import painting
from arcvdm.search.registry import FAMILIES

from training_tasks import V8, assert_program_solves, ctx, g


def test_fill_enclosed():
    box = g([[1, 1, 1, 0], [1, 0, 1, 0], [1, 1, 1, 0], [0, 0, 0, 0]])
    assert painting.fill_enclosed(4, 4, 0)(box).tolist() == [[1, 1, 1, 0], [1, 4, 1, 0], [1, 1, 1, 0], [0, 0, 0, 0]]
    diamond = g([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    assert painting.fill_enclosed(4, 4, 0)(diamond).tolist() == [[0, 1, 0], [1, 4, 1], [0, 1, 0]]
    assert painting.fill_enclosed(4, 8, 0)(diamond) is None   # the centre leaks out diagonally


def test_fill_holes_by_learned_property():
    demo = ([[1, 1, 1, 1, 1, 0], [1, 0, 1, 0, 1, 0], [1, 1, 1, 0, 1, 0], [0, 0, 1, 1, 1, 0], [0] * 6],
            [[1, 1, 1, 1, 1, 0], [1, 2, 1, 3, 1, 0], [1, 1, 1, 3, 1, 0], [0, 0, 1, 1, 1, 0], [0] * 6])
    assert painting.learn_hole_colours(ctx([demo]), "square", 0) is None    # each hole seen once: memorised
    task = ctx([demo, demo])
    assert painting.learn_hole_colours(task, "square", 0) == {True: 2, False: 3}
    prim = painting.fill_holes_by("square", {True: 2, False: 3}, 0)
    assert prim(g([[1, 1, 1, 1], [1, 0, 0, 1], [1, 1, 1, 1]])).tolist() == [[1, 1, 1, 1], [1, 3, 3, 1], [1, 1, 1, 1]]
    assert prim(g([[1, 0]])) is None                                     # no hole
    assert "fill_holes_by(square, bg=0)" in [p.name for p in FAMILIES["fill_and_outline"](task)]


def test_fill_regions_by_size_extreme():
    grid = g([[0, 0, 1, 0],
              [0, 0, 1, 0],
              [1, 1, 1, 1],
              [0, 1, 0, 0]])
    prim = painting.fill_holes_by("extreme", {"largest": 2, "smallest": 3, "middle": painting.KEEP}, 0,
                                  enclosed=False)
    assert prim.name == "fill_regions_by(extreme, bg=0)"
    assert prim(grid).tolist() == [[2, 2, 1, 0], [2, 2, 1, 0], [1, 1, 1, 1], [3, 1, 0, 0]]


def test_outline():
    dot = g([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert painting.outline(3, 4, None, 0)(dot).tolist() == [[0, 3, 0], [3, 1, 3], [0, 3, 0]]
    assert painting.outline(3, 8, None, 0)(dot).tolist() == [[3, 3, 3], [3, 1, 3], [3, 3, 3]]
    assert painting.outline(3, 8, 2, 0)(g([[2, 0, 0, 5]])).tolist() == [[2, 3, 0, 5]]
    assert painting.outline(3, "x", None, 0)(dot).tolist() == [[3, 0, 3], [0, 1, 0], [3, 0, 3]]
    assert painting.outline(3, 4, None, 0)(g([[1, 1]])) is None


def test_interior():
    square = np.zeros((5, 5), dtype=np.uint8)
    square[1:4, 1:4] = 1
    expected = square.copy()
    expected[2, 2] = 4
    assert np.array_equal(painting.interior(4, 4, 0)(square), expected)
    assert painting.interior(4, 4, 0)(g([[1, 1], [1, 1]])) is None   # the grid's edge is outside


def test_remove_small():
    grid = g([[1, 0, 0], [0, 0, 2], [0, 0, 2]])
    assert painting.remove_small(V8, 2)(grid).tolist() == [[0, 0, 0], [0, 0, 2], [0, 0, 2]]
    assert painting.remove_small(V8, 2)(g([[2, 2]])) is None


def test_prune():
    grid = g([[1, 1, 0, 0],
              [1, 1, 1, 0],
              [0, 0, 0, 2]])
    assert painting.prune(2, 0)(grid).tolist() == [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]]
    assert painting.prune(1, 0)(grid).tolist() == [[1, 1, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0]]
    assert painting.prune(1, 0)(g([[1, 1]])) is None


def test_majority_filter():
    grid = g([[1, 1, 2], [1, 5, 2], [1, 1, 2]])
    assert painting.majority_filter(5)(grid).tolist() == [[1, 1, 2], [1, 1, 2], [1, 1, 2]]
    assert painting.majority_filter(5)(g([[1]])) is None


def test_block_majority():
    grid = g([[1, 1, 2, 2], [1, 3, 2, 2], [0, 0, 4, 4], [0, 5, 4, 4]])
    assert painting.block_majority(2)(grid).tolist() == [[1, 2], [0, 4]]
    assert painting.block_majority(2)(g([[1, 1, 1]] * 3)) is None


def test_families_stay_out_of_other_tasks():
    shrink = ctx([([[1, 2], [3, 4]], [[1]])])
    for name in ("move_objects", "fill_and_outline", "rays", "connect"):
        assert FAMILIES[name](shrink) == []
    painted = ctx([([[1, 0], [0, 0]], [[1, 1], [0, 0]])])
    assert FAMILIES["move_objects"](painted) == []             # a cell more: nothing moved
    recolour = ctx([([[1, 0], [0, 0]], [[2, 0], [0, 0]])])
    assert FAMILIES["move_objects"](recolour) == []            # no move agrees with a recolouring in place


def test_training_task_fill_enclosed():
    assert_program_solves("a5313dff", [painting.fill_enclosed(1, 4, 0)])


def test_training_task_rays_then_outline():
    # 0ca9ddb6 painted by two outlines: yellow on the diagonals of red, orange beside blue
    assert_program_solves("0ca9ddb6", [painting.outline(4, "x", 2, 0), painting.outline(7, 4, 1, 0)])


def test_training_task_fill_regions_by_size():
    learned = {"largest": 1, "smallest": 8, "middle": painting.KEEP}
    assert_program_solves("6455b5f5", [painting.fill_holes_by("extreme", learned, 0, enclosed=False)])


def test_training_task_outline_of_one_colour():
    assert_program_solves("dc1df850", [painting.outline(1, 8, 2, 0)])

