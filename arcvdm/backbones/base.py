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
    (2 latents -> 8 frames, not 5), so its clips must have an odd latent count: frames = 8k+1.
    ``max_frames``: the most frames a model with learned positional embeddings covers (CogVideoX-5b: 49)."""

    temporal: int = 1
    spatial: int = 1
    family: str = ""
    fixed: tuple[int, int] | None = None
    frame_step: int = 0
    max_frames: int | None = None

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
        if self.max_frames is not None and num_frames > self.max_frames:
            raise BackboneRuleError(
                f"{self.family}: {num_frames} frames breaks the rule frames <= {self.max_frames} "
                f"(the model's learned positional embeddings cover {self.max_frames} frames)"
            )
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


@dataclass(frozen=True)
class Geometry:
    """A family's shapes, derived once from its transformer and VAE configs (``geometry_of`` in each family
    file) and read by the loader (the frame rule), the sampler (patching) and ``arcvdm plan`` (tokens, cost).

    ``temporal``/``spatial``: the VAE's compression (pixels per latent frame / latent pixel);
    ``channels``: latent channels; ``patch``: the transformer's (t, h, w) patch; ``frame_step``: the
    frame-count step when a codec needs more than its compression (CogVideoX: 8); ``fixed``: the one
    (height, width) in pixels and ``max_frames`` a model with learned positional embeddings accepts; ``text_tokens``:
    context tokens attended to (text, and Wan2.1's CLIP image tokens) - for the cost estimate only.
    """

    family: str
    channels: int
    temporal: int
    spatial: int
    patch: tuple[int, int, int] = (1, 1, 1)
    frame_step: int = 0
    fixed: tuple[int, int] | None = None
    text_tokens: int = 0
    max_frames: int | None = None

    @property
    def rule(self) -> FrameRule:
        return FrameRule(
            self.temporal, self.spatial * self.patch[1], self.family, self.fixed, self.frame_step, self.max_frames
        )

    def latent_shape(self, num_frames: int, height: int, width: int) -> tuple[int, int, int, int]:
        """(C, f, h, w) latents of a clip of ``num_frames`` frames at height x width pixels."""
        return (self.channels, self.rule.latent_frames(num_frames), height // self.spatial, width // self.spatial)

    def tokens(self, num_frames: int, height: int, width: int) -> int:
        """Video tokens the transformer sees for one clip (latent frames padded up to the temporal patch)."""
        _, f, h, w = self.latent_shape(num_frames, height, width)
        p_t, p_h, p_w = self.patch
        return -(-f // p_t) * (h // p_h) * (w // p_w)


def generated_frames(num_frames: int, num_clean: int, device: torch.device | str) -> torch.Tensor:
    """(num_frames,) float: 0 on the first ``num_clean`` (conditioning) latent frames, 1 on the generated ones."""
    return (torch.arange(num_frames, device=device) >= num_clean).float()


def masked_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``values`` (B, C, f, h, w) over the positions where ``mask`` (broadcastable, 0/1) is 1."""
    return (values * mask).sum() / mask.expand_as(values).sum()


class Backbone(ABC):
    """Base class of every backbone family. Subclasses register a builder in ``arcvdm.backbones``.

    The shared constructor takes what every family has: the denoiser (frozen here), a codec, the
    neutral prompt embedding (computed once), the config and the family's ``Geometry``. Placement
    (dtype, device, gradient checkpointing, offload) is the loaders' job, through
    ``arcvdm.backbones.weights.prepare_denoiser`` / ``place_helper``, for toys and real weights alike.
    """

    family: str = ""
    rule: FrameRule
    denoiser: torch.nn.Module
    codec: Any                      # pixels <-> latents (arcvdm.backbones.codecs or a family's own)
    config: BackboneConfig
    lora_targets: tuple[str, ...] = ("to_q", "to_k", "to_v", "to_out.0")
    pipeline_class: str = ""        # the family's diffusers pipeline (adapters are saved in its LoRA format)

    def __init__(
        self, denoiser: torch.nn.Module, codec: Any, prompt_embeds: torch.Tensor, config: BackboneConfig, geometry: Geometry
    ) -> None:
        self.family = geometry.family
        self.denoiser = denoiser
        self.codec = codec
        self.prompt_embeds = prompt_embeds          # (1, L, text_dim), computed once
        self.config = config
        self._geometry = geometry
        self.rule = geometry.rule
        self.patch = geometry.patch                 # (p_t, p_h, p_w)
        denoiser.requires_grad_(False)

    def geometry(self) -> Geometry:
        """VAE compression, latent channels, patch, frame rule, fixed size, text tokens of this backbone."""
        return self._geometry

    def canvas(self) -> Canvas:
        """The frame size this backbone works at: the recipe's height/width (None: fitted to each task),
        in multiples of the family's spatial rule; a fixed-size family defaults to its one size."""
        if self.rule.fixed is not None and self.config.height is None:
            return Canvas(*self.rule.fixed, self.rule.spatial)
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

    def encode_clip(self, video: torch.Tensor, num_conditioning_frames: int) -> torch.Tensor:
        """Latents of clips whose first ``num_conditioning_frames`` pixel frames are conditioning.

        The clean (conditioning) latent frames are the encoding of the conditioning frames ALONE, one
        clip at a time: exactly what sampling computes from a test input's frames and what every
        official I2V pipeline encodes (the image alone). A VAE whose normalisation spans time
        (CogVideoX's GroupNorm) gives other numbers for the same frames inside a longer clip, so
        this is what makes the conditioning of training equal that of sampling, bit for bit.
        The generated latent frames come from the whole clip.
        """
        b, _, num_frames = video.shape[:3]
        k = self.rule.clean_latent_frames(num_conditioning_frames)
        # 1. Conditioning frames alone, clip by clip (batch 1, as at sampling time).
        clean = torch.cat([self.encode(video[i : i + 1, :, :num_conditioning_frames]) for i in range(b)])  # (B, C, k, h, w)
        if num_conditioning_frames == num_frames:
            return clean
        # 2. The whole clip for the generated frames.
        latents = self.encode(video)                                          # (B, C, f, h, w)
        return torch.cat([clean, latents[:, :, k:]], dim=2)

    def conditioning(self, clean: torch.Tensor, num_latent_frames: int) -> dict[str, torch.Tensor]:
        """The tensors the denoiser is conditioned on for clean frames ``clean`` (B, C, k, h, w) in a clip of
        ``num_latent_frames``: training and sampling both call this, and parity tests compare it.
        The default is the clean latents themselves (families that write them into the latent video)."""
        return {"clean": clean.float().to(self.device)}

    @abstractmethod
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        """The family's denoising loss on the latent frames after the first ``num_clean`` (held clean)."""

    @torch.no_grad()
    def denoising_loss(self, latents: torch.Tensor, num_clean: int, draws: int, seed: int) -> float:
        """The family's training loss of one clip's latents (1, C, f, h, w), averaged over ``draws`` draws.

        The judge's score (``arcvdm.judge``): the clip is repeated ``draws`` times as one batch, and
        ``training_loss`` takes each row's noise and timestep from a generator seeded with ``seed``, so
        equal-shaped clips scored under the same seed see exactly the same (timestep, noise) draws.
        """
        batch = latents.expand(draws, *latents.shape[1:]).to(self.device)       # (K, C, f, h, w)
        generator = torch.Generator().manual_seed(seed)
        return float(self.training_loss(batch, num_clean, generator))

    @abstractmethod
    def sample(
        self, clean: torch.Tensor, num_latent_frames: int, num_steps: int, generator: torch.Generator
    ) -> torch.Tensor:
        """Generate latents (B, C, num_latent_frames, h, w) whose first frames are ``clean`` (B, C, k, h, w)."""

    def _check_latents(self, shape: tuple[int, ...]) -> None:
        """Latent frames and size must divide the transformer's patch (frames: after any family padding)."""
        _, _, f, h, w = shape
        p_t, p_h, p_w = self.patch
        if f % p_t or h % p_h or w % p_w:
            raise BackboneRuleError(f"{self.family}: latent size {f}x{h}x{w} is not divisible by the patch {self.patch}")

    @property
    def device(self) -> torch.device:
        return next(self.denoiser.parameters()).device

    def check_clip(self, num_frames: int, height: int, width: int) -> None:
        self.rule.check(num_frames, height, width)
