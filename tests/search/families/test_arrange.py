"""Arrangement primitives of the search DSL (arrange.py and its arrange_* theme modules): symmetry per
object, about a pivot and about the grid's own axes, diagonal stripes, moves by an object's size, to a
wall of its colour or across a bracket, sorted bars, repeated content, crossing, bouncing, elbow and
joining lines, recolouring in a box, separator blocks; on literal grids, hand-written programs and the
search itself on ARC-AGI-1 training tasks (none of them in the dev set)."""

import numpy as np
import pytest

from arcvdm.config import SearchConfig
from arcvdm.search.dsl import TaskContext
from arcvdm.search.families.arrange import blocks as arrange_blocks
from arcvdm.search.families.arrange import lines as arrange_lines
from arcvdm.search.families.arrange import moves as arrange_moves
from arcvdm.search.families.arrange import symmetry as arrange_symmetry
from arcvdm.search.objects import View, objects_of
from arcvdm.search.registry import FAMILIES

from training_tasks import allowed_training_tasks, assert_program_solves, assert_search_solves


def g(rows):
    return np.array(rows, dtype=np.uint8)


def ctx(pairs, tests=()):
    return TaskContext(tuple(g(i) for i, _ in pairs), tuple(g(o) for _, o in pairs), tuple(g(t) for t in tests))


V8, BY_COLOUR = View(8, False, 0), View(0, False, 0)


# --- symmetry ------------------------------------------------------------------------------------------------

def test_mirror_objects_completes_each_object_in_its_box():
    grid = g([[1, 1, 0, 0, 0],
              [1, 0, 0, 2, 0],
              [1, 1, 1, 0, 2]])
    assert arrange_symmetry.mirror_objects(V8, "lr", None)(grid).tolist() == [
        [1, 1, 1, 0, 0],
        [1, 0, 1, 2, 2],
        [1, 1, 1, 2, 2]]
    assert arrange_symmetry.mirror_objects(V8, "ud", 5)(g([[3, 3], [0, 3]])).tolist() == [[3, 3], [5, 3]]


def test_mirror_objects_rotations_need_a_square_box():
    grid = g([[4, 4, 0], [0, 0, 0], [0, 0, 0]])
    assert arrange_symmetry.mirror_objects(V8, "rot", None)(grid).tolist() == grid.tolist()  # a 1x2 box: no rotation
    square = g([[4, 4], [0, 4]])
    assert arrange_symmetry.mirror_objects(V8, "rot", None)(square).tolist() == [[4, 4], [4, 4]]


def test_mirror_about_a_pivot_colour_or_a_chosen_pivot():
    grid = g([[1, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 5, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0]])
    expected = [[1, 0, 0, 0, 1], [0, 0, 0, 0, 0], [0, 0, 5, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 1]]
    assert arrange_symmetry.mirror_about(5, "lrud", 0)(grid).tolist() == expected
    assert arrange_symmetry.mirror_about("fewest", "lrud", 0)(g([[1, 1, 0], [0, 5, 0], [0, 0, 0]])).tolist() == [
        [1, 1, 1], [0, 5, 0], [1, 1, 1]]
    assert arrange_symmetry.mirror_about("fewest", "lr", 0)(g([[1, 0], [0, 5]])) is None         # a tie: no pivot
    assert arrange_symmetry.mirror_about(5, "lr", 0)(g([[1, 5, 0, 0]])).tolist() == [[1, 5, 1, 0]]
    assert arrange_symmetry.mirror_about(5, "lr", 0)(g([[5, 1, 0]])).tolist() == [[5, 1, 0]]  # the image is off the grid


def test_symmetry_fill_finds_an_off_centre_axis():
    # columns 1..6 are symmetric (column x mirrors to 7 - x), column 0 is not; 9 marks the holes
    grid = g([[8, 7, 1, 2, 2, 1, 9],
              [0, 7, 3, 9, 4, 3, 7],
              [8, 7, 1, 2, 2, 1, 7]])
    assert arrange_symmetry._mirror_axis(grid, 9) == 7
    assert arrange_symmetry.symmetry_fill(9)(grid).tolist() == [
        [8, 7, 1, 2, 2, 1, 7],
        [0, 7, 3, 4, 4, 3, 7],
        [8, 7, 1, 2, 2, 1, 7]]
    assert arrange_symmetry.symmetry_fill(9)(g([[1, 2], [3, 4]])) is None


def test_diagonal_period_fill():
    grid = g([[1, 2, 3, 0],
              [2, 0, 0, 0],
              [0, 0, 0, 0]])
    assert arrange_symmetry.diagonal_period_fill(0)(grid).tolist() == [[1, 2, 3, 1], [2, 3, 1, 2], [3, 1, 2, 3]]
    assert arrange_symmetry.diagonal_period_fill(0)(g([[1, 0], [0, 0]])) is None          # stripes left unknown


# --- moves, repeats, lines -------------------------------------------------------------------------------

def test_move_by_size():
    grid = g([[0, 0, 0], [0, 0, 0], [1, 0, 0], [1, 0, 2]])
    assert arrange_moves.move_by_size(V8, "up")(grid).tolist() == [[1, 0, 0], [1, 0, 0], [0, 0, 2], [0, 0, 0]]
    assert arrange_moves.move_by_size(V8, "down")(grid) is None                                # would leave the grid


def test_repeat_content_forward_and_both_ways():
    grid = g([[0, 0, 0, 0, 0, 0],
              [0, 2, 0, 3, 0, 0]]).T                                                     # content in rows 1..3
    forward = arrange_lines.repeat_content("rows", 1, False, 0)(grid).T.tolist()
    assert forward == [[0, 0, 0, 0, 0, 0], [0, 2, 0, 3, 0, 2]]
    both = arrange_lines.repeat_content("rows", 0, True, 0)(grid).T.tolist()
    assert both == [[0, 0, 0, 0, 0, 0], [3, 2, 0, 3, 2, 0]]
    assert arrange_lines.repeat_content("rows", 0, True, 0)(g([[1], [1]])) is None           # the band is the grid


def test_cross_lines_meet_in_their_own_colour():
    grid = g([[0, 0, 0], [0, 1, 0], [0, 0, 0], [2, 0, 0]])
    assert arrange_lines.cross_lines(5, 0)(grid).tolist() == [[2, 1, 0], [5, 1, 1], [2, 1, 0], [2, 5, 2]]


def test_lines_to_largest():
    grid = g([[0, 0, 0, 0, 0],
              [3, 0, 4, 4, 0],
              [0, 0, 4, 4, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 0, 6, 0]])
    assert arrange_lines.lines_to_largest(V8)(grid).tolist() == [
        [0, 0, 0, 0, 0],
        [3, 3, 4, 4, 0],
        [0, 0, 4, 4, 0],
        [0, 0, 0, 6, 0],
        [0, 0, 0, 6, 0]]


def test_attach_to_own_colour_moves_cells_to_their_wall_or_erases_them():
    grid = g([[0, 0, 0, 0, 0],
              [3, 0, 0, 3, 4],
              [3, 0, 0, 0, 4],
              [3, 0, 0, 7, 4]])
    assert arrange_moves.attach_to_own_colour(View(4, False, 0))(grid).tolist() == [
        [0, 0, 0, 0, 0],
        [3, 3, 0, 0, 4],
        [3, 0, 0, 0, 4],
        [3, 0, 0, 0, 4]]                                   # the 7 has no wall of its colour


def test_elbow_row_or_column_first():
    grid = g([[2, 0, 0], [0, 0, 0], [0, 0, 3]])
    assert arrange_lines.elbow(2, 3, "row", 8)(grid).tolist() == [[2, 8, 8], [0, 0, 8], [0, 0, 3]]
    assert arrange_lines.elbow(2, 3, "col", 8)(grid).tolist() == [[2, 0, 0], [8, 0, 0], [8, 8, 3]]
    assert arrange_lines.elbow(2, 4, "col", 8)(grid) is None


def test_bounce_off_the_side_borders():
    grid = g([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [1, 0, 0]])
    assert arrange_lines.bounce(1)(grid).tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]
    assert arrange_lines.bounce(1)(g([[0, 0], [0, 1], [0, 0]])) is None                # not on an edge


def test_sort_bars_longest_at_the_bottom():
    grid = g([[0, 2, 2, 0],
              [3, 0, 0, 0],
              [1, 1, 1, 0],
              [8, 8, 8, 8]])
    assert arrange_moves.sort_bars("right", 0)(grid).tolist() == [[0, 0, 0, 3], [0, 0, 2, 2], [0, 1, 1, 1], [8, 8, 8, 8]]
    assert arrange_moves.sort_bars("left", 0)(g([[1, 0, 1], [2, 2, 0]])) is None       # a row of two runs


def test_recolour_in_box():
    grid = g([[1, 0, 1, 0], [0, 8, 1, 0], [1, 1, 8, 1]])
    assert arrange_lines.recolour_in_box(8, 1, 3)(grid).tolist() == [[1, 0, 1, 0], [0, 8, 3, 0], [1, 3, 8, 1]]


def test_reflect_across_the_back_line_of_a_bracket():
    grid = g([[0, 5, 0],
              [0, 0, 0],
              [2, 2, 2],
              [2, 0, 2],
              [0, 0, 0]])
    assert arrange_moves._back_line(objects_of(grid, V8)[1]) == ("row", 2)
    assert arrange_moves.reflect_across(V8, 2)(grid).tolist() == [[0, 0, 0], [0, 0, 0], [2, 2, 2], [2, 0, 2], [0, 5, 0]]


# --- separator blocks --------------------------------------------------------------------------------------

SEPARATED = g([[1, 0, 5, 0, 0, 5, 0, 0],
               [1, 1, 5, 2, 0, 5, 0, 0],
               [5, 5, 5, 5, 5, 5, 5, 5],
               [0, 0, 5, 0, 0, 5, 0, 3],
               [0, 0, 5, 0, 0, 5, 0, 0]])


def test_blocks_between_separator_lines():
    assert arrange_blocks.grid_separator(SEPARATED) == 5
    assert arrange_blocks.blocks(SEPARATED, 5) == [(0, 2, 0, 2), (0, 2, 3, 5), (0, 2, 6, 8),
                                            (3, 5, 0, 2), (3, 5, 3, 5), (3, 5, 6, 8)]
    assert arrange_blocks.blocks(g([[1, 2], [3, 4]]), 5) is None


def test_fill_blocks_and_copy_blocks():
    filled = arrange_blocks.fill_blocks(5, "most", 0)(SEPARATED)
    assert filled[:2, :2].tolist() == [[1, 1], [1, 1]] and not filled[:2, 3:5].any() and not filled[3:, 6:].any()
    copied = arrange_blocks.copy_blocks(None, "most", "own", 0)(SEPARATED)
    assert copied[3:5, 0:2].tolist() == [[1, 0], [1, 1]]
    assert copied[0:2, 3:5].tolist() == [[1, 0], [2, 1]]                          # its own cell kept
    assert arrange_blocks.copy_blocks(5, "first", "sep", 0)(SEPARATED)[3:5, 6:8].tolist() == [[5, 3], [5, 5]]


# --- families ------------------------------------------------------------------------------------------------

def test_family_stays_out_of_other_sizes_and_is_short():
    assert FAMILIES["arrange"](ctx([([[1, 2], [3, 4]], [[1]])])) == []
    for tid in ("4c5c2cf0", "23581191", "b8825c91", "c444b776"):
        task = allowed_training_tasks()[tid]
        tc = TaskContext(tuple(e.input for e in task.train), tuple(e.output for e in task.train),
                         tuple(e.input for e in task.test))
        assert 0 < len(FAMILIES["arrange"](tc)) <= 30, tid




# --- hand-written programs on ARC-AGI-1 training tasks -------------------------------------------------------

@pytest.mark.parametrize("task_id, program", [
    ("3aa6fb7a", [arrange_symmetry.mirror_objects(V8, "lr", 1)]),
    ("4c5c2cf0", [arrange_symmetry.mirror_about("symmetric", "lrud", 0)]),
    ("4938f0c2", [arrange_symmetry.mirror_about(3, "lrud", 0)]),
    ("3631a71a", [arrange_symmetry.symmetry_fill(9)]),
    ("b8825c91", [arrange_symmetry.symmetry_fill(4)]),
    ("5521c0d9", [arrange_moves.move_by_size(V8, "up")]),
    ("8eb1be9a", [arrange_lines.repeat_content("rows", 0, True, 0)]),
    ("23581191", [arrange_lines.cross_lines(2, 0)]),
    ("2c608aff", [arrange_lines.lines_to_largest(View(8, False, None))]),
    ("d43fd935", [arrange_lines.lines_to_largest(V8)]),
    ("1a07d186", [arrange_moves.attach_to_own_colour(V8)]),
    ("d687bc17", [arrange_moves.attach_to_own_colour(V8)]),
    ("a3df8b1e", [arrange_lines.bounce(1)]),
    ("a2fd1cf0", [arrange_lines.elbow(2, 3, "row", 8)]),
    ("d4a91cb9", [arrange_lines.elbow(8, 2, "col", 4)]),
    ("05269061", [arrange_symmetry.diagonal_period_fill(0)]),
    ("beb8660c", [arrange_moves.sort_bars("right", 0)]),
    ("32597951", [arrange_lines.recolour_in_box(8, 1, 3)]),
    ("6855a6e4", [arrange_moves.reflect_across(V8, 2)]),
    ("f8a8fe49", [arrange_moves.reflect_across(V8, 2)]),
    ("29623171", [arrange_blocks.fill_blocks(5, "most", 0)]),
    ("c444b776", [arrange_blocks.copy_blocks(4, "most", "own", 0)]),
    ("1e32b0e9", [arrange_blocks.copy_blocks(None, "first", "sep", 0)]),
])
def test_hand_written_program_solves_training_task(task_id, program):
    assert_program_solves(task_id, program)


# --- the search finds them -----------------------------------------------------------------------------------

ONE_STEP = SearchConfig(max_depth=1, transpose=False, normalise_colours=False, max_applications=5000)


@pytest.mark.parametrize("task_id", ["23581191", "4c5c2cf0", "3631a71a", "c444b776"])
def test_search_solves_training_task(task_id):
    assert_search_solves(task_id, ONE_STEP, top=1)
