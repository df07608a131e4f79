"""The solver end to end on the toy Wan2.2 backbone, and the vote that turns samples into two attempts.

Contracts: two attempts per test input; deterministic for a seed; no leakage (a task with its test
outputs removed gives bit-identical attempts); attempt_1 != attempt_2 whenever two distinct
candidates exist; ties broken by score, then by a stable key.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from arcvdm.grids import grid_key
from arcvdm.jobs import resolve_config
from arcvdm.solve import Solver, TaskResult
from arcvdm.solve import TestPrediction as Prediction  # not collected as a test class
from arcvdm.tasks import Example, Task
from arcvdm.vote import Candidate, two_attempts, vote

TINY = ["train.steps=2", "sample.num_steps=1", "sample.num_samples=2", "views.num_views=2"]


def _g(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


# "Move the coloured cell one step right". The test outputs are deliberately 4x4 (larger than any
# grid the solver may see), so a layout or a frame that read them would differ.
TASK = Task(
    "tiny0001",
    train=(
        Example(_g([[1, 0], [0, 0]]), _g([[0, 1], [0, 0]])),
        Example(_g([[0, 0], [2, 0]]), _g([[0, 0], [0, 2]])),
    ),
    test=(
        Example(_g([[3, 0], [0, 0]]), np.full((4, 4), 3, dtype=np.uint8)),
        Example(_g([[0, 0], [4, 0]]), np.full((4, 4), 4, dtype=np.uint8)),
    ),
)


@pytest.fixture(scope="module")
def solver() -> Solver:
    return Solver(resolve_config("toy", TINY))


@pytest.fixture(scope="module")
def result(solver: Solver) -> TaskResult:
    return solver.solve(TASK, progress=False)


def _same(a: TaskResult, b: TaskResult) -> None:
    """Bit-identical attempts and candidates (grids, votes, scores, views)."""
    assert len(a.predictions) == len(b.predictions)
    for pa, pb in zip(a.predictions, b.predictions):
        assert grid_key(pa.attempt_1) == grid_key(pb.attempt_1)
        assert grid_key(pa.attempt_2) == grid_key(pb.attempt_2)
        assert [(grid_key(c.grid), c.votes, c.score, c.views) for c in pa.candidates] == [
            (grid_key(c.grid), c.votes, c.score, c.views) for c in pb.candidates
        ]


def test_two_attempts_per_test_input(solver: Solver, result: TaskResult) -> None:
    cfg = solver.config
    assert result.task_id == TASK.id
    assert len(result.predictions) == len(TASK.test)
    for pred in result.predictions:
        for attempt in (pred.attempt_1, pred.attempt_2):
            assert attempt.dtype == np.uint8 and attempt.ndim == 2
            assert 1 <= min(attempt.shape) and max(attempt.shape) <= 30 and attempt.max() <= 9
        # Every sample of every view voted (the grid encoder always reads a grid).
        assert sum(c.votes for c in pred.candidates) == cfg.views.num_views * cfg.sample.num_samples
        assert grid_key(pred.attempt_1) == grid_key(pred.candidates[0].grid)
        if len(pred.candidates) > 1:
            assert grid_key(pred.attempt_2) == grid_key(pred.candidates[1].grid)
            assert grid_key(pred.attempt_1) != grid_key(pred.attempt_2)
    assert len(result.losses) == cfg.train.steps
    assert len(result.views) == cfg.views.num_views and result.views[0].startswith("d8=0 colours=0123456789")


def test_solve_leaves_no_adapter_behind(solver: Solver, result: TaskResult) -> None:
    assert not getattr(solver.backbone.denoiser, "peft_config", None)
    assert not any(p.requires_grad for p in solver.backbone.denoiser.parameters())


def test_solve_is_deterministic_for_a_seed(solver: Solver, result: TaskResult) -> None:
    torch.manual_seed(12345)  # any other state of torch's global RNG must not matter
    again = solver.solve(TASK, progress=False)
    assert again.losses == result.losses
    _same(again, result)


def test_no_leakage_test_outputs_change_nothing(solver: Solver, result: TaskResult) -> None:
    """Solving with and without the test outputs gives bit-identical attempts, candidates and layout."""
    assert TASK.has_solutions
    torch.manual_seed(999)  # a different global RNG state than for ``result``: must not matter either
    without = solver.solve(TASK.public(), progress=False)
    assert result.layout == without.layout
    assert result.layout["rows"] >= 2
    assert result.views == without.views
    assert result.losses == without.losses
    _same(result, without)


def test_prepare_never_shows_a_test_output(solver: Solver) -> None:
    prep = solver.prepare(TASK.public())
    assert all(ex.output is None for vt in prep.viewed for ex in vt.test)
    # One training clip per demonstration per view.
    assert len(prep.videos) == len(TASK.train) * solver.config.views.num_views


def test_task_result_json_round_trip(result: TaskResult) -> None:
    data = json.loads(json.dumps(result.to_json()))
    back = TaskResult.from_json(data)
    assert back.to_json() == result.to_json()
    _same(back, result)
    assert back.predictions[0].attempt_1.dtype == np.uint8


def test_task_result_json_round_trip_literal() -> None:
    a, b = _g([[1, 2], [3, 4]]), _g([[0]])
    res = TaskResult(
        "lit00001",
        [Prediction(a, b, [Candidate(a, 3, 0.75, [0, 1, 1]), Candidate(b, 1, 0.5, [2])])],
        losses=[1.5, 0.25],
        train_seconds=2.0,
        seconds=3.5,
        views=["d8=0 colours=0123456789 order=as-is"],
        layout={"height": 64, "width": 64, "cell": 8, "line": 0, "rows": 8, "cols": 8},
        error=None,
    )
    back = TaskResult.from_json(json.loads(json.dumps(res.to_json())))
    assert back.task_id == "lit00001" and back.losses == [1.5, 0.25] and back.layout == res.layout
    np.testing.assert_array_equal(back.predictions[0].attempt_1, a)
    np.testing.assert_array_equal(back.predictions[0].attempt_2, b)
    c = back.predictions[0].candidates[0]
    assert (c.votes, c.score, c.views) == (3, 0.75, [0, 1, 1])


# -- vote --------------------------------------------------------------------------------

A, B, C = _g([[1]]), _g([[2]]), _g([[1, 1]])


def _ranked(cands: list[Candidate]) -> list[tuple]:
    return [(grid_key(c.grid), c.votes, c.score) for c in cands]


def test_most_votes_win() -> None:
    cands = vote([(B, 0.75, 0), (A, 0.25, 0), (A, 0.5, 1)])
    assert [grid_key(c.grid) for c in cands] == [grid_key(A), grid_key(B)]
    assert cands[0].votes == 2 and cands[0].score == pytest.approx(0.375) and cands[0].views == [0, 1]


def test_ties_on_votes_break_by_score() -> None:
    cands = vote([(A, 0.25, 0), (B, 0.75, 1)])
    assert grid_key(cands[0].grid) == grid_key(B)


def test_ties_on_votes_and_score_break_by_a_stable_key() -> None:
    """Equal votes and scores: the smaller (height, width, bytes) comes first, whatever the input order."""
    preds = [(B, 0.5, 0), (C, 0.5, 1), (A, 0.5, 2)]
    orders = [_ranked(vote(list(p))) for p in itertools.permutations(preds)]
    assert all(o == orders[0] for o in orders)
    assert [k for k, _, _ in orders[0]] == [grid_key(A), grid_key(B), grid_key(C)]


def test_two_attempts_are_distinct_when_two_candidates_exist() -> None:
    first, second = two_attempts(vote([(A, 0.5, 0), (A, 0.5, 0), (B, 0.5, 1)]), fallback=C)
    assert grid_key(first) == grid_key(A) and grid_key(second) == grid_key(B)


def test_two_attempts_with_one_or_no_candidate() -> None:
    first, second = two_attempts(vote([(A, 0.5, 0), (A, 0.25, 1)]), fallback=C)
    assert grid_key(first) == grid_key(second) == grid_key(A)
    first, second = two_attempts([], fallback=C)
    assert grid_key(first) == grid_key(second) == grid_key(C)


small_grids = st.sampled_from([A, B, C, _g([[0, 1], [1, 0]]), _g([[1], [1]])])
predictions = st.lists(
    st.tuples(small_grids, st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.integers(0, 3)), max_size=12
)


@settings(max_examples=200, deadline=None)
@given(preds=predictions, seed=st.integers(0, 1000))
def test_vote_properties(preds, seed: int) -> None:
    cands = vote(preds)
    distinct = {grid_key(g) for g, _, _ in preds}
    assert {grid_key(c.grid) for c in cands} == distinct
    assert sum(c.votes for c in cands) == len(preds)
    # Ranked by votes, then score, then key.
    keys = [(-c.votes, -c.score, grid_key(c.grid)) for c in cands]
    assert keys == sorted(keys)
    # Deterministic: the same predictions in another order give the same ranking.
    shuffled = list(preds)
    np.random.default_rng(seed).shuffle(shuffled)
    assert _ranked(vote(shuffled)) == _ranked(cands)
    first, second = two_attempts(cands, fallback=A)
    if len(distinct) >= 2:
        assert grid_key(first) != grid_key(second)
