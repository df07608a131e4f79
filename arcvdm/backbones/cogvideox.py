"""CogVideoX image-to-video backbones (CogVideoX-5b-I2V and CogVideoX1.5-5B-I2V): v-prediction DDIM.

This follows diffusers' ``CogVideoXImageToVideoPipeline`` and its LoRA training script
(``examples/cogvideo/train_cogvideox_image_to_video_lora.py``):
- the transformer input is ``[noisy latents (C) | image latents (C)]`` on channels, where the image
  latents are the clean conditioning latent frames followed by zero frames;
- every latent frame is noised with the DDPM schedule (``add_noise``); one integer timestep per clip;
- the transformer predicts ``v``; ``x0 = sqrt(a) x_t - sqrt(1-a) v`` (``scheduler.get_velocity``) and
  the loss is ``1/(1-a_t) * |x0_pred - x0|^2`` on the generated frames (the script's weighting);
- sampling uses ``CogVideoXDDIMScheduler`` with the published scheduler config (trailing spacing,
  zero-terminal-SNR betas, v-prediction), rotary embeddings computed as the pipeline does.

Variants (read from the transformer's config, never guessed):
- 5b-I2V (``patch_size_t`` None, learned positional embeddings): exactly one size, 480x720 for the
  real weights (``sample_height/width`` x 8); the rule refuses any other. The learned table covers
  ``sample_frames`` (49) frames; diffusers silently replaces it by sin-cos embeddings the model never
  saw for any other count, so arcvdm hands the transformer the learned table sliced to the clip's
  latent frames (its first ``f`` frames, text positions unchanged), and the rule refuses more than 49.
- 1.5 (``patch_size_t`` = 2, ``ofs`` embedding): sizes multiples of 16; an odd number of latent
  frames is padded in front with ``patch_size_t - f % patch_size_t`` frames (a copy of the first),
  which are dropped after denoising; 1.5's image latents are scaled by ``1/scaling_factor`` instead of
  ``scaling_factor`` (``invert_scale_latents``), exactly as the pipeline does.

Frames: 8k+1, not just 4k+1. The CogVideoX VAE decodes latent frames in pairs, so an even latent count
decodes to 4 frames per latent (2 latents -> 8 frames, not 5); the published counts 49 and 81 (and the
paper's 9) are all 8k+1. ``FrameRule.frame_step`` encodes this.

Text: the transformer has a fixed text length (``max_text_seq_length``, 226 for the real weights);
prompt embeddings of any other length are a ``WeightsError``. The neutral prompt is encoded without
an attention mask, as the pipeline's ``_get_t5_prompt_embeds`` (``prompt.py``, padding "keep").

Conditioning: the image latents are the encoding of the conditioning frames alone (the pipeline
encodes the image alone; ``Backbone.encode_clip`` gives training the same latents), taken as the
mode of the VAE posterior where the pipeline draws a sample (deterministic encoding of a task).
Sampling noise is drawn in the pipeline's ``(B, f, C, h, w)`` layout, so the same generator gives
the same video as ``CogVideoXImageToVideoPipeline``.

Layout boundary: arcvdm's latents are ``(B, C, f, h, w)``; CogVideoX's transformer takes and returns
``(B, f, C, h, w)``. ``_v_pred`` converts explicitly on both sides.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import torch
from diffusers import AutoencoderKLCogVideoX, CogVideoXDDIMScheduler, CogVideoXTransformer3DModel
from diffusers.models.embeddings import get_3d_rotary_pos_embed
from diffusers.pipelines.cogvideo.pipeline_cogvideox_image2video import get_resize_crop_region_for_grid

from arcvdm.backbones.base import Backbone, Geometry, generated_frames, masked_mean
from arcvdm.backbones.prompt import neutral_prompt_embeds
from arcvdm.backbones.weights import (
    load_component, place_helper, prepare_denoiser, read_config, require_folder, torch_dtype,
)
from arcvdm.config import BackboneConfig
from arcvdm.errors import BackboneRuleError, WeightsError

# The published CogVideoX-5b-I2V / CogVideoX1.5-5B-I2V scheduler_config.json values.
SCHEDULER_CONFIG = dict(
    num_train_timesteps=1000, beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012, clip_sample=False,
    prediction_type="v_prediction", rescale_betas_zero_snr=True, set_alpha_to_one=True, snr_shift_scale=1.0,
    timestep_spacing="trailing", steps_offset=0,
)


class CogVideoXCodec:
    """CogVideoX VAE: ``z = mode(E(x)) * scaling_factor`` on encode, ``D(z / scaling_factor)`` on decode.

    The pipeline draws a sample of the latent distribution; arcvdm takes its mode so that encoding a
    task is deterministic (the same choice as ``WanVaeCodec``).
    """

    def __init__(self, vae: torch.nn.Module) -> None:
        self.vae = vae
        cfg = vae.config
        self.channels, self.temporal, self.spatial = self.compression(cfg)
        self.scale = cfg.scaling_factor
        self.invert_image_scale = bool(cfg.invert_scale_latents)

    @staticmethod
    def compression(vae_config) -> tuple[int, int, int]:
        """(latent channels, temporal, spatial compression) from an ``AutoencoderKLCogVideoX`` config."""
        cfg = dict(vae_config)
        return cfg["latent_channels"], cfg["temporal_compression_ratio"], 2 ** (len(cfg["block_out_channels"]) - 1)

    @torch.no_grad()
    def encode(self, video: torch.Tensor) -> torch.Tensor:
        x = video.to(self.vae.device, self.vae.dtype)                       # (B, 3, F, H, W)
        return self.vae.encode(x).latent_dist.mode().float() * self.scale   # (B, C, f, h, w)

    @torch.no_grad()
    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        z = (latents.float() / self.scale).to(self.vae.device, self.vae.dtype)
        return self.vae.decode(z).sample.float().clamp(-1, 1)               # (B, 3, F, H, W)

    def image_latents(self, clean: torch.Tensor) -> torch.Tensor:
        """Video latents -> the scale the transformer's image channels were trained on."""
        if self.invert_image_scale:  # 1.5: image latents are z / scale (the pipeline's "awkward" comment)
            return clean / (self.scale * self.scale)
        return clean


def geometry_of(transformer_config: dict, compression: tuple[int, int, int], family: str) -> Geometry:
    """CogVideoX geometry from the transformer's and the VAE's configs (loader and ``arcvdm plan``).

    Frames 8k+1 (``frame_step``: the VAE decodes only an odd latent count back to 4k+1 frames); with
    learned positional embeddings (5b) one fixed size and at most ``sample_frames`` frames."""
    tcfg = dict(transformer_config)
    channels, temporal, spatial = compression               # CogVideoXCodec.compression(vae config)
    fixed, max_frames = None, None
    if tcfg.get("use_learned_positional_embeddings"):
        fixed = (tcfg["sample_height"] * spatial, tcfg["sample_width"] * spatial)
        max_frames = tcfg["sample_frames"]
    p = tcfg["patch_size"]
    return Geometry(
        family, channels, temporal, spatial, (tcfg.get("patch_size_t") or 1, p, p), frame_step=2 * temporal,
        fixed=fixed, text_tokens=tcfg["max_text_seq_length"], max_frames=max_frames,
    )


TRANSFORMER = CogVideoXTransformer3DModel


def geometry_from_folder(root: Path, family: str = "cogvideox15") -> Geometry:
    """The geometry ``load_cogvideox`` will build, from the config files alone (``arcvdm plan``)."""
    transformer = read_config(root / "transformer", family)
    return geometry_of(transformer, CogVideoXCodec.compression(read_config(root / "vae", family)), family)


class CogVideoXI2VBackbone(Backbone):
    """CogVideoX I2V: noisy latents and image latents on channels, v-prediction, DDIM sampling."""

    pipeline_class = "CogVideoXImageToVideoPipeline"

    def __init__(
        self,
        transformer: torch.nn.Module,
        codec: CogVideoXCodec,
        scheduler: CogVideoXDDIMScheduler,
        prompt_embeds: torch.Tensor,
        config: BackboneConfig,
        family: str,
    ) -> None:
        tcfg = transformer.config
        if tuple(prompt_embeds.shape[1:]) != (tcfg.max_text_seq_length, tcfg.text_embed_dim):
            raise WeightsError(
                f"{family}: prompt embeddings have shape {tuple(prompt_embeds.shape)}; the transformer needs exactly "
                f"(1, {tcfg.max_text_seq_length}, {tcfg.text_embed_dim}) (max_text_seq_length x text_embed_dim)"
            )
        compression = (codec.channels, codec.temporal, codec.spatial)
        super().__init__(transformer, codec, prompt_embeds, config, geometry_of(dict(tcfg), compression, family))
        self.scheduler = scheduler
        self.p = tcfg.patch_size
        self.p_t = tcfg.patch_size_t                # None for 5b, 2 for 1.5

    # -- helpers ---------------------------------------------------------------------------
    def _padding(self, f: int) -> int:
        """1.5 only: latent frames added in front so the count divides ``patch_size_t``."""
        return 0 if self.p_t is None or f % self.p_t == 0 else self.p_t - f % self.p_t

    def conditioning(self, clean: torch.Tensor, num_latent_frames: int) -> dict[str, torch.Tensor]:
        """Image latents (B, C, pad + f, h, w): the clean frames at the image scale, then zeros, as the
        pipeline's ``prepare_latents`` (1.5's extra latent frame lengthens the zeros)."""
        b, c, k, h, w = clean.shape
        total = self._padding(num_latent_frames) + num_latent_frames
        image = self.codec.image_latents(clean.float().to(self.device))
        return {"image": torch.cat([image, image.new_zeros(b, c, total - k, h, w)], dim=2)}

    @contextmanager
    def _positions(self, f: int):
        """5b: the learned positional table sliced to ``f`` latent frames for one forward (no-op otherwise).

        diffusers' ``CogVideoXPatchEmbed`` uses its learned table only when the clip has exactly
        ``sample_frames`` frames and computes sin-cos embeddings otherwise; presenting the first ``f``
        frames of the table as a ``(f-1)*4+1``-frame table keeps the embeddings the model was trained on.
        """
        embed = self.denoiser.patch_embed
        frames = (f - 1) * embed.temporal_compression_ratio + 1
        if not embed.use_learned_positional_embeddings or frames == embed.sample_frames:
            yield
            return
        learned = (embed.sample_frames - 1) // embed.temporal_compression_ratio + 1
        if f > learned:
            raise BackboneRuleError(
                f"{self.family}: {f} latent frames breaks the rule latent frames <= {learned} "
                f"(the learned positional embeddings cover {embed.sample_frames} frames)"
            )
        per_frame = (embed.sample_height // self.p) * (embed.sample_width // self.p)
        saved = embed.sample_frames, embed.pos_embedding
        embed.sample_frames = frames
        embed.pos_embedding = saved[1][:, : embed.max_text_seq_length + f * per_frame]   # (1, L + f*h*w, D)
        try:
            yield
        finally:
            embed.sample_frames, embed.pos_embedding = saved

    def _rotary(self, f: int, h: int, w: int) -> tuple[torch.Tensor, torch.Tensor] | None:
        """The pipeline's ``_prepare_rotary_positional_embeddings`` for f latent frames of h x w."""
        tcfg = self.denoiser.config
        if not tcfg.use_rotary_positional_embeddings:
            return None
        grid_h, grid_w = h // self.p, w // self.p
        base_w, base_h = tcfg.sample_width // self.p, tcfg.sample_height // self.p
        if self.p_t is None:  # CogVideoX 1.0
            crops = get_resize_crop_region_for_grid((grid_h, grid_w), base_w, base_h)
            return get_3d_rotary_pos_embed(
                embed_dim=tcfg.attention_head_dim, crops_coords=crops, grid_size=(grid_h, grid_w),
                temporal_size=f, device=self.device,
            )
        return get_3d_rotary_pos_embed(  # CogVideoX 1.5
            embed_dim=tcfg.attention_head_dim, crops_coords=None, grid_size=(grid_h, grid_w),
            temporal_size=(f + self.p_t - 1) // self.p_t, grid_type="slice", max_size=(base_h, base_w),
            device=self.device,
        )

    def _v_pred(self, noisy: torch.Tensor, image: torch.Tensor, timestep: torch.Tensor) -> torch.Tensor:
        """Transformer forward at the layout boundary; returns float32 v (B, C, f, h, w)."""
        dtype = self.denoiser.dtype
        b, _, f, h, w = noisy.shape
        model_in = torch.cat([noisy, image], dim=1).to(dtype)                 # (B, 2C, f, h, w)
        model_in = model_in.permute(0, 2, 1, 3, 4)                            # (B, f, 2C, h, w)  CogVideoX layout
        prompt = self.prompt_embeds.to(self.device, dtype).expand(b, -1, -1)
        ofs = None if self.denoiser.config.ofs_embed_dim is None else model_in.new_full((1,), 2.0)
        with self._positions(f):
            out = self.denoiser(
                hidden_states=model_in, encoder_hidden_states=prompt, timestep=timestep, ofs=ofs,
                image_rotary_emb=self._rotary(f, h, w), return_dict=False,
            )[0]                                                              # (B, f, C, h, w)
        return out.permute(0, 2, 1, 3, 4).float()                            # (B, C, f, h, w)

    def _check_latents(self, shape: tuple[int, ...]) -> None:
        _, _, f, h, w = shape
        super()._check_latents((1, 1, f + self._padding(f), h, w))

    # -- training --------------------------------------------------------------------------
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        self._check_latents(tuple(latents.shape))
        b, c, f, h, w = latents.shape
        pad = self._padding(f)
        # 1. 1.5 pads in front (a copy of the first frame, dropped again from the loss).
        x0 = torch.cat([latents[:, :, :1].expand(-1, -1, pad, -1, -1), latents], dim=2).float()  # (B, C, pad+f, h, w)
        image = self.conditioning(latents[:, :, :num_clean], f)["image"]     # (B, C, pad+f, h, w)
        # 2. One integer timestep per clip; every frame noised with the DDPM schedule (as the script).
        noise = torch.randn(x0.shape, generator=generator).to(x0.device)
        t = torch.randint(0, self.scheduler.config.num_train_timesteps, (b,), generator=generator).to(x0.device)
        noisy = self.scheduler.add_noise(x0, noise, t)
        # 3. v-prediction -> x0 prediction, weighted by 1/(1 - alpha_bar_t), on the generated frames only.
        v = self._v_pred(noisy, image, t)
        x0_pred = self.scheduler.get_velocity(v, noisy, t)
        alphas = self.scheduler.alphas_cumprod.to(x0.device)[t]
        weights = (1.0 / (1.0 - alphas)).view(b, 1, 1, 1, 1)
        mask = generated_frames(pad + f, pad + num_clean, x0.device).view(1, 1, -1, 1, 1)
        return masked_mean(weights * (x0_pred - x0) ** 2, mask)

    # -- sampling --------------------------------------------------------------------------
    @torch.no_grad()
    def sample(
        self, clean: torch.Tensor, num_latent_frames: int, num_steps: int, generator: torch.Generator
    ) -> torch.Tensor:
        b, c, k, h, w = clean.shape
        clean = clean.float().to(self.device)
        self._check_latents((b, c, num_latent_frames, h, w))
        pad = self._padding(num_latent_frames)
        total = pad + num_latent_frames
        image = self.conditioning(clean, num_latent_frames)["image"]           # (B, C, total, h, w)
        # 1. DDIM with the published schedule (fresh copy: set_timesteps mutates the scheduler).
        scheduler = CogVideoXDDIMScheduler.from_config(self.scheduler.config)
        scheduler.set_timesteps(num_steps, device=self.device)
        # 2. Every latent frame starts from noise, drawn in the pipeline's (B, f, C, h, w) layout;
        #    the image channels carry the clean frames.
        noise = torch.randn((b, total, c, h, w), generator=generator).permute(0, 2, 1, 3, 4)   # (B, C, total, h, w)
        latents = noise.to(self.device) * scheduler.init_noise_sigma
        for t in scheduler.timesteps:
            v = self._v_pred(latents, image, t.expand(b))
            latents = scheduler.step(v, t, latents, eta=0.0, return_dict=False)[0]
        # 3. Drop 1.5's padding frames; the clean frames as given, then the generated ones.
        latents = latents[:, :, pad:]
        return torch.cat([clean, latents[:, :, k:]], dim=2)


def toy_configs(variant: str) -> tuple[dict, dict]:
    """(VAE kwargs, transformer kwargs) of the toy CogVideoX (also written to disk by the loader tests)."""
    if variant not in ("5b", "1.5"):
        raise ValueError(f"variant must be '5b' or '1.5', got {variant!r}")
    v15 = variant == "1.5"
    vae = dict(
        in_channels=3, out_channels=3, down_block_types=("CogVideoXDownBlock3D",) * 4,
        up_block_types=("CogVideoXUpBlock3D",) * 4, block_out_channels=(8, 8, 8, 8), latent_channels=4,
        layers_per_block=1, norm_num_groups=2, temporal_compression_ratio=4, invert_scale_latents=v15,
    )
    transformer = dict(
        num_attention_heads=2, attention_head_dim=16, in_channels=8, out_channels=4, time_embed_dim=8,
        text_embed_dim=32, num_layers=2, sample_width=8 if v15 else 4, sample_height=8 if v15 else 4,
        sample_frames=9, patch_size=2, patch_size_t=2 if v15 else None, temporal_compression_ratio=4,
        max_text_seq_length=16, use_rotary_positional_embeddings=True,
        use_learned_positional_embeddings=not v15, ofs_embed_dim=8 if v15 else None, patch_bias=not v15,
    )
    return vae, transformer


def build_toy_cogvideox(config: BackboneConfig, variant: str = "1.5", **transformer_overrides) -> CogVideoXI2VBackbone:
    """Real CogVideoX classes at toy size, seeded random weights (no download).

    ``variant="1.5"`` (the registry's ``toy-cogvideox``: the layout of the published setup) has
    ``patch_size_t=2``, an ``ofs`` embedding, rotary embeddings, sizes multiples of 16 up to 64 px;
    ``variant="5b"`` has learned positional embeddings and so exactly one size, 32x32. VAE 4x8x8 with
    4 latent channels (diffusers' own I2V test), text length 16.
    """
    vae_kwargs, transformer_kwargs = toy_configs(variant)
    transformer_kwargs.update(transformer_overrides)
    with torch.random.fork_rng():
        torch.manual_seed(config.init_seed)
        vae = AutoencoderKLCogVideoX(**vae_kwargs)
        transformer = CogVideoXTransformer3DModel(**transformer_kwargs)
        prompt = torch.randn(1, 16, 32) * 0.1
    return CogVideoXI2VBackbone(
        prepare_denoiser(transformer, config), CogVideoXCodec(place_helper(vae, config)),
        CogVideoXDDIMScheduler(**SCHEDULER_CONFIG), prompt, config,
        family="toy-cogvideox" + ("" if variant == "1.5" else "-5b"),
    )


def load_cogvideox(config: BackboneConfig, variant: str) -> CogVideoXI2VBackbone:
    """CogVideoX-5b-I2V (``variant="5b"``) or CogVideoX1.5-5B-I2V (``"1.5"``) from a local diffusers folder."""
    family = "cogvideox" if variant == "5b" else "cogvideox15"
    root = Path(require_folder(config.path, ("transformer", "vae", "scheduler"), family))
    transformer = load_component(CogVideoXTransformer3DModel, root, "transformer", family, torch_dtype(config.dtype))
    is_15 = transformer.config.patch_size_t is not None
    if is_15 != (variant == "1.5"):
        raise WeightsError(
            f"{family}: {root / 'transformer'} has patch_size_t={transformer.config.patch_size_t}, "
            f"which is the {'1.5' if is_15 else '5b'} layout, not {variant}; use backbone.name = "
            f"{'cogvideox15' if is_15 else 'cogvideox'}"
        )
    vae = load_component(AutoencoderKLCogVideoX, root, "vae", family, torch.float32)
    scheduler = CogVideoXDDIMScheduler.from_pretrained(root, subfolder="scheduler", local_files_only=True)
    tcfg = transformer.config
    prompt = neutral_prompt_embeds(
        root, text_dim=tcfg.text_embed_dim, max_length=tcfg.max_text_seq_length,
        encoder_class="T5EncoderModel", padding="keep",
    )
    return CogVideoXI2VBackbone(
        prepare_denoiser(transformer, config), CogVideoXCodec(place_helper(vae, config)), scheduler, prompt,
        config, family=family,
    )
