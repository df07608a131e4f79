"""The ``reshape`` family (reshape.py): shear and its inverse, deleting empty lines, borders, cyclic rolls,
lines painted through a marker; when the family offers each; and the search finding them end to end."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.config import SearchConfig
from arcvdm.search.dsl import TaskContext
from arcvdm.search.families.reshape import (
    SKEWS,
    box_of_colour,
    compress,
    fill_lines,
    frame_content,
    mirror_half,
    pad,
    reshape_family,
    roll,
    skew,
    swap_halves,
    unskew,
)
from arcvdm.tasks import Example, Task

from training_tasks import assert_search_solves, ctx, seeded_grid


def G(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


GRID = G([[1, 2, 0],
          [0, 3, 0],
          [4, 0, 5]])


def random_grid(seed: int, h: int = 5, w: int = 6, density: float = 0.3) -> np.ndarray:
    return seeded_grid(seed, h, w, density)


def context(pairs: list[tuple[np.ndarray, np.ndarray]]) -> TaskContext:
    return ctx(pairs, tests=[pairs[0][0]])


def test_skew_right_moves_each_row_by_its_index() -> None:
    assert skew(GRID, "right").tolist() == [[1, 2, 0, 0, 0],
                                            [0, 0, 3, 0, 0],
                                            [0, 0, 4, 0, 5]]
    assert skew(GRID, "left").tolist() == [[0, 0, 1, 2, 0],
                                           [0, 0, 3, 0, 0],
                                           [4, 0, 5, 0, 0]]


@pytest.mark.parametrize("kind", SKEWS)
@pytest.mark.parametrize("seed", range(5))
def test_unskew_undoes_skew(kind: str, seed: int) -> None:
    grid = random_grid(seed)
    sheared = skew(grid, kind)
    assert sheared is not None and sheared.shape == (5, 10)
    assert np.array_equal(unskew(sheared, kind), grid)


def test_unskew_refuses_to_drop_cells_outside_the_windows() -> None:
    sheared = skew(GRID, "right")
    sheared[0, 4] = 7  # a cell right of row 0's window
    assert unskew(sheared, "right") is None
    assert unskew(G([[1, 2], [3, 4], [5, 6]]), "right") is None  # too narrow for its height


def test_skew_refuses_a_result_wider_than_the_limit() -> None:
    assert skew(np.zeros((20, 20), dtype=np.uint8), "right") is None


def test_compress_deletes_only_background_lines() -> None:
    grid = G([[0, 0, 0, 0],
              [0, 1, 0, 2],
              [0, 0, 0, 0],
              [0, 3, 0, 0]])
    assert compress(grid, "rows").tolist() == [[0, 1, 0, 2], [0, 3, 0, 0]]
    assert compress(grid, "cols").tolist() == [[0, 0], [1, 2], [0, 0], [3, 0]]
    assert compress(grid, "both").tolist() == [[1, 2], [3, 0]]
    assert compress(G([[1, 2], [2, 1]]), "both") is None  # no line is all background: nothing to delete
    assert compress(np.zeros((3, 3), dtype=np.uint8), "both") is None  # nothing would be left


def test_pad_surrounds_the_grid() -> None:
    got = pad(G([[1, 2]]), 8, 1)
    assert got.tolist() == [[8, 8, 8, 8], [8, 1, 2, 8], [8, 8, 8, 8]]
    assert pad(np.zeros((29, 3), dtype=np.uint8), 8, 1) is None


@pytest.mark.parametrize("there, back", [("left", "right"), ("up", "down")])
def test_roll_there_and_back(there: str, back: str) -> None:
    grid = random_grid(3)
    moved = roll(grid, there)
    assert not np.array_equal(moved, grid)
    assert np.array_equal(roll(moved, back), grid)
    assert roll(GRID, "right").tolist() == [[0, 1, 2], [0, 0, 3], [5, 4, 0]]


def test_swap_halves_twice_is_the_identity_on_even_sizes() -> None:
    grid = random_grid(5, h=4, w=6)
    for axis in ("ud", "lr"):
        assert np.array_equal(swap_halves(swap_halves(grid, axis), axis), grid)
    assert swap_halves(GRID, "lr").tolist() == [[2, 0, 1], [3, 0, 0], [0, 5, 4]]  # odd: the middle line first
    assert swap_halves(GRID, "ud").tolist() == [[0, 3, 0], [4, 0, 5], [1, 2, 0]]


def test_fill_lines_paints_over_everything_on_marked_lines() -> None:
    grid = G([[1, 0, 0],
              [0, 5, 2],
              [0, 0, 0]])
    assert fill_lines(grid, 5, "rows").tolist() == [[1, 0, 0], [5, 5, 5], [0, 0, 0]]
    assert fill_lines(grid, 5, "cols").tolist() == [[1, 5, 0], [0, 5, 2], [0, 5, 0]]
    assert fill_lines(grid, 5, "both").tolist() == [[1, 5, 0], [5, 5, 5], [0, 5, 0]]
    assert fill_lines(grid, 7, "rows") is None
    assert fill_lines(grid, 5, "rows", paint=0).tolist() == [[1, 0, 0], [0, 0, 0], [0, 0, 0]]  # clear_lines


def test_mirror_half_makes_the_grid_symmetric_from_the_named_side() -> None:
    grid = G([[1, 2, 3],
              [4, 5, 6],
              [7, 8, 9]])
    assert mirror_half(grid, "down").tolist() == [[1, 2, 3], [4, 5, 6], [1, 2, 3]]
    assert mirror_half(grid, "up").tolist() == [[7, 8, 9], [4, 5, 6], [7, 8, 9]]
    assert mirror_half(grid, "right").tolist() == [[1, 2, 1], [4, 5, 4], [7, 8, 7]]
    assert mirror_half(grid, "left").tolist() == [[3, 2, 3], [6, 5, 6], [9, 8, 9]]
    even = random_grid(4, h=4, w=6)
    for kind, flip in (("down", np.flipud), ("left", np.fliplr)):
        made = mirror_half(even, kind)
        assert np.array_equal(made, flip(made))


def test_frame_content_rings_the_whole_content_and_drops_sides_off_the_grid() -> None:
    grid = G([[0, 0, 0, 0, 0],
              [0, 1, 0, 0, 0],
              [0, 0, 0, 2, 0],
              [0, 0, 0, 0, 0]])
    assert frame_content(grid, 3).tolist() == [[3, 3, 3, 3, 3],
                                               [3, 1, 0, 0, 3],
                                               [3, 0, 0, 2, 3],
                                               [3, 3, 3, 3, 3]]
    edge = G([[1, 0, 0],
              [0, 0, 0],
              [0, 0, 0]])
    assert frame_content(edge, 3).tolist() == [[1, 3, 0],  # no top or left side: they would be off the grid
                                               [3, 3, 0],
                                               [0, 0, 0]]
    assert frame_content(np.zeros((3, 3), np.uint8), 3) is None


def test_box_of_colour_spans_every_cell_of_the_colour() -> None:
    grid = G([[0, 0, 0, 0],
              [0, 5, 1, 0],
              [0, 0, 0, 0],
              [0, 0, 0, 5]])
    assert box_of_colour(grid, 5, 2, "outline").tolist() == [[0, 0, 0, 0],
                                                             [0, 5, 1, 2],
                                                             [0, 2, 0, 2],
                                                             [0, 2, 2, 5]]
    assert box_of_colour(grid, 5, 2, "fill").tolist() == [[0, 0, 0, 0],
                                                          [0, 5, 1, 2],
                                                          [0, 2, 2, 2],
                                                          [0, 2, 2, 5]]
    assert box_of_colour(grid, 7, 2, "fill") is None


def test_the_family_offers_each_primitive_only_when_the_shapes_call_for_it() -> None:
    grids = [random_grid(s) for s in range(3)]

    def names(outputs: list[np.ndarray]) -> set[str]:
        return {p.name.split("(")[0] for p in reshape_family(context(list(zip(grids, outputs))))}

    assert names([skew(g, "right") for g in grids]) == {"skew", "compress"}  # an input has an empty line
    assert names([pad(g, 8, 2) for g in grids]) == {"pad", "compress"}
    assert names([pad(g, 8, 2).T for g in grids]) == {"pad", "compress"}  # a turn may come before the border
    assert names([roll(g, "down") for g in grids]) == {"roll", "swap_halves"}
    assert "roll" not in names([fill_lines(g, int(g.max()), "rows") for g in grids])  # counts change
    assert names([g[::-1] for g in grids]) == {"roll", "swap_halves"}  # a flip keeps the counts too
    assert names([mirror_half(g, "right") for g in grids]) == {"mirror_half"}
    marked = [np.where(np.arange(g.shape[1]) == 2, 5, g).astype(np.uint8) for g in grids]  # column 2 all 5
    cleared = [fill_lines(g, 5, "cols", paint=0) for g in marked]
    offered = {p.name for p in reshape_family(context(list(zip(marked, cleared))))}
    assert {"clear_lines(5, cols)"} <= offered and not any(n.startswith("fill_lines(0") for n in offered)
    sparse = [random_grid(s, h=8, w=8, density=0.05) for s in range(3)]
    for k, grid in enumerate(sparse):
        grid[3, 2 + k] = grid[6, 6 - k] = 1  # never empty; two 1s span a box
    framed = [frame_content(g, 4) for g in sparse]
    offered = {p.name for p in reshape_family(context(list(zip(sparse, framed))))}
    assert "frame_content(4)" in offered
    recoloured = [np.where(g == 1, 4, g).astype(np.uint8) for g in sparse]
    offered = {p.name for p in reshape_family(context(list(zip(sparse, recoloured))))}
    assert not any(n.startswith("frame_content") for n in offered)  # 4 grows, but not as a frame
    boxed = [box_of_colour(g, 1, 6, "outline") for g in sparse]
    offered = {p.name for p in reshape_family(context(list(zip(sparse, boxed))))}
    assert "box_of_colour(1, 6, outline)" in offered
    assert not any(p.name.startswith("box_of_colour") for p in reshape_family(context(list(zip(sparse, sparse)))))


def synthetic_task(fn, seeds: range) -> Task:
    grids = [random_grid(s, h=6, w=7, density=0.2) for s in seeds]
    for grid in grids:
        grid[1, :] = 0  # an empty row and column for compress to delete
        grid[:, 3] = 0
    examples = [Example(g, fn(g)) for g in grids]
    return Task("synthetic", tuple(examples[:-1]), tuple(examples[-1:]))


@pytest.mark.parametrize(
    "fn",
    [
        lambda g: skew(g, "left"),
        lambda g: compress(g, "both"),
        lambda g: pad(g, 6, 1),
    ],
    ids=["skew", "compress", "pad"],
)
def test_the_search_finds_a_reshape_program(fn) -> None:
    task = synthetic_task(fn, range(10, 14))
    assert_search_solves(task, SearchConfig(max_applications=3000, max_states=500))
