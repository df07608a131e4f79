"""Wan2.1 image-to-video backbone: ``WanTransformer3DModel`` (with an image branch) + Wan VAE + CLIP image.

This follows diffusers' ``WanImageToVideoPipeline`` with ``expand_timesteps=False`` (Wan2.1 I2V):
every latent frame is noised, and the conditioning enters on extra input channels. The transformer
input is ``[noisy latents (16) | temporal mask (4) | VAE latent of [conditioning frames, zeros...] (16)]``
= 36 channels, and the penultimate hidden states of a CLIP vision model on the first frame are
attended to as extra context tokens (``encoder_hidden_states_image``). One scalar timestep per clip;
the transformer predicts the flow-matching velocity ``noise - x0``.

Two generalisations of the pipeline, both reducing to it when one frame conditions:
- conditioning may span several latent frames (``k`` clean frames = ``4(k-1)+1`` pixel frames): the
  mask is 1 on all of them and the condition video keeps all of them before the zeros;
- the loss is taken on the generated frames only (the interface's contract); the conditioning
  frames are still noised in the input, as Wan2.1 was trained.

Pixel conditioning. The backbone interface passes latents, but Wan2.1 needs pixels (CLIP image, and
the VAE latent of [frames, zeros], which differs from the latent of the frames followed by zero
latents). ``encode_clip`` computes both from the exact pixels and remembers them under a hash of the
clip's clean latent frames; when the solver calls plain ``encode``, the pixels are rebuilt by decoding
the clean latents (one VAE decode + encode per distinct clip, then remembered).

Builders:
- ``build_toy_wan21``: real diffusers / transformers classes at toy size, seeded random weights; the
  image encoder is a tiny ``CLIPVisionModel`` built from a config (no download).
- ``load_wan21``: a local diffusers-format folder (``transformer/``, ``vae/``, ``image_encoder/``,
  ``image_processor/``), safetensors only.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from diffusers import AutoencoderKLWan, FlowMatchEulerDiscreteScheduler, WanTransformer3DModel

from arcvdm.backbones.base import Backbone, FrameRule, generated_frames, masked_mean
from arcvdm.backbones.codecs import WanVaeCodec
from arcvdm.backbones.prompt import neutral_prompt_embeds
from arcvdm.backbones.weights import LOCAL_ONLY, OnDevice, place_helper, prepare_denoiser, require_folder
from arcvdm.config import BackboneConfig
from arcvdm.errors import BackboneRuleError, WeightsError

NUM_TRAIN_TIMESTEPS = 1000
TEXT_TOKENS = 512   # diffusers' Wan attention hard-codes 512 text tokens to split off the image tokens
MEMO_SIZE = 128     # distinct clips whose pixel conditioning is remembered


@dataclass(frozen=True)
class ClipPreprocess:
    """CLIPImageProcessor's steps in torch: resize the short side, centre-crop, normalise."""

    size: int = 224
    crop: int = 224
    mean: tuple[float, ...] = (0.48145466, 0.4578275, 0.40821073)
    std: tuple[float, ...] = (0.26862954, 0.26130258, 0.27577711)

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        x = (images.float() + 1.0) / 2.0                                        # (B, 3, H, W) in [0, 1]
        h, w = x.shape[-2:]
        scale = self.size / min(h, w)
        x = F.interpolate(x, size=(round(h * scale), round(w * scale)), mode="bicubic", antialias=True)
        top, left = (x.shape[-2] - self.crop) // 2, (x.shape[-1] - self.crop) // 2
        x = x[..., top : top + self.crop, left : left + self.crop].clamp(0, 1)  # (B, 3, crop, crop)
        mean = torch.tensor(self.mean, device=x.device).view(1, 3, 1, 1)
        std = torch.tensor(self.std, device=x.device).view(1, 3, 1, 1)
        return (x - mean) / std


class Wan21I2VBackbone(Backbone):
    """Wan2.1 I2V: noisy latents + mask + condition latents on channels, CLIP tokens as extra context."""

    def __init__(
        self,
        transformer: torch.nn.Module,
        codec: WanVaeCodec,
        image_encoder: torch.nn.Module,
        preprocess: ClipPreprocess,
        prompt_embeds: torch.Tensor,
        config: BackboneConfig,
        family: str = "wan21",
    ) -> None:
        if prompt_embeds.shape[1] != TEXT_TOKENS:
            raise WeightsError(
                f"{family}: prompt embeddings have {prompt_embeds.shape[1]} tokens; Wan2.1 I2V needs exactly "
                f"{TEXT_TOKENS} (zero-padded), as diffusers' attention splits image tokens off by that count"
            )
        self.family = family
        self.denoiser = transformer
        self.codec = codec
        self.image_encoder = image_encoder
        self.preprocess = preprocess
        self.prompt_embeds = prompt_embeds          # (1, 512, text_dim), computed once
        self.config = config
        self.patch = tuple(transformer.config.patch_size)  # (p_t, p_h, p_w)
        self.rule = FrameRule(codec.temporal, codec.spatial * self.patch[1], family)
        self._memo: OrderedDict[tuple[str, int], tuple[torch.Tensor, torch.Tensor]] = OrderedDict()
        transformer.requires_grad_(False)

    # -- codec -----------------------------------------------------------------------------
    def encode_clip(self, video: torch.Tensor, num_conditioning_frames: int) -> torch.Tensor:
        """Encode, and remember each clip's pixel conditioning computed from its exact pixels."""
        latents = self.encode(video)                                           # (B, C, f, h, w)
        k = self.rule.clean_latent_frames(num_conditioning_frames)
        for b in range(latents.shape[0]):
            pixels = video[b : b + 1, :, :num_conditioning_frames].to(self.device)  # (1, 3, k_pix, H, W)
            self._remember(self._key(latents[b, :, :k], latents.shape[2]), *self._from_pixels(pixels, latents.shape[2]))
        return latents

    # -- conditioning ----------------------------------------------------------------------
    @staticmethod
    def _key(clean: torch.Tensor, num_latent_frames: int) -> tuple[str, int]:
        digest = hashlib.sha1(clean.detach().float().cpu().contiguous().numpy().tobytes()).hexdigest()
        return digest, num_latent_frames

    def _remember(self, key: tuple[str, int], condition: torch.Tensor, image: torch.Tensor) -> None:
        self._memo[key] = (condition.cpu(), image.cpu())
        self._memo.move_to_end(key)
        while len(self._memo) > MEMO_SIZE:
            self._memo.popitem(last=False)

    @torch.no_grad()
    def _from_pixels(self, pixels: torch.Tensor, num_latent_frames: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(1, 3, k_pix, H, W) conditioning pixels -> condition (1, 4+C, f, h, w), CLIP tokens (1, L, D)."""
        _, _, k_pix, height, width = pixels.shape
        t = self.codec.temporal
        num_frames = (num_latent_frames - 1) * t + 1
        # 1. VAE latent of [conditioning frames, zeros...], normalised as the pipeline does.
        zeros = pixels.new_zeros(1, 3, num_frames - k_pix, height, width)
        latent_condition = self.encode(torch.cat([pixels, zeros], dim=2))      # (1, C, f, h, w)
        # 2. Temporal mask: 1 on conditioning pixel frames; the first frame repeated t times so the
        #    F+t-1 pixel frames fold into f latent frames of t channels each.
        h, w = latent_condition.shape[-2:]
        mask = torch.zeros(1, 1, num_frames, h, w, device=pixels.device)
        mask[:, :, :k_pix] = 1.0
        mask = torch.cat([mask[:, :, :1].repeat_interleave(t, dim=2), mask[:, :, 1:]], dim=2)  # (1, 1, F+t-1, h, w)
        mask = mask.view(1, num_latent_frames, t, h, w).transpose(1, 2)       # (1, t, f, h, w)
        condition = torch.cat([mask, latent_condition], dim=1)                # (1, t+C, f, h, w)
        # 3. CLIP penultimate hidden states of the first frame, as WanImageToVideoPipeline.encode_image.
        with OnDevice(self.image_encoder, self.device, self.config.cpu_offload) as encoder:
            pixel_values = self.preprocess(pixels[:, :, 0]).to(self.device, encoder.dtype)  # (1, 3, S, S)
            image = encoder(pixel_values=pixel_values, output_hidden_states=True).hidden_states[-2]  # (1, L, D)
        return condition, image.float()

    def _conditioning(self, clean: torch.Tensor, num_latent_frames: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Per clip: remembered conditioning, or rebuilt from the decoded clean latents."""
        conditions, images = [], []
        for b in range(clean.shape[0]):
            key = self._key(clean[b], num_latent_frames)
            if key not in self._memo:
                pixels = self.decode(clean[b : b + 1])                         # (1, 3, k_pix, H, W)
                self._remember(key, *self._from_pixels(pixels, num_latent_frames))
            condition, image = self._memo[key]
            conditions.append(condition)
            images.append(image)
        return torch.cat(conditions).to(self.device), torch.cat(images).to(self.device)

    # -- denoiser --------------------------------------------------------------------------
    def _velocity(self, latents: torch.Tensor, condition: torch.Tensor, image: torch.Tensor, timestep: torch.Tensor) -> torch.Tensor:
        """Transformer forward in its own dtype; returns float32 velocity (B, C, f, h, w)."""
        dtype = self.denoiser.dtype
        b = latents.shape[0]
        prompt = self.prompt_embeds.to(self.device, dtype).expand(b, -1, -1)   # (B, 512, text_dim)
        model_in = torch.cat([latents, condition], dim=1).to(dtype)           # (B, C + t + C, f, h, w)
        out = self.denoiser(
            hidden_states=model_in, timestep=timestep, encoder_hidden_states=prompt,
            encoder_hidden_states_image=image.to(dtype), return_dict=False,
        )[0]
        return out.float()

    def _check_latents(self, shape: tuple[int, ...]) -> None:
        _, _, f, h, w = shape
        p_t, p_h, p_w = self.patch
        if f % p_t or h % p_h or w % p_w:
            raise BackboneRuleError(f"{self.family}: latent size {f}x{h}x{w} is not divisible by the patch {self.patch}")

    # -- training --------------------------------------------------------------------------
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        self._check_latents(tuple(latents.shape))
        b, c, f, h, w = latents.shape
        x0 = latents.float()                                                   # (B, C, f, h, w)
        condition, image = self._conditioning(x0[:, :, :num_clean], f)
        # 1. Noise and a shifted-uniform sigma per clip (Wan's timestep shift).
        noise = torch.randn(x0.shape, generator=generator).to(x0.device)
        u = torch.rand(b, generator=generator).to(x0.device)
        shift = self.config.shift
        sigma = shift * u / (1 + (shift - 1) * u)                              # (B,)
        s = sigma.view(b, 1, 1, 1, 1)
        # 2. Every frame is noised (Wan2.1 I2V); the conditioning arrives on the extra channels.
        noisy = (1 - s) * x0 + s * noise
        pred = self._velocity(noisy, condition, image, sigma * NUM_TRAIN_TIMESTEPS)
        # 3. Regress the velocity on the generated frames only.
        mask = generated_frames(f, num_clean, x0.device).view(1, 1, f, 1, 1)
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
        condition, image = self._conditioning(clean, num_latent_frames)
        # 1. Flow-matching Euler schedule, shifted as in training.
        scheduler = FlowMatchEulerDiscreteScheduler(num_train_timesteps=NUM_TRAIN_TIMESTEPS, shift=self.config.shift)
        scheduler.set_timesteps(num_steps, device=self.device)
        # 2. Every latent frame starts from noise; the condition channels carry the clean frames.
        latents = torch.randn(shape, generator=generator).to(self.device)      # (B, C, f, h, w)
        for t in scheduler.timesteps:
            velocity = self._velocity(latents, condition, image, t.expand(b))
            latents = scheduler.step(velocity, t, latents).prev_sample
        # 3. The answer: the clean frames as given, then the generated ones.
        return torch.cat([clean, latents[:, :, k:]], dim=2)


def build_toy_wan21(config: BackboneConfig) -> Wan21I2VBackbone:
    """Real Wan2.1 I2V classes at toy size with seeded random weights (no download).

    Shapes follow diffusers' own Wan I2V test: VAE 4x8x8 with 16 latent channels, patch (1, 2, 2), so
    frames are 4k+1 and sizes multiples of 16. The image encoder is a 2-layer ``CLIPVisionModel``
    (32 px input, 8 px patches: 17 tokens of width 8) built from a config.
    """
    from transformers import CLIPVisionConfig, CLIPVisionModel

    with torch.random.fork_rng():
        torch.manual_seed(config.init_seed)
        vae = AutoencoderKLWan(
            base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True],
        )
        transformer = WanTransformer3DModel(
            patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=36, out_channels=16,
            text_dim=32, freq_dim=32, ffn_dim=32, num_layers=2, cross_attn_norm=True,
            qk_norm="rms_norm_across_heads", rope_max_seq_len=32, image_dim=8, added_kv_proj_dim=24,
        )
        image_encoder = CLIPVisionModel(
            CLIPVisionConfig(
                hidden_size=8, intermediate_size=16, num_hidden_layers=2, num_attention_heads=2,
                image_size=32, patch_size=8,
            )
        )
        prompt = torch.zeros(1, TEXT_TOKENS, 32)
        prompt[:, :8] = torch.randn(1, 8, 32) * 0.1   # a short "prompt", zero-padded to 512 as Wan does
    return Wan21I2VBackbone(
        prepare_denoiser(transformer, config), WanVaeCodec(place_helper(vae, config)),
        place_helper(image_encoder, config), ClipPreprocess(size=32, crop=32), prompt, config, family="toy-wan21",
    )


def load_wan21(config: BackboneConfig) -> Wan21I2VBackbone:
    """Wan2.1 I2V (14B 480P/720P diffusers layout) from a local folder, safetensors only."""
    from transformers import CLIPImageProcessor, CLIPVisionModel

    root = require_folder(config.path, ("transformer", "vae", "image_encoder", "image_processor"), "wan21")
    transformer = WanTransformer3DModel.from_pretrained(root, subfolder="transformer", **LOCAL_ONLY)
    if transformer.config.image_dim is None:
        raise WeightsError(f"wan21: {root / 'transformer'} has no image branch (image_dim is None): not an I2V model")
    vae = AutoencoderKLWan.from_pretrained(root, subfolder="vae", torch_dtype=torch.float32, **LOCAL_ONLY)
    image_encoder = CLIPVisionModel.from_pretrained(root / "image_encoder", **LOCAL_ONLY)
    processor = CLIPImageProcessor.from_pretrained(root / "image_processor", local_files_only=True)
    size = processor.size.get("shortest_edge", processor.size.get("height"))
    preprocess = ClipPreprocess(size, processor.crop_size["height"], tuple(processor.image_mean), tuple(processor.image_std))
    prompt = neutral_prompt_embeds(root, text_dim=transformer.config.text_dim, max_length=TEXT_TOKENS)
    return Wan21I2VBackbone(
        prepare_denoiser(transformer, config), WanVaeCodec(place_helper(vae, config)),
        place_helper(image_encoder, config), preprocess, prompt, config, family="wan21",
    )
