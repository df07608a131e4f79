"""``arcvdm show``: pick one task from a source and draw it, with a run's attempts when a run folder is given.

The picture is the task's encoder's (``Encoder.plot_task``): an ARC task is drawn as grids
(``arcvdm.plots.task``), an image task as images with their masks or keypoints (``arcvdm.vision.plots``).
"""

from __future__ import annotations

from pathlib import Path

from arcvdm.encoders import ENCODERS, ArcGridEncoder, Encoder
from arcvdm.errors import TaskFormatError
from arcvdm.plots.grids import check_format, save_figure
from arcvdm.results import load_task_result
from arcvdm.sources import load_tasks
from arcvdm.tasks import Task, id_file_stem
from arcvdm.vision.tasks import VisionTask


def task_encoder(task: Task) -> type[Encoder]:
    """The encoder that draws a task: an image task's kind names it (segmentation, pose); ARC tasks are grids."""
    return ENCODERS[task.kind] if isinstance(task, VisionTask) else ArcGridEncoder


def pick_task(source: str, task_id: str | None = None, solutions: str | None = None) -> Task:
    """One task from any source ``load_tasks`` accepts (``solutions`` goes with a challenges file);
    ``task_id`` picks one from a multi-task source."""
    loaded = load_tasks(source, solutions)
    if task_id is not None:
        for task in loaded.tasks:
            if task.id == task_id:
                return task
        for failed_id, reason in loaded.failures:
            if failed_id == task_id:
                raise TaskFormatError(reason)
        sample = ", ".join(t.id for t in loaded.tasks[:5])
        raise TaskFormatError(f"{source}: no task {task_id!r} (it holds {len(loaded.tasks)} task(s): {sample}, ...)")
    if len(loaded.tasks) == 1:
        return loaded.tasks[0]
    if not loaded.tasks:
        reason = loaded.failures[0][1] if loaded.failures else "no tasks"
        raise TaskFormatError(f"{source}: no task loaded ({reason})")
    sample = ", ".join(t.id for t in loaded.tasks[:5])
    raise TaskFormatError(
        f"{source}: holds {len(loaded.tasks)} tasks ({sample}{', ...' if len(loaded.tasks) > 5 else ''}); pick one with --task ID"
    )


def show_task(source: str, task_id: str | None = None, run_dir: Path | None = None, out: Path | None = None,
              solutions: str | None = None) -> Path:
    """Draw one task (and, with ``run_dir``, its attempts from that run) to ``out`` (default <id>.png)."""
    task = pick_task(source, task_id, solutions)
    out = Path(out) if out is not None else Path(f"{id_file_stem(task.id)}.png")
    check_format(out)
    result = load_task_result(Path(run_dir), task.id) if run_dir is not None else None
    return save_figure(task_encoder(task).plot_task(task, result), out)
