"""Wan2.2 TI2V-style backbone: ``WanTransformer3DModel`` + a codec + flow matching, first frames clean.

This follows diffusers' Wan image-to-video pipeline in its ``expand_timesteps`` mode (Wan2.2
TI2V-5B): the conditioning latent frames are written into the latent video unchanged, their tokens
get timestep 0, and only the remaining frames are noised and denoised. The transformer predicts the
flow-matching velocity ``noise - x0``.

Builders:
- ``build_toy_wan22``: real diffusers classes at toy size with random weights (tests, smoke runs).
- ``load_wan22``: a local diffusers-format folder (``transformer/``, ``vae/``), safetensors only.

Both go through ``prepare_denoiser`` / ``place_helper`` (dtype, device, gradient checkpointing,
cpu_offload), like every family. Sampling uses Euler, or Wan's published UniPC when
``backbone.sampler = "unipc"`` (``arcvdm.backbones.flow``).
"""

from __future__ import annotations

from pathlib import Path

import torch
from diffusers import AutoencoderKLWan, WanTransformer3DModel

from arcvdm.backbones import flow
from arcvdm.backbones.base import Backbone, Geometry, generated_frames, masked_mean
from arcvdm.backbones.codecs import WanVaeCodec
from arcvdm.backbones.prompt import neutral_prompt_embeds
from arcvdm.backbones.weights import (
    load_component, place_helper, prepare_denoiser, read_config, require_folder, torch_dtype,
)
from arcvdm.config import BackboneConfig

TEXT_TOKENS = 512   # Wan's text encoder length: the prompt zero-padded to 512 tokens
TRANSFORMER = WanTransformer3DModel


def geometry_of(
    transformer_config: dict, compression: tuple[int, int, int], family: str, text_tokens: int = TEXT_TOKENS
) -> Geometry:
    """Wan geometry from the transformer's config and the VAE's ``(channels, temporal, spatial)``
    compression (``WanVaeCodec.compression``); used by the backbone and by ``arcvdm plan``."""
    channels, temporal, spatial = compression
    return Geometry(family, channels, temporal, spatial, tuple(transformer_config["patch_size"]), text_tokens=text_tokens)


def geometry_from_folder(root: Path, family: str = "wan22") -> Geometry:
    """The geometry ``load_wan22`` will build, from ``transformer/`` and ``vae/`` config.json alone (``arcvdm plan``)."""
    transformer = read_config(root / "transformer", family)
    return geometry_of(transformer, WanVaeCodec.compression(read_config(root / "vae", family)), family)


class WanTI2VBackbone(Backbone):
    """A Wan transformer that denoises the frames after the clean conditioning frames."""

    pipeline_class = "WanImageToVideoPipeline"

    def __init__(
        self,
        transformer: torch.nn.Module,
        codec,
        prompt_embeds: torch.Tensor,
        config: BackboneConfig,
        family: str = "wan22-ti2v",
    ) -> None:
        compression = (codec.channels, codec.temporal, codec.spatial)
        geometry = geometry_of(dict(transformer.config), compression, family, text_tokens=prompt_embeds.shape[1])
        super().__init__(transformer, codec, prompt_embeds, config, geometry)
        self.sampler = flow.sampler_of(config)

    # -- helpers --------------------------------------------------------------------------
    def _token_timesteps(self, per_frame: torch.Tensor, latents_shape: torch.Size) -> torch.Tensor:
        """(B, f) timestep of each latent frame -> (B, tokens), one per transformer token."""
        _, _, f, h, w = latents_shape
        p_t, p_h, p_w = self.patch
        tokens_per_frame = (h // p_h) * (w // p_w)
        return per_frame[:, ::p_t].repeat_interleave(tokens_per_frame, dim=1)

    def _velocity(self, latents: torch.Tensor, timesteps: torch.Tensor) -> torch.Tensor:
        """Transformer forward in its own dtype; returns float32 velocity (B, C, f, h, w)."""
        dtype = self.denoiser.dtype
        prompt = self.prompt_embeds.to(self.device, dtype).expand(latents.shape[0], -1, -1)
        out = self.denoiser(
            hidden_states=latents.to(dtype), timestep=timesteps, encoder_hidden_states=prompt, return_dict=False
        )[0]
        return out.float()

    # -- training ------------------------------------------------------------------------
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        self._check_latents(tuple(latents.shape))
        b, _, f, _, _ = latents.shape
        x0 = latents.float()                                                   # (B, C, f, h, w): clean frames = conditioning
        # 1. Noise and a shifted-uniform sigma per clip (Wan/SD3-style timestep shift).
        noise = torch.randn(x0.shape, generator=generator).to(x0.device)
        sigma = flow.draw_sigma(b, self.config.shift, generator, x0.device)   # (B,)
        # 2. Noise only the generated frames; conditioning frames stay clean with timestep 0.
        generated = generated_frames(f, num_clean, x0.device)                 # (f,)
        mask = generated.view(1, 1, f, 1, 1)
        noisy = flow.noised(x0, noise, sigma, mask)
        frame_t = generated.view(1, f) * sigma.view(b, 1) * flow.NUM_TRAIN_TIMESTEPS  # (B, f)
        # 3. Predict the velocity and regress it on the generated frames only.
        pred = self._velocity(noisy, self._token_timesteps(frame_t, x0.shape))
        return masked_mean((pred - (noise - x0)) ** 2, mask)

    # -- sampling ------------------------------------------------------------------------
    @torch.no_grad()
    def sample(
        self, clean: torch.Tensor, num_latent_frames: int, num_steps: int, generator: torch.Generator
    ) -> torch.Tensor:
        b, c, k, h, w = clean.shape
        clean = self.conditioning(clean, num_latent_frames)["clean"]         # (B, C, k, h, w)
        shape = (b, c, num_latent_frames, h, w)
        self._check_latents(shape)
        # 1. The flow-matching scheduler (Euler, or Wan's published UniPC), shifted as in training.
        scheduler = flow.sampler(self.sampler, self.config.shift, num_steps, self.device, self.family)
        # 2. Start from noise; the first k frames are overwritten by the clean conditioning each step.
        latents = torch.randn(shape, generator=generator).to(self.device)
        generated = generated_frames(num_latent_frames, k, self.device)
        for t in scheduler.timesteps:
            model_in = torch.cat([clean, latents[:, :, k:]], dim=2)               # (B, C, f, h, w)
            frame_t = generated.view(1, -1).expand(b, -1) * t                     # (B, f)
            velocity = self._velocity(model_in, self._token_timesteps(frame_t, shape))
            latents = scheduler.step(velocity, t, latents, return_dict=False)[0]
        # 3. The answer: clean frames, then the generated ones.
        return torch.cat([clean, latents[:, :, k:]], dim=2)


def build_toy_wan22(config: BackboneConfig) -> WanTI2VBackbone:
    """Real Wan2.2 TI2V classes at toy size with seeded random weights (no download), placed as a loader would."""
    with torch.random.fork_rng():
        torch.manual_seed(config.init_seed)
        vae = AutoencoderKLWan(**TOY_VAE)
        transformer = WanTransformer3DModel(**TOY_TRANSFORMER)
        prompt = torch.randn(1, 8, 32) * 0.1
    return WanTI2VBackbone(
        prepare_denoiser(transformer, config), WanVaeCodec(place_helper(vae, config)), prompt, config, family="toy-wan22"
    )


# Toy sizes (also used by the parity and loader tests to write a folder laid out like the published one).
TOY_VAE = dict(
    base_dim=3, z_dim=48, in_channels=12, out_channels=12, is_residual=True, patch_size=2,
    latents_mean=[0.0] * 48, latents_std=[1.0] * 48, dim_mult=[1, 1, 1, 1], num_res_blocks=1,
    temperal_downsample=[False, True, True], scale_factor_spatial=16, scale_factor_temporal=4,
)
TOY_TRANSFORMER = dict(
    patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=48, out_channels=48,
    text_dim=32, freq_dim=32, ffn_dim=32, num_layers=2, cross_attn_norm=True, rope_max_seq_len=32,
)


def load_wan22(config: BackboneConfig) -> WanTI2VBackbone:
    """Wan2.2 TI2V-5B (or any Wan TI2V-layout model) from a local diffusers-format folder.

    The transformer loads in ``backbone.dtype`` (diffusers keeps its fp32 modules), the VAE in fp32;
    then placement (device, gradient checkpointing, cpu_offload) as every family."""
    root = require_folder(config.path, ("transformer", "vae"), "wan22")
    transformer = load_component(WanTransformer3DModel, root, "transformer", "wan22", torch_dtype(config.dtype))
    vae = load_component(AutoencoderKLWan, root, "vae", "wan22", torch.float32)
    prompt = neutral_prompt_embeds(Path(root), text_dim=transformer.config.text_dim, max_length=TEXT_TOKENS)
    return WanTI2VBackbone(
        prepare_denoiser(transformer, config), WanVaeCodec(place_helper(vae, config)), prompt, config, family="wan22"
    )
