"""Solving one task: views -> frames -> clips -> per-task LoRA -> samples -> grids -> vote -> attempts.

``Solver`` holds a built backbone (expensive: built once, reused for every task) and a resolved
``SolverConfig``. ``Solver.solve(task)`` runs the whole per-task recipe and returns a ``TaskResult``.
The first thing it does is drop the task's test outputs (``Task.public``), so nothing after that
line can read an answer.
"""

from __future__ import annotations

import dataclasses
import time
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from arcvdm import lora
from arcvdm.backbones import Backbone, build_backbone
from arcvdm.config import SolverConfig
from arcvdm.encoders import ENCODERS
from arcvdm.errors import ConfigError
from arcvdm.grids import Grid
from arcvdm.tasks import Task
from arcvdm.train import Clip, TrainResult, train_lora
from arcvdm.video import ClipSpec, arrange, frames_to_video, video_to_frames
from arcvdm.results import TaskResult, TestPrediction
from arcvdm.views import View, apply_task, invert_grid, make_views
from arcvdm.vote import two_attempts, vote


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
    return (seed * 1_000_003 + zlib.crc32(task_id.encode())) % (2**31)


class Solver:
    """A recipe bound to a built backbone; call ``solve(task)`` for each task."""

    def __init__(self, config: SolverConfig, backbone: Backbone | None = None) -> None:
        self.config = config
        enc = config.encoder
        if enc.name not in ENCODERS:
            raise ConfigError(f"unknown encoder {enc.name!r}; choose one of {', '.join(ENCODERS)}")
        self.encoder = ENCODERS[enc.name](cell_px=enc.cell_px, line_px=enc.line_px)
        self.backbone = backbone if backbone is not None else build_backbone(config.backbone)
        v = config.video
        self.clip = ClipSpec(v.input_frames, v.output_frames, v.context)

    # -- clips ---------------------------------------------------------------------------
    def _encode_clips(self, videos: list[np.ndarray], view_ids: list[int], num_clean: int, num_conditioning: int) -> list[Clip]:
        clips = []
        for start in range(0, len(videos), 8):  # encode in small batches to bound memory
            chunk = torch.stack([frames_to_video(v) for v in videos[start : start + 8]])  # (b, 3, F, H, W)
            latents = self.backbone.encode_clip(chunk, num_conditioning).cpu()            # (b, C, f, h, w)
            for j in range(latents.shape[0]):
                clips.append(Clip(latents[j], num_clean, view_ids[start + j]))
        return clips

    def prepare(self, task: Task) -> "Prepared":
        """Views, layout and training clips of a task (no model call). ``task`` must already be public."""
        cfg = self.config
        seed = task_seed(cfg.seed, task.id)
        rng = np.random.default_rng(seed)
        # 1. Views and one layout for all of them (square lattice: every D8 view has the same size).
        vc = cfg.views
        views = make_views(
            len(task.train), vc.num_views, rng, d8=vc.d8, permute_colours=vc.permute_colours,
            keep_background=vc.keep_background, shuffle_order=vc.shuffle_order,
        )
        layout = self.encoder.plan(task, self.backbone.canvas())
        context = self.context_for(task, layout)
        num_frames = self.clip.num_frames(context)
        self.backbone.check_clip(num_frames, layout.height, layout.width)
        viewed = [apply_task(v, task) for v in views]
        # 2. Training clips: each demonstration is the query once, after `context` other demonstrations.
        videos, owners = [], []
        for vi, vt in enumerate(viewed):
            frames = [self._pair(layout, ex.input, ex.output) for ex in vt.train]
            n = len(frames)
            for q in range(n):
                pairs = [frames[(q + 1 + j) % n] for j in range(context)] + [frames[q]]
                videos.append(arrange(self.clip, pairs))
                owners.append(vi)
        return Prepared(
            views, viewed, layout, context, num_frames,
            self.backbone.rule.clean_latent_frames(self.clip.num_conditioning_frames(context)),
            self.backbone.rule.latent_frames(num_frames), videos, owners, seed,
        )

    def context_for(self, task: Task, layout: Any) -> int:
        """Context pairs per clip: the recipe's, at most the other demonstrations, within ``max_tokens``."""
        context = min(self.clip.context, len(task.train) - 1)
        budget = self.config.video.max_tokens
        per_frame = (layout.height // self.backbone.rule.spatial) * (layout.width // self.backbone.rule.spatial)
        while budget is not None and context > 0:
            if self.backbone.rule.latent_frames(self.clip.num_frames(context)) * per_frame <= budget:
                break
            context -= 1
        return context

    def _pair(self, layout: Any, grid_in: Grid, grid_out: Grid | None) -> tuple[np.ndarray, np.ndarray | None]:
        frame_out = None if grid_out is None else self.encoder.output_frame(layout, grid_out)
        return self.encoder.input_frame(layout, grid_in), frame_out

    def solve(self, task: Task, progress: bool = True, keep_artifacts: bool = False) -> TaskResult:
        cfg = self.config
        start = time.perf_counter()
        # 0. No leakage: from here on the task has no test outputs.
        task = task.public()
        prep = self.prepare(task)
        views, viewed, layout, context = prep.views, prep.viewed, prep.layout, prep.context
        num_clean, num_latent, videos, owners = prep.num_clean, prep.num_latent, prep.videos, prep.owners
        generator = torch.Generator().manual_seed(prep.seed)
        artifacts: dict[str, np.ndarray] = {"train_clip": videos[0]} if keep_artifacts else {}

        # 3. Per-task LoRA on the frozen backbone; always unloaded afterwards.
        denoiser = self.backbone.denoiser
        trained = TrainResult()
        try:
            if cfg.lora.rank > 0 and cfg.train.steps > 0:
                clips = self._encode_clips(videos, owners, num_clean, self.clip.num_conditioning_frames(context))
                with torch.random.fork_rng():  # peft initialises LoRA A from the global RNG: seed it per task
                    torch.manual_seed(prep.seed)
                    params = lora.attach(denoiser, cfg.lora, self.backbone.lora_targets)
                trained = train_lora(self.backbone, clips, params, cfg.train, generator, progress, f"LoRA {task.id}")

            # 4. Sampling: each test input under each view, num_samples seeded samples.
            num_sample_views = len(views) if cfg.sample.views is None else min(cfg.sample.views, len(views))
            per_test: list[list[tuple[Grid, float, int]]] = [[] for _ in task.test]
            steps = num_sample_views * len(task.test)
            bar = tqdm(total=steps, desc=f"sample {task.id}", unit="view", leave=False, disable=not progress)
            for vi in range(num_sample_views):
                vt = viewed[vi]
                demo_frames = [self._pair(layout, ex.input, ex.output) for ex in vt.train[:context]]
                for ti, ex in enumerate(vt.test):
                    pairs = demo_frames + [self._pair(layout, ex.input, None)]
                    frames = arrange(self.clip, pairs)[: self.clip.num_conditioning_frames(context)]
                    clean = self.backbone.encode_clip(frames_to_video(frames)[None], len(frames))  # (1, C, k, h, w)
                    clean = clean.expand(cfg.sample.num_samples, -1, -1, -1, -1)
                    latents = self.backbone.sample(clean, num_latent, cfg.sample.num_steps, generator)
                    video = self.backbone.decode(latents)                                         # (S, 3, F, H, W)
                    for s in range(video.shape[0]):
                        frames_s = video_to_frames(video[s])                                      # (F, H, W, 3)
                        decoded = self.encoder.decode(layout, frames_s[-1])
                        if decoded is not None:
                            per_test[ti].append((invert_grid(views[vi], decoded.answer), decoded.confidence, vi))
                        if keep_artifacts and vi == 0:
                            if s == 0:
                                artifacts[f"test{ti}_video"] = frames_s
                            artifacts.setdefault(f"test{ti}_last_frames", []).append(frames_s[-1])
                    bar.update(1)
            bar.close()
        finally:
            lora.detach(denoiser)

        # 5. Vote per test input; two attempts each.
        predictions = []
        for ti, ex in enumerate(task.test):
            candidates = vote(per_test[ti])
            first, second = two_attempts(candidates, fallback=ex.input)
            predictions.append(TestPrediction(first, second, candidates))
        for key, value in list(artifacts.items()):
            if isinstance(value, list):
                artifacts[key] = np.stack(value)
        notes = []
        if trained.capped:
            notes.append(
                f"train.seconds cap ({cfg.train.seconds:g} s) stopped the LoRA after {trained.steps} of "
                f"{cfg.train.steps} steps: these answers depend on machine speed"
            )
        return TaskResult(
            task.id, predictions, trained.losses, trained.seconds, time.perf_counter() - start,
            [v.describe() for v in views], dataclasses.asdict(layout), notes=notes, context=context,
            train_steps=trained.steps, artifacts=artifacts,
        )
