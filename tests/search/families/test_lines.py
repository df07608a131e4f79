"""The line families (``rays``, ``connect``): rays that stop or pass, rays from objects, connecting lines,
on literal grids; and hand-written programs that solve ARC-AGI-1 training tasks."""

import pytest

from arcvdm.search.families import lines
from arcvdm.search.registry import FAMILIES

from training_tasks import assert_program_solves, ctx, g


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


def test_training_task_connect_pairs():
    assert_program_solves("a699fb00", [lines.connect(1, ("row",), 2, 0)])


def test_training_task_rays_from_blocks():
    assert_program_solves("5c0a986e", [lines.rays(((1, ("NW",)), (2, ("SE",))), "stop", None, 0, from_objects=True)])

