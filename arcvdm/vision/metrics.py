"""Metrics of image tasks: mIoU for masks, PCK for keypoints, and the keypoint-mask form of a pose answer.

**mIoU.** For one test output: the IoU (|pred = c and true = c| / |pred = c or true = c|) of every
class c of the task that occurs in the truth or the prediction, averaged. Per task: the mean over its
test outputs; per set: the mean over tasks (as the ARC Prize rule weighs tasks).

**PCK@alpha** (percentage of correct keypoints): a visible true keypoint counts as found when a
predicted keypoint lies within ``alpha * L`` pixels of it (Euclidean), with L the longer side of
the true keypoints' bounding box (at least one pixel); a missing prediction counts as wrong and an
invisible true keypoint is not counted. Reported with ``PCK_ALPHA = 0.2``; per task: found / visible
over its test outputs; per set: the mean over tasks.

Scored answers are ``attempt_1`` (the averaged prediction).

**Keypoint masks.** A run stores a pose answer like every answer, as an (h, w) uint8 grid: pixel value
k + 1 marks keypoint k, 0 elsewhere (the picture the pose encoder draws, at one image pixel per
keypoint). ``keypoints_to_mask`` / ``mask_to_keypoints`` are a round trip for keypoints on distinct pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

PCK_ALPHA = 0.2

Point = tuple[float, float] | None


def iou_per_class(pred: np.ndarray, truth: np.ndarray, num_classes: int) -> dict[int, float]:
    """IoU of each class that occurs in ``pred`` or ``truth`` (classes 0..num_classes-1)."""
    if pred.shape != truth.shape:
        raise ValueError(f"prediction is {pred.shape}, truth is {truth.shape}: masks must have one shape")
    out = {}
    for c in range(num_classes):
        p, t = pred == c, truth == c
        union = int((p | t).sum())
        if union:
            out[c] = int((p & t).sum()) / union
    return out


def mean_iou(pred: np.ndarray, truth: np.ndarray, num_classes: int) -> float:
    """The mean IoU over the classes present in ``pred`` or ``truth`` (a mask of another shape scores 0)."""
    pred, truth = np.asarray(pred), np.asarray(truth)
    if pred.shape != truth.shape:
        return 0.0
    ious = iou_per_class(pred, truth, max(num_classes, int(pred.max()) + 1, int(truth.max()) + 1))
    return float(np.mean(list(ious.values())))


def pck_threshold(truth: Sequence[Point], alpha: float = PCK_ALPHA) -> float:
    """``alpha`` times the longer side of the visible true keypoints' bounding box (at least 1 pixel)."""
    pts = np.array([p for p in truth if p is not None], dtype=np.float64).reshape(-1, 2)
    side = float((pts.max(0) - pts.min(0)).max()) if len(pts) else 0.0
    return alpha * max(side, 1.0)


def pck_counts(pred: Sequence[Point], truth: Sequence[Point], alpha: float = PCK_ALPHA) -> tuple[int, int]:
    """(found, visible): true keypoints within the PCK threshold of their prediction, and visible true keypoints."""
    limit = pck_threshold(truth, alpha)
    found = visible = 0
    for k, t in enumerate(truth):
        if t is None:
            continue
        visible += 1
        p = pred[k] if k < len(pred) else None
        if p is not None and np.hypot(p[0] - t[0], p[1] - t[1]) <= limit:
            found += 1
    return found, visible


def keypoints_to_mask(points: Sequence[Point], height: int, width: int) -> np.ndarray:
    """Draw keypoint k as value k + 1 at its (rounded) pixel; when two fall on one pixel the later one moves to
    the nearest free pixel (row-major order among equals), so no keypoint is lost. (h, w) uint8."""
    mask = np.zeros((height, width), dtype=np.uint8)
    rows, cols = np.mgrid[0:height, 0:width]
    for k, p in enumerate(points):
        if p is None:
            continue
        r = int(np.clip(np.floor(p[0] + 0.5), 0, height - 1))
        c = int(np.clip(np.floor(p[1] + 0.5), 0, width - 1))
        if mask[r, c]:
            dist = np.where(mask == 0, (rows - r) ** 2 + (cols - c) ** 2, np.iinfo(np.int64).max)
            if dist.min() == np.iinfo(np.int64).max:
                continue  # the image is full: fewer pixels than keypoints
            r, c = np.unravel_index(int(dist.argmin()), dist.shape)
        mask[r, c] = k + 1
    return mask


def mask_to_keypoints(mask: np.ndarray, count: int) -> list[Point]:
    """The ``count`` keypoints of a keypoint mask: keypoint k at the centroid of the pixels valued k + 1 (None if none)."""
    mask = np.asarray(mask)
    out: list[Point] = []
    for k in range(count):
        ys, xs = np.nonzero(mask == k + 1)
        out.append(None if len(ys) == 0 else (float(ys.mean()), float(xs.mean())))
    return out


# -- scores of a set ---------------------------------------------------------------------------
@dataclass
class VisionScore:
    """mIoU of segmentation tasks and PCK of pose tasks, per task and over the set."""

    miou: dict[str, float] = field(default_factory=dict)                 # task id -> mean IoU over its outputs
    pck: dict[str, tuple[int, int]] = field(default_factory=dict)        # task id -> (found, visible)
    outputs: int = 0
    alpha: float = PCK_ALPHA
    unread: list[tuple[str, str]] = field(default_factory=list)          # answer sources that could not be read

    @property
    def mean_miou(self) -> float | None:
        return float(np.mean(list(self.miou.values()))) if self.miou else None

    @property
    def mean_pck(self) -> float | None:
        return float(np.mean([f / v if v else 0.0 for f, v in self.pck.values()])) if self.pck else None

    def line(self) -> str:
        parts = []
        if self.miou:
            parts.append(f"segmentation: mIoU {self.mean_miou:.1%} over {len(self.miou)} task(s)")
        if self.pck:
            found = sum(f for f, _ in self.pck.values())
            visible = sum(v for _, v in self.pck.values())
            parts.append(f"pose: PCK@{self.alpha:g} {self.mean_pck:.1%} over {len(self.pck)} task(s) "
                         f"({found}/{visible} keypoints within {self.alpha:g} x the figure's box side)")
        return "; ".join(parts) + f" ({self.outputs} test outputs, attempt 1)"

    def summary(self) -> dict[str, Any]:
        """The fields a run's summary.json keeps."""
        return {"miou": self.mean_miou, "pck": self.mean_pck, "pck_alpha": self.alpha,
                "miou_per_task": self.miou, "pck_per_task": {k: list(v) for k, v in self.pck.items()}}


def score_answers(tasks: list, answers: dict[str, list[np.ndarray]], alpha: float = PCK_ALPHA) -> VisionScore:
    """Score ``answers`` (task id -> attempt_1 per test output: masks, or keypoint masks for pose) on image tasks
    whose test outputs are known. A missing task or output scores 0."""
    result = VisionScore(alpha=alpha)
    for task in tasks:
        got = answers.get(task.id, [])
        if task.kind == "segmentation":
            ious = []
            for i, ex in enumerate(task.test):
                ious.append(mean_iou(got[i], ex.output, len(task.labels)) if i < len(got) else 0.0)
            result.miou[task.id] = float(np.mean(ious))
        else:
            found = visible = 0
            for i, ex in enumerate(task.test):
                pred = mask_to_keypoints(got[i], len(task.labels)) if i < len(got) else []
                f, v = pck_counts(pred, ex.output, alpha)
                found, visible = found + f, visible + v
            result.pck[task.id] = (found, visible)
        result.outputs += len(task.test)
    return result


def score_results(results: dict, tasks: list, alpha: float = PCK_ALPHA) -> VisionScore:
    """Score a run's ``TaskResult`` objects (task id -> result) on image tasks with known test outputs."""
    answers = {tid: [p.attempt_1 for p in r.predictions] for tid, r in results.items()}
    return score_answers(tasks, answers, alpha)


def score_submission_file(submission_path, answers_source: str) -> VisionScore:
    """Score a submission file (``{task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}``) against image tasks."""
    from arcvdm.errors import TaskFormatError
    from arcvdm.jsonio import read_json
    from arcvdm.vision.tasks import load_image_tasks

    loaded = load_image_tasks(answers_source)
    tasks = [t for t in loaded.tasks if t.has_solutions]
    if not tasks:
        raise TaskFormatError(f"{answers_source}: no image task with known test outputs to score against")
    data = read_json(submission_path, "submission", TaskFormatError)
    if not isinstance(data, dict):
        raise TaskFormatError(f"{submission_path}: a submission must be an object {{task_id: [entries]}}")
    missing = [t.id for t in tasks if t.id not in data]
    if missing:
        raise TaskFormatError(f"{submission_path}: lacks task(s) of {answers_source}: {', '.join(missing[:5])}")
    answers = {}
    for task in tasks:
        entries = data[task.id]
        if not isinstance(entries, list) or len(entries) != len(task.test):
            raise TaskFormatError(
                f"{submission_path}: task {task.id} needs {len(task.test)} attempt entries, one per test input"
            )
        answers[task.id] = [_answer_grid(e, f"{submission_path}: task {task.id}, entry {i}", task.image_size)
                            for i, e in enumerate(entries)]
    result = score_answers(tasks, answers)
    result.unread = list(loaded.failures)
    return result


def _answer_grid(entry: Any, where: str, size: tuple[int, int]) -> np.ndarray:
    from arcvdm.errors import TaskFormatError

    grid = entry.get("attempt_1") if isinstance(entry, dict) else None
    try:
        arr = np.array(grid, dtype=np.int64)
    except (ValueError, TypeError):
        arr = np.zeros(0)
    if arr.shape != tuple(size) or arr.min() < 0 or arr.max() > 255:
        raise TaskFormatError(f"{where}: attempt_1 must be a {size[0]}x{size[1]} grid of integers 0-255 (a mask)")
    return arr.astype(np.uint8)
