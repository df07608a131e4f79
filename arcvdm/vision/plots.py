"""Pictures of image tasks: input, target and prediction side by side, and a run's debugging pictures.

One row per example. A demonstration row shows the image and its target; a test row the image, the
true target (when known) and, with a run's result, attempt 1 (the average over samples) and attempt 2
(the most voted single sample), each titled with its mIoU or PCK. Masks are drawn in the ARC palette
(class c = ARC colour c); keypoints as numbered dots in ARC colour k + 1 over the image.

``show_task`` is the library side of ``arcvdm show`` on an image task; ``plot_run_task`` writes a solved
task's pictures (task, loss curve, a training clip, the first generated sample) like the ARC plots do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from arcvdm.errors import ArcvdmError, ConfigError
from arcvdm.palette import CLASS_RGB, hex_colour
from arcvdm.plots.grids import TEXT, blank, draw_frame, panel_figure, save_figure
from arcvdm.vision.metrics import PCK_ALPHA, mask_to_keypoints, mean_iou, pck_counts
from arcvdm.vision.tasks import VisionTask, image_rgb

if TYPE_CHECKING:
    from arcvdm.plots.run import Picture
    from arcvdm.results import TaskResult

PANEL = 2.0   # inches per panel


def draw_image(ax, image: np.ndarray, title: str) -> None:
    """An image (RGB or palette indices), pixel for pixel."""
    draw_frame(ax, image_rgb(image), title)


def draw_mask(ax, mask: np.ndarray, title: str) -> None:
    """A mask in the ARC palette (class c = ARC colour c)."""
    draw_frame(ax, CLASS_RGB[np.clip(np.asarray(mask), 0, len(CLASS_RGB) - 1)], title)


def draw_keypoints(ax, image: np.ndarray, points: list, title: str) -> None:
    """The image with keypoint k as a dot in ARC colour k + 1 (black edge), numbered from 1."""
    draw_image(ax, image, title)
    for k, p in enumerate(points):
        if p is None:
            continue
        ax.scatter([p[1] + 0.5], [p[0] + 0.5], s=60, c=hex_colour(k + 1), edgecolors="white", linewidths=1.2, zorder=3)
        ax.text(p[1] + 0.5, p[0] + 0.5, str(k + 1), fontsize=6, ha="center", va="center", color="black", zorder=4)


def answer_metric(task: VisionTask, answer: np.ndarray, truth: Any) -> str:
    """'mIoU 0.83' or 'PCK 5/7' for one answer against a known truth ('' when the truth is unknown)."""
    if truth is None:
        return ""
    if task.kind == "segmentation":
        return f"mIoU {mean_iou(answer, truth, len(task.labels)):.2f}"
    found, visible = pck_counts(mask_to_keypoints(answer, len(task.labels)), truth, PCK_ALPHA)
    return f"PCK@{PCK_ALPHA:g} {found}/{visible}"


def _draw_target(ax, task: VisionTask, image: np.ndarray, target: Any, title: str) -> None:
    if task.kind == "segmentation":
        draw_mask(ax, target, title)
    else:
        draw_keypoints(ax, image, list(target), title)


def _draw_answer(ax, task: VisionTask, image: np.ndarray, answer: np.ndarray, title: str) -> None:
    if task.kind == "segmentation":
        draw_mask(ax, answer, title)
    else:
        draw_keypoints(ax, image, mask_to_keypoints(answer, len(task.labels)), title)


def plot_vision_task(task: VisionTask, result: "TaskResult | None" = None) -> Figure:
    """Demonstrations (image, target) and test inputs (image, truth, attempts with their metric)."""
    if result is not None and len(result.predictions) != len(task.test):
        raise ArcvdmError(f"task {task.id}: the result holds {len(result.predictions)} prediction(s) but the task has "
                          f"{len(task.test)} test input(s); is it the same task?")
    ncols = 2 if result is None else 4
    rows = len(task.train) + len(task.test)
    panels = panel_figure(rows, ncols, panel=PANEL, left=0.8, top=0.45, min_width=4.8)
    fig, axes = panels.figure, panels.axes
    target = "mask" if task.kind == "segmentation" else "keypoints"
    fig.suptitle(f"task {task.id} ({task.kind}): image, {target}" + (", attempts" if result else ""), x=0.01,
                 y=1.0 - 0.1 / fig.get_figheight(), ha="left", va="top", fontsize=11, color=TEXT)
    for r in range(rows):
        label = f"demo {r + 1}" if r < len(task.train) else f"test {r - len(task.train) + 1}"
        axes[r, 0].text(-0.08, 0.5, label, transform=axes[r, 0].transAxes, ha="right", va="center", fontsize=10, color=TEXT)
    for i, ex in enumerate(task.train):
        draw_image(axes[i, 0], ex.input, "image")
        _draw_target(axes[i, 1], task, ex.input, ex.output, target)
        for c in range(2, ncols):
            blank(axes[i, c])
    for j, ex in enumerate(task.test):
        r = len(task.train) + j
        draw_image(axes[r, 0], ex.input, "test image")
        if ex.output is not None:
            _draw_target(axes[r, 1], task, ex.input, ex.output, f"true {target}")
        else:
            blank(axes[r, 1], f"{target} unknown")
        if result is None:
            continue
        pred = result.predictions[j]
        for c, (name, answer) in enumerate((("attempt 1 (average)", pred.attempt_1), ("attempt 2", pred.attempt_2)), start=2):
            metric = answer_metric(task, answer, ex.output)
            _draw_answer(axes[r, c], task, ex.input, answer, f"{name}\n{metric}" if metric else name)
    return fig


def show_task(source: str, task_id: str | None = None, run_dir: Path | None = None, out: Path | None = None,
              solutions: str | None = None) -> Path:
    """Draw one image task (and, with ``run_dir``, its attempts from that run) to ``out`` (default <id>.png)."""
    from arcvdm.plots.task import show_task as show_any_task

    return show_any_task(source, task_id, run_dir, out, solutions, draw=plot_vision_task)


def task_pictures(run_dir: Path, task_id: str, task: VisionTask | None = None, gifs: bool = True) -> list["Picture"]:
    """A solved image task's pictures: the task with its attempts, the loss curve, a training clip and the
    first generated sample (frames shown as the backbone saw them)."""
    from arcvdm.plots.run import Picture, load_run_config, load_task_result
    from arcvdm.plots.training import plot_losses
    from arcvdm.plots.videos import frame_roles, gif_bytes, plot_strip
    from arcvdm.runs import RunDir

    result = load_task_result(run_dir, task_id)
    artifacts = RunDir(Path(run_dir)).load_artifacts(task_id)
    video_cfg = load_run_config(run_dir).get("video")
    pictures = []
    if task is not None and len(task.test) == len(result.predictions):
        pictures.append(Picture("task", "images, targets and the two attempts (input, target, prediction)",
                                plot_vision_task(task, result)))
    if result.losses:
        pictures.append(Picture("losses", "LoRA loss per training step",
                                plot_losses(result.losses, f"task {task_id}: LoRA training loss", result.train_seconds)))
    for name, caption, generated in (("train_clip", "one training clip, frame by frame", False),
                                     ("test0_video", "test 1: the first generated sample (view 0)", True)):
        frames = artifacts.get(name)
        if frames is None:
            continue
        labels = frame_roles(len(frames), video_cfg, generated=generated)
        pictures.append(Picture(name, caption, plot_strip(frames, f"task {task_id}: {caption}", labels)))
        if gifs:
            pictures.append(Picture(name, caption + ", animated", gif=gif_bytes(frames)))
    return pictures


def plot_run_task(run_dir: Path, task_id: str, out_dir: Path, task: VisionTask | None = None, fmt: str = "png",
                  gifs: bool = True) -> list[Path]:
    """Write a solved image task's pictures to ``out_dir`` (figures as ``fmt``, animations as .gif)."""
    if fmt not in ("png", "svg"):
        raise ConfigError(f"plot format must be png or svg, got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for pic in task_pictures(run_dir, task_id, task, gifs):
        if pic.figure is not None:
            written.append(save_figure(pic.figure, out_dir / f"{pic.name}.{fmt}"))
        if pic.gif is not None:
            path = out_dir / f"{pic.name}.gif"
            path.write_bytes(pic.gif)
            written.append(path)
    return written
