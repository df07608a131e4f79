"""Per-task LoRA adapters on a frozen denoiser: attach, save, load, unload.

The adapter is saved as safetensors with its peft config in the file's metadata, so rank and alpha
survive a reload (a known pitfall: alpha is lost when only the weights are saved). Unloading removes
the peft wrapper layers and leaves the base model exactly as it was.

``export_diffusers`` writes the same adapter in the ecosystem's format: the family's own pipeline
(``WanImageToVideoPipeline``, ``CogVideoXImageToVideoPipeline``, ``LTXImageToVideoPipeline``) loads
it with ``pipe.load_lora_weights(folder)`` - ``pytorch_lora_weights.safetensors`` with
``transformer.``-prefixed keys and the LoRA config (rank, alpha, targets) in the file's metadata.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from peft import LoraConfig as PeftLoraConfig
from peft.utils import get_peft_model_state_dict, set_peft_model_state_dict
from safetensors import safe_open
from safetensors.torch import save_file

from arcvdm.config import LoraConfig
from arcvdm.errors import WeightsError

ADAPTER = "task"
WEIGHTS_FILE = "adapter.safetensors"
DIFFUSERS_FILE = "pytorch_lora_weights.safetensors"   # the name load_lora_weights looks for
METADATA_KEY = "arcvdm_lora_config"


def attach(denoiser: torch.nn.Module, cfg: LoraConfig, default_targets: tuple[str, ...]) -> list[torch.nn.Parameter]:
    """Add a fresh adapter (B initialised to zero: outputs unchanged) and return its trainable parameters."""
    targets = list(cfg.targets) if cfg.targets else list(default_targets)
    peft_cfg = PeftLoraConfig(r=cfg.rank, lora_alpha=cfg.alpha, lora_dropout=cfg.dropout, target_modules=targets)
    denoiser.add_adapter(peft_cfg, adapter_name=ADAPTER)
    params = [p for n, p in denoiser.named_parameters() if "lora_" in n]
    for p in params:
        p.data = p.data.float()  # LoRA parameters train in fp32 even on bf16 weights
        p.requires_grad_(True)
    return params


def detach(denoiser: torch.nn.Module) -> None:
    """Remove every adapter and its wrapper layers; the base weights are untouched."""
    if getattr(denoiser, "peft_config", None):
        denoiser.unload_lora()


def save(denoiser: torch.nn.Module, folder: Path) -> Path:
    """Write the active adapter and its config to ``folder/adapter.safetensors``."""
    folder.mkdir(parents=True, exist_ok=True)
    state = get_peft_model_state_dict(denoiser, adapter_name=ADAPTER)
    config = denoiser.peft_config[ADAPTER].to_dict()
    config = {k: (sorted(v) if isinstance(v, set) else v) for k, v in config.items()}
    path = folder / WEIGHTS_FILE
    save_file({k: v.detach().contiguous() for k, v in state.items()}, path, metadata={METADATA_KEY: json.dumps(config)})
    return path


def load(denoiser: torch.nn.Module, folder: Path) -> None:
    """Attach the adapter saved in ``folder`` (its own rank, alpha and targets)."""
    path = folder / WEIGHTS_FILE
    if not path.is_file():
        raise WeightsError(f"{folder}: no {WEIGHTS_FILE} adapter file")
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
        state = {k: f.get_tensor(k) for k in f.keys()}
    if METADATA_KEY not in meta:
        raise WeightsError(f"{path}: adapter file lacks its LoRA config metadata ({METADATA_KEY})")
    config = json.loads(meta[METADATA_KEY])
    peft_cfg = PeftLoraConfig(
        r=config["r"], lora_alpha=config["lora_alpha"], lora_dropout=config.get("lora_dropout", 0.0),
        target_modules=config["target_modules"],
    )
    denoiser.add_adapter(peft_cfg, adapter_name=ADAPTER)
    result = set_peft_model_state_dict(denoiser, state, adapter_name=ADAPTER)
    if getattr(result, "unexpected_keys", None):
        raise WeightsError(f"{path}: adapter has keys the model does not: {result.unexpected_keys[:3]}")


def export_diffusers(denoiser: torch.nn.Module, pipeline_class: str, folder: Path) -> Path:
    """Write the attached adapter so that ``<pipeline_class>.load_lora_weights(folder)`` loads it.

    ``pipeline_class`` is the backbone's ``pipeline_class`` (e.g. ``"WanImageToVideoPipeline"``). The
    pipeline's own ``save_lora_weights`` writes the file, with the adapter metadata, so the format is
    whatever the installed diffusers reads. Returns the file written.
    """
    import diffusers

    if not getattr(denoiser, "peft_config", None) or ADAPTER not in denoiser.peft_config:
        raise WeightsError(f"no {ADAPTER!r} adapter is attached: nothing to export to {folder}")
    if not pipeline_class or not hasattr(diffusers, pipeline_class):
        raise WeightsError(f"pipeline class {pipeline_class!r} is not in diffusers {diffusers.__version__}: cannot export {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    state = get_peft_model_state_dict(denoiser, adapter_name=ADAPTER)
    metadata = denoiser.peft_config[ADAPTER].to_dict()
    metadata = {k: (sorted(v) if isinstance(v, set) else v) for k, v in metadata.items()}
    getattr(diffusers, pipeline_class).save_lora_weights(
        folder, transformer_lora_layers={k: v.detach().contiguous() for k, v in state.items()},
        transformer_lora_adapter_metadata=metadata, weight_name=DIFFUSERS_FILE, safe_serialization=True,
    )
    return folder / DIFFUSERS_FILE


def keep(backbone, folder: Path) -> list[Path]:
    """Keep a task's trained adapter (``--keep-adapters``): ``folder/adapter.safetensors`` for ``load`` and
    ``folder/pytorch_lora_weights.safetensors`` for the family pipeline's ``load_lora_weights``.
    Call it after training and before ``detach``."""
    return [save(backbone.denoiser, folder), export_diffusers(backbone.denoiser, backbone.pipeline_class, folder)]
