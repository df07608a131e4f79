"""The backbone interface: a frozen video diffusion model that arcvdm trains LoRAs on and samples from.

A backbone owns a *codec* (pixels <-> latents: a VAE, or the cell codec of the embedded model), a
*denoiser* (the diffusers transformer the LoRA attaches to) and the family's rules for frame counts
and sizes. The solver calls only what is declared here, so every family is interchangeable.

Layouts: videos are ``float32 (B, 3, F, H, W)`` in [-1, 1]; latents are ``(B, C, f, h, w)`` in the
family's normalised latent space. A latent frame is *clean* when it encodes only conditioning frames.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import torch

from arcvdm.backbones.weights import OnDevice
from arcvdm.config import BackboneConfig
from arcvdm.encoders.base import Canvas
from arcvdm.errors import BackboneRuleError


@dataclass(frozen=True)
class FrameRule:
    """A family's frame-count and spatial-size rules: ``frames = temporal*k + 1`` (or any count when
    ``temporal`` is 1), height/width multiples of ``spatial``, and, for families trained at one size
    only (CogVideoX-5b-I2V: learned positional embeddings), exactly ``fixed`` = (height, width).

    ``frame_step`` (0: same as ``temporal``) is for codecs that need more than the compression:
    CogVideoX's VAE compresses time 4x but decodes an even number of latent frames to 4 frames each
    (2 latents -> 8 frames, not 5), so its clips must have an odd latent count: frames = 8k+1."""

    temporal: int = 1
    spatial: int = 1
    family: str = ""
    fixed: tuple[int, int] | None = None
    frame_step: int = 0

    def check(self, num_frames: int, height: int, width: int) -> None:
        """Raise BackboneRuleError naming the value and the rule; never round."""
        step = self.frame_step or self.temporal
        if step > 1 and (num_frames - 1) % step != 0:
            raise BackboneRuleError(
                f"{self.family}: {num_frames} frames breaks the rule frames = {step}k+1 "
                f"(e.g. {step + 1} or {2 * step + 1})"
            )
        if num_frames < 1:
            raise BackboneRuleError(f"{self.family}: a clip needs at least 1 frame, got {num_frames}")
        for name, value in (("height", height), ("width", width)):
            if value % self.spatial != 0:
                raise BackboneRuleError(f"{self.family}: {name} {value} is not a multiple of {self.spatial}")
        if self.fixed is not None and (height, width) != self.fixed:
            raise BackboneRuleError(
                f"{self.family}: size {height}x{width} breaks the rule height x width = "
                f"{self.fixed[0]}x{self.fixed[1]} (fixed by the model's learned positional embeddings)"
            )

    def latent_frames(self, num_frames: int) -> int:
        """Latent frames of a clip: the first frame alone, then one per ``temporal`` frames."""
        return 1 + (num_frames - 1) // self.temporal if self.temporal > 1 else num_frames

    def clean_latent_frames(self, num_conditioning: int) -> int:
        """Latent frames that encode only the first ``num_conditioning`` frames.

        With temporal compression, conditioning must end on a latent boundary (1, 1+t, 1+2t, ...);
        otherwise a latent frame would mix conditioning and generated frames.
        """
        if self.temporal > 1 and (num_conditioning - 1) % self.temporal != 0:
            raise BackboneRuleError(
                f"{self.family}: {num_conditioning} conditioning frames do not end on a latent frame "
                f"boundary (needs {self.temporal}k+1 frames)"
            )
        return self.latent_frames(num_conditioning)


def generated_frames(num_frames: int, num_clean: int, device: torch.device | str) -> torch.Tensor:
    """(num_frames,) float: 0 on the first ``num_clean`` (conditioning) latent frames, 1 on the generated ones."""
    return (torch.arange(num_frames, device=device) >= num_clean).float()


def masked_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``values`` (B, C, f, h, w) over the positions where ``mask`` (broadcastable, 0/1) is 1."""
    return (values * mask).sum() / mask.expand_as(values).sum()


class Backbone(ABC):
    """Base class of every backbone family. Subclasses register a builder in ``arcvdm.backbones``."""

    family: str = ""
    rule: FrameRule
    denoiser: torch.nn.Module
    codec: Any                      # pixels <-> latents (arcvdm.backbones.codecs or a family's own)
    config: BackboneConfig
    lora_targets: tuple[str, ...] = ("to_q", "to_k", "to_v", "to_out.0")

    def canvas(self) -> Canvas:
        """The frame size this backbone works at: the recipe's height/width (None: fitted to each task),
        in multiples of the family's spatial rule. Families with a fixed size override it."""
        return Canvas(self.config.height, self.config.width, self.rule.spatial)

    def encode(self, video: torch.Tensor) -> torch.Tensor:
        """(B, 3, F, H, W) pixels -> (B, C, f, h, w) latents on the denoiser's device. No gradient.

        The codec's VAE (if any) is moved to the device for the call and back when ``cpu_offload`` is set.
        """
        with OnDevice(getattr(self.codec, "vae", None), self.device, self.config.cpu_offload):
            return self.codec.encode(video.to(self.device)).to(self.device)

    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        """(B, C, f, h, w) latents -> (B, 3, F, H, W) pixels in [-1, 1]. No gradient."""
        with OnDevice(getattr(self.codec, "vae", None), self.device, self.config.cpu_offload):
            return self.codec.decode(latents)

    @abstractmethod
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        """The family's denoising loss on the latent frames after the first ``num_clean`` (held clean)."""

    @abstractmethod
    def sample(
        self, clean: torch.Tensor, num_latent_frames: int, num_steps: int, generator: torch.Generator
    ) -> torch.Tensor:
        """Generate latents (B, C, num_latent_frames, h, w) whose first frames are ``clean`` (B, C, k, h, w)."""

    def encode_clip(self, video: torch.Tensor, num_conditioning_frames: int) -> torch.Tensor:
        """Like ``encode``, for a clip whose first ``num_conditioning_frames`` pixel frames are conditioning.

        Optional hook: families whose conditioning needs the pixels themselves (Wan2.1 I2V: a CLIP
        image embedding and the VAE latent of [conditioning frames, zeros]) override it to compute that
        conditioning from the exact pixels. Without it they rebuild the pixels by decoding the clean
        latents. The default is ``encode(video)``.
        """
        return self.encode(video)

    @property
    def device(self) -> torch.device:
        return next(self.denoiser.parameters()).device

    def check_clip(self, num_frames: int, height: int, width: int) -> None:
        self.rule.check(num_frames, height, width)
