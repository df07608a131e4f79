"""Flow matching, written once for the families that use it (Wan2.1, Wan2.2, the embedded model, LTX-Video).

Convention (diffusers' FlowMatch schedulers): ``x_sigma = (1 - sigma) x0 + sigma noise``, the
transformer predicts the velocity ``noise - x0`` at timestep ``1000 sigma``.

- ``shift_sigma``: the SD3/Wan timestep shift ``s u / (1 + (s - 1) u)`` applied to a uniform draw in
  training, the same map diffusers applies to the sampling sigmas (``shift`` of the Euler scheduler,
  ``flow_shift`` of UniPC);
- ``draw_sigma``: one shifted sigma per clip, from the caller's generator;
- ``noised``: the noisy latents, only on the generated frames (mask 1) or on every frame;
- ``sampler``: the scheduler a family samples with, its timesteps set. ``euler`` is diffusers'
  ``FlowMatchEulerDiscreteScheduler``; ``unipc`` is ``UniPCMultistepScheduler`` in its flow mode, the
  published sampler of Wan2.1 and Wan2.2 (2nd-order multistep, flow sigmas, ``flow_shift``).
"""

from __future__ import annotations

import torch
from diffusers import FlowMatchEulerDiscreteScheduler, UniPCMultistepScheduler

from arcvdm.config import SAMPLERS  # noqa: F401  (the one list of sampler names; re-exported here)
from arcvdm.errors import ConfigError

NUM_TRAIN_TIMESTEPS = 1000


def shift_sigma(u: torch.Tensor, shift: float) -> torch.Tensor:
    """Uniform u in [0, 1] -> shifted sigma (shift 1: unchanged; shift > 1: more time at high noise)."""
    return shift * u / (1 + (shift - 1) * u)


def draw_sigma(batch: int, shift: float, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """(batch,) shifted sigmas, one per clip, drawn from ``generator`` on the CPU (device-independent)."""
    u = torch.rand(batch, generator=generator).to(device)
    return shift_sigma(u, shift)


def noised(x0: torch.Tensor, noise: torch.Tensor, sigma: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """``(1 - sigma) x0 + sigma noise`` on (B, C, f, h, w); where ``mask`` (1, 1, f, 1, 1) is 0 the frame stays x0."""
    s = sigma.view(-1, 1, 1, 1, 1)
    noisy = (1 - s) * x0 + s * noise
    return noisy if mask is None else mask * noisy + (1 - mask) * x0


def sampler(kind: str, shift: float, num_steps: int, device: torch.device | str, family: str = ""):
    """A fresh flow-matching scheduler with ``num_steps`` timesteps set (schedulers are stateful: one per call)."""
    if kind == "euler":
        scheduler = FlowMatchEulerDiscreteScheduler(num_train_timesteps=NUM_TRAIN_TIMESTEPS, shift=shift)
    elif kind == "unipc":
        # Wan's published scheduler_config.json: flow prediction, flow sigmas shifted by flow_shift, order 2.
        scheduler = UniPCMultistepScheduler(
            num_train_timesteps=NUM_TRAIN_TIMESTEPS, prediction_type="flow_prediction", use_flow_sigmas=True,
            flow_shift=shift, solver_order=2, final_sigmas_type="zero",
        )
    else:
        raise ConfigError(f"{family}: sampler {kind!r} is not one of {', '.join(SAMPLERS)}")
    scheduler.set_timesteps(num_steps, device=device)
    return scheduler


def sampler_of(config) -> str:
    """The configured sampler: ``backbone.sampler`` when the config has that field, else Euler."""
    return getattr(config, "sampler", None) or "euler"
