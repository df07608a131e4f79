"""The solver on image tasks: which recipes fit them, and how samples are pooled (averaged, not voted).

``arcvdm.solve.Solver`` drives the segmentation and pose encoders unchanged (views -> clips -> LoRA
-> samples -> decode). Two things differ from ARC grids, both here:

1. **Recipe check** (``check_recipe``, before anything is solved): the encoder must match the task's
   kind; D8 views need square palette images (a D8 view transforms palette-index grids, not RGB); pose
   answers are keypoint lists, so pose takes demonstration-order views only; the program search is ARC only.
2. **Pooling** (``average_masks`` / ``average_keypoints``, called through the encoders' ``pool``):
   exact votes rarely concentrate on a whole mask, so the first candidate is the average of every
   sample (already un-transformed to the task's frame): the per-pixel majority class for masks, the
   coordinate-wise median of each keypoint over the samples that found it for pose (robust to a stray
   sample). The exact-vote candidates follow, so ``attempt_2`` is the most voted single sample.

Pose candidates are keypoint masks (``arcvdm.vision.metrics.keypoints_to_mask``), so results,
submissions and plots store them like any grid.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from arcvdm.candidate import Candidate
from arcvdm.errors import ConfigError
from arcvdm.grids import grid_key
from arcvdm.vision.metrics import keypoints_to_mask
from arcvdm.vision.tasks import VisionTask
from arcvdm.vote import vote

IMAGE_ENCODERS = ("segmentation", "pose")


def check_recipe(config: Any, tasks: Sequence[Any]) -> None:
    """Raise a one-line ConfigError when the recipe cannot solve these tasks (rules in the module docstring)."""
    encoder, views = config.encoder.name, config.views
    for task in tasks:
        if not isinstance(task, VisionTask):
            if encoder in IMAGE_ENCODERS:
                raise ConfigError(
                    f"task {task.id} is an ARC task; encoder {encoder!r} (recipe {config.name!r}) needs an image task "
                    "folder (train/ and test/ of PNG images, see README 'Segmentation and pose')"
                )
            continue
        if encoder != task.kind:
            raise ConfigError(
                f"task {task.id} is a {task.kind} task; solve it with --solver {task.kind} (encoder {task.kind!r}), "
                f"not recipe {config.name!r} with encoder {encoder!r}"
            )
        if config.search.enabled:
            raise ConfigError(f"recipe {config.name!r}: the program search is for ARC grids; set search.enabled=false for image tasks")
        if views.permute_colours:
            raise ConfigError(f"recipe {config.name!r}: views.permute_colours would recolour masks and images; "
                              "set views.permute_colours=false for image tasks")
        if views.d8 and task.kind == "pose":
            raise ConfigError(f"recipe {config.name!r}: views.d8 cannot transform keypoints; set views.d8=false for pose tasks")
        if views.d8 and not task.palette:
            raise ConfigError(f"task {task.id}: views.d8 needs images drawn in the ten ARC colours (these are full RGB); "
                              "set views.d8=false")
        h, w = task.image_size
        if views.d8 and h != w:
            raise ConfigError(f"task {task.id}: views.d8 needs square images (these are {h}x{w}); set views.d8=false")


def average_masks(predictions: list[tuple[np.ndarray, float, int]]) -> list[Candidate]:
    """Per-pixel majority class over every sample (ties: the lower class), then the exact-vote candidates."""
    if not predictions:
        return []
    stack = np.stack([np.asarray(p[0], dtype=np.uint8) for p in predictions])      # (S, h, w)
    classes = np.arange(int(stack.max()) + 1, dtype=np.uint8)
    counts = (stack[..., None] == classes).sum(0)                                  # (h, w, C)
    majority = counts.argmax(-1).astype(np.uint8)                                  # (h, w)
    agreement = float(counts.max(-1).mean()) / len(predictions)                   # mean share of the winning class
    return _average_first(majority, agreement, predictions, vote(predictions))


def average_keypoints(predictions: list[tuple[list, float, int]], height: int, width: int) -> list[Candidate]:
    """Coordinate-wise median of each keypoint over the samples that found it, as a keypoint mask; then the
    exact-vote candidates of the single samples' keypoint masks."""
    if not predictions:
        return []
    count = max(len(p[0]) for p in predictions)
    median = []
    for k in range(count):
        found = np.array([p[0][k] for p in predictions if k < len(p[0]) and p[0][k] is not None], dtype=np.float64)
        median.append(None if len(found) == 0 else (float(np.median(found[:, 0])), float(np.median(found[:, 1]))))
    found_share = float(np.mean([m is not None for m in median])) if median else 0.0
    singles = [(keypoints_to_mask(points, height, width), conf, view) for points, conf, view in predictions]
    return _average_first(keypoints_to_mask(median, height, width), found_share, predictions, vote(singles))


def _average_first(average: np.ndarray, confidence: float, predictions: list, voted: list[Candidate]) -> list[Candidate]:
    """The average as the first candidate (it pools every sample, so it carries all their votes), then the
    distinct exact-vote candidates."""
    first = Candidate(average, votes=len(predictions), score=confidence,
                      views=sorted({int(p[2]) for p in predictions}), sources=["vdm", "average"])
    key = grid_key(average)
    return [first] + [c for c in voted if grid_key(c.grid) != key]
