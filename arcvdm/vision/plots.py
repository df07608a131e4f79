"""The image encoders' task picture: input, target and prediction side by side.

One row per example. A demonstration row shows the image and its target; a test row the image, the
true target (when known) and, with a run's result, attempt 1 (the average over samples) and attempt 2
(the most voted single sample), each titled with its mIoU or PCK. Masks are drawn in the ARC palette
(class c = ARC colour c); keypoints as numbered dots in ARC colour k + 1 over the image.

``plot_vision_task`` is the segmentation and pose encoders' pictures hook (``Encoder.plot_task``):
``arcvdm show``, a run's pictures and the report (``arcvdm.plots``) draw image tasks through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from arcvdm.errors import ArcvdmError
from arcvdm.palette import CLASS_RGB, hex_colour
from arcvdm.plots.grids import TEXT, blank, draw_frame, panel_figure
from arcvdm.vision.metrics import PCK_ALPHA, mask_to_keypoints, mean_iou, pck_counts
from arcvdm.vision.tasks import VisionTask, image_rgb

if TYPE_CHECKING:
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
