"""Wan2.2 TI2V-style backbone: ``WanTransformer3DModel`` + a codec + flow matching, first frames clean.

This follows diffusers' Wan image-to-video pipeline in its ``expand_timesteps`` mode (Wan2.2
TI2V-5B): the conditioning latent frames are written into the latent video unchanged, their tokens
get timestep 0, and only the remaining frames are noised and denoised. The transformer predicts the
flow-matching velocity ``noise - x0``.

Builders:
- ``build_toy_wan22``: real diffusers classes at toy size with random weights (tests, smoke runs).
- ``load_wan22``: a local diffusers-format folder (``transformer/``, ``vae/``), safetensors only.
"""

from __future__ import annotations

import torch
from diffusers import AutoencoderKLWan, FlowMatchEulerDiscreteScheduler, WanTransformer3DModel

from arcvdm.backbones.base import Backbone, FrameRule, generated_frames, masked_mean
from arcvdm.backbones.codecs import WanVaeCodec
from arcvdm.backbones.prompt import neutral_prompt_embeds
from arcvdm.backbones.weights import require_folder as _require_folder
from arcvdm.config import BackboneConfig
from arcvdm.errors import BackboneRuleError

NUM_TRAIN_TIMESTEPS = 1000


class WanTI2VBackbone(Backbone):
    """A Wan transformer that denoises the frames after the clean conditioning frames."""

    def __init__(
        self,
        transformer: torch.nn.Module,
        codec,
        prompt_embeds: torch.Tensor,
        config: BackboneConfig,
        family: str = "wan22-ti2v",
    ) -> None:
        self.family = family
        self.denoiser = transformer
        self.codec = codec
        self.prompt_embeds = prompt_embeds          # (1, L, text_dim), computed once
        self.config = config
        self.patch = tuple(transformer.config.patch_size)  # (p_t, p_h, p_w)
        self.rule = FrameRule(codec.temporal, codec.spatial * self.patch[1], family)
        transformer.requires_grad_(False)

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

    def _check_latents(self, latents: torch.Tensor) -> None:
        _, _, f, h, w = latents.shape
        p_t, p_h, p_w = self.patch
        if f % p_t or h % p_h or w % p_w:
            raise BackboneRuleError(f"{self.family}: latent size {f}x{h}x{w} is not divisible by the patch {self.patch}")

    # -- training ------------------------------------------------------------------------
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        self._check_latents(latents)
        b, _, f, _, _ = latents.shape
        x0 = latents.float()                                                   # (B, C, f, h, w)
        # 1. Noise and a shifted-uniform sigma per clip (Wan/SD3-style timestep shift).
        noise = torch.randn(x0.shape, generator=generator).to(x0.device)
        u = torch.rand(b, generator=generator).to(x0.device)
        shift = self.config.shift
        sigma = shift * u / (1 + (shift - 1) * u)                              # (B,)
        # 2. Noise only the generated frames; conditioning frames stay clean with timestep 0.
        generated = generated_frames(f, num_clean, x0.device)                 # (f,)
        mask = generated.view(1, 1, f, 1, 1)
        s = sigma.view(b, 1, 1, 1, 1)
        noisy = mask * ((1 - s) * x0 + s * noise) + (1 - mask) * x0
        frame_t = generated.view(1, f) * sigma.view(b, 1) * NUM_TRAIN_TIMESTEPS  # (B, f)
        # 3. Predict the velocity and regress it on the generated frames only.
        pred = self._velocity(noisy, self._token_timesteps(frame_t, x0.shape))
        return masked_mean((pred - (noise - x0)) ** 2, mask)

    # -- sampling ------------------------------------------------------------------------
    @torch.no_grad()
    def sample(
        self, clean: torch.Tensor, num_latent_frames: int, num_steps: int, generator: torch.Generator
    ) -> torch.Tensor:
        b, c, k, h, w = clean.shape
        clean = clean.float().to(self.device)
        shape = (b, c, num_latent_frames, h, w)
        self._check_latents(torch.empty(shape, device="meta"))
        # 1. Flow-matching Euler schedule from diffusers, shifted as in training.
        scheduler = FlowMatchEulerDiscreteScheduler(num_train_timesteps=NUM_TRAIN_TIMESTEPS, shift=self.config.shift)
        scheduler.set_timesteps(num_steps, device=self.device)
        # 2. Start from noise; the first k frames are overwritten by the clean conditioning each step.
        latents = torch.randn(shape, generator=generator).to(self.device)
        generated = generated_frames(num_latent_frames, k, self.device)
        for t in scheduler.timesteps:
            model_in = torch.cat([clean, latents[:, :, k:]], dim=2)               # (B, C, f, h, w)
            frame_t = generated.view(1, -1).expand(b, -1) * t                     # (B, f)
            velocity = self._velocity(model_in, self._token_timesteps(frame_t, shape))
            latents = scheduler.step(velocity, t, latents).prev_sample
        # 3. The answer: clean frames, then the generated ones.
        return torch.cat([clean, latents[:, :, k:]], dim=2)


def _dtype(name: str) -> torch.dtype:
    return {"float32": torch.float32, "bfloat16": torch.bfloat16}[name]


def build_toy_wan22(config: BackboneConfig) -> WanTI2VBackbone:
    """Real Wan2.2 TI2V classes at toy size with seeded random weights (no download)."""
    with torch.random.fork_rng():
        torch.manual_seed(config.init_seed)
        vae = AutoencoderKLWan(
            base_dim=3, z_dim=48, in_channels=12, out_channels=12, is_residual=True, patch_size=2,
            latents_mean=[0.0] * 48, latents_std=[1.0] * 48, dim_mult=[1, 1, 1, 1], num_res_blocks=1,
            temperal_downsample=[False, True, True], scale_factor_spatial=16, scale_factor_temporal=4,
        )
        transformer = WanTransformer3DModel(
            patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=48, out_channels=48,
            text_dim=32, freq_dim=32, ffn_dim=32, num_layers=2, cross_attn_norm=True, rope_max_seq_len=32,
        )
        prompt = torch.randn(1, 8, 32) * 0.1
    vae.eval().requires_grad_(False)
    if config.dtype != "float32":
        transformer.to(_dtype(config.dtype))
    return WanTI2VBackbone(transformer, WanVaeCodec(vae), prompt, config, family="toy-wan22")


def load_wan22(config: BackboneConfig) -> WanTI2VBackbone:
    """Wan2.2 TI2V-5B (or any Wan TI2V-layout model) from a local diffusers-format folder."""
    root = _require_folder(config.path, ("transformer", "vae"), "wan22")
    dtype = _dtype(config.dtype)
    kwargs = dict(local_files_only=True, use_safetensors=True)
    transformer = WanTransformer3DModel.from_pretrained(root, subfolder="transformer", torch_dtype=dtype, **kwargs)
    vae = AutoencoderKLWan.from_pretrained(root, subfolder="vae", torch_dtype=torch.float32, **kwargs)
    vae.eval().requires_grad_(False)
    prompt = neutral_prompt_embeds(root, text_dim=transformer.config.text_dim)
    return WanTI2VBackbone(transformer, WanVaeCodec(vae), prompt, config, family="wan22")

