"""Codecs: pixels <-> latents.

- ``WanVaeCodec`` wraps diffusers' ``AutoencoderKLWan`` (Wan2.1: 4x8x8, 16 channels; Wan2.2 TI2V:
  4x16x16, 48 channels) and its per-channel latent normalisation, as the Wan pipelines do.
- ``CellCodec`` is the embedded model's lossless "identity" codec: every pixel is one cell, coded as
  a one-hot over the 11 cell classes (ten ARC colours + PAD) scaled to {-1, +1}. Decoding takes the
  argmax class, so a generated frame is always exactly in the palette.
"""

from __future__ import annotations

import torch

from arcvdm.palette import CLASS_RGB, NUM_CLASSES


class WanVaeCodec:
    """Wan VAE: ``z = (mode(E(x)) - mean) / std`` on encode, the inverse then D on decode."""

    def __init__(self, vae: torch.nn.Module) -> None:
        self.vae = vae
        cfg = vae.config
        self.channels, self.temporal, self.spatial = self.compression(cfg)
        self._mean = torch.tensor(cfg.latents_mean, dtype=torch.float32).view(1, -1, 1, 1, 1)
        self._std = torch.tensor(cfg.latents_std, dtype=torch.float32).view(1, -1, 1, 1, 1)

    @staticmethod
    def compression(vae_config) -> tuple[int, int, int]:
        """(latent channels, temporal, spatial compression) from an ``AutoencoderKLWan`` config."""
        cfg = dict(vae_config)
        return cfg["z_dim"], cfg.get("scale_factor_temporal", 4), cfg.get("scale_factor_spatial", 8)

    @torch.no_grad()
    def encode(self, video: torch.Tensor) -> torch.Tensor:
        x = video.to(self.vae.device, self.vae.dtype)                       # (B, 3, F, H, W)
        z = self.vae.encode(x).latent_dist.mode().float()                   # (B, C, f, h, w)
        return (z - self._mean.to(z.device)) / self._std.to(z.device)

    @torch.no_grad()
    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        z = latents.float() * self._std.to(latents.device) + self._mean.to(latents.device)
        video = self.vae.decode(z.to(self.vae.dtype)).sample                # (B, 3, F, H, W)
        return video.float().clamp(-1, 1)


class CellCodec:
    """One pixel = one cell; latent = one-hot over the 11 cell classes, in {-1, +1}. Lossless."""

    channels = NUM_CLASSES
    temporal = 1
    spatial = 1

    def __init__(self) -> None:
        rgb = torch.from_numpy(CLASS_RGB).float() / 127.5 - 1.0            # (11, 3) in [-1, 1]
        self._class_rgb = rgb

    @torch.no_grad()
    def encode(self, video: torch.Tensor) -> torch.Tensor:
        b, _, f, h, w = video.shape
        pixels = video.float().permute(0, 2, 3, 4, 1).reshape(-1, 1, 3)     # (N, 1, 3)
        dist = ((pixels - self._class_rgb.to(video.device)) ** 2).sum(-1)   # (N, 11)
        classes = dist.argmin(-1).view(b, f, h, w)
        onehot = torch.nn.functional.one_hot(classes, NUM_CLASSES).float()  # (B, f, h, w, 11)
        return onehot.permute(0, 4, 1, 2, 3) * 2.0 - 1.0                    # (B, 11, f, h, w)

    @torch.no_grad()
    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        classes = latents.argmax(1)                                         # (B, f, h, w)
        rgb = self._class_rgb.to(latents.device)[classes]                   # (B, f, h, w, 3)
        return rgb.permute(0, 4, 1, 2, 3).contiguous()                      # (B, 3, f, h, w)
