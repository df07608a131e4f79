"""The ``move_objects`` family: gravity, attraction, nudges, alignment, turns and moves of the whole content,
on literal grids; and hand-written programs that solve ARC-AGI-1 training tasks."""

import numpy as np
import pytest

from arcvdm.search.families import moving
from arcvdm.search.registry import FAMILIES

from training_tasks import V4, V8, assert_program_solves, ctx, g


@pytest.mark.parametrize("direction, expected", [
    ("down", [[0, 0, 0], [1, 0, 0], [3, 0, 2]]),
    ("up", [[1, 0, 2], [3, 0, 0], [0, 0, 0]]),
    ("right", [[0, 1, 2], [0, 0, 0], [0, 0, 3]]),
    ("left", [[1, 2, 0], [0, 0, 0], [3, 0, 0]]),
])
def test_gravity_cells(direction, expected):
    grid = g([[1, 0, 2], [0, 0, 0], [3, 0, 0]])
    assert moving.gravity_cells(direction, 0)(grid).tolist() == expected


def test_gravity_cells_without_change_keeps_the_grid():
    # a demonstration with nothing to move must not reject the program: the grid comes back as it was
    # (the engine itself drops a step that changes no demonstration)
    assert moving.gravity_cells("down", 0)(g([[0], [1]])).tolist() == [[0], [1]]
    assert moving.gravity_cells("down", None).name == "gravity_cells(down)"


def test_gravity_objects_fall_rigidly_and_stack():
    grid = g([[0, 2, 2, 0],
              [0, 0, 2, 0],
              [1, 0, 0, 0],
              [0, 0, 0, 0],
              [0, 0, 0, 0]])
    assert moving.gravity_objects(V8, "down", None)(grid).tolist() == [
        [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 2, 2, 0], [1, 0, 2, 0]]
    column = g([[3, 0], [0, 0], [4, 0], [0, 0]])
    assert moving.gravity_objects(V4, "down", None)(column).tolist() == [[0, 0], [0, 0], [3, 0], [4, 0]]
    assert moving.gravity_objects(V4, "down", 3)(column).tolist() == [[0, 0], [3, 0], [4, 0], [0, 0]]
    assert moving.gravity_objects(V4, "up", None)(g([[1, 0], [0, 0]])).tolist() == [[1, 0], [0, 0]]  # nothing moves


def test_attract_moves_until_touching():
    grid = g([[0, 0, 0, 0, 0, 0],
              [2, 2, 0, 0, 0, 8],
              [0, 0, 0, 0, 0, 8],
              [0, 0, 0, 0, 0, 0]])
    prim = moving.attract(V4, 2)
    assert prim.name == "attract(colour=2, conn=4, bg=0)"
    assert prim(grid).tolist() == [[0, 0, 0, 0, 0, 0], [0, 0, 0, 2, 2, 8], [0, 0, 0, 0, 0, 8], [0, 0, 0, 0, 0, 0]]
    assert prim(g([[2, 0, 0]])) is None                       # nothing to move towards
    assert prim(g([[2, 8, 0]])) is None                       # already touching


def test_gravity_objects_in_a_wide_flat_grid():
    grid = g([[1, 0, 0, 0, 0, 0, 0, 2]])
    assert moving.gravity_objects(V4, "right", 1)(grid).tolist() == [[0, 0, 0, 0, 0, 0, 1, 2]]


def test_attract_to_a_target_colour():
    grid = g([[0, 0, 0, 0, 0],
              [3, 0, 0, 0, 2],
              [0, 0, 0, 0, 0],
              [7, 0, 0, 0, 0]])
    assert moving.attract(V4, 3)(grid)[:, 0].tolist() == [0, 0, 3, 7]           # the 7 below is nearer
    assert moving.attract(V4, 3, target=2)(grid).tolist() == [[0, 0, 0, 0, 0], [0, 0, 0, 3, 2], [0, 0, 0, 0, 0],
                                                              [7, 0, 0, 0, 0]]


def test_attract_diagonally():
    grid = g([[5, 0, 0, 0],
              [0, 0, 0, 0],
              [0, 0, 2, 2],
              [0, 0, 2, 2]])
    assert moving.attract(V4, 5)(grid) is None                  # no straight line meets the block
    expected = [[0, 0, 0, 0], [0, 5, 0, 0], [0, 0, 2, 2], [0, 0, 2, 2]]
    assert moving.attract(V4, 5, diagonal=True)(grid).tolist() == expected


def test_nudge():
    grid = g([[1, 0], [0, 2], [0, 0]])
    assert moving.nudge("down", 0)(grid).tolist() == [[0, 0], [1, 0], [0, 2]]
    assert moving.nudge("right", 0)(grid) is None               # the 2 would leave the grid


def test_align_to_anchor():
    grid = g([[0, 0, 0, 3],
              [1, 0, 0, 3],
              [1, 0, 2, 0],
              [0, 0, 0, 0]])
    assert moving.align(V4, 1, "row")(grid).tolist() == [[0, 0, 0, 0], [1, 0, 2, 3], [1, 0, 0, 3], [0, 0, 0, 0]]
    assert moving.align(V4, 4, "row")(grid) is None              # no anchor of that colour


def test_turn_objects_in_place():
    grid = g([[1, 1, 0, 0],
              [1, 0, 0, 2],
              [0, 0, 0, 2],
              [0, 0, 0, 0]])
    assert moving.turn_objects(V4, "flip_lr")(grid).tolist() == [[1, 1, 0, 0], [0, 1, 0, 2], [0, 0, 0, 2], [0, 0, 0, 0]]
    assert moving.turn_objects(V4, "flip_ud")(grid).tolist() == [[1, 0, 0, 0], [1, 1, 0, 2], [0, 0, 0, 2], [0, 0, 0, 0]]
    assert moving.turn_objects(V4, "transpose")(grid) is None       # the 2 has a 2x1 box: not square
    square = g([[3, 3, 0], [0, 3, 0], [0, 0, 0]])
    assert moving.turn_objects(V4, "transpose")(square).tolist() == [[3, 0, 0], [3, 3, 0], [0, 0, 0]]
    for kind in ("flip_lr", "flip_ud", "rot180"):                    # each turn undoes itself
        prim = moving.turn_objects(V8, kind)
        assert np.array_equal(prim(prim(grid)), grid)


def test_move_content_as_one_piece():
    grid = g([[0, 0, 0, 0],
              [0, 1, 0, 0],
              [0, 0, 2, 0],
              [0, 0, 0, 0]])
    assert moving.move_content("up_left", 0)(grid).tolist() == [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    assert moving.move_content("down", 0)(grid).tolist() == [[0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]]
    assert moving.move_content("up", 0)(moving.move_content("up", 0)(grid)) is None   # already there
    assert moving.move_content("right", 0)(g([[0, 0], [0, 0]])) is None               # no content


def test_move_family_offers_turns_and_moves_that_agree():
    task = ctx([([[0, 0, 0], [0, 0, 1], [0, 0, 1]], [[1, 0, 0], [1, 0, 0], [0, 0, 0]]),
                ([[0, 0, 0, 0], [0, 0, 2, 2], [0, 0, 0, 0]], [[2, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])])
    names = [p.name for p in FAMILIES["move_objects"](task)]
    assert "move_content(up_left, bg=0)" in names
    assert not any(n.startswith("turn_objects") for n in names)   # turning these bars changes nothing
    turned = ctx([([[1, 1, 0], [1, 0, 0], [0, 0, 0]], [[1, 1, 0], [0, 1, 0], [0, 0, 0]]),
                  ([[0, 0, 0], [0, 2, 0], [0, 2, 2]], [[0, 0, 0], [0, 0, 2], [0, 2, 2]])])
    assert "turn_objects(flip_lr, conn=8, bg=0)" in [p.name for p in FAMILIES["move_objects"](turned)]
    grown = ctx([([[0, 0], [0, 1]], [[1, 1], [0, 1]]), ([[2, 0], [0, 0]], [[2, 2], [0, 0]])])
    assert FAMILIES["move_objects"](grown) == []           # cells are painted: not a task of moving


def test_training_task_gravity():
    assert_program_solves("1e0a9b12", [moving.gravity_cells("down", 0)])


def test_training_task_attract():
    assert_program_solves("05f2a901", [moving.attract(V8, 2)])


def test_training_task_align_to_anchor():
    assert_program_solves("1caeab9d", [moving.align(V8, 1, "row")])

