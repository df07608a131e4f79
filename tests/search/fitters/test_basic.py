"""The plain fitters (``fitters/basic.py``): identity, colour map, constant, tile, scale, blocks and lookup,
on literal grids."""

from __future__ import annotations

import numpy as np

from arcvdm.search.fitters import basic as fitters

from training_tasks import eq, grid


def test_fit_identity_and_colour_map() -> None:
    produced = [grid([[1, 2]]), grid([[2, 2, 1]])]
    assert fitters.fit_identity(produced, produced).name == "id"
    assert fitters.fit_identity(produced, [grid([[1, 3]]), grid([[3, 3, 1]])]) is None
    step = fitters.fit_colour_map(produced, [grid([[1, 3]]), grid([[3, 3, 1]])])
    assert step.name == "colour_map(2->3)" and eq(step(grid([[2, 5]])), [[3, 5]])
    assert fitters.fit_colour_map(produced, [grid([[1, 3]]), grid([[4, 4, 1]])]) is None  # 2 -> 3 and 2 -> 4
    assert fitters.fit_colour_map(produced, [grid([[1]]), grid([[3, 3, 1]])]) is None  # wrong size


def test_fit_constant_tile_scale() -> None:
    out = grid([[1, 2]])
    assert eq(fitters.fit_constant([grid([[0]]), grid([[5]])], [out, out])(grid([[9]])), out)
    assert fitters.fit_constant([grid([[0]]), grid([[5]])], [out, grid([[1, 1]])]) is None
    produced = [grid([[1, 2]]), grid([[3]])]
    tiled = fitters.fit_tile(produced, [grid([[1, 2, 1, 2]]), grid([[3, 3]])])
    assert tiled is not None and eq(tiled(grid([[4, 5]])), [[4, 5, 4, 5]])
    scaled = fitters.fit_scale(produced, [grid([[1, 1, 2, 2]]), grid([[3, 3]])])
    assert scaled is not None and eq(scaled(grid([[4, 5]])), [[4, 4, 5, 5]])
    assert fitters.fit_scale(produced, [grid([[1, 2, 1, 2]]), grid([[3, 3]])]) is None


def test_fit_blocks_paints_a_learned_block_per_cell() -> None:
    def plus(colour: int) -> list[list[int]]:
        return [[0, colour], [colour, colour]]

    def blocks(grid: np.ndarray) -> np.ndarray:   # each cell -> its 2x2 block, 0 -> all 0
        out = np.zeros((grid.shape[0] * 2, grid.shape[1] * 2), np.uint8)
        for (r, c), v in np.ndenumerate(grid):
            out[r * 2:r * 2 + 2, c * 2:c * 2 + 2] = plus(int(v)) if v else 0
        return out

    produced = [grid([[1, 0], [0, 0]]), grid([[0, 2, 0], [0, 0, 0]]), grid([[3, 0], [0, 0]])]
    step = fitters.fit_blocks(produced, [blocks(p) for p in produced])
    assert step is not None and step.name == "blocks_to(2,2, shape)"
    unseen = grid([[7, 0], [0, 1]])                          # 7 was never in a demonstration: the shared shape
    assert eq(step(unseen), blocks(unseen))
    per_colour = [grid([[1, 0], [0, 1]]), grid([[2, 0], [2, 0]])]
    one, two = [[1, 1], [0, 0]], [[0, 2], [2, 0]]        # two shapes: a table, not one shape for all colours

    def tabled(grid: np.ndarray) -> np.ndarray:
        out = np.zeros((grid.shape[0] * 2, grid.shape[1] * 2), np.uint8)
        for (r, c), v in np.ndenumerate(grid):
            out[r * 2:r * 2 + 2, c * 2:c * 2 + 2] = {0: 0, 1: one, 2: two}[int(v)]
        return out

    table = fitters.fit_blocks(per_colour, [tabled(p) for p in per_colour])
    assert table is not None and table.name == "blocks_to(2,2, table)" and table(grid([[5, 0], [0, 0]])) is None
    assert fitters.fit_blocks(produced, [np.repeat(np.repeat(p, 2, 0), 2, 1) for p in produced]) is None  # scaling
    tiny = [grid([[1]]), grid([[2]])]                            # a block larger than the picture: memorising
    assert fitters.fit_blocks(tiny, [tabled(grid([[1, 0], [0, 0]])), tabled(grid([[2, 2], [0, 0]]))]) is None


def test_fit_lookup_by_a_feature_of_the_produced_grid() -> None:
    one, two = grid([[5, 5]]), grid([[7, 0]])
    produced = [grid([[1, 0]]), grid([[1, 2]]), grid([[3, 0]]), grid([[3, 4]])]  # 1, 2, 1, 2 colours
    outputs = [one, two, one, two]
    step = fitters.fit_lookup(produced, outputs)
    assert step is not None and step.name == "lookup(n_colours)"
    assert eq(step(grid([[6, 0]])), one) and eq(step(grid([[6, 8]])), two)
    assert step(grid([[1, 2], [3, 0]])) is None  # three colours: no demonstration had that
    assert fitters.fit_lookup(produced[:3], [one, two, grid([[1]])]) is None  # one output per key: no rule

