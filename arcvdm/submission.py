"""Kaggle ARC Prize submissions: write, read (validated) and score.

Format: ``{task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}`` with one entry per test input,
in order; every task id present; both keys always present.

Scores: the ARC Prize rule is primary: per task, (test outputs solved by either attempt) / (test
outputs), averaged over tasks. The per-output average (every test output weighs the same) is
reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from arcvdm.errors import TaskFormatError
from arcvdm.grids import Grid, as_grid, grids_equal, to_list
from arcvdm.jsonio import read_json, write_json_atomic
from arcvdm.tasks import Task, shown_id

Submission = dict[str, list[dict[str, Grid]]]


def entry(attempt_1: Grid, attempt_2: Grid) -> dict[str, Grid]:
    return {"attempt_1": attempt_1, "attempt_2": attempt_2}


def fallback_entries(task: Task) -> list[dict[str, Grid]]:
    """Entries for a task that could not be solved: each test input, twice (keeps the file valid).

    An input that is not a grid (an RGB image of an image task) gives an all-background (zero) answer of
    its height and width instead, so the submission stays a file of grids."""
    entries = []
    for ex in task.test:
        answer = ex.input if np.ndim(ex.input) == 2 else np.zeros(np.shape(ex.input)[:2], dtype=np.uint8)
        entries.append(entry(answer, answer))
    return entries


def write_submission(submission: Submission, path: Path) -> None:
    data = {tid: [{k: to_list(g) for k, g in e.items()} for e in entries] for tid, entries in submission.items()}
    write_json_atomic(path, data)


def read_submission(path: Path) -> Submission:
    """Read and validate a submission file; errors name the task, the entry and the rule."""
    data = read_json(path, "submission", TaskFormatError)
    if not isinstance(data, dict):
        raise TaskFormatError(f"{path}: a submission must be an object {{task_id: [entries]}}")
    out: Submission = {}
    for tid, entries in data.items():
        if not isinstance(entries, list) or not entries:
            raise TaskFormatError(f"{path}: task {shown_id(tid)}: expected a non-empty list of attempt entries")
        out[tid] = []
        for i, e in enumerate(entries):
            if not isinstance(e, dict) or "attempt_1" not in e or "attempt_2" not in e:
                raise TaskFormatError(f"{path}: task {shown_id(tid)}, entry {i}: needs both 'attempt_1' and 'attempt_2'")
            out[tid].append({k: as_grid(e[k], f"{path}: task {shown_id(tid)}, entry {i}, {k}") for k in ("attempt_1", "attempt_2")})
    return out


@dataclass
class Score:
    arc_prize: float                  # mean over tasks of (solved outputs / outputs)
    per_output: float                 # solved outputs / all outputs
    tasks: int
    outputs: int
    solved_outputs: int
    per_task: dict[str, list[bool]] = field(default_factory=dict)
    unread: list[tuple[str, str]] = field(default_factory=list)  # answer files that could not be read: not scored

    def line(self) -> str:
        return (
            f"ARC Prize score {self.arc_prize:.2%} over {self.tasks} tasks; "
            f"per-output {self.per_output:.2%} ({self.solved_outputs}/{self.outputs} test outputs)"
        )


def answers_from_tasks(tasks: list[Task]) -> dict[str, list[Grid]]:
    """The known test outputs of tasks; a task without them is an error naming it."""
    answers = {}
    for task in tasks:
        if not task.has_solutions:
            raise TaskFormatError(f"{task.source}: task {task.id} has no test outputs to score against")
        answers[task.id] = [ex.output for ex in task.test]
    return answers


def load_answers(spec: str, failures: list[tuple[str, str]] | None = None) -> dict[str, list[Grid]]:
    """Answers from a Kaggle solutions file ``{task_id: [grid, ...]}``, a dataset name, or task files (one task
    file, a directory of them, or a challenges file with its outputs).

    A bad task file in a directory raises, unless ``failures`` is given: then it is appended there
    (task id, reason) and the good files still give answers.
    """
    from arcvdm.sources import load_tasks

    path = Path(spec)
    if path.is_file():
        data = read_json(path, "solutions file", TaskFormatError)
        one_task = isinstance(data, dict) and ("train" in data or "test" in data)  # the rule of tasks.load_file
        if isinstance(data, dict) and data and not one_task and all(isinstance(v, list) for v in data.values()):
            return {
                tid: [as_grid(g, f"{path}: task {tid}, solution {i}") for i, g in enumerate(grids)]
                for tid, grids in data.items()
            }
    loaded = load_tasks(spec)
    if loaded.failures and (failures is None or not loaded.tasks):
        raise TaskFormatError(loaded.failures[0][1])
    if failures is not None:
        failures.extend(loaded.failures)
    return answers_from_tasks(loaded.tasks)


def check_matches(submission: Submission, answers: dict[str, list[Grid]], sub_name: str, answers_name: str,
                  unread: set[str] = frozenset()) -> None:
    """A submission scored by a user must answer exactly the tasks of the solutions, one entry per output."""
    missing = [tid for tid in answers if tid not in submission]
    if missing:
        raise TaskFormatError(f"{sub_name}: lacks {len(missing)} task(s) of {answers_name}: {_ids(missing)}")
    extra = [tid for tid in submission if tid not in answers and tid not in unread]
    if extra:
        raise TaskFormatError(f"{sub_name}: has {len(extra)} task(s) that {answers_name} does not: {_ids(extra)}")
    for tid, outputs in answers.items():
        if len(submission[tid]) != len(outputs):
            raise TaskFormatError(
                f"{sub_name}: task {shown_id(tid)} has {len(submission[tid])} attempt entries but "
                f"{len(outputs)} test output(s) in {answers_name}; one entry per test input, in order"
            )


def _ids(ids: list[str]) -> str:
    return ", ".join(shown_id(t) for t in ids[:5]) + (", ..." if len(ids) > 5 else "")


def score(submission: Submission, answers: dict[str, list[Grid]]) -> Score:
    """Score a submission against known answers. A missing task or entry scores 0 for it."""
    per_task: dict[str, list[bool]] = {}
    for task_id, outputs in answers.items():
        entries = submission.get(task_id, [])
        solved = []
        for i, truth in enumerate(outputs):
            e = entries[i] if i < len(entries) else {}
            solved.append(grids_equal(e.get("attempt_1"), truth) or grids_equal(e.get("attempt_2"), truth))
        per_task[task_id] = solved
    outputs = sum(len(s) for s in per_task.values())
    solved_outputs = sum(sum(s) for s in per_task.values())
    return Score(arc_prize(per_task), solved_outputs / max(1, outputs), len(per_task), outputs, solved_outputs, per_task)


def arc_prize(per_task: dict[str, list[bool]]) -> float:
    """The ARC Prize rule, the one definition: per task, solved test outputs / test outputs; mean over tasks."""
    return sum(sum(s) / len(s) for s in per_task.values() if s) / max(1, len(per_task))
