"""LTX-Video image-to-video backbone: ``LTXVideoTransformer3DModel`` + LTX VAE + flow matching.

This follows diffusers' ``LTXImageToVideoPipeline``: latents are packed into a token sequence
``(B, S, C)``; the conditioning latent frames stay clean, their tokens get timestep 0 (a per-token
timestep ``t * (1 - conditioning_mask)``), and only the other frames are stepped by the Euler
scheduler. The transformer predicts the flow-matching velocity ``noise - x0``. The sampling sigmas
are ``linspace(1, 1/n, n)`` shifted by ``mu = calculate_shift(sequence length)`` as in the pipeline;
training draws sigma uniformly and applies the same shift, noising only the generated frames.

The VAE compresses 8x in time and 32x in space (a 4x4 patchifier, then three 2x stages), so frames
are 8k+1 and sizes multiples of 32. Latents are normalised ``(z - mean) * scaling_factor / std`` with
the VAE's own statistics. A timestep-conditioned decoder (LTX 0.9.1+) is called with timestep 0,
the pipeline's default (``decode_timestep=0``, no decode noise).

Text: the cached neutral prompt keeps only its unpadded tokens (``prompt.py``, padding "trim"),
so an all-ones ``encoder_attention_mask`` is exactly the pipeline's masked attention.

Builders: ``build_toy_ltx`` (real classes at toy size, seeded random weights) and ``load_ltx``
(a local diffusers-format folder: ``transformer/``, ``vae/``, ``scheduler/``; safetensors only).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXVideoTransformer3DModel
from diffusers.pipelines.ltx.pipeline_ltx_image2video import LTXImageToVideoPipeline, calculate_shift

from arcvdm.backbones import flow
from arcvdm.backbones.base import Backbone, Geometry, generated_frames, masked_mean
from arcvdm.backbones.prompt import neutral_prompt_embeds
from arcvdm.backbones.weights import (
    load_component, place_helper, prepare_denoiser, read_config, require_folder, torch_dtype,
)
from arcvdm.config import BackboneConfig

NUM_TRAIN_TIMESTEPS = flow.NUM_TRAIN_TIMESTEPS
FRAME_RATE = 25  # the pipeline's default; enters only the temporal RoPE scale

# The published LTX-Video 0.9.x scheduler_config.json values (used by the toy; real weights bring their own).
SCHEDULER_CONFIG = dict(
    num_train_timesteps=1000, shift=1.0, use_dynamic_shifting=True, base_shift=0.95, max_shift=2.05,
    base_image_seq_len=1024, max_image_seq_len=4096, shift_terminal=0.1, time_shift_type="exponential",
)


class LTXCodec:
    """LTX VAE with its latent normalisation; decoder timestep 0 when the decoder is timestep-conditioned."""

    def __init__(self, vae: torch.nn.Module) -> None:
        self.vae = vae
        self.channels, self.temporal, self.spatial = self.compression(vae.config)
        self.scale = vae.config.scaling_factor

    @staticmethod
    def compression(vae_config) -> tuple[int, int, int]:
        """(latent channels, temporal, spatial compression) from an ``AutoencoderKLLTXVideo`` config:
        the patchifier times 2 per down stage that scales (``spatio_temporal_scaling``)."""
        cfg = dict(vae_config)
        stages = sum(bool(x) for x in cfg.get("spatio_temporal_scaling", (True, True, True, False)))
        return cfg["latent_channels"], cfg.get("patch_size_t", 1) * 2**stages, cfg.get("patch_size", 4) * 2**stages

    def _stats(self, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        mean = self.vae.latents_mean.float().view(1, -1, 1, 1, 1).to(device)
        std = self.vae.latents_std.float().view(1, -1, 1, 1, 1).to(device)
        return mean, std

    @torch.no_grad()
    def encode(self, video: torch.Tensor) -> torch.Tensor:
        x = video.to(self.vae.device, self.vae.dtype)                       # (B, 3, F, H, W)
        z = self.vae.encode(x).latent_dist.mode().float()                   # (B, C, f, h, w)
        mean, std = self._stats(z.device)
        return (z - mean) * self.scale / std

    @torch.no_grad()
    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        mean, std = self._stats(latents.device)
        z = (latents.float() * std / self.scale + mean).to(self.vae.device, self.vae.dtype)
        temb = torch.zeros(z.shape[0], device=z.device, dtype=z.dtype) if self.vae.config.timestep_conditioning else None
        return self.vae.decode(z, temb).sample.float().clamp(-1, 1)        # (B, 3, F, H, W)


def geometry_of(transformer_config: dict, compression: tuple[int, int, int], family: str, text_tokens: int = 128) -> Geometry:
    """LTX-Video geometry from the transformer's config and the VAE's compression (loader and ``arcvdm plan``)."""
    tcfg = dict(transformer_config)
    channels, temporal, spatial = compression
    p, p_t = tcfg["patch_size"], tcfg["patch_size_t"]
    # Frames step by the VAE's compression times the temporal patch (1 for every published LTX model).
    step = temporal * p_t if p_t > 1 else 0
    return Geometry(family, channels, temporal, spatial, (p_t, p, p), frame_step=step, text_tokens=text_tokens)


TRANSFORMER = LTXVideoTransformer3DModel
TEXT_TOKENS = 128   # the pipeline's max_sequence_length (the cost estimate counts all of them)


def geometry_from_folder(root: Path, family: str = "ltx") -> Geometry:
    """The geometry ``load_ltx`` will build, from the config files alone (``arcvdm plan``)."""
    transformer = read_config(root / "transformer", family)
    return geometry_of(transformer, LTXCodec.compression(read_config(root / "vae", family)), family, TEXT_TOKENS)


class LTXI2VBackbone(Backbone):
    """LTX-Video I2V: clean conditioning tokens at timestep 0, the rest flow-matched."""

    pipeline_class = "LTXImageToVideoPipeline"

    def __init__(
        self,
        transformer: torch.nn.Module,
        codec: LTXCodec,
        scheduler_config: dict,
        prompt_embeds: torch.Tensor,
        config: BackboneConfig,
        family: str = "ltx",
    ) -> None:
        compression = (codec.channels, codec.temporal, codec.spatial)
        geometry = geometry_of(dict(transformer.config), compression, family, text_tokens=prompt_embeds.shape[1])
        super().__init__(transformer, codec, prompt_embeds, config, geometry)
        self.scheduler_config = dict(scheduler_config)   # prompt_embeds: (1, L, caption_channels), unpadded tokens only
        self.p = transformer.config.patch_size
        self.p_t = transformer.config.patch_size_t

    # -- helpers ---------------------------------------------------------------------------
    def _mu(self, f: int, h: int, w: int) -> float | None:
        """The pipeline's sequence-length-dependent shift (None when the scheduler does not shift dynamically)."""
        cfg = self.scheduler_config
        if not cfg.get("use_dynamic_shifting", False):
            return None
        return calculate_shift(
            f * h * w, cfg.get("base_image_seq_len", 256), cfg.get("max_image_seq_len", 4096),
            cfg.get("base_shift", 0.5), cfg.get("max_shift", 1.15),
        )

    def _velocity(self, latents: torch.Tensor, frame_t: torch.Tensor) -> torch.Tensor:
        """(B, C, f, h, w) latents and (B, f) per-frame timesteps -> float32 velocity (B, C, f, h, w)."""
        b, c, f, h, w = latents.shape
        dtype = self.denoiser.dtype
        tokens = LTXImageToVideoPipeline._pack_latents(latents.to(dtype), self.p, self.p_t)  # (B, S, C*p_t*p*p)
        per_token = frame_t[:, :: self.p_t].repeat_interleave((h // self.p) * (w // self.p), dim=1)  # (B, S)
        prompt = self.prompt_embeds.to(self.device, dtype).expand(b, -1, -1)                  # (B, L, D)
        mask = torch.ones(prompt.shape[:2], device=self.device, dtype=dtype)                  # (B, L)
        scale = (self.codec.temporal / FRAME_RATE, self.codec.spatial, self.codec.spatial)
        out = self.denoiser(
            hidden_states=tokens, encoder_hidden_states=prompt, timestep=per_token, encoder_attention_mask=mask,
            num_frames=f // self.p_t, height=h // self.p, width=w // self.p, rope_interpolation_scale=scale,
            return_dict=False,
        )[0]                                                                                  # (B, S, C*p_t*p*p)
        out = LTXImageToVideoPipeline._unpack_latents(out, f // self.p_t, h // self.p, w // self.p, self.p, self.p_t)
        return out.float()                                                                    # (B, C, f, h, w)

    # -- training --------------------------------------------------------------------------
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        self._check_latents(tuple(latents.shape))
        b, c, f, h, w = latents.shape
        x0 = latents.float()                                                   # (B, C, f, h, w)
        # 1. Noise and a uniform sigma per clip, shifted by the pipeline's exponential mu-shift.
        noise = torch.randn(x0.shape, generator=generator).to(x0.device)
        u = torch.rand(b, generator=generator).to(x0.device).clamp(1e-4, 1 - 1e-4)
        mu = self._mu(f, h, w)
        sigma = u if mu is None else flow.shift_sigma(u, math.exp(mu))          # (B,) exponential mu-shift
        # 2. Conditioning frames stay clean with timestep 0; the rest are noised.
        generated = generated_frames(f, num_clean, x0.device)                 # (f,)
        mask = generated.view(1, 1, f, 1, 1)
        noisy = flow.noised(x0, noise, sigma, mask)
        frame_t = generated.view(1, f) * sigma.view(b, 1) * NUM_TRAIN_TIMESTEPS  # (B, f)
        # 3. Regress the velocity on the generated frames only.
        pred = self._velocity(noisy, frame_t)
        return masked_mean((pred - (noise - x0)) ** 2, mask)

    # -- sampling --------------------------------------------------------------------------
    @torch.no_grad()
    def sample(
        self, clean: torch.Tensor, num_latent_frames: int, num_steps: int, generator: torch.Generator
    ) -> torch.Tensor:
        b, c, k, h, w = clean.shape
        clean = clean.float().to(self.device)
        shape = (b, c, num_latent_frames, h, w)
        self._check_latents(shape)
        # 1. The pipeline's sigmas linspace(1, 1/n, n), shifted by mu of this sequence length.
        config = dict(self.scheduler_config)
        if num_steps == 1:  # one sigma (1.0) cannot be stretched to shift_terminal: 0/0 in diffusers
            config["shift_terminal"] = None
        scheduler = FlowMatchEulerDiscreteScheduler(**config)
        sigmas = np.linspace(1.0, 1 / num_steps, num_steps)
        scheduler.set_timesteps(sigmas=sigmas, mu=self._mu(num_latent_frames, h, w), device=self.device)
        # 2. Clean frames first, noise after (drawn for the whole clip, as the pipeline draws it, so the
        #    same generator gives the same noise); only the generated frames are stepped.
        noise = torch.randn(shape, generator=generator).to(self.device)         # (B, C, f, h, w)
        latents = torch.cat([clean, noise[:, :, k:]], dim=2)
        generated = generated_frames(num_latent_frames, k, self.device)
        for t in scheduler.timesteps:
            frame_t = generated.view(1, -1).expand(b, -1) * t                  # (B, f): 0 on clean frames
            velocity = self._velocity(latents, frame_t)
            stepped = scheduler.step(velocity[:, :, k:], t, latents[:, :, k:], return_dict=False)[0]
            latents = torch.cat([clean, stepped], dim=2)
        # 3. The answer: the clean frames as given, then the generated ones.
        return latents


# Toy sizes (also written to disk by the loader tests).
TOY_VAE = dict(
    in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(8, 8, 8, 8),
    decoder_block_out_channels=(8, 8, 8, 8), layers_per_block=(1, 1, 1, 1, 1),
    decoder_layers_per_block=(1, 1, 1, 1, 1), spatio_temporal_scaling=(True, True, True, False),
    decoder_spatio_temporal_scaling=(True, True, True, False), decoder_inject_noise=(False,) * 5,
    upsample_residual=(False,) * 4, upsample_factor=(1,) * 4, timestep_conditioning=False,
    patch_size=4, patch_size_t=1, encoder_causal=True, decoder_causal=False,
)
TOY_TRANSFORMER = dict(
    in_channels=8, out_channels=8, patch_size=1, patch_size_t=1, num_attention_heads=4,
    attention_head_dim=8, cross_attention_dim=32, num_layers=2, caption_channels=32,
)


def build_toy_ltx(config: BackboneConfig) -> LTXI2VBackbone:
    """Real LTX-Video classes at toy size, seeded random weights (no download).

    The VAE keeps the real compression (4x4 patchifier + three 2x stages: 8x time, 32x space; 8 latent
    channels instead of 128), so the toy obeys the family rule: 8k+1 frames, multiples of 32.
    """
    with torch.random.fork_rng():
        torch.manual_seed(config.init_seed)
        vae = AutoencoderKLLTXVideo(**TOY_VAE)
        vae.use_framewise_encoding = False
        vae.use_framewise_decoding = False
        transformer = LTXVideoTransformer3DModel(**TOY_TRANSFORMER)
        prompt = torch.randn(1, 4, 32) * 0.1
    return LTXI2VBackbone(
        prepare_denoiser(transformer, config), LTXCodec(place_helper(vae, config)), SCHEDULER_CONFIG, prompt,
        config, family="toy-ltx",
    )


def load_ltx(config: BackboneConfig) -> LTXI2VBackbone:
    """LTX-Video (2B 0.9.x or 13B, diffusers layout) from a local folder, safetensors only."""
    root = require_folder(config.path, ("transformer", "vae", "scheduler"), "ltx")
    transformer = load_component(LTXVideoTransformer3DModel, root, "transformer", "ltx", torch_dtype(config.dtype))
    vae = load_component(AutoencoderKLLTXVideo, root, "vae", "ltx", torch.float32)
    scheduler = FlowMatchEulerDiscreteScheduler.from_pretrained(root, subfolder="scheduler", local_files_only=True)
    scheduler_config = {k: v for k, v in scheduler.config.items() if not k.startswith("_")}
    prompt = neutral_prompt_embeds(
        Path(root), text_dim=transformer.config.caption_channels, max_length=TEXT_TOKENS,
        encoder_class="T5EncoderModel", padding="trim",
    )
    return LTXI2VBackbone(
        prepare_denoiser(transformer, config), LTXCodec(place_helper(vae, config)), scheduler_config, prompt,
        config, family="ltx",
    )
