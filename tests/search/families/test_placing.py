"""Primitives that place objects relative to others (placing.py): steps towards the nearest object, shapes
centred in a frame, objects stretched to a marker, templates and role stamps at markers, shapes repeated to
the border, jigsaw pieces, mirrors at a marker line, lone cells snapped onto an anchor and blocks pulled
along their connector, on literal grids; hand-written programs that solve ARC-AGI-1 training tasks; and
tasks the search now solves.

Measured (search_task, max_applications=30000, top two answers): with this family the search solves 16
allowed training tasks it did not solve before: 045e512c 0962bcdd 228f6490 2bcee788 3e980e27 4093f84a
447fd412 56dc2b01 57aa92db 6aa20dc0 98cf29f8 a1570a43 b548a754 d89b689b dc433765 e8dc4411."""

import numpy as np
import pytest

from arcvdm.search.families import placing
from arcvdm.search.families.placing import templates
from arcvdm.search.objects import View
from arcvdm.search.registry import FAMILIES

from training_tasks import (
    apply_read_only,
    assert_program_solves,
    assert_search_solves,
    ctx,
    g,
    task_ctx,
)

SINGLE, MULTI = View(8, False, 0), View(8, True, 0)


# --- 1. a step towards the nearest other object ------------------------------------------------------------

def test_step_towards_moves_one_step_diagonally():
    prim = placing.step_towards(SINGLE, 3, "step")
    assert prim(g([[3, 0, 0, 0],
                   [0, 0, 0, 0],
                   [0, 0, 0, 4]])).tolist() == [[0, 0, 0, 0],
                                                [0, 3, 0, 0],
                                                [0, 0, 0, 4]]


def test_step_towards_touch_stops_next_to_the_target():
    prim = placing.step_towards(SINGLE, 3, "touch")
    assert prim(g([[3, 3, 0, 0, 0, 4]])).tolist() == [[0, 0, 0, 3, 3, 4]]
    assert prim(g([[3, 4, 0]])).tolist() == [[3, 4, 0]]       # already touching: nothing moves
    assert prim(g([[3, 0, 0]])) is None                      # no other object
    with pytest.raises(ValueError, match="mode"):
        placing.step_towards(SINGLE, 3, "jump")


# --- 2. a shape moved into a frame ----------------------------------------------------------------------

def test_fit_into_frame_centres_the_shape_inside_the_corners():
    grid = g([[2, 2, 0, 0, 0, 0],
              [0, 0, 3, 0, 0, 3],
              [0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 0],
              [0, 0, 3, 0, 0, 3]])
    assert placing.fit_into_frame(3, 0)(grid).tolist() == [
        [0, 0, 0, 0, 0, 0],
        [0, 0, 3, 0, 0, 3],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 2, 2, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 3, 0, 0, 3]]
    assert placing.fit_into_frame(3, 0)(g([[3, 2, 2, 3]])) is None     # no room inside: None


# --- 3. an object stretched to a marker -------------------------------------------------------------------

def test_stretch_to_marker_repeats_the_line_next_to_the_far_edge():
    grid = g([[2, 2, 2, 0, 0, 0],
              [2, 1, 2, 0, 0, 8],
              [2, 2, 2, 0, 0, 0]])
    assert placing.stretch_to_marker(MULTI, 8)(grid).tolist() == [
        [2, 2, 2, 2, 2, 2],
        [2, 1, 1, 1, 1, 2],
        [2, 2, 2, 2, 2, 2]]


def test_stretch_to_marker_upwards_and_refusals():
    prim = placing.stretch_to_marker(MULTI, 8)
    assert prim(g([[0, 8], [0, 0], [5, 5], [7, 7], [6, 6]])).tolist() == [[5, 5], [7, 7], [7, 7], [7, 7], [6, 6]]
    assert prim(g([[8, 0, 0], [0, 0, 5]])) is None          # the marker is in line with no object
    assert prim(g([[5, 5], [0, 0]])) is None                # no marker


# --- 4. a template stamped onto its anchor cells -------------------------------------------------------------

def test_stamp_template_paints_turned_copies_around_anchor_cells():
    grid = g([[2, 8, 0, 0, 0, 0],
              [8, 3, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 3, 0],
              [0, 0, 0, 0, 0, 2]])
    # the anchors 3 and 2 lie the other way round: the copy is the template turned half round
    assert placing.stamp_template(MULTI)(grid).tolist() == [
        [2, 8, 0, 0, 0, 0],
        [8, 3, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 3, 8],
        [0, 0, 0, 0, 8, 2]]


def test_stamp_template_with_a_fixed_turn_per_anchor_colour():
    grid = g([[2, 1, 0, 0, 0],
              [1, 1, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 0, 2, 0],
              [0, 0, 0, 0, 0]])
    # a lone anchor fits every turn: the template as it is comes first
    assert placing.stamp_template(MULTI)(grid)[2:, 2:].tolist() == [[0, 0, 0], [0, 2, 1], [0, 1, 1]]
    flipped = placing.stamp_template(MULTI, ((2, templates.TURN_NAMES.index("flip_ud")),))
    assert flipped(grid)[2:, 2:].tolist() == [[0, 1, 1], [0, 2, 1], [0, 0, 0]]
    out = grid.copy()
    out[3:, 2] = 1
    out[4, 3] = 1                                        # the demonstration shows the mirror image
    assert placing.learn_turns(ctx([(grid.tolist(), out.tolist())]), MULTI) == ((2, 1),)


def test_stamp_template_partial_completes_a_copy_showing_one_anchor():
    grid = g([[1, 5, 5, 2, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 5, 5, 2],
              [0, 0, 0, 0, 0, 0, 0, 0]])
    assert placing.stamp_template(MULTI)(grid).tolist() == grid.tolist()      # the 1 is missing: no full anchor set
    assert placing.stamp_template(MULTI, partial=True)(grid)[2].tolist() == [0, 0, 0, 0, 1, 5, 5, 2]


def test_stamp_template_scales_and_takes_the_markers_colour():
    grid = g([[5, 5, 1, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 4, 4, 1, 1],
              [0, 0, 0, 0, 4, 4, 1, 1]])
    assert placing.stamp_template(MULTI)(grid).tolist() == [
        [5, 5, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 4, 4, 4, 4, 1, 1],
        [0, 0, 4, 4, 4, 4, 1, 1]]
    assert placing.stamp_template(MULTI)(g([[5, 5, 1]])) is None          # a template but no marker


def test_step_towards_leaves_a_line_behind():
    prim = placing.step_towards(SINGLE, 3, "touch", behind=8)
    assert prim(g([[3, 0, 0, 0, 2],
                   [3, 0, 0, 0, 2]])).tolist() == [[0, 0, 8, 3, 2],
                                                   [0, 0, 8, 3, 2]]


def test_step_towards_a_colour_stacks_and_adopts_its_colour():
    prim = placing.step_towards(SINGLE, None, "touch", adopt=True, target=5)
    assert prim(g([[5, 0, 3, 0, 3],
                   [5, 0, 0, 0, 0]])).tolist() == [[5, 5, 5, 0, 0],
                                                   [5, 0, 0, 0, 0]]
    with pytest.raises(ValueError, match="mover"):
        placing.step_towards(SINGLE, None, "touch")


# --- 5. stamps coloured by the marker, copies repeated to the border -----------------------------------------

def test_stamp_roles_learns_which_marker_cell_gives_the_colour():
    pairs = [([[0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 1, 2, 1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]],
              [[0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [1, 1, 2, 1, 1], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0]]),
             ([[0, 0, 0, 0, 0], [0, 0, 4, 0, 0], [0, 4, 6, 4, 0], [0, 0, 4, 0, 0], [0, 0, 0, 0, 0]],
              [[0, 0, 4, 0, 0], [0, 0, 4, 0, 0], [4, 4, 6, 4, 4], [0, 0, 4, 0, 0], [0, 0, 4, 0, 0]])]
    c = ctx(pairs)
    stamps = placing.learn_role_stamps(c, MULTI, 1)
    prim = placing.stamp_roles(MULTI, 1, stamps)
    got = prim(g([[0, 0, 0, 0, 0], [0, 0, 7, 0, 0], [0, 7, 5, 7, 0], [0, 0, 7, 0, 0], [0, 0, 0, 0, 0]]))
    assert got.tolist() == [[0, 0, 7, 0, 0], [0, 0, 7, 0, 0], [7, 7, 5, 7, 7], [0, 0, 7, 0, 0], [0, 0, 7, 0, 0]]
    assert placing.learn_role_stamps(ctx(pairs[:1]), MULTI, 1) == {}     # one palette: a literal stamp


def test_repeat_to_border_copies_the_shape_in_the_markers_colour():
    grid = g([[1, 1, 0, 2, 0, 0, 0, 0]])
    assert placing.repeat_to_border(SINGLE, "gap1")(grid).tolist() == [[1, 1, 0, 2, 2, 0, 2, 2]]
    assert placing.repeat_to_border(SINGLE, "gap0")(grid).tolist() == [[1, 1, 2, 2, 2, 2, 2, 2]]
    far = g([[1, 1, 0, 0, 2, 0, 0, 0, 0]])
    assert placing.repeat_to_border(SINGLE, "nearest")(far).tolist() == [[1, 1, 0, 2, 2, 0, 2, 2, 0]]
    assert placing.repeat_to_border(SINGLE, "gap0")(far).tolist() == far.tolist()   # no copy there covers the marker
    with pytest.raises(ValueError, match="mode"):
        placing.repeat_to_border(SINGLE, "far")


# --- 6. jigsaw pieces into holes, objects mirrored at their marker line ---------------------------------------

def test_fit_into_holes_moves_the_piece_of_the_holes_shape():
    grid = g([[5, 5, 5, 5, 0, 0],
              [5, 0, 0, 5, 0, 0],
              [5, 5, 5, 5, 0, 0],
              [0, 0, 0, 0, 6, 6]])
    assert placing.fit_into_holes(SINGLE)(grid).tolist() == [
        [5, 5, 5, 5, 0, 0],
        [5, 6, 6, 5, 0, 0],
        [5, 5, 5, 5, 0, 0],
        [0, 0, 0, 0, 0, 0]]
    assert placing.fit_into_holes(SINGLE)(g([[5, 5, 5], [5, 5, 5]])) is None             # no hole
    assert placing.fit_into_holes(SINGLE)(g([[5, 5, 5], [5, 0, 5], [5, 5, 5]]))[1, 1] == 0   # a hole, no piece


def test_fit_into_holes_turned_rotates_the_piece():
    grid = g([[5, 5, 5, 0, 0, 0],
              [5, 0, 5, 0, 0, 0],
              [5, 0, 5, 0, 0, 0],
              [5, 5, 5, 0, 6, 7]])
    assert placing.fit_into_holes(SINGLE)(grid).tolist() == grid.tolist()   # the bar lies the other way
    assert placing.fit_into_holes(View(8, True, 0), turned=True)(grid).tolist() == [
        [5, 5, 5, 0, 0, 0],
        [5, 6, 5, 0, 0, 0],
        [5, 7, 5, 0, 0, 0],
        [5, 5, 5, 0, 0, 0]]


def test_snap_onto_moves_lone_cells_onto_the_nearest_anchor_cell():
    grid = g([[1, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 8, 8, 0],
              [0, 0, 8, 8, 0],
              [0, 0, 0, 0, 4]])
    assert placing.snap_onto(SINGLE)(grid).tolist() == [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 1, 8, 0],
        [0, 0, 8, 4, 0],
        [0, 0, 0, 0, 0]]
    assert placing.snap_onto(SINGLE)(g([[1, 0, 8, 8, 0, 0, 2]])).tolist() == [[0, 0, 1, 2, 0, 0, 0]]
    assert placing.snap_onto(SINGLE)(g([[1, 0, 8, 8], [2, 0, 0, 0]])) is None   # both would land on one cell


def test_slide_along_connector_pulls_the_block_to_the_tails_end():
    grid = g([[0, 0, 0, 0, 0, 0],
              [3, 3, 0, 0, 0, 2],
              [3, 3, 3, 3, 3, 2],
              [0, 0, 0, 0, 0, 0]])
    assert placing.slide_along_connector(View(4, False, 0))(grid).tolist() == [
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 3, 3, 2],
        [0, 0, 0, 3, 3, 2],
        [0, 0, 0, 0, 0, 0]]
    assert placing.slide_along_connector(View(4, False, 0))(g([[3, 3, 3]])).tolist() == [[3, 3, 3]]   # no block


def test_mirror_at_marker_reflects_across_the_marker_line():
    grid = g([[0, 0, 0, 0, 0, 0],
              [4, 4, 2, 0, 0, 0],
              [0, 4, 2, 0, 0, 0]])
    assert placing.mirror_at_marker(MULTI, 2)(grid).tolist() == [
        [0, 0, 0, 0, 0, 0],
        [4, 4, 4, 4, 0, 0],
        [0, 4, 4, 0, 0, 0]]
    assert placing.mirror_at_marker(MULTI, 2)(g([[4, 2, 4]])).tolist() == [[4, 2, 4]]   # not an edge line
    assert placing.mirror_at_marker(MULTI, 2)(g([[0, 0]])) is None                     # no object


# --- 7. hand-written programs on training tasks -------------------------------------------------------------

def test_programs_solve_training_tasks():
    assert_program_solves("dc433765", [placing.step_towards(SINGLE, 3, "step")])
    assert_program_solves("a1570a43", [placing.fit_into_frame(3, 0)])
    assert_program_solves("b548a754", [placing.stretch_to_marker(MULTI, 8)])
    assert_program_solves("6aa20dc0", [placing.stamp_template(View(8, True, None))])
    assert_program_solves("57aa92db", [placing.stamp_template(MULTI)])
    assert_program_solves("447fd412", [placing.stamp_template(MULTI)])
    assert_program_solves("36d67576", [placing.stamp_template(MULTI, partial=True)])
    assert_program_solves("3e980e27", [placing.stamp_template(MULTI, placing.learn_turns(task_ctx("3e980e27"), MULTI))])
    assert_program_solves("56dc2b01", [placing.step_towards(SINGLE, 3, "touch", behind=8)])
    assert_program_solves("228f6490", [placing.fit_into_holes(SINGLE)])
    assert_program_solves("d89b689b", [placing.snap_onto(SINGLE)])
    assert_program_solves("98cf29f8", [placing.slide_along_connector(View(4, False, 0))])
    assert_program_solves("4093f84a", [placing.step_towards(SINGLE, None, "touch", adopt=True, target=5)])
    assert_program_solves("045e512c", [placing.repeat_to_border(SINGLE, "gap1")])
    assert_program_solves("e8dc4411", [placing.repeat_to_border(View(8, False, None), "nearest")])
    role_ctx = task_ctx("0962bcdd")
    assert_program_solves("0962bcdd", [placing.stamp_roles(MULTI, 1, placing.learn_role_stamps(role_ctx, MULTI, 1))])


# --- 8. the family: silent elsewhere, pure, and the search solves with it ---------------------------------

def test_family_is_silent_when_the_theme_does_not_apply():
    assert FAMILIES["placing"](ctx([([[1, 0]], [[1, 0], [0, 0]])])) == []      # the shape changes
    assert FAMILIES["placing"](ctx([([[1, 2, 0]], [[1, 3, 0]])])) == []        # a recolouring: nothing placed


def test_family_offers_few_primitives():
    for task_id in ("dc433765", "6aa20dc0", "b548a754", "a1570a43"):
        assert 1 <= len(FAMILIES["placing"](task_ctx(task_id))) <= 10


def test_stamp_template_is_pure_on_a_full_grid():
    apply_read_only(placing.stamp_template(MULTI), np.full((30, 30), 1, np.uint8))


@pytest.mark.parametrize("task_id", ["dc433765", "6aa20dc0"])
def test_search_solves(task_id):
    assert_search_solves(task_id)
