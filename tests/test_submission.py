"""Kaggle submissions: write/read round trip, validation, and the two scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from arcvdm.errors import TaskFormatError
from arcvdm.submission import entry, load_answers, read_submission, score, write_submission


def _g(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


RIGHT_A, WRONG = _g([[1, 2], [3, 4]]), _g([[0]])
RIGHT_B0, RIGHT_B1 = _g([[5, 5, 5]]), _g([[6], [7]])

# Task A: one test output, solved. Task B: two test outputs, one solved (by attempt_2).
ANSWERS = {"aaaaaaaa": [RIGHT_A], "bbbbbbbb": [RIGHT_B0, RIGHT_B1]}
SUBMISSION = {
    "aaaaaaaa": [entry(RIGHT_A, WRONG)],
    "bbbbbbbb": [entry(WRONG, RIGHT_B0), entry(WRONG, WRONG)],
}


def test_write_read_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "submission.json"
    write_submission(SUBMISSION, path)
    raw = json.loads(path.read_text())
    assert raw["bbbbbbbb"][0] == {"attempt_1": [[0]], "attempt_2": [[5, 5, 5]]}
    back = read_submission(path)
    assert list(back) == list(SUBMISSION)
    for tid, entries in SUBMISSION.items():
        assert len(back[tid]) == len(entries)
        for got, want in zip(back[tid], entries):
            assert set(got) == {"attempt_1", "attempt_2"}
            for k in got:
                assert got[k].dtype == np.uint8
                np.testing.assert_array_equal(got[k], want[k])
    assert not [p for p in path.parent.iterdir() if p.name != "submission.json"]  # no temp file left


def test_arc_prize_score_differs_from_per_output_average() -> None:
    s = score(SUBMISSION, ANSWERS)
    assert s.arc_prize == pytest.approx((1 / 1 + 1 / 2) / 2)    # 0.75
    assert s.per_output == pytest.approx(2 / 3)
    assert (s.tasks, s.outputs, s.solved_outputs) == (2, 3, 2)
    assert s.per_task == {"aaaaaaaa": [True], "bbbbbbbb": [True, False]}
    assert "ARC Prize score 75.00%" in s.line() and "2/3" in s.line()


def test_a_missing_task_or_entry_scores_zero() -> None:
    s = score({"aaaaaaaa": SUBMISSION["aaaaaaaa"]}, ANSWERS)
    assert s.per_task["bbbbbbbb"] == [False, False]
    assert s.arc_prize == pytest.approx(0.5) and s.per_output == pytest.approx(1 / 3)
    s = score({"aaaaaaaa": SUBMISSION["aaaaaaaa"], "bbbbbbbb": SUBMISSION["bbbbbbbb"][:1]}, ANSWERS)
    assert s.per_task["bbbbbbbb"] == [True, False]


def test_a_grid_of_the_wrong_shape_does_not_score() -> None:
    """Same cells, other shape: not solved (2x2 of ones vs 1x4 of ones)."""
    truth = {"t": [np.ones((2, 2), dtype=np.uint8)]}
    assert score({"t": [entry(np.ones((1, 4), dtype=np.uint8), WRONG)]}, truth).arc_prize == 0.0


def test_extra_tasks_in_the_submission_do_not_count() -> None:
    sub = dict(SUBMISSION, cccccccc=[entry(WRONG, WRONG)])
    assert score(sub, ANSWERS).tasks == 2


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ({"aaaaaaaa": [{"attempt_1": [[1]], "attempt_2": [[1]]}, {"attempt_1": [[1]]}]},
         ["task aaaaaaaa", "entry 1", "attempt_2"]),
        ({"aaaaaaaa": []}, ["task aaaaaaaa", "non-empty list"]),
        ({"aaaaaaaa": [{"attempt_1": [[1]], "attempt_2": [[10]]}]}, ["task aaaaaaaa", "entry 0", "attempt_2", "0-9"]),
        ([[1]], ["{task_id: [entries]}"]),
        ("{", ["malformed JSON"]),
    ],
)
def test_read_submission_rejects_bad_files_by_name(tmp_path: Path, content, fragments) -> None:
    path = tmp_path / "submission.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(TaskFormatError) as err:
        read_submission(path)
    message = str(err.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_answers_from_a_solutions_file(tmp_path: Path) -> None:
    path = tmp_path / "solutions.json"
    path.write_text(json.dumps({"aaaaaaaa": [[[1, 2], [3, 4]]], "bbbbbbbb": [[[5, 5, 5]], [[6], [7]]]}))
    answers = load_answers(str(path))
    assert score(SUBMISSION, answers).arc_prize == pytest.approx(0.75)


def test_fallback_for_an_image_input_is_a_background_grid_of_its_size() -> None:
    """A failed image task's fallback: its RGB test input is not a grid, so a zero grid of its size stands in."""
    from arcvdm.submission import fallback_entries
    from arcvdm.tasks import Example, Task

    square = np.zeros((4, 4), np.uint8)
    task = Task("rgb0", (Example(square, square),), (Example(np.zeros((5, 6, 3), np.uint8)), Example(np.ones((2, 2), np.uint8))))
    image, grid = fallback_entries(task)
    assert image["attempt_1"].shape == (5, 6) and not image["attempt_1"].any()
    assert grid["attempt_1"].tolist() == [[1, 1], [1, 1]]
