"""Path primitives (paths.py) on literal grids: line ends extended, patterned / turning / sidestepping
rays, seed trails, bridges, clear lines, tiled runs, wall / border / meeting / crossing / corner /
shifting rays, the checker flood, stripes, border lines, leaks, spirals, rings and smears; hand-written
programs that solve ARC-AGI-1 training tasks; tasks the search now solves; and purity on real grids."""

import numpy as np
import pytest

from arcvdm.search.families import paths
from arcvdm.search.families.paths import aimed, common, fills, rays, repeats
from arcvdm.search.registry import FAMILIES

from training_tasks import (
    assert_program_solves,
    assert_search_solves,
    ctx,
    g,
    task_ctx,
)

SRC = common.SOURCE


# --- 1. line ends ---------------------------------------------------------------------------------------

def test_line_ends_point_away_from_their_segment():
    grid = g([[0, 0, 0, 0],
              [0, 3, 0, 0],
              [0, 0, 3, 0],
              [0, 0, 0, 0]])
    assert sorted(rays._line_ends(grid, 0)) == [(1, 1, -1, -1), (2, 2, 1, 1)]
    assert rays._line_ends(g([[0, 4, 0]]), 0) == []          # a lone cell has no direction


def test_extend_ends_continues_a_tail_of_a_block():
    grid = g([[0, 0, 0, 0, 0],
              [0, 4, 4, 0, 0],
              [0, 4, 4, 0, 0],
              [0, 0, 0, 4, 0],
              [0, 0, 0, 0, 0]])
    out = rays.extend_ends(None, None, "stop", 0)(grid)
    assert out[4, 4] == 4 and np.count_nonzero(out) == 6


def test_extend_ends_from_a_marker_stuck_to_an_object():
    grid = g([[0, 0, 0, 0, 0],
              [0, 5, 5, 2, 0],
              [0, 5, 5, 0, 0]])
    assert rays.extend_ends(2, None, "stop", 0)(grid) is None                 # 2 has no 2-neighbour
    out = rays.extend_ends(2, None, "stop", 0, any_colour=True)(grid)
    assert out is None                                                          # 2 touches two 5s
    grid[2, 2] = 0
    assert rays.extend_ends(2, None, "stop", 0, any_colour=True)(grid)[1].tolist() == [0, 5, 5, 2, 2]


def test_extend_ends_bounces_off_a_wall():
    grid = g([[0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 8, 0, 0, 0],
              [8, 0, 0, 0, 0],
              [2, 2, 2, 2, 2]])
    out = rays.extend_ends(8, 3, "bounce", 0)(grid)       # the segment (3,0)-(2,1) heads up-right
    assert out.tolist() == [[0, 0, 0, 3, 0],
                            [0, 0, 3, 0, 0],
                            [0, 8, 0, 0, 0],
                            [8, 0, 0, 0, 0],
                            [2, 2, 2, 2, 2]]
    wall = g([[0, 0, 0, 2],
              [0, 0, 0, 2],
              [0, 8, 0, 2],
              [8, 0, 0, 2]])
    assert rays.extend_ends(8, 3, "bounce", 0)(wall).tolist() == [[0, 3, 0, 2],
                                                              [0, 0, 3, 2],
                                                              [0, 8, 0, 2],
                                                              [8, 0, 0, 2]]
    assert rays.extend_ends(8, 3, "stop", 0)(wall)[0, 1] == 0    # stop mode: no bounce
    assert rays.extend_ends(8, 3, "bounce", 0)(g([[0, 0], [0, 0]])) is None
    assert rays.extend_ends(1, None, "through", 0)(g([[1, 1, 0, 5, 0]])).tolist() == [[1, 1, 1, 5, 1]]
    with pytest.raises(ValueError, match="mode"):
        rays.extend_ends(1, None, "hit", 0)


# --- 2. patterned rays ----------------------------------------------------------------------------------

def test_pattern_rays_alternate_colours():
    prim = rays.pattern_rays(None, ("E",), (5, SRC), 0)
    assert prim(g([[2, 0, 0, 0, 0], [0, 0, 6, 0, 0]])).tolist() == [[2, 5, 2, 5, 2], [0, 0, 6, 5, 6]]
    assert prim(g([[3, 0, 1, 0]])).tolist() == [[3, 5, 1, 5]]     # stops at an obstacle
    assert prim(g([[0, 0]])) is None


def test_pattern_is_learned_from_demonstrations():
    c = ctx([([[0, 0, 0, 0], [2, 0, 0, 0]], [[0, 0, 0, 0], [2, 5, 2, 5]]),
             ([[0, 0, 0], [0, 3, 0], [0, 0, 0]], [[0, 0, 0], [0, 3, 5], [0, 0, 0]])], tests=[[[4, 0, 0]]])
    assert rays._learn_pattern(c, None, "E", 0) == (5, SRC)
    assert rays._learn_pattern(c, None, "W", 0) is None
    assert [p.name for p in FAMILIES["paths"](c)] == ["pattern_rays(all:E, 5+src, bg=0)"]


# --- 3. turning and sidestepping rays ------------------------------------------------------------------

def test_turning_rays_turn_at_the_border_and_stop_at_earlier_rays():
    prim = rays.turning_rays(None, "E", "S", 0)
    assert prim(g([[0, 0, 0, 0],
                   [0, 2, 0, 0],
                   [0, 0, 0, 0],
                   [3, 0, 0, 0],
                   [0, 0, 0, 0]])).tolist() == [[0, 0, 0, 0],
                                                [0, 2, 2, 2],
                                                [0, 0, 0, 2],
                                                [3, 3, 3, 3],
                                                [0, 0, 0, 3]]


def test_sidestep_rays_step_around_obstacles():
    prim = rays.sidestep_rays(2, "N", "E", 0)
    assert prim(g([[0, 0, 0],
                   [5, 0, 0],
                   [0, 0, 0],
                   [2, 0, 0]])).tolist() == [[0, 2, 0],
                                             [5, 2, 0],
                                             [2, 2, 0],
                                             [2, 0, 0]]
    assert prim(g([[5, 5], [2, 5]])).tolist() == [[5, 5], [2, 5]]   # boxed in: nothing drawn
    around = rays.sidestep_rays(2, "N", "E", 0, around=True)
    assert around(g([[0, 0, 0],
                     [0, 0, 0],
                     [5, 0, 0],
                     [5, 0, 0],
                     [2, 0, 0]])).tolist() == [[2, 0, 0],
                                               [2, 2, 0],
                                               [5, 2, 0],
                                               [5, 2, 0],
                                               [2, 2, 0]]


# --- 4. seed trails -------------------------------------------------------------------------------------

def test_seed_trails_stamp_a_staircase():
    arm = ((-1, 1), ((-1, 0, SRC), (-1, 1, SRC)))
    prim = repeats.seed_trails(8, (arm,), 0)
    assert prim(g([[0, 0, 0], [0, 0, 0], [8, 0, 0]])).tolist() == [[0, 8, 8], [8, 8, 0], [8, 0, 0]]


def test_seed_trails_are_learned_with_a_step():
    c = ctx([([[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]],
              [[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]])], tests=[])
    assert paths._seed_candidates(c, 0) == []            # no seeds
    pairs = [([[4, 0, 0, 0, 0]], [[4, 0, 4, 0, 4]]), ([[0, 4, 0, 0, 0, 0]], [[0, 4, 0, 4, 0, 4]])]
    names = [p.name for p in paths._seed_candidates(ctx(pairs, tests=[[[4, 0, 0]]]), 0)]
    assert names[0] == "seed_trails(all, (0,2)x1, bg=0)"


# --- 5. bridges and clear lines -------------------------------------------------------------------------

def test_bridges_fill_facing_gaps_and_trim():
    grid = g([[1, 1, 0, 0, 2],
              [1, 1, 0, 0, 2],
              [1, 1, 0, 0, 2],
              [0, 0, 0, 0, 0]])
    assert fills.bridges("row", 8, 0, 0)(grid)[:3, 2:4].tolist() == [[8, 8]] * 3
    trimmed = fills.bridges("row", 8, 1, 0)(grid)
    assert trimmed[:, 2:4].tolist() == [[0, 0], [8, 8], [0, 0], [0, 0]]
    assert fills.bridges("col", 8, 0, 0)(grid).tolist() == grid.tolist()
    assert fills.bridges("row", None, 0, 0)(grid).tolist() == grid.tolist()     # 1 and 2: not one colour
    same = g([[4, 0, 0, 4], [0, 0, 0, 0]])
    assert fills.bridges("row", None, 0, 0)(same).tolist() == [[4, 4, 4, 4], [0, 0, 0, 0]]
    blocked = g([[1, 0, 0, 0, 2], [1, 0, 3, 0, 2]])        # 3 stands in the gap between 1 and 2
    assert fills.bridges("row", 8, 0, 0)(blocked).tolist() == [[1, 0, 0, 0, 2], [1, 8, 3, 8, 2]]


def test_clear_lines_fill_corridors_only():
    grid = g([[2, 2, 2, 2, 2],
              [2, 0, 0, 0, 2],
              [2, 2, 0, 2, 2],
              [2, 0, 0, 0, 2],
              [2, 2, 2, 2, 2]])
    out = fills.clear_lines("row", 3, 0)(grid)
    assert out[1].tolist() == [2, 3, 3, 3, 2] and out[3].tolist() == [2, 3, 3, 3, 2]
    assert out[2].tolist() == [2, 2, 0, 2, 2]                 # shorter than the longest corridor
    assert fills.clear_lines("col", 3, 0)(grid)[:, 2].tolist() == [2, 3, 3, 3, 2]


# --- 6. tiled runs, wall rays, meeting rays ------------------------------------------------------------------

def test_tile_runs_repeat_a_run_along_its_line():
    grid = g([[0, 0, 0, 0, 0, 0, 0],
              [0, 0, 8, 3, 2, 0, 0],
              [0, 0, 0, 0, 0, 0, 0],
              [0, 5, 5, 0, 0, 0, 0]])                         # one colour only: left alone
    out = paths.tile_runs("row", 0)(grid)
    assert out[1].tolist() == [3, 2, 8, 3, 2, 8, 3]
    assert out[3].tolist() == [0, 5, 5, 0, 0, 0, 0]
    column = paths.tile_runs("col", 0)(g([[0], [4], [7], [0], [0]]))
    assert column[:, 0].tolist() == [7, 4, 7, 4, 7]


def test_wall_rays_go_towards_or_away_from_the_wall():
    grid = g([[0, 2, 0, 1],
              [0, 0, 0, 0],
              [5, 5, 5, 5],
              [0, 0, 2, 0]])
    out = aimed.wall_rays(((2, True), (1, False)), 0)(grid)
    assert out.tolist() == [[0, 2, 0, 1],
                            [0, 2, 0, 0],
                            [5, 5, 5, 5],
                            [0, 0, 2, 0]]
    assert aimed.wall_rays(((2, True),), 0)(g([[2, 0], [0, 0]])) is None     # no wall


def test_border_rays_go_to_the_nearest_border():
    grid = g([[0, 0, 0, 0, 0],
              [0, 3, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 0, 4, 0]])
    out = aimed.border_rays(None, True, 0)(grid)
    assert out[0, 1] == 0 and out[1, 0] == 0                  # (1,1) is as near the top as the left: no ray
    assert aimed.border_rays(4, False, 0)(grid)[:, 3].tolist() == [4, 4, 4, 4, 4]


def test_stripes_continue_the_progression():
    grid = g([[0, 2, 0, 0, 0, 0, 0, 0],
              [0, 0, 0, 8, 0, 0, 0, 0]])
    assert paths.stripes("long", 0)(grid).tolist() == [[0, 2, 0, 8, 0, 2, 0, 8],
                                                      [0, 2, 0, 8, 0, 2, 0, 8]]
    assert paths.stripes("rows", 0)(grid).tolist() == [[2] * 8, [8] * 8]
    assert paths.stripes("cols", 0)(g([[1, 0, 2, 0, 0, 3]])) is None    # uneven spacing


def test_border_lines_join_matching_markers():
    grid = g([[0, 0, 3, 0],
              [4, 1, 0, 4],
              [0, 0, 1, 0],
              [0, 0, 3, 0]])
    assert paths.border_lines(True, 0)(grid).tolist() == [[0, 0, 3, 0],
                                                         [4, 4, 3, 4],        # columns drawn last
                                                         [0, 0, 3, 0],
                                                         [0, 0, 3, 0]]
    kept = paths.border_lines(False, 0)(grid)
    assert kept[2].tolist() == [0, 0, 3, 0] and kept[1].tolist() == [4, 4, 3, 4]
    assert paths.border_lines(True, 0)(g([[1, 0, 2]])) is None


def test_leak_fills_a_box_and_runs_out_of_its_opening():
    grid = g([[0, 0, 0, 0, 0],
              [0, 5, 5, 5, 0],
              [0, 5, 0, 0, 0],
              [0, 5, 5, 5, 0],
              [0, 0, 0, 0, 0]])
    assert paths.leak(8, False, 0)(grid).tolist() == [[0, 0, 0, 0, 0],
                                              [0, 5, 5, 5, 0],
                                              [0, 5, 8, 8, 8],
                                              [0, 5, 5, 5, 0],
                                              [0, 0, 0, 0, 0]]
    assert paths.leak(8, True, 0)(grid).tolist() == [[0, 0, 0, 0, 0],
                                                    [0, 5, 5, 5, 8],
                                                    [0, 5, 8, 8, 8],
                                                    [0, 5, 5, 5, 8],
                                                    [0, 0, 0, 0, 0]]
    grid[2, 3] = 5
    assert paths.leak(8, False, 0)(grid) is None                     # closed: nothing leaks


def test_corner_rays_leave_outer_corners():
    grid = g([[0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 2, 0, 0],
              [0, 2, 4, 2, 0],
              [2, 2, 2, 2, 2]])
    out = aimed.corner_rays(("NW", "NE"), aimed.MINORITY, 0)(grid)
    assert out[:3].tolist() == [[4, 0, 0, 0, 4],
                                [0, 4, 0, 4, 0],
                                [4, 0, 2, 0, 4]]               # the steps (3,1) and (3,3) are corners too
    assert aimed.corner_rays(("SE",), None, 0)(g([[0, 0], [0, 0]])) is None
    frame = g([[3, 0, 9, 0, 0],
               [0, 0, 9, 0, 0],
               [9, 9, 9, 0, 0],
               [0, 0, 0, 0, 0],
               [0, 0, 0, 0, 0]])
    out = aimed.corner_rays(("SE",), aimed.OTHER, 0, clear=True)(frame)
    assert out[3:].tolist() == [[0, 0, 0, 3, 0], [0, 0, 0, 0, 3]] and out[1, 1] == 0   # 3's own ray is blocked


def test_spiral_on_an_empty_grid():
    assert paths.spiral(3)(np.zeros((6, 6), np.uint8)).tolist() == [[3, 3, 3, 3, 3, 3],
                                                                    [0, 0, 0, 0, 0, 3],
                                                                    [3, 3, 3, 3, 0, 3],
                                                                    [3, 0, 3, 3, 0, 3],
                                                                    [3, 0, 0, 0, 0, 3],
                                                                    [3, 3, 3, 3, 3, 3]]
    assert paths.spiral(3)(g([[0, 1], [0, 0]])) is None            # not empty
    assert paths.spiral(3)(g([[4]])).tolist() == [[3]]


def test_rings_around_the_middle_seed():
    grid = np.zeros((7, 7), np.uint8)
    grid[1, 1] = grid[3, 3] = grid[5, 5] = 2
    out = paths.rings(0)(grid)
    assert out[3].tolist() == [0, 2, 0, 2, 0, 2, 0] and out[1].tolist() == [0, 2, 2, 2, 2, 2, 0]
    grid[5, 5] = 0
    grid[6, 6] = 2                                               # uneven spacing
    assert paths.rings(0)(grid) is None


def test_smear_to_markers_draws_a_thick_trail():
    grid = np.zeros((5, 5), np.uint8)
    grid[3:5, 0:2] = 4
    grid[3, 1] = 2                                                # marker up-right of the centre
    out = paths.smear_to_markers(2, 0)(grid)
    assert out.tolist() == [[0, 0, 0, 4, 4],
                            [0, 0, 4, 4, 4],
                            [0, 4, 4, 4, 0],
                            [4, 4, 4, 0, 0],
                            [4, 4, 0, 0, 0]]
    assert paths.smear_to_markers(6, 0)(grid) is None               # no 6 markers


def test_shifting_rays_step_away_from_markers():
    grid = g([[0, 8, 0, 0],
              [0, 0, 0, 0],
              [2, 0, 0, 0],
              [0, 0, 0, 0]])
    assert paths.shifting_rays(8, 2, 0)(grid).tolist() == [[0, 8, 0, 0],
                                                          [0, 8, 0, 0],
                                                          [2, 0, 8, 0],
                                                          [0, 0, 8, 0]]
    assert paths.shifting_rays(8, 2, 0)(g([[0, 8, 0], [0, 2, 0], [0, 0, 0]])) is None   # marker not on a side


def test_meet_halfway_marks_the_middle():
    prim = paths.meet_halfway("row", 5, 0)
    assert prim(g([[1, 0, 0, 0, 0, 2]])).tolist() == [[1, 1, 1, 2, 2, 2]]
    assert prim(g([[1, 0, 0, 0, 0, 0, 2]])).tolist() == [[1, 1, 1, 5, 2, 2, 2]]
    assert prim(g([[3, 0, 0, 3]])).tolist() == [[3, 0, 0, 3]]              # same colours do not meet


def test_checker_flood_alternates_along_corridors():
    grid = g([[8, 8, 8, 8, 8],
              [0, 0, 3, 2, 8],
              [8, 8, 8, 0, 8],
              [0, 0, 8, 0, 0]])
    out = paths.checker_flood(0)(grid)
    assert out.tolist() == [[8, 8, 8, 8, 8],
                            [3, 2, 3, 2, 8],
                            [8, 8, 8, 3, 8],
                            [0, 0, 8, 2, 3]]                  # (3,0)-(3,1) is walled off
    assert paths.checker_flood(0)(g([[3, 3, 0], [8, 0, 2]])) is None     # 3 on both parities


def test_crossing_rays_take_the_region_colour():
    grid = g([[2, 2, 2, 8, 8, 8],
              [2, 2, 2, 8, 8, 8],
              [2, 4, 2, 8, 8, 8],
              [2, 2, 2, 8, 8, 1]])
    out = aimed.crossing_rays("diagonal")(grid)
    assert out.tolist() == [[2, 2, 4, 1, 8, 8],
                            [4, 2, 4, 1, 8, 8],
                            [2, 4, 2, 8, 1, 8],
                            [4, 2, 4, 8, 8, 1]]
    assert aimed.crossing_rays("diagonal")(g([[1, 2], [3, 4]])) is None      # no region


# --- 7. the family --------------------------------------------------------------------------------------

def test_family_offers_nothing_for_unrelated_tasks():
    assert FAMILIES["paths"](task_ctx("3c9b0459")) == []          # rotation: other size rule
    assert FAMILIES["paths"](task_ctx("6150a2bd")) == []
    bigger = ctx([([[1, 0]], [[1, 0], [0, 1]])])
    assert FAMILIES["paths"](bigger) == []


# --- 8. hand-written programs on training tasks -------------------------------------------------------------

def test_programs_solve_training_tasks():
    assert_program_solves("7ddcd7ec", [rays.extend_ends(None, None, "stop", 0)])
    assert_program_solves("508bd3b6", [rays.extend_ends(8, 3, "bounce", 0)])
    assert_program_solves("97999447", [rays.pattern_rays(None, ("E",), (5, SRC), 0)])
    assert_program_solves("db3e9e38", [rays.pattern_rays(None, ("NW", "NE"), (8, SRC), 0)])
    assert_program_solves("99fa7670", [rays.turning_rays(None, "E", "S", 0)])
    assert_program_solves("d9f24cd1", [rays.sidestep_rays(2, "N", "E", 0)])
    assert_program_solves("3ac3eb23", [repeats.seed_trails(None, (((2, 0), ((1, -1, SRC), (1, 1, SRC), (2, 0, SRC))),),
                                                         0)])
    assert_program_solves("d6ad076f", [fills.bridges("both", 8, 1, 0)])
    assert_program_solves("ef135b50", [fills.bridges("row", 9, 0, 0)])
    assert_program_solves("2bee17df", [fills.clear_lines("both", 3, 0)])
    assert_program_solves("e21d9049", [paths.tile_runs("both", 0)])
    assert_program_solves("8d510a79", [aimed.wall_rays(((1, False), (2, True)), 0)])
    assert_program_solves("29c11459", [paths.meet_halfway("row", 5, 0)])
    assert_program_solves("b782dc8a", [paths.checker_flood(0)])
    assert_program_solves("d07ae81c", [aimed.crossing_rays("diagonal")])
    assert_program_solves("0a938d79", [paths.stripes("long", 0)])
    assert_program_solves("6cdd2623", [paths.border_lines(True, 0)])
    assert_program_solves("d4f3cd78", [paths.leak(8, False, 0)])
    assert_program_solves("aba27056", [paths.leak(4, True, 0)])
    assert_program_solves("b8cdaf2b", [aimed.corner_rays(("NW", "NE"), aimed.MINORITY, 0)])
    assert_program_solves("ec883f72", [aimed.corner_rays(aimed.DIAGONALS, aimed.OTHER, 0, clear=True)])
    assert_program_solves("28e73c20", [paths.spiral(3)])
    assert_program_solves("5c2c9af4", [paths.rings(0)])
    assert_program_solves("1f0c79e5", [paths.smear_to_markers(2, 0)])
    assert_program_solves("f15e1fac", [paths.shifting_rays(8, 2, 0)])


@pytest.mark.parametrize("task_id,name", [
    ("d06dbe63", "seed_trails(all, (-2,2)x4 + (2,-2)x4, bg=0)"),
    ("508bd3b6", "extend_ends(all, paint=3, bounce, bg=0)"),
])
def test_family_learns_the_rule(task_id, name):
    assert [p.name for p in FAMILIES["paths"](task_ctx(task_id))] == [name]


# --- 9. the search -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("task_id", ["db3e9e38", "29c11459"])
def test_search_solves(task_id):
    assert_search_solves(task_id)


# --- 10. purity -----------------------------------------------------------------------------------------------

