"""Painting primitives of the search DSL (moving.py, painting.py, lines.py): gravity, attraction, filling, outlines,
de-noising, rays and connecting lines, on literal grids; and hand-written programs that solve ARC-AGI-1
training tasks."""

import numpy as np
import pytest

from arcvdm.search import lines, moving, painting
from arcvdm.search.dsl import FAMILIES, TaskContext
from arcvdm.search.objects import View
from training_tasks import assert_program_solves, check_pure_and_valid


def g(rows):
    return np.array(rows, dtype=np.uint8)


def ctx(pairs, tests=()):
    return TaskContext(tuple(g(i) for i, _ in pairs), tuple(g(o) for _, o in pairs), tuple(g(t) for t in tests))


V4, V8 = View(4, False, 0), View(8, False, 0)


# --- moving ------------------------------------------------------------------------------------------------

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


# --- filling, outlines ---------------------------------------------------------------------------------------

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


# --- de-noising ------------------------------------------------------------------------------------------------

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


# --- lines ------------------------------------------------------------------------------------------------------

def test_rays_stop_or_pass_through():
    grid = g([[0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 3, 0, 1, 0],
              [0, 0, 0, 0, 0]])
    stop = lines.rays(((3, ("N", "E")),), "stop", None, 0)
    assert stop.name == "rays(3:N+E, stop, bg=0)"
    assert stop(grid).tolist() == [[0, 3, 0, 0, 0], [0, 3, 0, 0, 0], [0, 3, 3, 1, 0], [0, 0, 0, 0, 0]]
    through = lines.rays(((3, ("E", "SW")),), "through", 6, 0)
    assert through(grid).tolist() == [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 3, 6, 1, 6], [6, 0, 0, 0, 0]]
    hit = lines.rays(((3, ("N", "E", "S", "W")),), "hit", None, 0)       # only the ray that meets the 1
    assert hit(grid).tolist() == [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 3, 3, 1, 0], [0, 0, 0, 0, 0]]
    assert stop(g([[1, 1]])).tolist() == [[1, 1]]   # nothing to draw: the grid as it was


def test_rays_from_objects_leave_from_their_front():
    grid = g([[0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 1, 1, 0],
              [0, 0, 1, 1, 0],
              [0, 0, 0, 0, 0]])
    diagonal = lines.rays(((1, ("NW",)),), "stop", None, 0, from_objects=True)
    assert diagonal.name == "rays(1:NW, stop, from_objects, bg=0)"
    assert diagonal(grid)[:2].tolist() == [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]]      # from the corner only
    straight = lines.rays(((1, ("N",)),), "stop", None, 0, from_objects=True)
    assert straight(grid)[:2].tolist() == [[0, 0, 1, 1, 0], [0, 0, 1, 1, 0]]       # from the top row
    assert lines.rays(((1, ("NW",)),), "stop", None, 0)(grid)[:2].tolist() == [[1, 1, 0, 0, 0], [1, 1, 1, 0, 0]]


def test_rays_family_learns_directions():
    task = ctx([([[0, 0, 0], [0, 2, 0], [0, 0, 0]], [[0, 2, 0], [0, 2, 0], [0, 0, 0]]),
                ([[0, 0], [2, 0]], [[2, 0], [2, 0]])])
    names = [p.name for p in FAMILIES["rays"](task)]
    assert names == ["rays(2:N, stop, bg=0)", "rays(2:N, through, bg=0)"]


def test_rays_of_several_colours_in_the_order_that_fits():
    # red shoots down, blue shoots right; where they cross, blue (drawn last) wins
    task = ctx([([[0, 2, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]],
                 [[0, 2, 0, 0], [0, 2, 0, 0], [1, 1, 1, 1], [0, 2, 0, 0]]),
                ([[0, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]],
                 [[0, 0, 0, 2], [0, 0, 0, 2], [0, 0, 0, 2], [1, 1, 1, 1]])])
    names = [p.name for p in FAMILIES["rays"](task)]
    assert "rays(2:S; 1:E, stop, bg=0)" in names and "rays(1:E; 2:S, stop, bg=0)" not in names


@pytest.mark.parametrize("axes, expected", [
    (("row",), [[1, 8, 8, 1], [0, 0, 0, 0], [1, 0, 0, 0]]),
    (("col",), [[1, 0, 0, 1], [8, 0, 0, 0], [1, 0, 0, 0]]),
    (("row", "col"), [[1, 8, 8, 1], [8, 0, 0, 0], [1, 0, 0, 0]]),
])
def test_connect(axes, expected):
    grid = g([[1, 0, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]])
    assert lines.connect(1, axes, 8, 0)(grid).tolist() == expected
    assert lines.connect(1, axes, 8, 0)(g([[1, 0, 2]])).tolist() == [[1, 0, 2]]   # nothing to join


def test_connect_diagonals():
    grid = g([[1, 0, 0, 1], [0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    expected = [[1, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
    assert lines.connect(1, ("diag",), None, 0)(grid).tolist() == expected


def test_connect_every_colour_later_axes_on_top():
    grid = g([[0, 2, 0], [3, 0, 3], [0, 2, 0]])
    assert lines.connect(None, ("row", "col"), None, 0)(grid).tolist() == [[0, 2, 0], [3, 2, 3], [0, 2, 0]]
    assert lines.connect(None, ("col", "row"), None, 0)(grid).tolist() == [[0, 2, 0], [3, 3, 3], [0, 2, 0]]


# --- families ---------------------------------------------------------------------------------------------------

PAINTING_FAMILIES = ["move_objects", "fill_and_outline", "denoise", "rays", "connect"]


def test_primitives_never_write_into_inputs_and_return_valid_grids():
    rng = np.random.default_rng(1)
    noisy = (rng.random((8, 8)) < 0.3).astype(np.uint8) * rng.integers(1, 4, (8, 8)).astype(np.uint8)
    grids = [noisy, g([[0]]), g([[2, 2], [2, 2]]), g([[1, 0, 1, 0], [0, 2, 0, 3], [1, 0, 1, 0], [0, 0, 0, 0]])]
    moved = np.roll(noisy, 1, axis=0)
    filled = np.where(noisy == 0, 4, noisy)
    tasks = [ctx([(noisy.tolist(), moved.tolist())]), ctx([(noisy.tolist(), filled.tolist())]),
             ctx([(grids[3].tolist(), [[1, 1, 1, 0], [1, 2, 1, 3], [1, 1, 1, 0], [0, 0, 0, 0]])]),
             ctx([(noisy.tolist(), noisy[::2, ::2].tolist())])]
    assert check_pure_and_valid(tasks, PAINTING_FAMILIES, grids) > 50


def test_families_stay_out_of_other_tasks():
    shrink = ctx([([[1, 2], [3, 4]], [[1]])])
    for name in ("move_objects", "fill_and_outline", "rays", "connect"):
        assert FAMILIES[name](shrink) == []
    painted = ctx([([[1, 0], [0, 0]], [[1, 1], [0, 0]])])
    assert FAMILIES["move_objects"](painted) == []             # a cell more: nothing moved
    recolour = ctx([([[1, 0], [0, 0]], [[2, 0], [0, 0]])])
    assert FAMILIES["move_objects"](recolour) == []            # no move agrees with a recolouring in place


# --- hand-written programs on ARC-AGI-1 training tasks (none of them in the dev set) -------------------------



def test_training_task_gravity():
    assert_program_solves("1e0a9b12", [moving.gravity_cells("down", 0)])


def test_training_task_fill_enclosed():
    assert_program_solves("a5313dff", [painting.fill_enclosed(1, 4, 0)])


def test_training_task_attract():
    assert_program_solves("05f2a901", [moving.attract(V8, 2)])


def test_training_task_connect_pairs():
    assert_program_solves("a699fb00", [lines.connect(1, ("row",), 2, 0)])


def test_training_task_rays_from_blocks():
    assert_program_solves("5c0a986e", [lines.rays(((1, ("NW",)), (2, ("SE",))), "stop", None, 0, from_objects=True)])


def test_training_task_rays_then_outline():
    # 0ca9ddb6 painted by two outlines: yellow on the diagonals of red, orange beside blue
    assert_program_solves("0ca9ddb6", [painting.outline(4, "x", 2, 0), painting.outline(7, 4, 1, 0)])


def test_training_task_align_to_anchor():
    assert_program_solves("1caeab9d", [moving.align(V8, 1, "row")])


def test_training_task_fill_regions_by_size():
    learned = {"largest": 1, "smallest": 8, "middle": painting.KEEP}
    assert_program_solves("6455b5f5", [painting.fill_holes_by("extreme", learned, 0, enclosed=False)])


def test_training_task_outline_of_one_colour():
    assert_program_solves("dc1df850", [painting.outline(1, 8, 2, 0)])
