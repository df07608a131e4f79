"""Primitives for outputs of another size (extract.py and its extract_* theme modules): colour lists and
histograms, counts drawn in a learned order, scaling by a count, frame crops and lattice tables, on
literal grids; hand-written programs that solve ARC-AGI-1 training tasks; and tasks the search now solves
with them."""

import numpy as np
import pytest

from arcvdm.config import SearchConfig
from arcvdm.search.dsl import Primitive
from arcvdm.search.engine import search_task
from arcvdm.search.families.extract import common
from arcvdm.search.families.extract import counts as extract_counts
from arcvdm.search.families.extract import crops as extract_crops
from arcvdm.search.families.extract import lattice as extract_lattice
from arcvdm.search.families.extract import pieces as extract_pieces
from arcvdm.search.families.geometry import crop_content
from arcvdm.search.objects import View
from arcvdm.search.registry import FAMILIES

from training_tasks import allowed_training_tasks, assert_program_solves, ctx, g, task_ctx

# --- 1. colour lists and histograms -----------------------------------------------------------------------

GRID = g([[0, 2, 2, 0],
          [3, 2, 0, 0],
          [0, 2, 0, 5],
          [0, 3, 0, 0]])   # colour 2: 4 cells, 3: 2 cells (two objects), 5: 1 cell


def test_colour_list_orders_and_filters():
    assert extract_counts.colour_list(0, "cells", "most", "all", "row")(GRID).tolist() == [[2, 3, 5]]
    assert extract_counts.colour_list(0, "cells", "fewest", "all", "col")(GRID).tolist() == [[5], [3], [2]]
    assert extract_counts.colour_list(0, "cells", "left", "all", "row")(GRID).tolist() == [[3, 2, 5]]
    assert extract_counts.colour_list(0, "cells", "top", "drop_first", "row")(GRID).tolist() == [[3, 5]]
    assert extract_counts.colour_list(0, "cells", "most", "first", "row")(GRID).tolist() == [[2]]
    assert extract_counts.colour_list(0, "objects", "most", "max_only", "row")(GRID).tolist() == [[3]]


def test_colour_bars_draw_counts_on_zero():
    assert extract_counts.colour_list(0, "cells", "most", "all", "bars_down")(GRID).tolist() == [
        [2, 3, 5], [2, 3, 0], [2, 0, 0], [2, 0, 0]]
    assert extract_counts.colour_list(0, "cells", "most", "all", "bars_right")(GRID).tolist() == [
        [2, 2, 2, 2], [3, 3, 0, 0], [5, 0, 0, 0]]


def test_colour_list_refuses_ambiguous_orders():
    tie = g([[1, 0], [0, 2]])
    assert extract_counts.colour_list(0, "cells", "most", "all", "row")(tie) is None
    assert extract_counts.colour_list(0, "cells", "left", "all", "row")(tie).tolist() == [[1, 2]]
    assert extract_counts.colour_list(0, "cells", "most", "all", "row")(g([[0]])) is None


def test_colour_line_follows_the_layout():
    stripes = g([[1, 1, 2, 2, 3], [1, 2, 2, 3, 3]])
    assert extract_counts.colour_line(0)(stripes).tolist() == [[1, 2, 3]]
    assert extract_counts.colour_line(0)(stripes.T.copy()).tolist() == [[1], [2], [3]]


# --- 2. counts -------------------------------------------------------------------------------------------

def test_fill_order_is_learned_from_nested_outputs():
    outs = (g([[1, 0], [0, 0]]), g([[1, 0], [0, 1]]), g([[1, 1], [0, 1]]))
    rank = extract_counts.learn_fill_order([1, 2, 3], outs)
    prim = extract_counts.count_order("cells", rank, (2, 2), 1)
    assert prim(g([[0, 0, 4], [4, 0, 0]])).tolist() == [[1, 0], [0, 1]]
    assert prim(g([[4, 4], [4, 4]])) is None                  # a count of 4: never shown
    assert extract_counts.learn_fill_order([1, 2], (g([[1, 0]]), g([[0, 1]]))) is None   # not nested


def test_count_line_uses_the_inputs_own_colour():
    assert extract_counts.count_line("cells", False)(g([[0, 7], [7, 7]])).tolist() == [[7, 7, 7]]
    assert extract_counts.count_line("colours", True)(g([[1, 2], [2, 0]])).tolist() == [[2], [2]]
    assert extract_counts.count_line("cells", False)(g([[1, 2]])) is None            # two colours tie


# --- 3. scale or tile by a count ---------------------------------------------------------------------------

def test_scale_and_tile_by_a_count():
    grid = g([[1, 2], [0, 0]])
    assert extract_counts.scale_by("colours", tile=False)(grid).tolist() == [
        [1, 1, 2, 2], [1, 1, 2, 2], [0, 0, 0, 0], [0, 0, 0, 0]]
    assert extract_counts.scale_by("cells", tile=True)(g([[3]])).tolist() == [[3]]
    assert extract_counts.scale_by("colours", tile=False)(g([[0]])) is None
    assert extract_counts.scale_by("cells", tile=True)(np.ones((8, 8), np.uint8)) is None   # 512 x 512


# --- 4. frames -------------------------------------------------------------------------------------------

FRAMED = g([[0, 0, 0, 0, 0, 0, 0],
            [0, 2, 2, 2, 2, 0, 0],
            [0, 2, 4, 0, 2, 0, 0],
            [0, 2, 2, 2, 2, 0, 3],
            [0, 0, 0, 0, 0, 0, 0],
            [3, 3, 3, 0, 0, 0, 0],
            [3, 0, 3, 0, 0, 0, 4]])


def test_frames_are_complete_one_colour_rectangles():
    assert extract_crops.find_frames(FRAMED) == [(1, 1, 4, 5, 2)]   # the 3s lack a bottom side
    assert extract_crops.crop_frame("largest", True, False)(FRAMED).tolist() == [[4, 0]]
    assert extract_crops.crop_frame("largest", False, True)(FRAMED).tolist() == [
        [4, 4, 4, 4], [4, 4, 0, 4], [4, 4, 4, 4]]
    assert extract_crops.crop_frame("largest", True, False)(g([[1, 1], [1, 1]])) is None


def test_fit_into_frame_scales_the_outside_shape():
    grid = np.zeros((8, 8), np.uint8)
    grid[0:6, 0:6] = 2
    grid[1:5, 1:5] = 0
    grid[7, 6:8] = [3, 4]
    grid[6, 6] = 3                     # the shape outside: [[3, 0], [3, 4]] -> scaled by 2
    assert extract_crops.fit_into_frame("largest")(grid).tolist() == [
        [2, 2, 2, 2, 2, 2], [2, 3, 3, 0, 0, 2], [2, 3, 3, 0, 0, 2],
        [2, 3, 3, 4, 4, 2], [2, 3, 3, 4, 4, 2], [2, 2, 2, 2, 2, 2]]
    grid[7, 5] = 1                     # the shape is now 2x3: 4x4 inside does not scale
    assert extract_crops.fit_into_frame("largest")(grid) is None


def test_frame_picks_break_ties_or_refuse():
    two = np.zeros((7, 11), np.uint8)      # background 0: a 3x3 frame and a 5x5 frame with a 6 inside
    two[0:3, 0:3] = 1
    two[1, 1] = 0
    two[0:5, 4:9] = 1
    two[1:4, 5:8] = 0
    two[2, 6] = 6
    assert extract_crops.pick_frame(two, "largest")[:4] == (0, 4, 5, 9)
    assert extract_crops.pick_frame(two, "most_inside")[:4] == (0, 4, 5, 9)
    assert extract_crops.pick_frame(two, "smallest")[:4] == (0, 0, 3, 3)
    assert extract_crops.pick_frame(two, "rare_colour") is None       # both frames are colour 1


# --- 5. lattice tables ------------------------------------------------------------------------------------

LATTICE = g([[1, 0, 5, 0, 0],
             [1, 1, 5, 0, 1],
             [5, 5, 5, 5, 5],
             [0, 0, 5, 1, 0],
             [0, 0, 5, 0, 0]])


def test_lattice_pieces_and_learned_table():
    rows, sep = extract_lattice.lattice_pieces(LATTICE, "sep")
    assert sep == 5 and [[p.shape for p in row] for row in rows] == [[(2, 2), (2, 2)], [(2, 2), (2, 2)]]
    demo = ctx([(LATTICE.tolist(), [[2, 0], [0, 0]]),
                ([[1, 1, 5, 1, 0], [0, 0, 5, 0, 1], [5, 5, 5, 5, 5], [0, 0, 5, 0, 0], [0, 0, 5, 0, 0]],
                 [[0, 0], [0, 0]])])
    table = extract_lattice.learn_table(demo, "sep", None, "count")
    assert table == {(3,): 2, (1,): 0, (2,): 0, (0,): 0}
    assert extract_lattice.lattice_table("sep", None, "count", table)(LATTICE).tolist() == [[2, 0], [0, 0]]
    assert extract_lattice.lattice_table("sep", None, "count", {(3,): 2})(LATTICE) is None   # unseen feature


def test_lattice_target_reads_stretched_or_turned_outputs():
    assert extract_lattice.lattice_target(g([[2, 2, 2], [8, 8, 8]]), (1, 2)).tolist() == [[2, 8]]
    assert extract_lattice.lattice_target(g([[1, 2], [3, 4]]), (2, 2)).tolist() == [[1, 2], [3, 4]]
    assert extract_lattice.lattice_target(g([[1, 2, 2]]), (1, 2)) is None


def test_lattice_main_colour_between_empty_lines():
    grid = g([[1, 0, 1, 0, 2],
              [1, 1, 0, 0, 2],
              [0, 0, 0, 0, 0],
              [3, 3, 0, 0, 4]])
    assert extract_lattice.lattice_table("gaps", None, "main", None)(grid).tolist() == [[1, 2], [3, 4]]
    assert extract_lattice.lattice_table("blocks", (2, 2), "main", None)(np.ones((4, 4), np.uint8)).tolist() == [
        [1, 1], [1, 1]]


# --- 6. object colours written into learned slots ---------------------------------------------------------

def test_slots_are_learned_and_filled_in_column_order():
    demo = ctx([([[0, 0, 3], [1, 0, 0], [0, 2, 0]], [[1, 2], [0, 3]]),
                ([[4, 0, 0], [0, 0, 0], [0, 0, 5]], [[4, 5], [0, 0]])])
    slots = extract_lattice.learn_slots(demo, "by_column")
    assert slots == [0, 1, 3]
    prim = extract_lattice.serialise("by_column", slots, (2, 2))
    assert prim(g([[0, 7], [6, 0]])).tolist() == [[6, 7], [0, 0]]
    assert prim(g([[1, 0, 2, 0, 3, 0, 4]])) is None                 # four objects, three slots
    assert extract_lattice.object_sequence(g([[1, 0], [0, 0], [2, 0]]), "by_column") == [1, 2]
    assert extract_lattice.object_sequence(g([[1, 0], [0, 0], [2, 0]]), "by_row") == [1, 2]


# --- 7. the odd piece out by symmetry --------------------------------------------------------------------

def test_odd_part_by_symmetry():
    assert extract_pieces.odd_part("h3", "lr", True)(g([[1, 1, 0, 2, 2, 3, 3]])) is None     # 7 wide: no h3
    grid = g([[1, 2, 1, 4, 4, 4, 5, 6, 5],
              [1, 2, 1, 4, 0, 0, 5, 6, 5]])
    assert extract_pieces.odd_part("h3", "lr", False)(grid).tolist() == [[4, 4, 4], [4, 0, 0]]
    assert extract_pieces.odd_part("h3", "lr", True)(grid) is None          # two symmetric pieces
    assert extract_pieces.symmetric(g([[1, 2], [2, 1]]), "diag") and not extract_pieces.symmetric(g([[1, 2]]), "diag")
    assert extract_pieces.symmetric(g([[1, 2], [3, 1]]), "anti_diag")
    assert not extract_pieces.symmetric(g([[1, 2], [3, 4]]), "any")


# --- 8. crop to one colour's box; shrink uniform blocks -----------------------------------------------------

def test_crop_colour_box_and_shrink():
    marks = g([[0, 0, 0, 0, 0],
               [0, 8, 0, 8, 0],
               [0, 0, 3, 0, 1],
               [0, 8, 0, 8, 0]])
    assert extract_crops.crop_colour_box(8, False)(marks).tolist() == [[8, 0, 8], [0, 3, 0], [8, 0, 8]]
    assert extract_crops.crop_colour_box(8, True)(marks).tolist() == [[3]]
    assert extract_crops.crop_colour_box(5, False)(marks) is None
    assert extract_crops.crop_colour_box(0, False)(marks) is None           # the whole grid
    blocks = np.repeat(np.repeat(g([[1, 0], [2, 2]]), 3, axis=0), 3, axis=1)
    assert extract_crops.shrink(blocks).tolist() == [[1, 0], [2, 2]]
    assert extract_crops.shrink(np.full((4, 6), 5, np.uint8)).tolist() == [[5, 5, 5], [5, 5, 5]]   # k = 2
    assert extract_crops.shrink(g([[1, 2], [2, 1]])) is None


# --- 9. a shape coloured by a small key -------------------------------------------------------------------

KEYED = g([[2, 4, 8, 0, 0, 0, 0],
           [1, 6, 8, 0, 0, 0, 0],
           [8, 8, 8, 8, 8, 8, 8],
           [0, 0, 8, 3, 0, 3, 3],
           [0, 0, 8, 3, 3, 0, 0],
           [0, 0, 8, 0, 3, 0, 3],
           [0, 0, 8, 3, 3, 3, 0]])     # key 2x2 beside separator lines, a 4x4 shape of 3s


def test_key_mask_scales_the_key_under_the_shape():
    key, mask, k = extract_pieces.key_and_mask(KEYED)
    assert key.tolist() == [[2, 4], [1, 6]] and mask.shape == (4, 4) and k == 2
    assert extract_pieces.key_mask("up")(KEYED).tolist() == [[2, 0, 4, 4], [2, 2, 0, 0], [0, 1, 0, 6], [1, 1, 6, 0]]
    assert extract_pieces.key_mask("down")(KEYED).tolist() == [[0, 0], [0, 0]]      # no 2x2 block wholly set
    assert extract_pieces.key_mask("up")(g([[1, 0], [0, 0]])) is None


# --- 10. pieces gathered around markers ---------------------------------------------------------------------

def test_gather_overlays_windows_around_markers():
    grid = g([[0, 0, 0, 0, 0, 0],
              [0, 5, 7, 0, 0, 0],
              [0, 0, 0, 0, 3, 0],
              [0, 0, 0, 0, 0, 5]])
    assert extract_pieces.gather(5, (3, 3))(grid).tolist() == [[3, 0, 0], [0, 5, 7], [0, 0, 0]]
    assert extract_pieces.gather(5, (3, 3))(g([[5, 1, 0, 5, 2]])) is None          # 1 and 2 land on one cell
    assert extract_pieces.gather(4, (3, 3))(grid) is None


# --- 11. pieces overlaid by a learned colour priority ------------------------------------------------------

def test_priority_is_learned_and_applied():
    demo = ctx([([[1, 0, 2, 2]], [[2, 2]]), ([[3, 1, 0, 3]], [[3, 3]])])   # h2 pieces: 2 over 1, 3 over 1
    order = extract_pieces.learn_priority(demo, "h2")
    assert order == [2, 3, 1]
    prim = extract_pieces.overlay_priority("h2", order)
    assert prim(g([[1, 0, 0, 2]])).tolist() == [[1, 2]]
    assert prim(g([[4, 0, 0, 0]])) is None                                  # 4: never ranked
    cycle = ctx([([[1, 2]], [[1]]), ([[2, 1]], [[2]])])                     # 1 over 2 and 2 over 1
    assert extract_pieces.learn_priority(cycle, "h2") is None


# --- 12. the object richest in one colour; two colours swapped ---------------------------------------------

def test_crop_richest_and_swap_two():
    grid = g([[8, 8, 0, 8, 8, 8],
              [8, 2, 0, 8, 2, 2],
              [0, 0, 0, 8, 8, 1]])
    view = View(4, True, 0)
    assert extract_crops.crop_richest(view, 2, True)(grid).tolist() == [[8, 8, 8], [8, 2, 2], [8, 8, 1]]
    assert extract_crops.crop_richest(view, 2, False)(grid).tolist() == [[8, 8], [8, 2]]
    assert extract_crops.crop_richest(view, 1, False)(grid).tolist() == [[8, 8], [8, 2]]
    assert extract_crops.crop_richest(view, 3, True)(grid) is None                  # a tie: no 3 anywhere
    assert extract_crops.swap_two(g([[1, 4], [4, 4]])).tolist() == [[4, 1], [1, 1]]
    assert extract_crops.swap_two(g([[1, 2, 3]])) is None


# --- hand-written programs on training tasks -------------------------------------------------------------

def test_programs_solve_colour_list_tasks():
    assert_program_solves("9af7a82c", [extract_counts.colour_list(0, "cells", "most", "all", "bars_down")])
    assert_program_solves("f8b3ba0a", [extract_counts.colour_list(0, "cells", "most", "drop_first", "col")])
    assert_program_solves("a3325580", [extract_counts.colour_list(0, "cells", "left", "max_only", "bars_down")])
    assert_program_solves("4be741c5", [extract_counts.colour_line(0)])


def test_programs_solve_count_tasks():
    c = task_ctx("ff28f65a")
    counts = [common.QUANTITIES["objects(conn=4)"](i) for i in c.train_inputs]
    rank = extract_counts.learn_fill_order(counts, c.train_outputs)
    assert_program_solves("ff28f65a", [extract_counts.count_order("objects(conn=4)", rank, (3, 3), 1)])
    assert_program_solves("b91ae062", [extract_counts.scale_by("colours", tile=False)])
    snake = [0, 1, 2, 5, 4, 3, 6, 7, 8]
    assert extract_lattice.learn_slots(task_ctx("cdecee7f"), "by_column") == snake
    assert_program_solves("cdecee7f", [extract_lattice.serialise("by_column", snake, (3, 3))])


def test_programs_solve_frame_and_odd_part_tasks():
    assert_program_solves("1c786137", [extract_crops.crop_frame("largest", True, False)])
    assert_program_solves("fcb5c309", [extract_crops.crop_frame("most_inside", False, True)])
    assert_program_solves("c909285e", [extract_crops.crop_frame("rare_colour", False, False)])
    assert_program_solves("662c240a", [extract_pieces.odd_part("v3", "diag", False)])
    assert_program_solves("6b9890af", [extract_crops.fit_into_frame("largest")])


def test_programs_solve_key_tasks():
    assert_program_solves("7c008303", [extract_pieces.key_mask("up")])
    assert_program_solves("77fdfe62", [extract_pieces.key_mask("up")])       # the key: four corners
    assert_program_solves("6ecd11f4", [extract_pieces.key_mask("down")])


def test_overlay_corners():
    grid = g([[1, 0, 0, 2],
              [0, 0, 0, 0],
              [0, 0, 3, 0]])
    assert extract_pieces.overlay_corners((2, 2))(grid).tolist() == [[1, 2], [3, 0]]
    assert extract_pieces.overlay_corners((2, 2))(g([[1, 2]])) is None
    assert extract_pieces.overlay_corners((1, 1))(grid) is None                    # 1, 2 and 3 clash


def test_programs_solve_gather_tasks():
    assert_program_solves("137eaa0f", [extract_pieces.gather(5, (3, 3))])
    assert_program_solves("bc1d5164", [extract_pieces.overlay_corners((3, 3))])


def test_program_solves_an_overlay_task():
    c = task_ctx("75b8110e")
    assert_program_solves("75b8110e", [extract_pieces.overlay_priority("q4", extract_pieces.learn_priority(c, "q4"))])


def test_programs_solve_richest_and_swap_tasks():
    assert_program_solves("e50d258f", [extract_crops.crop_richest(View(8, True, 0), 2, True)])
    crop = Primitive("crop", lambda grid: crop_content(grid, 0))
    assert_program_solves("b94a9452", [crop, Primitive("swap_two", extract_crops.swap_two)])


def test_programs_solve_lattice_tasks():
    c = task_ctx("6773b310")
    assert_program_solves("6773b310", [extract_lattice.lattice_table("sep", None, "count", extract_lattice.learn_table(
        c, "sep", None, "count"))])
    assert_program_solves("780d0b14", [extract_lattice.lattice_table("gaps", None, "main", None)])


# --- the family and the search ------------------------------------------------------------------------------

def test_family_offers_nothing_for_same_size_tasks():
    assert FAMILIES["extract"](ctx([([[1, 2], [3, 4]], [[4, 3], [2, 1]])])) == []


def test_family_offers_few_primitives_that_fit():
    for task_id in ("9af7a82c", "1c786137", "6773b310", "b91ae062"):
        prims = FAMILIES["extract"](task_ctx(task_id))
        assert 1 <= len(prims) <= 30, (task_id, [p.name for p in prims])




FAST = SearchConfig(max_depth=2, transpose=False, normalise_colours=False, max_applications=20000)


@pytest.mark.parametrize("task_id", ["1c786137", "4be741c5", "780d0b14", "ff28f65a"])
def test_search_solves_the_task(task_id):
    task = allowed_training_tasks()[task_id]
    result = search_task(task.public(), FAST)
    assert result.programs, task_id
    for answer, ex in zip(result.programs[0].outputs, task.test):
        assert np.array_equal(answer, ex.output), (task_id, result.programs[0].text)
