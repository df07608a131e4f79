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

Pixel conditioning, from the exact pixels in training AND sampling. The backbone interface passes
latents, but Wan2.1 needs pixels (the CLIP image, and the VAE latent of [frames, zeros], which
differs from the latent of the frames followed by zero latents). ``encode_clip`` (called by the
solver for training clips and for a test input's frames alike) encodes the conditioning frames alone
(the base class) and remembers their pixels under a hash of those clean latents; ``conditioning``
looks the pixels up and computes mask, condition latents and CLIP tokens for the clip's length.
Because the clean latents are computed the same way in both cases, the lookup hits in sampling;
only latents that never went through ``encode_clip`` fall back to decoding them to pixels.
The CLIP image goes through the folder's own ``CLIPImageProcessor``, as the pipeline's ``encode_image``.

Builders:
- ``build_toy_wan21``: real diffusers / transformers classes at toy size, seeded random weights; the
  image encoder is a tiny ``CLIPVisionModel`` built from a config (no download).
- ``load_wan21``: a local diffusers-format folder (``transformer/``, ``vae/``, ``image_encoder/``,
  ``image_processor/``), safetensors only; the transformer loads in ``backbone.dtype`` with the
  modules diffusers keeps in fp32 (``_keep_in_fp32_modules``) kept in fp32; VAE and CLIP in fp32.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from diffusers import AutoencoderKLWan, WanTransformer3DModel

from arcvdm.backbones import flow
from arcvdm.backbones.base import Backbone, generated_frames, masked_mean
from arcvdm.backbones.codecs import WanVaeCodec
from arcvdm.backbones.prompt import neutral_prompt_embeds
from arcvdm.backbones.base import Geometry
from arcvdm.backbones.wan import geometry_of
from arcvdm.backbones.weights import (
    OnDevice, load_component, load_hf_component, place_helper, prepare_denoiser, read_config, require_folder,
    torch_dtype,
)
from arcvdm.config import BackboneConfig
from arcvdm.errors import WeightsError

TEXT_TOKENS = 512   # diffusers' Wan attention hard-codes 512 text tokens to split off the image tokens
MEMO_SIZE = 128     # distinct clips whose conditioning pixels are remembered
TRANSFORMER = WanTransformer3DModel


def image_tokens(image_encoder_config) -> int:
    """CLIP tokens of one image: patches + the class token (257 for ViT-H/14 at 224 px)."""
    cfg = dict(image_encoder_config.to_dict() if hasattr(image_encoder_config, "to_dict") else image_encoder_config)
    cfg = cfg.get("vision_config", cfg)
    return (cfg["image_size"] // cfg["patch_size"]) ** 2 + 1


def geometry_from_folder(root: Path, family: str = "wan21") -> Geometry:
    """The geometry ``load_wan21`` will build, from the config files alone (``arcvdm plan``)."""
    transformer = read_config(root / "transformer", family)
    compression = WanVaeCodec.compression(read_config(root / "vae", family))
    clip = read_config(root / "image_encoder", family) if (root / "image_encoder").is_dir() else {"image_size": 224, "patch_size": 14}
    return geometry_of(transformer, compression, family, TEXT_TOKENS + image_tokens(clip))


class Wan21I2VBackbone(Backbone):
    """Wan2.1 I2V: noisy latents + mask + condition latents on channels, CLIP tokens as extra context."""

    pipeline_class = "WanImageToVideoPipeline"

    def __init__(
        self,
        transformer: torch.nn.Module,
        codec: WanVaeCodec,
        image_encoder: torch.nn.Module,
        image_processor,
        prompt_embeds: torch.Tensor,
        config: BackboneConfig,
        family: str = "wan21",
    ) -> None:
        if prompt_embeds.shape[1] != TEXT_TOKENS:
            raise WeightsError(
                f"{family}: prompt embeddings have {prompt_embeds.shape[1]} tokens; Wan2.1 I2V needs exactly "
                f"{TEXT_TOKENS} (zero-padded), as diffusers' attention splits image tokens off by that count"
            )
        compression = (codec.channels, codec.temporal, codec.spatial)
        text_tokens = TEXT_TOKENS + image_tokens(image_encoder.config)
        super().__init__(transformer, codec, prompt_embeds, config, geometry_of(dict(transformer.config), compression, family, text_tokens))
        self.image_encoder = image_encoder
        self.image_processor = image_processor      # transformers CLIPImageProcessor, as the pipeline's
        self.sampler = flow.sampler_of(config)
        self._pixels: OrderedDict[str, torch.Tensor] = OrderedDict()            # clean-latent hash -> pixels
        self._conditions: OrderedDict[tuple[str, int], tuple[torch.Tensor, torch.Tensor]] = OrderedDict()

    # -- codec -----------------------------------------------------------------------------
    def encode_clip(self, video: torch.Tensor, num_conditioning_frames: int) -> torch.Tensor:
        """Encode (clean frames from the conditioning frames alone) and remember each clip's conditioning pixels."""
        latents = super().encode_clip(video, num_conditioning_frames)          # (B, C, f, h, w)
        k = self.rule.clean_latent_frames(num_conditioning_frames)
        for b in range(latents.shape[0]):
            pixels = video[b : b + 1, :, :num_conditioning_frames].detach().float().cpu()  # (1, 3, k_pix, H, W)
            _remember(self._pixels, _key(latents[b, :, :k]), pixels)
        if latents.shape[2] > k:  # a training clip: its conditioning now, outside the training loop's autocast
            self.conditioning(latents[:, :, :k], latents.shape[2])
        return latents

    # -- conditioning ----------------------------------------------------------------------
    @torch.no_grad()
    def _from_pixels(self, pixels: torch.Tensor, num_latent_frames: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(1, 3, k_pix, H, W) conditioning pixels -> condition (1, t+C, f, h, w), CLIP tokens (1, L, D).

        Always at the helpers' own precision (fp32), even when first asked for inside a bf16 autocast."""
        with torch.autocast(self.device.type, enabled=False):
            return self._from_pixels_fp32(pixels, num_latent_frames)

    def _from_pixels_fp32(self, pixels: torch.Tensor, num_latent_frames: int) -> tuple[torch.Tensor, torch.Tensor]:
        pixels = pixels.to(self.device)
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
        # 3. CLIP penultimate hidden states of the first frame, through the folder's CLIPImageProcessor
        #    on its uint8 pixels, as WanImageToVideoPipeline.encode_image does with a PIL image.
        first = ((pixels[0, :, 0].float().clamp(-1, 1) + 1.0) * 127.5).round().to(torch.uint8)  # (3, H, W)
        image_u8 = first.permute(1, 2, 0).cpu().numpy()                                      # (H, W, 3)
        with OnDevice(self.image_encoder, self.device, self.config.cpu_offload) as encoder:
            values = self.image_processor(images=image_u8, return_tensors="pt").pixel_values   # (1, 3, S, S)
            out = encoder(pixel_values=values.to(encoder.device, encoder.dtype), output_hidden_states=True)
            image = out.hidden_states[-2]                                                      # (1, L, D)
        return condition, image.float().to(self.device)

    def conditioning(self, clean: torch.Tensor, num_latent_frames: int) -> dict[str, torch.Tensor]:
        """Per clip: the condition channels and CLIP tokens computed from the remembered exact pixels."""
        conditions, images = [], []
        for b in range(clean.shape[0]):
            key = _key(clean[b])
            if (key, num_latent_frames) not in self._conditions:
                pixels = self._pixels.get(key)
                if pixels is None:  # latents that never went through encode_clip: rebuild their pixels
                    pixels = self.decode(clean[b : b + 1].to(self.device))      # (1, 3, k_pix, H, W)
                condition, image = self._from_pixels(pixels, num_latent_frames)
                _remember(self._conditions, (key, num_latent_frames), (condition.cpu(), image.cpu()))  # kept off the GPU
            condition, image = self._conditions[(key, num_latent_frames)]
            conditions.append(condition)
            images.append(image)
        return {"condition": torch.cat(conditions).to(self.device), "image": torch.cat(images).to(self.device)}

    # -- denoiser --------------------------------------------------------------------------
    def _velocity(self, latents: torch.Tensor, cond: dict[str, torch.Tensor], timestep: torch.Tensor) -> torch.Tensor:
        """Transformer forward in its own dtype; returns float32 velocity (B, C, f, h, w)."""
        dtype = self.denoiser.dtype
        b = latents.shape[0]
        prompt = self.prompt_embeds.to(self.device, dtype).expand(b, -1, -1)   # (B, 512, text_dim)
        model_in = torch.cat([latents, cond["condition"]], dim=1).to(dtype)   # (B, C + t + C, f, h, w)
        out = self.denoiser(
            hidden_states=model_in, timestep=timestep, encoder_hidden_states=prompt,
            encoder_hidden_states_image=cond["image"].to(dtype), return_dict=False,
        )[0]
        return out.float()

    # -- training --------------------------------------------------------------------------
    def training_loss(self, latents: torch.Tensor, num_clean: int, generator: torch.Generator) -> torch.Tensor:
        self._check_latents(tuple(latents.shape))
        b, c, f, h, w = latents.shape
        x0 = latents.float()                                                   # (B, C, f, h, w)
        cond = self.conditioning(x0[:, :, :num_clean], f)
        # 1. Noise and a shifted-uniform sigma per clip (Wan's timestep shift).
        noise = torch.randn(x0.shape, generator=generator).to(x0.device)
        sigma = flow.draw_sigma(b, self.config.shift, generator, x0.device)   # (B,)
        # 2. Every frame is noised (Wan2.1 I2V); the conditioning arrives on the extra channels.
        noisy = flow.noised(x0, noise, sigma)
        pred = self._velocity(noisy, cond, sigma * flow.NUM_TRAIN_TIMESTEPS)
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
        cond = self.conditioning(clean, num_latent_frames)
        # 1. Flow-matching scheduler (Euler, or Wan's published UniPC), shifted as in training.
        scheduler = flow.sampler(self.sampler, self.config.shift, num_steps, self.device, self.family)
        # 2. Every latent frame starts from noise; the condition channels carry the clean frames.
        latents = torch.randn(shape, generator=generator).to(self.device)      # (B, C, f, h, w)
        for t in scheduler.timesteps:
            velocity = self._velocity(latents, cond, t.expand(b))
            latents = scheduler.step(velocity, t, latents, return_dict=False)[0]
        # 3. The answer: the clean frames as given, then the generated ones.
        return torch.cat([clean, latents[:, :, k:]], dim=2)


def _key(clean: torch.Tensor) -> str:
    """A hash of one clip's clean latents (C, k, h, w): the same clip gives the same bits (base.encode_clip)."""
    array = np.ascontiguousarray(clean.detach().float().cpu().numpy())
    return hashlib.sha1(array.tobytes() + str(array.shape).encode()).hexdigest()


def _remember(memo: OrderedDict, key, value) -> None:
    memo[key] = value
    memo.move_to_end(key)
    while len(memo) > MEMO_SIZE:
        memo.popitem(last=False)


# Toy sizes (also used by the parity and loader tests): diffusers' own Wan I2V test shapes.
TOY_VAE = dict(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True])
TOY_TRANSFORMER = dict(
    patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=36, out_channels=16,
    text_dim=32, freq_dim=32, ffn_dim=32, num_layers=2, cross_attn_norm=True,
    qk_norm="rms_norm_across_heads", rope_max_seq_len=32, image_dim=8, added_kv_proj_dim=24,
)
TOY_CLIP = dict(hidden_size=8, intermediate_size=16, num_hidden_layers=2, num_attention_heads=2, image_size=32, patch_size=8)


def toy_image_processor():
    """A CLIPImageProcessor for the toy's 32 px CLIP (the published one, resized: shortest edge and crop 32)."""
    from transformers import CLIPImageProcessor

    return CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})


def build_toy_wan21(config: BackboneConfig) -> Wan21I2VBackbone:
    """Real Wan2.1 I2V classes at toy size with seeded random weights (no download).

    Shapes follow diffusers' own Wan I2V test: VAE 4x8x8 with 16 latent channels, patch (1, 2, 2), so
    frames are 4k+1 and sizes multiples of 16. The image encoder is a 2-layer ``CLIPVisionModel``
    (32 px input, 8 px patches: 17 tokens of width 8) built from a config.
    """
    from transformers import CLIPVisionConfig, CLIPVisionModel

    with torch.random.fork_rng():
        torch.manual_seed(config.init_seed)
        vae = AutoencoderKLWan(**TOY_VAE)
        transformer = WanTransformer3DModel(**TOY_TRANSFORMER)
        image_encoder = CLIPVisionModel(CLIPVisionConfig(**TOY_CLIP))
        prompt = torch.zeros(1, TEXT_TOKENS, 32)
        prompt[:, :8] = torch.randn(1, 8, 32) * 0.1   # a short "prompt", zero-padded to 512 as Wan does
    return Wan21I2VBackbone(
        prepare_denoiser(transformer, config), WanVaeCodec(place_helper(vae, config)),
        place_helper(image_encoder, config), toy_image_processor(), prompt, config, family="toy-wan21",
    )


def load_wan21(config: BackboneConfig) -> Wan21I2VBackbone:
    """Wan2.1 I2V (14B 480P/720P diffusers layout) from a local folder, safetensors only."""
    from transformers import CLIPImageProcessor, CLIPVisionModel

    root = require_folder(config.path, ("transformer", "vae", "image_encoder", "image_processor"), "wan21")
    # torch_dtype at load: the 14B transformer never exists in fp32 (~57 GB); diffusers keeps its
    # _keep_in_fp32_modules (time embedder, modulation tables, norms) in fp32 while loading.
    transformer = load_component(WanTransformer3DModel, root, "transformer", "wan21", torch_dtype(config.dtype))
    if transformer.config.image_dim is None:
        raise WeightsError(f"wan21: {root / 'transformer'} has no image branch (image_dim is None): not an I2V model")
    vae = load_component(AutoencoderKLWan, root, "vae", "wan21", torch.float32)
    image_encoder = load_hf_component(CLIPVisionModel, root / "image_encoder", "wan21", torch.float32)
    processor = CLIPImageProcessor.from_pretrained(root / "image_processor", local_files_only=True)
    prompt = neutral_prompt_embeds(Path(root), text_dim=transformer.config.text_dim, max_length=TEXT_TOKENS)
    return Wan21I2VBackbone(
        prepare_denoiser(transformer, config), WanVaeCodec(place_helper(vae, config)),
        place_helper(image_encoder, config), processor, prompt, config, family="wan21",
    )
