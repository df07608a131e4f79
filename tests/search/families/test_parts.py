"""The ``parts`` family: split modes, mask combinations, folds, overlays and picks, on literal grids."""

from __future__ import annotations

import pytest

from arcvdm.search.dsl import TaskContext
from arcvdm.search.families import parts

from training_tasks import eq, grid

SEP = grid([[1, 0, 5, 1, 0],
         [0, 0, 5, 0, 1]])  # two 2x2 parts separated by a column of 5


def test_split_modes() -> None:
    left, right = parts.split(SEP, "sep")
    assert eq(left, [[1, 0], [0, 0]]) and eq(right, [[1, 0], [0, 1]])
    assert [p.shape for p in parts.split(grid([[1, 2, 3, 4]]), "h2")] == [(1, 2), (1, 2)]
    assert [p.shape for p in parts.split(grid([[1], [2], [3]]), "v3")] == [(1, 1)] * 3
    assert [p.tolist() for p in parts.split(grid([[1, 2], [3, 4]]), "q4")] == [[[1]], [[2]], [[3]], [[4]]]
    assert parts.split(grid([[1, 2, 3]]), "h2") is None
    zero_lines = grid([[1, 0, 2], [0, 0, 0], [3, 0, 4]])  # colour 0 only on full lines: a separator
    assert [p.tolist() for p in parts.split(zero_lines, "sep")] == [[[1]], [[2]], [[3]], [[4]]]
    assert parts.split(grid([[1, 2], [3, 4]]), "sep") is None
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
    ctx = TaskContext((SEP,), (grid([[1, 0], [1, 0]]),), (SEP,))
    fold = {p.name: p for p in parts.parts_family(ctx)}["fold(sep, lr)"]
    assert eq(fold(SEP), [[1, 1], [1, 0]])  # [[1, 0], [0, 0]] under the mirrored right part [[0, 1], [1, 0]]


def test_overlay_and_pick() -> None:
    a, b = grid([[1, 0], [0, 0]]), grid([[2, 2], [0, 0]])
    assert eq(parts.overlay([a, b], 0, True), [[2, 2], [0, 0]])
    assert eq(parts.overlay([a, b], 0, False), [[1, 2], [0, 0]])
    c = grid([[3, 3], [3, 4]])
    assert eq(parts.pick([a, b, c], "most_cells", 0), c)
    assert eq(parts.pick([a, b, c], "fewest_cells", 0), a)
    assert eq(parts.pick([a, b, c], "most_colours", 0), c)
    assert parts.pick([a, b], "fewest_colours", 0) is None  # a tie
    assert eq(parts.pick([a, a, b], "unique", 0), b)


def test_summary_of_a_separator_lattice() -> None:
    g = grid([[1, 0, 5, 0, 0],
           [0, 0, 5, 0, 3],
           [5, 5, 5, 5, 5],
           [2, 2, 5, 0, 0]])
    assert eq(parts.summary(g), [[1, 3], [2, 0]])
    assert parts.summary(grid([[1, 2], [3, 4]])) is None


def test_parts_family_offers_only_modes_that_split_every_input() -> None:
    ctx = TaskContext((SEP,), (grid([[2, 0], [0, 0]]),), (SEP,))
    names = [p.name for p in parts.parts_family(ctx)]
    assert "combine(sep, and, 2)" in names
    assert "part(v2, 1)" in names  # two rows split into 1x5 halves
    assert not any("h2" in n for n in names)  # five columns do not split into equal halves
    prim = {p.name: p for p in parts.parts_family(ctx)}["combine(sep, and, 2)"]
    assert eq(prim(SEP), [[2, 0], [0, 0]])



def _separator_reference(g, nonzero_first: bool) -> int | None:
    """``separator_colour``'s rule read literally: every colour of the grid, its full rows and columns."""
    best, best_key = None, None
    for c in sorted(set(g.ravel().tolist())):
        is_c = g == c
        full_rows, full_cols = is_c.all(axis=1), is_c.all(axis=0)
        n = int(full_rows.sum() + full_cols.sum())
        if n == 0:
            continue
        pure = not (is_c & ~(full_rows[:, None] | full_cols[None, :])).any()
        if c == 0 and not pure:
            continue
        key = (pure, c != 0 if nonzero_first else 0, n, -c)
        if best_key is None or key > best_key:
            best, best_key = c, key
    return best


@pytest.mark.parametrize("nonzero_first", [False, True])
def test_separator_colour_follows_its_rule_on_random_lattices(nonzero_first: bool) -> None:
    """Random grids with lines of several colours drawn over them (full, pure, crossing, or a shape that fills
    a line): the fast ``separator_colour`` (only colours that fill a line are scored) picks what the rule does."""
    import numpy as np

    rng = np.random.default_rng(7)
    picked = set()
    for _ in range(400):
        h, w = rng.integers(1, 9, size=2)
        g = rng.choice(rng.integers(0, 10, size=rng.integers(1, 4)), size=(h, w)).astype(np.uint8)
        for _line in range(rng.integers(0, 4)):
            c = int(rng.integers(0, 10))
            if rng.random() < 0.5:
                g[rng.integers(0, h), :] = c
            else:
                g[:, rng.integers(0, w)] = c
        got = parts.separator_colour(g, nonzero_first)
        assert got == _separator_reference(g, nonzero_first), g.tolist()
        picked.add(got)
    assert None in picked and len(picked) > 5  # the sample reaches grids with and without separators
