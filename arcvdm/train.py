"""Per-task LoRA training: the loop that fits an adapter to a task's augmented demonstration clips.

The base denoiser stays frozen; only the adapter's parameters get gradients. Each step draws a batch
of clips (seeded), asks the backbone for its family's denoising loss, and takes one AdamW step with
the gradient norm clipped. Training runs exactly ``steps`` steps, so the adapter (and every answer that
depends on it) is the same on an idle or a loaded machine. ``seconds`` is an opt-in safety cap only: when
it stops training early, ``TrainResult.capped`` says so and the answers depend on machine speed.
Mixed precision and devices go through ``accelerate``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
from accelerate import Accelerator
from tqdm.auto import tqdm

from arcvdm.backbones.base import Backbone
from arcvdm.config import TrainConfig


@dataclass
class Clip:
    """One encoded clip: latents (C, f, h, w) whose first ``num_clean`` latent frames are conditioning."""

    latents: torch.Tensor
    num_clean: int
    view: int


@dataclass
class TrainResult:
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    capped: bool = False   # the opt-in wall-clock cap stopped training before ``steps``

    @property
    def steps(self) -> int:
        return len(self.losses)


def train_lora(
    backbone: Backbone,
    clips: list[Clip],
    params: list[torch.nn.Parameter],
    cfg: TrainConfig,
    generator: torch.Generator,
    progress: bool = True,
    label: str = "train",
) -> TrainResult:
    """Fit the attached adapter's ``params`` on ``clips``. All clips of a task share one shape."""
    result = TrainResult()
    if cfg.steps == 0 or not params or not clips:
        return result
    shapes = {(tuple(c.latents.shape), c.num_clean) for c in clips}
    if len(shapes) != 1:
        raise ValueError(f"train_lora needs clips of one shape and conditioning length, got {sorted(shapes)}")
    # 1. Set up: optimiser over the adapter only; accelerate handles autocast and backward.
    accelerator = Accelerator(mixed_precision=cfg.mixed_precision, cpu=backbone.device.type == "cpu")
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    optimizer = accelerator.prepare(optimizer)
    stack = torch.stack([c.latents for c in clips])                      # (N, C, f, h, w)
    num_clean = clips[0].num_clean
    backbone.denoiser.train()
    start = time.perf_counter()
    bar = tqdm(total=cfg.steps, desc=label, unit="step", leave=False, disable=not progress, mininterval=0.5)
    for _ in range(cfg.steps):
        # 2. A seeded batch of clips (with replacement when the task has fewer clips than a batch).
        idx = torch.randint(len(clips), (cfg.batch_size,), generator=generator)
        batch = stack[idx].to(backbone.device)                           # (B, C, f, h, w)
        # 3. The family's loss on the generated frames, backward, clip, step.
        with accelerator.autocast():
            loss = backbone.training_loss(batch, num_clean, generator)
        accelerator.backward(loss)
        accelerator.clip_grad_norm_(params, cfg.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        result.losses.append(float(loss.detach()))
        bar.update(1)
        bar.set_postfix(loss=f"{result.losses[-1]:.4f}")
        # 4. The opt-in safety cap: stop early when the wall-clock cap is spent (recorded: not reproducible).
        if cfg.seconds is not None and len(result.losses) < cfg.steps and time.perf_counter() - start >= cfg.seconds:
            result.capped = True
            break
    bar.close()
    backbone.denoiser.eval()
    result.seconds = time.perf_counter() - start
    return result
