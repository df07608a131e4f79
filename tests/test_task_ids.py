"""Task ids are data: whatever a challenges file calls a task, no file is written outside the run folder.

A plain id (letters, digits, ``._-``, at most 100 characters, not starting with a dot) names its result
file as it is; any other id is stored under a hashed name, while the submission keeps the original id.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arcvdm.cli import app
from arcvdm.tasks import id_file_stem

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"
TINY = ["--solver", "toy", "--set", "train.steps=1", "--set", "sample.num_steps=1", "-q"]

# (case, id); the absolute path is replaced by one inside the test's temporary folder in the submit test
HOSTILE = [
    ("absolute-path", "/tmp/arcvdm-evil/evil_abs"),
    ("parent-dirs", "../../evil_up"),
    ("sub-folder", "sub/x"),
    ("backslash", "..\\evil"),
    ("empty", ""),
    ("dot", "."),
    ("dot-dot", ".."),
    ("hidden", ".hidden"),
    ("nul-byte", "a\u0000b"),
    ("newline", "line\nbreak"),
    ("escape-sequence", "\u001b[31mred"),
    ("absurd-length", "x" * 5000),
    ("unicode", "задача"),
    ("hashed-lookalike", "id-0123456789abcdef0123"),
]


@pytest.mark.parametrize(("case", "task_id"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_id_maps_to_a_plain_file_name(case: str, task_id: str) -> None:
    stem = id_file_stem(task_id)
    assert stem != task_id
    assert len(stem) <= 100 and stem.isascii() and stem.isprintable()
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")


def test_plain_ids_keep_their_name_and_distinct_ids_stay_distinct() -> None:
    for plain in ("007bbfb7", "task_1", "a.b-c"):
        assert id_file_stem(plain) == plain
    ids = [tid for _, tid in HOSTILE] + ["007bbfb7"]
    assert len({id_file_stem(t) for t in ids}) == len(ids)


def test_submit_with_hostile_ids_writes_only_inside_the_run_folder(tmp_path: Path) -> None:
    task = json.loads((DATA / "d037b0a7.json").read_text())
    task = {"train": task["train"], "test": [{"input": t["input"]} for t in task["test"]]}
    work = tmp_path / "work"
    work.mkdir()
    evil_abs = str(tmp_path / "outside" / "evil_abs")
    ids = [evil_abs if t.startswith("/") else t for _, t in HOSTILE]
    challenges = work / "challenges.json"
    challenges.write_text(json.dumps({tid: task for tid in ids}))
    sub, run = work / "submission.json", work / "run"

    result = CliRunner().invoke(app, ["submit", str(challenges), "-o", str(sub), "--out", str(run), *TINY])
    assert result.exit_code == 0, result.output

    # Nothing outside the working folder; inside it, only the inputs, the submission and the run folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert sorted(p.name for p in work.iterdir()) == ["challenges.json", "run", "submission.json"]
    results = sorted((run / "results").glob("*.json"))
    assert len(results) == len(ids)
    assert all(p.parent == run / "results" for p in run.rglob("*.json") if p.name not in ("config.json", "summary.json"))
    # The submission keeps every original id; each result file records its own id.
    assert sorted(json.loads(sub.read_text())) == sorted(ids)
    assert sorted(json.loads(p.read_text())["task_id"] for p in results) == sorted(ids)
    # A rerun resumes every task, hashed names included.
    again = CliRunner().invoke(app, ["submit", str(challenges), "-o", str(sub), "--out", str(run), *TINY])
    assert again.exit_code == 0, again.output
    assert f"{len(ids)} task(s) already finished, 0 to go" in (run / "log.txt").read_text()
