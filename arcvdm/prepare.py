"""A task made ready for a backbone: its views, one layout, the context size and the training clips' frames.

``prepare_task`` calls no model. It asks the encoder for frames and the backbone only for its rules
(canvas, clip size, latent frame counts), so ``arcvdm render`` and the tests can run it on its own. Its
``Prepared`` is what the solver's later steps share (``arcvdm.solve``): the LoRA trains on ``videos``;
sampling and the judge (``arcvdm.judge``) build each query's clip from ``viewed`` and ``layout`` with
``example_frames``, the one place that turns an example into its two frames.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from arcvdm.config import SolverConfig
from arcvdm.grids import Grid
from arcvdm.plan import fit_context
from arcvdm.tasks import Task
from arcvdm.video import ClipSpec, arrange
from arcvdm.views import View, apply_task, make_views

if TYPE_CHECKING:  # only for annotations: the solver passes the built objects in
    from arcvdm.backbones import Backbone
    from arcvdm.encoders import Encoder


@dataclass
class Prepared:
    """A task made ready for a backbone: views, one layout, and the training clips' frames."""

    views: list[View]
    viewed: list[Task]             # the task under each view
    layout: Any
    context: int                   # demonstration pairs before the query in every clip
    num_frames: int
    num_clean: int                 # clean (conditioning) latent frames
    num_latent: int                # latent frames of a whole clip
    videos: list[np.ndarray]       # training clips, (F, H, W, 3) uint8 each
    owners: list[int]              # view index of each training clip
    seed: int


def task_seed(seed: int, task_id: str) -> int:
    """A per-task seed that depends only on the master seed and the task id (not on run order)."""
    return (seed * 1_000_003 + zlib.crc32(task_id.encode("utf-8", "surrogatepass"))) % (2**31)


def example_frames(encoder: "Encoder", layout: Any, grid_in: Grid, grid_out: Grid | None) -> tuple[np.ndarray, np.ndarray | None]:
    """The (input frame, output frame or None) of one example."""
    frame_out = None if grid_out is None else encoder.output_frame(layout, grid_out)
    return encoder.input_frame(layout, grid_in), frame_out


def clip_context(clip: ClipSpec, task: Task, backbone: "Backbone", layout: Any, max_tokens: int | None) -> int:
    """Context pairs per clip: the recipe's, at most the other demonstrations, within ``max_tokens``."""
    return fit_context(clip, len(task.train), backbone.rule, layout.height, layout.width, max_tokens)


def prepare_task(task: Task, config: SolverConfig, encoder: "Encoder", backbone: "Backbone", clip: ClipSpec) -> Prepared:
    """Views, layout and training clips of a task (no model call). ``task`` must already be public."""
    seed = task_seed(config.seed, task.id)
    rng = np.random.default_rng(seed)
    # 1. Views and one layout for all of them (square lattice: every D8 view has the same size).
    vc = config.views
    views = make_views(
        len(task.train), vc.num_views, rng, d8=vc.d8, permute_colours=vc.permute_colours,
        keep_background=vc.keep_background, shuffle_order=vc.shuffle_order,
    )
    layout = encoder.plan(task, backbone.canvas())
    context = clip_context(clip, task, backbone, layout, config.video.max_tokens)
    num_frames = clip.num_frames(context)
    backbone.check_clip(num_frames, layout.height, layout.width)
    viewed = [apply_task(v, task) for v in views]
    # 2. Training clips: each demonstration is the query once, after `context` other demonstrations.
    videos, owners = [], []
    for vi, vt in enumerate(viewed):
        frames = [example_frames(encoder, layout, ex.input, ex.output) for ex in vt.train]
        n = len(frames)
        for q in range(n):
            pairs = [frames[(q + 1 + j) % n] for j in range(context)] + [frames[q]]
            videos.append(arrange(clip, pairs))
            owners.append(vi)
    return Prepared(
        views, viewed, layout, context, num_frames,
        backbone.rule.clean_latent_frames(clip.num_conditioning_frames(context)),
        backbone.rule.latent_frames(num_frames), videos, owners, seed,
    )
