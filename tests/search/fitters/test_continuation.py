"""The ``continue_to_size`` fitter (continuation.py): steps found in a picture, pictures continued by them,
size rules learned per axis, and the cases where it must not apply (literal grids)."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.search.fitters.continuation import (
    _corner,
    apply_rule,
    axis_rule,
    continue_grid,
    downward_step,
    fit_continue,
    pair_continue,
)


def G(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


STAIR = G([[1, 1, 0, 0, 0],
           [0, 1, 1, 0, 0],
           [0, 0, 1, 1, 0]])  # each row is the one above shifted right by one


def test_a_plain_period_is_preferred_to_a_diagonal_shift() -> None:
    checker = G([[0, 2, 0], [2, 0, 2], [0, 2, 0], [2, 0, 2]])
    assert downward_step(checker) == (2, 0)  # (1, 1) also matches but would leave holes at the edge
    assert downward_step(STAIR) == (1, 1)
    assert downward_step(G([[1, 2], [3, 4]])) is None


def test_a_staircase_continues_and_cells_from_outside_get_the_background() -> None:
    got = continue_grid(STAIR, (5, 5))
    assert got is not None
    assert got.tolist() == [[1, 1, 0, 0, 0], [0, 1, 1, 0, 0], [0, 0, 1, 1, 0], [0, 0, 0, 1, 1], [0, 0, 0, 0, 1]]


def test_widening_runs_first_so_new_rows_copy_full_rows() -> None:
    tile = G([[1, 2, 1, 2], [3, 4, 3, 4], [1, 2, 1, 2]])  # period 2 both ways
    got = continue_grid(tile, (5, 6))
    assert got is not None and got.tolist() == np.tile(G([[1, 2], [3, 4]]), (3, 3))[:5, :6].tolist()


def test_continue_grid_refuses_to_shrink_or_stay() -> None:
    assert continue_grid(STAIR, (2, 5)) is None
    assert continue_grid(STAIR, (3, 5)) is None
    assert continue_grid(STAIR, (31, 5)) is None


@pytest.mark.parametrize(
    "produced, outputs, rule",
    [
        ([3, 5], [10, 10], ("const", 10)),
        ([3, 5], [6, 10], ("times", 2)),
        ([3, 5], [4, 6], ("plus", 1)),
        ([3, 5], [4, 7], None),
    ],
)
def test_axis_rules(produced: list[int], outputs: list[int], rule: tuple[str, int] | None) -> None:
    assert axis_rule(produced, outputs) == rule
    if rule is not None:
        assert [apply_rule(rule, p) for p in produced] == outputs


def test_fitter_learns_size_and_continues_a_new_grid() -> None:
    line = G([[0, 3, 0], [0, 3, 0]])
    outputs = [continue_grid(STAIR, (6, 5)), G([[0, 3, 0]] * 6)]
    step = fit_continue([STAIR, line], outputs)
    assert step is not None and step.name == "continue_to(const 6, plus 0)"
    new = G([[5, 0, 0, 0], [0, 5, 0, 0]])
    assert step(new).tolist() == [[5, 0, 0, 0], [0, 5, 0, 0], [0, 0, 5, 0], [0, 0, 0, 5], [0, 0, 0, 0], [0, 0, 0, 0]]


def test_fitter_does_not_apply_when_the_corner_differs_or_nothing_grows() -> None:
    assert fit_continue([STAIR], [STAIR]) is None
    other = continue_grid(STAIR, (5, 5)).copy()
    other[0, 0] = 7
    assert fit_continue([STAIR], [other]) is None
    wrong = continue_grid(STAIR, (5, 5)).copy()
    wrong[4, 4] = 7  # continued, but not by the picture's own step
    assert fit_continue([STAIR], [wrong]) is None


def test_a_picture_in_the_bottom_right_corner_continues_up_and_left() -> None:
    flipped = STAIR[::-1, ::-1]
    outputs = [np.ascontiguousarray(continue_grid(STAIR, (5, 5))[::-1, ::-1])]
    step = fit_continue([flipped], outputs)
    # the width does not grow, so the bottom-left corner (first in order) holds the picture as well
    assert step is not None and step.name.endswith(", from bottom_left)")
    assert np.array_equal(step(flipped), outputs[0])


def test_the_pair_gate_is_the_corner_test_of_one_pair() -> None:
    """``pair_continue`` (the engine's gate) answers as ``_corner`` does for one pair: produced grids placed at
    each corner of a larger output, at no corner, and of every relative size."""
    rng = np.random.default_rng(5)
    answers = []
    for trial in range(400):
        h, w = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        oh, ow = h + int(rng.integers(-1, 3)), w + int(rng.integers(-1, 3))
        if oh < 1 or ow < 1:
            continue
        produced = rng.integers(0, 3, size=(h, w)).astype(np.uint8)
        output = rng.integers(0, 3, size=(oh, ow)).astype(np.uint8)
        if trial % 2 and oh >= h and ow >= w:  # put the produced grid at a random corner
            top, left = (oh - h) * int(rng.integers(2)), (ow - w) * int(rng.integers(2))
            output[top : top + h, left : left + w] = produced
        expected = _corner([produced], [output]) is not None
        assert pair_continue(produced, output) == expected, (produced, output)
        answers.append(expected)
    assert any(answers) and not all(answers)
