"""The embedded default VDM: a small Wan-architecture video transformer on cell-per-pixel frames.

It is the same ``WanTransformer3DModel`` class as the real Wan families, at CPU size, driven by the
same ``WanTI2VBackbone`` (clean conditioning frames, flow matching, per-token timesteps) and the
same LoRA code. What differs is the codec: frames are drawn at one pixel per cell with no grid
lines, and ``CellCodec`` codes each pixel as a one-hot over the 11 cell classes (10 ARC colours +
PAD), so nothing is lost between grid and latent. Patches of 2x2 cells keep the token count low.

Weights ship inside the package (``arcvdm/weights/embedded/``: ``config.json``,
``diffusion_pytorch_model.safetensors``, ``MODEL_CARD.md``), written by ``arcvdm pretrain``.
``embedded-random`` builds the same architecture with random weights (pretraining start, ablation).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import torch
from diffusers import WanTransformer3DModel

from arcvdm.backbones.codecs import CellCodec
from arcvdm.backbones.wan import WanTI2VBackbone
from arcvdm.backbones.weights import check_weights, expected_shapes
from arcvdm.config import EMBEDDED_PRESETS, BackboneConfig
from arcvdm.errors import WeightsError

# Named presets (DiT-style): architecture of the embedded model. Keys are `arcvdm pretrain --preset` choices.
PRESETS = EMBEDDED_PRESETS  # the architectures by name (arcvdm/config.py)
TEXT_DIM = 16        # the neutral prompt is one learned-free zero token of this width
PATCH = (1, 2, 2)    # one token = 2x2 cells of one frame


def transformer_config(preset: str) -> dict:
    if preset not in PRESETS:
        raise WeightsError(f"unknown embedded preset {preset!r}; choose one of {', '.join(PRESETS)}")
    return dict(
        patch_size=PATCH, in_channels=CellCodec.channels, out_channels=CellCodec.channels, text_dim=TEXT_DIM,
        freq_dim=64, cross_attn_norm=True, rope_max_seq_len=64, **PRESETS[preset],
    )


def shipped_weights() -> Path:
    """Folder of the weights that ship with the package."""
    return Path(str(resources.files("arcvdm.weights").joinpath("embedded")))


def null_prompt(batch: int = 1) -> torch.Tensor:
    """The embedded model's fixed neutral prompt: one zero token. (batch, 1, TEXT_DIM)."""
    return torch.zeros(batch, 1, TEXT_DIM)


def new_transformer(preset: str, seed: int) -> WanTransformer3DModel:
    """A randomly initialised embedded transformer, seeded without touching the global RNG."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return WanTransformer3DModel(**transformer_config(preset))


def build_embedded(config: BackboneConfig) -> WanTI2VBackbone:
    """The pretrained embedded model from ``backbone.path`` (default: the weights shipped with arcvdm)."""
    root = Path(config.path) if config.path else shipped_weights()
    if not (root / "config.json").is_file() or not (root / "diffusion_pytorch_model.safetensors").is_file():
        raise WeightsError(
            f"embedded: no pretrained weights in {root} (needs config.json and diffusion_pytorch_model.safetensors); "
            "run `arcvdm pretrain` or use backbone.name=\"embedded-random\""
        )
    shapes, buffers = expected_shapes(WanTransformer3DModel, root, "embedded")
    check_weights(root, shapes, "embedded", buffers)  # a missing, truncated or wrong-shape file: one-line WeightsError
    transformer = WanTransformer3DModel.from_pretrained(root, local_files_only=True, use_safetensors=True)
    transformer.eval()
    return WanTI2VBackbone(transformer, CellCodec(), null_prompt(), config, family="embedded")


def build_embedded_random(config: BackboneConfig) -> WanTI2VBackbone:
    """The embedded architecture (preset from ``backbone.path`` unused) with seeded random weights."""
    transformer = new_transformer("cell-s", config.init_seed)
    transformer.eval()
    return WanTI2VBackbone(transformer, CellCodec(), null_prompt(), config, family="embedded-random")
