"""``arcvdm show``: pick one task from a source and draw it, with a run's attempts when a run folder is given.

The picture is the task's encoder's (``Encoder.plot_task``): an ARC task is drawn as grids
(``arcvdm.plots.task``), an image task as images with their masks or keypoints (``arcvdm.vision.plots``).
"""

from __future__ import annotations

from pathlib import Path

from arcvdm.encoders import ENCODERS, ArcGridEncoder, Encoder
from arcvdm.plots.grids import check_format, save_figure
from arcvdm.results import load_task_result
from arcvdm.sources import pick_task
from arcvdm.tasks import Task, id_file_stem
from arcvdm.vision.tasks import VisionTask


def task_encoder(task: Task) -> type[Encoder]:
    """The encoder that draws a task: an image task's kind names it (segmentation, pose); ARC tasks are grids."""
    return ENCODERS[task.kind] if isinstance(task, VisionTask) else ArcGridEncoder


def show_task(source: str, task_id: str | None = None, run_dir: Path | None = None, out: Path | None = None,
              solutions: str | None = None) -> Path:
    """Draw one task (and, with ``run_dir``, its attempts from that run) to ``out`` (default <id>.png)."""
    return draw_task(pick_task(source, task_id, solutions), run_dir, out)


def draw_task(task: Task, run_dir: Path | None = None, out: Path | None = None) -> Path:
    """Draw ``task`` (and, with ``run_dir``, its attempts from that run) to ``out`` (default <id>.png)."""
    out = Path(out) if out is not None else Path(f"{id_file_stem(task.id)}.png")
    check_format(out)
    result = load_task_result(Path(run_dir), task.id) if run_dir is not None else None
    return save_figure(task_encoder(task).plot_task(task, result), out)
