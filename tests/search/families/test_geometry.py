"""The ``geometry`` family: D8 and its inverse pairs, crops, scaling there and back, tilings, mirrors,
symmetry and period completion, on literal grids."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.search.dsl import TaskContext
from arcvdm.search.families import geometry

from training_tasks import eq, grid

A = grid([[1, 2, 0],
          [3, 0, 0]])  # 2x3, asymmetric


@pytest.mark.parametrize(
    "name, expected",
    [
        ("rot90", [[3, 1], [0, 2], [0, 0]]),
        ("rot180", [[0, 0, 3], [0, 2, 1]]),
        ("rot270", [[0, 0], [2, 0], [1, 3]]),
        ("flip_lr", [[0, 2, 1], [0, 0, 3]]),
        ("flip_ud", [[3, 0, 0], [1, 2, 0]]),
        ("transpose", [[1, 3], [2, 0], [0, 0]]),
        ("antitranspose", [[0, 0], [0, 2], [3, 1]]),
    ],
)
def test_d8(name: str, expected: list[list[int]]) -> None:
    assert eq(geometry.d8(name, A), expected)


@pytest.mark.parametrize("name", list(geometry.D8))
def test_d8_inverse_pairs_round_trip(name: str) -> None:
    rng = np.random.default_rng(0)
    g = rng.integers(0, 10, size=(4, 7)).astype(np.uint8)
    assert np.array_equal(geometry.d8(geometry.D8_INVERSE[name], geometry.d8(name, g)), g)


def test_crop_content() -> None:
    g = grid([[0, 0, 0, 0], [0, 5, 0, 0], [0, 0, 6, 0], [0, 0, 0, 0]])
    assert eq(geometry.crop_content(g, 0), [[5, 0], [0, 6]])
    assert geometry.crop_content(np.zeros((3, 3), np.uint8), 0) is None
    h = grid([[7, 7, 7], [7, 1, 7], [7, 7, 7]])  # background = the most frequent colour
    assert eq(geometry.crop_content(h, None), [[1]])


def test_scale_up_down_round_trip() -> None:
    assert eq(geometry.scale_up(grid([[1, 2]]), 2, 2), [[1, 1, 2, 2], [1, 1, 2, 2]])
    assert eq(geometry.scale_up(grid([[1, 2]]), 1, 3), [[1, 1, 1, 2, 2, 2]])
    rng = np.random.default_rng(1)
    g = rng.integers(0, 10, size=(3, 5)).astype(np.uint8)
    assert np.array_equal(geometry.scale_down(geometry.scale_up(g, 3, 2), 3, 2), g)
    assert geometry.scale_down(grid([[1, 2], [1, 1]]), 2, 2) is None  # not made of uniform blocks
    assert geometry.scale_up(np.zeros((11, 11), np.uint8), 3, 3) is None  # 33x33 is too big


def test_tile_and_mirror() -> None:
    assert eq(geometry.tile(grid([[1, 2]]), 2, 2), [[1, 2, 1, 2], [1, 2, 1, 2]])
    assert eq(geometry.mirror_concat(grid([[1, 2]]), "lr"), [[1, 2, 2, 1]])
    assert eq(geometry.mirror_concat(grid([[1, 2]]), "rl"), [[2, 1, 1, 2]])
    assert eq(geometry.mirror_concat(grid([[1], [2]]), "ud"), [[1], [2], [2], [1]])
    assert eq(geometry.mirror_concat(grid([[1], [2]]), "du"), [[2], [1], [1], [2]])
    assert eq(geometry.mirror_concat(grid([[1, 2]]), "quad"), [[1, 2, 2, 1], [1, 2, 2, 1]])
    assert eq(geometry.mirror_concat(grid([[1, 2], [3, 4]]), "quad_rev"),
              [[4, 3, 3, 4], [2, 1, 1, 2], [2, 1, 1, 2], [4, 3, 3, 4]])


def test_sym_fill() -> None:
    g = grid([[1, 2, 0], [3, 4, 3], [1, 2, 1]])  # left-right symmetric with one hole (0)
    assert eq(geometry.sym_fill(g, "lr", 0), [[1, 2, 1], [3, 4, 3], [1, 2, 1]])
    assert geometry.sym_fill(g, "lr", 9) is None  # no hole of that colour
    d = grid([[1, 2], [0, 3]])
    assert eq(geometry.sym_fill(d, "diag", 0), [[1, 2], [2, 3]])
    assert geometry.sym_fill(grid([[1, 0, 2]]), "diag", 0) is None  # diagonal symmetry needs a square


def test_untile_inverts_tile_and_extend_continues_a_pattern() -> None:
    block = grid([[1, 2], [3, 4]])
    assert eq(geometry.untile(geometry.tile(block, 2, 3)), block)
    assert geometry.untile(block) is None  # no smaller block repeats into it
    assert eq(geometry.untile(grid([[5, 5, 5]])), [[5]])
    assert eq(geometry.extend(grid([[1, 2, 1, 2, 1]]), 1, 2), [[1, 2, 1, 2, 1, 2, 1, 2, 1, 2]])
    assert eq(geometry.extend(grid([[1, 2, 3]]), 1, 2), [[1, 2, 3, 1, 2, 3]])  # no shorter period: plain tiling


def test_fractal_and_rot_quad() -> None:
    g = grid([[1, 0], [0, 2]])
    assert eq(geometry.fractal(g, False), [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]])
    assert eq(geometry.fractal(g, True), [[0, 0, 1, 0], [0, 0, 0, 2], [1, 0, 0, 0], [0, 2, 0, 0]])
    m = grid([[3, 3], [1, 3]])  # the most frequent colour (3) marks where copies go
    assert eq(geometry.fractal(m, False, major=True), [[3, 3, 3, 3], [1, 3, 1, 3], [0, 0, 3, 3], [0, 0, 1, 3]])
    assert eq(geometry.rot_quad(grid([[1, 2], [3, 4]])), [[1, 2, 3, 1], [3, 4, 4, 2], [2, 4, 4, 3], [1, 3, 2, 1]])
    assert geometry.rot_quad(grid([[1, 2]])) is None  # needs a square


def test_sym_local_completes_a_shape_in_its_own_box() -> None:
    g = grid([[0, 0, 0, 0, 0],
           [0, 1, 2, 1, 0],
           [0, 2, 3, 0, 0],
           [0, 0, 0, 0, 0]])  # the shape's box is rows 1-2, cols 1-3; its missing cell mirrors the 2
    assert eq(geometry.sym_local(g, "lr", 0), [[0, 0, 0, 0, 0], [0, 1, 2, 1, 0], [0, 2, 3, 2, 0], [0, 0, 0, 0, 0]])
    assert geometry.sym_local(grid([[1, 0], [0, 1]]), "all", 0) is None  # the box is the whole grid


def test_period_fill_and_hidden_part() -> None:
    g = grid([[1, 2, 1, 2],
           [3, 4, 0, 0],
           [1, 2, 1, 2]])  # a 2x2 pattern repeated; two cells hidden by 0
    assert eq(geometry.period_fill(g, 0), [[1, 2, 1, 2], [3, 4, 3, 4], [1, 2, 1, 2]])
    assert eq(geometry.crop_to_hole(geometry.period_fill(g, 0), g, 0), [[3, 4]])
    assert geometry.period_fill(grid([[1, 0, 2]]), 0) is None  # periods 1 and 2 both clash on 1 vs 2
    assert geometry.sym_fill(grid([[1, 2, 1], [3, 0, 3]]), "lr", 0) is None  # the centre is its own mirror
    t = grid([[1, 2, 0], [3, 4, 3]])
    assert eq(geometry.crop_to_hole(geometry.sym_fill(t, "lr", 0), t, 0), [[1]])


def test_row_periods_are_the_shifts_under_which_known_cells_agree() -> None:
    """``row_periods`` (one clash table for every shift) against the definition, shift by shift."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        h, w = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        period = (int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1)))
        tile = rng.integers(1, 4, period).astype(np.uint8)
        g = np.tile(tile, (h // period[0] + 1, w // period[1] + 1))[:h, :w].copy()
        if rng.random() < 0.5:  # break the pattern somewhere
            g[rng.integers(h), rng.integers(w)] = rng.integers(1, 4)
        known = rng.random((h, w)) < 0.8
        for grid_, known_ in ((g, known), (g.T, known.T)):
            rows = grid_.shape[0]
            expected = [p for p in range(1, rows + 1)
                        if p == rows or not ((grid_[:-p] != grid_[p:]) & known_[:-p] & known_[p:]).any()]
            assert geometry.row_periods(grid_, known_) == expected


def test_shift_and_dedup() -> None:
    g = grid([[1, 0, 0], [0, 0, 0], [0, 0, 0]])
    assert eq(geometry.shift(g, 1, 0), [[0, 0, 0], [1, 0, 0], [0, 0, 0]])
    assert eq(geometry.shift(g, 0, 1), [[0, 1, 0], [0, 0, 0], [0, 0, 0]])
    assert eq(geometry.shift(geometry.shift(g, 1, 1), -1, -1), g)
    assert eq(geometry.dedup_lines(grid([[1, 1, 2], [1, 1, 2], [3, 3, 4]])), [[1, 2], [3, 4]])


def test_geometry_family_takes_factors_from_the_demonstrations() -> None:
    ctx = TaskContext((grid([[1, 2]]),), (np.zeros((4, 8), np.uint8),), (grid([[3]]),))
    names = [p.name for p in geometry.geometry_family(ctx)]
    assert "scale_up(4)" in names and "tile(4,4)" in names and "rot90" in names
    assert len(names) == len(set(names))

