"""Views: apply/invert round trips, task transforms, and the views a seed draws."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from arcvdm.errors import ConfigError
from arcvdm.tasks import Example, Task
from arcvdm.views import View, apply_grid, apply_task, invert_grid, make_views

# An asymmetric grid: no rotation or mirror maps it onto itself.
ASYMMETRIC = np.array(
    [
        [1, 2, 0],
        [0, 3, 0],
        [0, 0, 0],
        [4, 0, 0],
    ],
    dtype=np.uint8,
)


def _g(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


TASK = Task(
    "views",
    train=(
        Example(_g([[1, 0]]), _g([[0, 1]])),
        Example(_g([[2, 0], [0, 0]]), _g([[0, 2], [0, 0]])),
        Example(_g([[3]]), _g([[3, 3]])),
    ),
    test=(
        Example(_g([[4, 0, 0]]), None),
        Example(_g([[5], [0]]), _g([[0], [5]])),
    ),
)


@st.composite
def views(draw) -> View:
    colours = tuple(draw(st.permutations(range(10))))
    return View(draw(st.integers(0, 7)), colours)


grids = st.tuples(st.integers(1, 30), st.integers(1, 30)).flatmap(
    lambda shape: arrays(np.uint8, shape, elements=st.integers(0, 9))
)


@settings(max_examples=200, deadline=None)
@given(view=views(), grid=grids)
def test_invert_undoes_apply(view: View, grid: np.ndarray) -> None:
    out = apply_grid(view, grid)
    back = invert_grid(view, out)
    assert back.dtype == np.uint8
    np.testing.assert_array_equal(back, grid)
    assert np.array_equal(grid, grid.copy())  # the input was not written into


@settings(max_examples=100, deadline=None)
@given(view=views(), grid=grids)
def test_apply_keeps_the_colour_histogram_up_to_the_permutation(view: View, grid: np.ndarray) -> None:
    out = apply_grid(view, grid)
    assert sorted(out.shape) == sorted(grid.shape)
    for c in range(10):
        assert int((out == view.colours[c]).sum()) == int((grid == c).sum())


def test_d8_indices_mean_what_the_docstring_says() -> None:
    g = ASYMMETRIC
    np.testing.assert_array_equal(apply_grid(View(d8=1), g), np.rot90(g, 1))
    np.testing.assert_array_equal(apply_grid(View(d8=2), g), np.rot90(g, 2))
    np.testing.assert_array_equal(apply_grid(View(d8=4), g), g[:, ::-1])
    np.testing.assert_array_equal(apply_grid(View(d8=5), g), np.rot90(g, 1)[:, ::-1])


def test_d8_gives_eight_distinct_transforms_of_an_asymmetric_grid() -> None:
    outs = [apply_grid(View(d8=i), ASYMMETRIC) for i in range(8)]
    assert len({(o.shape, o.tobytes()) for o in outs}) == 8


def test_colour_permutation_maps_old_to_new() -> None:
    view = View(colours=(0, 2, 1, 3, 4, 5, 6, 7, 8, 9))
    np.testing.assert_array_equal(apply_grid(view, _g([[1, 2, 0]])), _g([[2, 1, 0]]))


@pytest.mark.parametrize("bad", [dict(d8=8), dict(d8=-1), dict(colours=(0, 0, 1, 2, 3, 4, 5, 6, 7, 8)), dict(colours=(0, 1))])
def test_invalid_views_are_refused(bad: dict) -> None:
    with pytest.raises(ConfigError):
        View(**bad)


# -- tasks -------------------------------------------------------------------------------


def test_apply_task_reorders_demonstrations_and_transforms_every_grid() -> None:
    view = View(d8=1, colours=(0, 9, 8, 7, 6, 5, 4, 3, 2, 1), order=(2, 0, 1))
    out = apply_task(view, TASK)
    assert out.id == TASK.id
    assert len(out.train) == 3 and len(out.test) == 2
    for new, old_index in zip(out.train, view.order):
        old = TASK.train[old_index]
        np.testing.assert_array_equal(new.input, apply_grid(view, old.input))
        np.testing.assert_array_equal(new.output, apply_grid(view, old.output))
    # Test inputs keep their order; an unknown test output stays None, a known one is transformed.
    np.testing.assert_array_equal(out.test[0].input, apply_grid(view, TASK.test[0].input))
    assert out.test[0].output is None
    np.testing.assert_array_equal(out.test[1].output, apply_grid(view, TASK.test[1].output))
    # The original task is unchanged.
    np.testing.assert_array_equal(TASK.train[0].input, _g([[1, 0]]))


def test_apply_task_on_a_public_task_keeps_every_test_output_none() -> None:
    out = apply_task(View(d8=3, order=(1, 2, 0)), TASK.public())
    assert all(ex.output is None for ex in out.test)


def test_apply_task_refuses_an_order_that_does_not_fit_the_task() -> None:
    with pytest.raises(ConfigError, match="views"):
        apply_task(View(order=(0, 1)), TASK)


# -- make_views --------------------------------------------------------------------------


def test_make_views_first_is_identity_and_all_distinct() -> None:
    vs = make_views(4, 12, np.random.default_rng(0))
    assert len(vs) == 12
    assert vs[0].is_identity
    assert len(set(vs)) == 12
    for v in vs:
        if v.order is not None:
            assert sorted(v.order) == [0, 1, 2, 3]


def test_make_views_is_deterministic_for_a_seed() -> None:
    a = make_views(3, 8, np.random.default_rng(42))
    b = make_views(3, 8, np.random.default_rng(42))
    c = make_views(3, 8, np.random.default_rng(43))
    assert a == b
    assert a != c


def test_keep_background_keeps_colour_zero_fixed() -> None:
    kept = make_views(3, 30, np.random.default_rng(1), keep_background=True)
    assert all(v.colours[0] == 0 for v in kept)
    moved = make_views(3, 30, np.random.default_rng(1), keep_background=False)
    assert any(v.colours[0] != 0 for v in moved)


def test_disabled_augmentations_stay_off() -> None:
    vs = make_views(3, 6, np.random.default_rng(0), permute_colours=False, shuffle_order=False)
    assert all(v.colours == tuple(range(10)) and v.order is None for v in vs)
    assert len({v.d8 for v in vs}) == 6


def test_asking_for_more_views_than_exist_returns_all_of_them() -> None:
    vs = make_views(1, 20, np.random.default_rng(0), permute_colours=False, shuffle_order=False)
    assert sorted(v.d8 for v in vs) == list(range(8))


def test_make_views_refuses_zero_views() -> None:
    with pytest.raises(ConfigError, match="num_views"):
        make_views(3, 0, np.random.default_rng(0))
