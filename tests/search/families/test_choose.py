"""Primitives that choose (choose.py): trails stamped along a direction and 1x1 picked colours, on literal
grids; hand-written programs that solve ARC-AGI-1 training tasks; and tasks the search now solves."""

from fractions import Fraction

import numpy as np
import pytest

from arcvdm.search.families import choose
from arcvdm.search.registry import FAMILIES

from training_tasks import (
    assert_program_solves,
    assert_search_solves,
    ctx,
    g,
)

ONE, TWO = Fraction(1), Fraction(2)


# --- 1. trails --------------------------------------------------------------------------------------------

def test_trail_stamps_diagonally_and_later_stamps_paint_over():
    prim = choose.trail(1, 1, "top_left", False, ("h", TWO), ("w", TWO))
    assert prim(g([[1, 2], [0, 3]])).tolist() == [
        [1, 2, 0, 0],
        [0, 1, 2, 0],
        [0, 0, 1, 2],
        [0, 0, 0, 1]]


def test_trail_from_bottom_left_up_right():
    prim = choose.trail(-1, 1, "bottom_left", False, ("w", ONE), ("w", ONE))
    assert prim(g([[5, 0, 0]])).tolist() == [[0, 0, 5], [0, 5, 0], [5, 0, 0]]


def test_trail_grow_lengthens_a_bar():
    prim = choose.trail(1, 1, "top_left", True, ("w", Fraction(1, 2)), ("w", ONE))
    assert prim(g([[4, 0, 0, 0]])).tolist() == [[4, 0, 0, 0], [4, 4, 0, 0]]


def test_trail_refuses_bad_sizes_and_empty_inputs():
    prim = choose.trail(1, 1, "top_left", False, ("w", Fraction(1, 2)), ("w", ONE))
    assert prim(g([[1, 0, 0]])) is None                   # 3/2 rows
    assert prim(g([[0, 0]])) is None                      # nothing to stamp
    assert choose.trail(1, 1, "top_left", False, ("w", TWO), ("w", TWO))(np.ones((1, 16), np.uint8)) is None
    with pytest.raises(ValueError, match="middle"):
        choose.trail(1, 1, "middle", False, ("h", ONE), ("w", ONE))


def test_trail_is_fitted_from_demonstrations():
    c = ctx([([[1, 0]], [[0, 1], [1, 0]]), ([[0, 2, 0]], [[0, 0, 0], [0, 0, 2], [0, 2, 0]])], tests=[[[3, 0, 0]]])
    names = [p.name for p in FAMILIES["choose"](c)]
    assert names[0] == "trail((-1,1), bottom_left, stamp, w x w)"


# --- 2. picked colours ------------------------------------------------------------------------------------

def test_pick_enclosed_colour():
    grid = g([[0, 0, 0, 0, 3],
              [0, 4, 4, 4, 0],
              [0, 4, 2, 4, 0],
              [3, 4, 4, 4, 2]])
    assert choose.pick_colour("enclosed")(grid).tolist() == [[2]]
    assert choose.pick_colour("enclosed")(g([[1, 2], [2, 1]])) is None


def test_pick_marked_region():
    grid = g([[1, 1, 2, 2],
              [1, 5, 2, 5],
              [1, 1, 2, 5],
              [1, 1, 2, 2]])                 # 5 (rarest) touches 1 once, 2 three times
    assert choose.pick_colour("marked_region")(grid).tolist() == [[2]]
    assert choose.pick_colour("marked_region")(g([[1, 2]])) is None
    with pytest.raises(ValueError, match="nearest"):
        choose.pick_colour("nearest")


# --- 3. hand-written programs on training tasks -------------------------------------------------------------

def test_programs_solve_training_tasks():
    assert_program_solves("d13f3404", [choose.trail(1, 1, "top_left", False, ("h", TWO), ("h", TWO))])
    assert_program_solves("feca6190", [choose.trail(-1, 1, "bottom_left", False, ("w*cells", ONE),
                                                    ("w*cells", ONE))])
    assert_program_solves("bbc9ae5d", [choose.trail(1, 1, "top_left", True, ("w", Fraction(1, 2)),
                                                    ("w", ONE))])
    assert_program_solves("de1cd16c", [choose.pick_colour("marked_region")])


# --- 4. the family: silent on same-size tasks, pure, and the search solves with it -------------------------

def test_family_is_silent_when_shapes_are_kept():
    assert FAMILIES["choose"](ctx([([[1, 0]], [[0, 1]])])) == []




@pytest.mark.parametrize("task_id", ["d13f3404", "feca6190", "de1cd16c"])
def test_search_solves(task_id):
    assert_search_solves(task_id, top=1)
