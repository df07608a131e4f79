"""Loading helpers shared by every backbone family: local weights folders, dtypes, devices, efficiency switches.

Real weights are read only from a local diffusers-format folder (``local_files_only=True``,
``use_safetensors=True``, no remote code). A missing folder or subfolder is a ``WeightsError`` that
names the path and what the family needs there.
"""

from __future__ import annotations

from pathlib import Path

import torch

from arcvdm.config import BackboneConfig
from arcvdm.errors import WeightsError

# Keyword arguments of every ``from_pretrained`` call: offline, safetensors only, no remote code.
LOCAL_ONLY = dict(local_files_only=True, use_safetensors=True)


def require_folder(path: str | None, subfolders: tuple[str, ...], family: str) -> Path:
    """Check a local weights folder has the subfolders a family needs; WeightsError otherwise."""
    if not path:
        raise WeightsError(f"{family}: backbone.path is not set; pass --model PATH to a local diffusers-format folder")
    root = Path(path)
    if not root.is_dir():
        raise WeightsError(f"{family}: weights folder {root} does not exist")
    missing = [s for s in subfolders if not (root / s).is_dir()]
    if missing:
        raise WeightsError(
            f"{family}: weights folder {root} lacks {', '.join(m + '/' for m in missing)} "
            f"(needs {', '.join(s + '/' for s in subfolders)})"
        )
    return root


def torch_dtype(name: str) -> torch.dtype:
    """``backbone.dtype`` -> torch dtype (the config has already checked the name)."""
    return {"float32": torch.float32, "bfloat16": torch.bfloat16}[name]


def target_device(config: BackboneConfig) -> torch.device:
    """``backbone.device``, or CUDA when one is visible, else the CPU."""
    if config.device is not None:
        return torch.device(config.device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def prepare_denoiser(transformer: torch.nn.Module, config: BackboneConfig) -> torch.nn.Module:
    """Frozen, in the configured dtype, on the target device, with gradient checkpointing if asked.

    bf16 base weights cost no accuracy for LoRA training here because ``arcvdm.lora.attach`` keeps the
    LoRA parameters in fp32; gradient checkpointing recomputes activations in the backward pass and
    changes no number, only memory and time.
    """
    transformer.requires_grad_(False)
    dtype = torch_dtype(config.dtype)
    if transformer.dtype != dtype:  # loaders pass torch_dtype to from_pretrained, which keeps fp32 islands
        transformer.to(dtype=dtype)
    transformer.to(device=target_device(config))
    if config.gradient_checkpointing:
        transformer.enable_gradient_checkpointing()
    return transformer


def place_helper(module: torch.nn.Module, config: BackboneConfig) -> torch.nn.Module:
    """VAE / image encoder: frozen, eval, on the target device (or the CPU when ``cpu_offload``)."""
    module.eval().requires_grad_(False)
    return module.to("cpu" if config.cpu_offload else target_device(config))


class OnDevice:
    """Context manager: move a helper model to ``device`` for one call, and back to the CPU after
    when ``offload`` is set (model-level CPU offload, as diffusers' ``enable_model_cpu_offload``)."""

    def __init__(self, module: torch.nn.Module | None, device: torch.device, offload: bool) -> None:
        # A codec without a VAE (the embedded model's cell codec) has nothing to move.
        self.module, self.device, self.offload = module, device, offload and module is not None

    def __enter__(self) -> torch.nn.Module:
        if self.offload:
            self.module.to(self.device)
        return self.module

    def __exit__(self, *exc) -> None:
        if self.offload:
            self.module.to("cpu")
