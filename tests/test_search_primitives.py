"""Behaviour tests of the geometry, colour and parts primitives and of the last-step fitters (literal grids)."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.search import colour, fitters, geometry, parts
from arcvdm.search.dsl import TaskContext


def G(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


A = G([[1, 2, 0],
       [3, 0, 0]])  # 2x3, asymmetric


def eq(a: np.ndarray | None, b: list[list[int]] | np.ndarray) -> bool:
    return a is not None and np.array_equal(a, np.asarray(b, dtype=np.uint8))


# --- geometry -------------------------------------------------------------------------------------

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
    g = G([[0, 0, 0, 0], [0, 5, 0, 0], [0, 0, 6, 0], [0, 0, 0, 0]])
    assert eq(geometry.crop_content(g, 0), [[5, 0], [0, 6]])
    assert geometry.crop_content(np.zeros((3, 3), np.uint8), 0) is None
    h = G([[7, 7, 7], [7, 1, 7], [7, 7, 7]])  # background = the most frequent colour
    assert eq(geometry.crop_content(h, None), [[1]])


def test_scale_up_down_round_trip() -> None:
    assert eq(geometry.scale_up(G([[1, 2]]), 2, 2), [[1, 1, 2, 2], [1, 1, 2, 2]])
    assert eq(geometry.scale_up(G([[1, 2]]), 1, 3), [[1, 1, 1, 2, 2, 2]])
    rng = np.random.default_rng(1)
    g = rng.integers(0, 10, size=(3, 5)).astype(np.uint8)
    assert np.array_equal(geometry.scale_down(geometry.scale_up(g, 3, 2), 3, 2), g)
    assert geometry.scale_down(G([[1, 2], [1, 1]]), 2, 2) is None  # not made of uniform blocks
    assert geometry.scale_up(np.zeros((11, 11), np.uint8), 3, 3) is None  # 33x33 is too big


def test_tile_and_mirror() -> None:
    assert eq(geometry.tile(G([[1, 2]]), 2, 2), [[1, 2, 1, 2], [1, 2, 1, 2]])
    assert eq(geometry.mirror_concat(G([[1, 2]]), "lr"), [[1, 2, 2, 1]])
    assert eq(geometry.mirror_concat(G([[1, 2]]), "rl"), [[2, 1, 1, 2]])
    assert eq(geometry.mirror_concat(G([[1], [2]]), "ud"), [[1], [2], [2], [1]])
    assert eq(geometry.mirror_concat(G([[1], [2]]), "du"), [[2], [1], [1], [2]])
    assert eq(geometry.mirror_concat(G([[1, 2]]), "quad"), [[1, 2, 2, 1], [1, 2, 2, 1]])
    assert eq(geometry.mirror_concat(G([[1, 2], [3, 4]]), "quad_rev"),
              [[4, 3, 3, 4], [2, 1, 1, 2], [2, 1, 1, 2], [4, 3, 3, 4]])


def test_sym_fill() -> None:
    g = G([[1, 2, 0], [3, 4, 3], [1, 2, 1]])  # left-right symmetric with one hole (0)
    assert eq(geometry.sym_fill(g, "lr", 0), [[1, 2, 1], [3, 4, 3], [1, 2, 1]])
    assert geometry.sym_fill(g, "lr", 9) is None  # no hole of that colour
    d = G([[1, 2], [0, 3]])
    assert eq(geometry.sym_fill(d, "diag", 0), [[1, 2], [2, 3]])
    assert geometry.sym_fill(G([[1, 0, 2]]), "diag", 0) is None  # diagonal symmetry needs a square


def test_untile_inverts_tile_and_extend_continues_a_pattern() -> None:
    block = G([[1, 2], [3, 4]])
    assert eq(geometry.untile(geometry.tile(block, 2, 3)), block)
    assert geometry.untile(block) is None  # no smaller block repeats into it
    assert eq(geometry.untile(G([[5, 5, 5]])), [[5]])
    assert eq(geometry.extend(G([[1, 2, 1, 2, 1]]), 1, 2), [[1, 2, 1, 2, 1, 2, 1, 2, 1, 2]])
    assert eq(geometry.extend(G([[1, 2, 3]]), 1, 2), [[1, 2, 3, 1, 2, 3]])  # no shorter period: plain tiling


def test_fractal_and_rot_quad() -> None:
    g = G([[1, 0], [0, 2]])
    assert eq(geometry.fractal(g, False), [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]])
    assert eq(geometry.fractal(g, True), [[0, 0, 1, 0], [0, 0, 0, 2], [1, 0, 0, 0], [0, 2, 0, 0]])
    m = G([[3, 3], [1, 3]])  # the most frequent colour (3) marks where copies go
    assert eq(geometry.fractal(m, False, major=True), [[3, 3, 3, 3], [1, 3, 1, 3], [0, 0, 3, 3], [0, 0, 1, 3]])
    assert eq(geometry.rot_quad(G([[1, 2], [3, 4]])), [[1, 2, 3, 1], [3, 4, 4, 2], [2, 4, 4, 3], [1, 3, 2, 1]])
    assert geometry.rot_quad(G([[1, 2]])) is None  # needs a square


def test_sym_local_completes_a_shape_in_its_own_box() -> None:
    g = G([[0, 0, 0, 0, 0],
           [0, 1, 2, 1, 0],
           [0, 2, 3, 0, 0],
           [0, 0, 0, 0, 0]])  # the shape's box is rows 1-2, cols 1-3; its missing cell mirrors the 2
    assert eq(geometry.sym_local(g, "lr", 0), [[0, 0, 0, 0, 0], [0, 1, 2, 1, 0], [0, 2, 3, 2, 0], [0, 0, 0, 0, 0]])
    assert geometry.sym_local(G([[1, 0], [0, 1]]), "all", 0) is None  # the box is the whole grid


def test_period_fill_and_hidden_part() -> None:
    g = G([[1, 2, 1, 2],
           [3, 4, 0, 0],
           [1, 2, 1, 2]])  # a 2x2 pattern repeated; two cells hidden by 0
    assert eq(geometry.period_fill(g, 0), [[1, 2, 1, 2], [3, 4, 3, 4], [1, 2, 1, 2]])
    assert eq(geometry.crop_to_hole(geometry.period_fill(g, 0), g, 0), [[3, 4]])
    assert geometry.period_fill(G([[1, 0, 2]]), 0) is None  # periods 1 and 2 both clash on 1 vs 2
    assert geometry.sym_fill(G([[1, 2, 1], [3, 0, 3]]), "lr", 0) is None  # the centre is its own mirror
    t = G([[1, 2, 0], [3, 4, 3]])
    assert eq(geometry.crop_to_hole(geometry.sym_fill(t, "lr", 0), t, 0), [[1]])


def test_shift_and_dedup() -> None:
    g = G([[1, 0, 0], [0, 0, 0], [0, 0, 0]])
    assert eq(geometry.shift(g, 1, 0), [[0, 0, 0], [1, 0, 0], [0, 0, 0]])
    assert eq(geometry.shift(g, 0, 1), [[0, 1, 0], [0, 0, 0], [0, 0, 0]])
    assert eq(geometry.shift(geometry.shift(g, 1, 1), -1, -1), g)
    assert eq(geometry.dedup_lines(G([[1, 1, 2], [1, 1, 2], [3, 3, 4]])), [[1, 2], [3, 4]])


def test_geometry_family_takes_factors_from_the_demonstrations() -> None:
    ctx = TaskContext((G([[1, 2]]),), (np.zeros((4, 8), np.uint8),), (G([[3]]),))
    names = [p.name for p in geometry.geometry_family(ctx)]
    assert "scale_up(4)" in names and "tile(4,4)" in names and "rot90" in names
    assert len(names) == len(set(names))


# --- colour ---------------------------------------------------------------------------------------

def test_recolour_keep_erase_swap() -> None:
    g = G([[1, 2], [2, 0]])
    assert eq(colour.recolour(g, 2, 5), [[1, 5], [5, 0]])
    assert colour.recolour(g, 7, 5) is None
    assert eq(colour.keep(g, 2), [[0, 2], [2, 0]])
    assert eq(colour.swap(g, 1, 2), [[2, 1], [1, 0]])
    assert eq(colour.swap(colour.swap(g, 1, 2), 1, 2), g)


def test_majority_and_counts() -> None:
    g = G([[0, 3, 3], [0, 0, 4], [0, 0, 0]])  # background 0; 3 twice, 4 once
    assert eq(colour.fill_with(g, "major"), np.full((3, 3), 3))
    assert eq(colour.fill_with(g, "minor"), np.full((3, 3), 4))
    assert eq(colour.recolour_nonbg(g, "major"), [[0, 3, 3], [0, 0, 3], [0, 0, 0]])
    assert eq(colour.colour_cell(g, "major"), [[3]])
    assert eq(colour.colour_list(g, "row"), [[3, 4]])
    assert eq(colour.colour_list(g, "col"), [[3], [4]])
    assert eq(colour.count_bar(g, 3, "row"), [[3, 3]])
    assert eq(colour.histogram(g), [[3, 0], [3, 4]])
    assert eq(colour.count_bar_all(g, "col"), [[3], [3], [3]])
    assert colour.colour_cell(np.zeros((2, 2), np.uint8), "major") is None


def test_colour_family_uses_task_colours() -> None:
    ctx = TaskContext((G([[0, 1], [1, 2]]),), (G([[0, 5], [5, 2]]),), (G([[1, 2]]),))
    names = [p.name for p in colour.colour_family(ctx)]
    assert "recolour(1->5)" in names and "keep(2)" in names and "colour_cell(major)" in names
    assert "recolour(2->0)" not in names  # 2 stays in the outputs and 0 is no new colour: not suggested


# --- parts ----------------------------------------------------------------------------------------

SEP = G([[1, 0, 5, 1, 0],
         [0, 0, 5, 0, 1]])  # two 2x2 parts separated by a column of 5


def test_split_modes() -> None:
    left, right = parts.split(SEP, "sep")
    assert eq(left, [[1, 0], [0, 0]]) and eq(right, [[1, 0], [0, 1]])
    assert [p.shape for p in parts.split(G([[1, 2, 3, 4]]), "h2")] == [(1, 2), (1, 2)]
    assert [p.shape for p in parts.split(G([[1], [2], [3]]), "v3")] == [(1, 1)] * 3
    assert [p.tolist() for p in parts.split(G([[1, 2], [3, 4]]), "q4")] == [[[1]], [[2]], [[3]], [[4]]]
    assert parts.split(G([[1, 2, 3]]), "h2") is None
    zero_lines = G([[1, 0, 2], [0, 0, 0], [3, 0, 4]])  # colour 0 only on full lines: a separator
    assert [p.tolist() for p in parts.split(zero_lines, "sep")] == [[[1]], [[2]], [[3]], [[4]]]
    assert parts.split(G([[1, 2], [3, 4]]), "sep") is None
    with pytest.raises(ValueError, match="unknown split mode 'x'"):
        parts.split(SEP, "x")


@pytest.mark.parametrize(
    "op, expected",
    [
        ("and", [[2, 0], [0, 0]]),
        ("or", [[2, 0], [0, 2]]),
        ("xor", [[0, 0], [0, 2]]),
        ("nor", [[0, 2], [2, 0]]),
        ("diff", [[0, 0], [0, 0]]),
    ],
)
def test_combine_masks(op: str, expected: list[list[int]]) -> None:
    assert eq(parts.combine_masks(parts.split(SEP, "sep"), op, 2, 0), expected)


def test_fold_mirrors_the_second_part_onto_the_first() -> None:
    ctx = TaskContext((SEP,), (G([[1, 0], [1, 0]]),), (SEP,))
    fold = {p.name: p for p in parts.parts_family(ctx)}["fold(sep, lr)"]
    assert eq(fold(SEP), [[1, 1], [1, 0]])  # [[1, 0], [0, 0]] under the mirrored right part [[0, 1], [1, 0]]


def test_overlay_and_pick() -> None:
    a, b = G([[1, 0], [0, 0]]), G([[2, 2], [0, 0]])
    assert eq(parts.overlay([a, b], 0, True), [[2, 2], [0, 0]])
    assert eq(parts.overlay([a, b], 0, False), [[1, 2], [0, 0]])
    c = G([[3, 3], [3, 4]])
    assert eq(parts.pick([a, b, c], "most_cells", 0), c)
    assert eq(parts.pick([a, b, c], "fewest_cells", 0), a)
    assert eq(parts.pick([a, b, c], "most_colours", 0), c)
    assert parts.pick([a, b], "fewest_colours", 0) is None  # a tie
    assert eq(parts.pick([a, a, b], "unique", 0), b)


def test_summary_of_a_separator_lattice() -> None:
    g = G([[1, 0, 5, 0, 0],
           [0, 0, 5, 0, 3],
           [5, 5, 5, 5, 5],
           [2, 2, 5, 0, 0]])
    assert eq(parts.summary(g), [[1, 3], [2, 0]])
    assert parts.summary(G([[1, 2], [3, 4]])) is None


def test_parts_family_offers_only_modes_that_split_every_input() -> None:
    ctx = TaskContext((SEP,), (G([[2, 0], [0, 0]]),), (SEP,))
    names = [p.name for p in parts.parts_family(ctx)]
    assert "combine(sep, and, 2)" in names
    assert "part(v2, 1)" in names  # two rows split into 1x5 halves
    assert not any("h2" in n for n in names)  # five columns do not split into equal halves
    prim = {p.name: p for p in parts.parts_family(ctx)}["combine(sep, and, 2)"]
    assert eq(prim(SEP), [[2, 0], [0, 0]])


# --- fitters --------------------------------------------------------------------------------------

def test_fit_identity_and_colour_map() -> None:
    produced = [G([[1, 2]]), G([[2, 2, 1]])]
    assert fitters.fit_identity(produced, produced).name == "id"
    assert fitters.fit_identity(produced, [G([[1, 3]]), G([[3, 3, 1]])]) is None
    step = fitters.fit_colour_map(produced, [G([[1, 3]]), G([[3, 3, 1]])])
    assert step.name == "colour_map(2->3)" and eq(step(G([[2, 5]])), [[3, 5]])
    assert fitters.fit_colour_map(produced, [G([[1, 3]]), G([[4, 4, 1]])]) is None  # 2 -> 3 and 2 -> 4
    assert fitters.fit_colour_map(produced, [G([[1]]), G([[3, 3, 1]])]) is None  # wrong size


def test_fit_constant_tile_scale() -> None:
    out = G([[1, 2]])
    assert eq(fitters.fit_constant([G([[0]]), G([[5]])], [out, out])(G([[9]])), out)
    assert fitters.fit_constant([G([[0]]), G([[5]])], [out, G([[1, 1]])]) is None
    produced = [G([[1, 2]]), G([[3]])]
    tiled = fitters.fit_tile(produced, [G([[1, 2, 1, 2]]), G([[3, 3]])])
    assert tiled is not None and eq(tiled(G([[4, 5]])), [[4, 5, 4, 5]])
    scaled = fitters.fit_scale(produced, [G([[1, 1, 2, 2]]), G([[3, 3]])])
    assert scaled is not None and eq(scaled(G([[4, 5]])), [[4, 4, 5, 5]])
    assert fitters.fit_scale(produced, [G([[1, 2, 1, 2]]), G([[3, 3]])]) is None


def test_fit_blocks_paints_a_learned_block_per_cell() -> None:
    def plus(colour: int) -> list[list[int]]:
        return [[0, colour], [colour, colour]]

    def blocks(grid: np.ndarray) -> np.ndarray:   # each cell -> its 2x2 block, 0 -> all 0
        out = np.zeros((grid.shape[0] * 2, grid.shape[1] * 2), np.uint8)
        for (r, c), v in np.ndenumerate(grid):
            out[r * 2:r * 2 + 2, c * 2:c * 2 + 2] = plus(int(v)) if v else 0
        return out

    produced = [G([[1, 0], [0, 0]]), G([[0, 2, 0], [0, 0, 0]]), G([[3, 0], [0, 0]])]
    step = fitters.fit_blocks(produced, [blocks(p) for p in produced])
    assert step is not None and step.name == "blocks_to(2,2, shape)"
    unseen = G([[7, 0], [0, 1]])                          # 7 was never in a demonstration: the shared shape
    assert eq(step(unseen), blocks(unseen))
    per_colour = [G([[1, 0], [0, 1]]), G([[2, 0], [2, 0]])]
    one, two = [[1, 1], [0, 0]], [[0, 2], [2, 0]]        # two shapes: a table, not one shape for all colours

    def tabled(grid: np.ndarray) -> np.ndarray:
        out = np.zeros((grid.shape[0] * 2, grid.shape[1] * 2), np.uint8)
        for (r, c), v in np.ndenumerate(grid):
            out[r * 2:r * 2 + 2, c * 2:c * 2 + 2] = {0: 0, 1: one, 2: two}[int(v)]
        return out

    table = fitters.fit_blocks(per_colour, [tabled(p) for p in per_colour])
    assert table is not None and table.name == "blocks_to(2,2, table)" and table(G([[5, 0], [0, 0]])) is None
    assert fitters.fit_blocks(produced, [np.repeat(np.repeat(p, 2, 0), 2, 1) for p in produced]) is None  # scaling
    tiny = [G([[1]]), G([[2]])]                            # a block larger than the picture: memorising
    assert fitters.fit_blocks(tiny, [tabled(G([[1, 0], [0, 0]])), tabled(G([[2, 2], [0, 0]]))]) is None


def test_fit_lookup_by_a_feature_of_the_produced_grid() -> None:
    one, two = G([[5, 5]]), G([[7, 0]])
    produced = [G([[1, 0]]), G([[1, 2]]), G([[3, 0]]), G([[3, 4]])]  # 1, 2, 1, 2 colours
    outputs = [one, two, one, two]
    step = fitters.fit_lookup(produced, outputs)
    assert step is not None and step.name == "lookup(n_colours)"
    assert eq(step(G([[6, 0]])), one) and eq(step(G([[6, 8]])), two)
    assert step(G([[1, 2], [3, 0]])) is None  # three colours: no demonstration had that
    assert fitters.fit_lookup(produced[:3], [one, two, G([[1]])]) is None  # one output per key: no rule


def test_every_primitive_returns_a_valid_grid_or_none_and_never_writes_its_input() -> None:
    rng = np.random.default_rng(3)
    grids = [rng.integers(0, 4, size=shape).astype(np.uint8) for shape in [(1, 1), (2, 3), (6, 6), (9, 4), (30, 30)]]
    grids.append(SEP)
    ctx = TaskContext((SEP, G([[0, 0], [1, 2]])), (G([[2, 0], [0, 0]]), G([[0, 0, 1, 1], [1, 2, 1, 2]])), (grids[2],))
    prims = geometry.geometry_family(ctx) + colour.colour_family(ctx) + parts.parts_family(ctx)
    assert len({p.name for p in prims}) == len(prims)  # names are unique: they are the program text
    for prim in prims:
        for g in grids:
            before = g.copy()
            out = prim(g)
            assert np.array_equal(g, before), f"{prim.name} wrote into its input"
            if out is not None:
                assert out.dtype == np.uint8 and out.ndim == 2, prim.name
                assert 1 <= out.shape[0] <= 30 and 1 <= out.shape[1] <= 30, (prim.name, out.shape)
                assert int(out.max()) <= 9, prim.name
