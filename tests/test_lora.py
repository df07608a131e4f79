"""Per-task LoRA on the toy Wan2.2 backbone (real diffusers classes, toy size, random weights).

What a user relies on: a fresh adapter changes nothing until trained; training changes the outputs;
save/load restores the same adapter (rank and alpha included); unloading leaves the base model
exactly as it was, so the next task starts from the same frozen model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from arcvdm import lora
from arcvdm.backbones import build_backbone
from arcvdm.config import LoraConfig, TrainConfig
from arcvdm.errors import WeightsError
from arcvdm.jobs import resolve_config
from arcvdm.train import Clip, train_lora

# rank 4 with alpha 2 (scale 0.5): neither equals peft's defaults (r=8, alpha=8), so a reload that
# dropped them would be caught by the outputs.
LORA = LoraConfig(rank=4, alpha=2.0)
TRAIN = TrainConfig(steps=3, lr=1e-2, batch_size=2)


@pytest.fixture(scope="module")
def backbone():
    return build_backbone(resolve_config("toy").backbone)


@pytest.fixture(scope="module")
def inputs():
    g = torch.Generator().manual_seed(0)
    latents = torch.randn(2, 48, 2, 4, 4, generator=g)          # (B, C, f, h, w): a 5-frame 64x64 clip
    timestep = torch.tensor([500.0, 250.0])
    return latents, timestep


@pytest.fixture(autouse=True)
def clean_denoiser(backbone):
    """Every test starts and ends with no adapter on the shared backbone."""
    lora.detach(backbone.denoiser)
    yield
    lora.detach(backbone.denoiser)


def denoise(backbone, inputs) -> torch.Tensor:
    latents, timestep = inputs
    prompt = backbone.prompt_embeds.expand(latents.shape[0], -1, -1)
    with torch.no_grad():
        out = backbone.denoiser(hidden_states=latents, timestep=timestep, encoder_hidden_states=prompt, return_dict=False)[0]
    return out.detach().clone()


def clips() -> list[Clip]:
    g = torch.Generator().manual_seed(1)
    return [Clip(torch.randn(48, 2, 4, 4, generator=g), num_clean=1, view=i) for i in range(3)]


def train(backbone, params) -> list[float]:
    result = train_lora(backbone, clips(), params, TRAIN, torch.Generator().manual_seed(2), progress=False)
    return result.losses


def test_a_fresh_adapter_leaves_outputs_unchanged(backbone, inputs) -> None:
    before = denoise(backbone, inputs)
    params = lora.attach(backbone.denoiser, LORA, backbone.lora_targets)
    assert params and all(p.requires_grad for p in params)
    lora_b = [p for n, p in backbone.denoiser.named_parameters() if "lora_B" in n]
    assert lora_b and all(torch.count_nonzero(p) == 0 for p in lora_b)
    trainable = {n for n, p in backbone.denoiser.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in n for n in trainable)
    assert torch.equal(denoise(backbone, inputs), before)


def test_training_changes_outputs_and_only_the_adapter(backbone, inputs) -> None:
    before = denoise(backbone, inputs)
    params = lora.attach(backbone.denoiser, LORA, backbone.lora_targets)
    losses = train(backbone, params)
    assert len(losses) == TRAIN.steps and all(torch.isfinite(torch.tensor(losses)))
    after = denoise(backbone, inputs)
    assert (after - before).abs().max() > 1e-5
    frozen_grads = [p.grad for n, p in backbone.denoiser.named_parameters() if "lora_" not in n]
    assert all(g is None for g in frozen_grads)


def test_save_detach_load_restores_the_adapter(backbone, inputs, tmp_path: Path) -> None:
    base = denoise(backbone, inputs)
    params = lora.attach(backbone.denoiser, LORA, backbone.lora_targets)
    train(backbone, params)
    trained = denoise(backbone, inputs)
    path = lora.save(backbone.denoiser, tmp_path / "adapter")

    with safe_open(str(path), framework="pt") as f:
        meta = json.loads(f.metadata()[lora.METADATA_KEY])
        keys = list(f.keys())
    assert meta["r"] == LORA.rank and meta["lora_alpha"] == LORA.alpha
    assert keys and all("lora_" in k for k in keys)

    lora.detach(backbone.denoiser)
    assert torch.equal(denoise(backbone, inputs), base)

    lora.load(backbone.denoiser, tmp_path / "adapter")
    loaded = backbone.denoiser.peft_config[lora.ADAPTER]
    assert loaded.r == LORA.rank and loaded.lora_alpha == LORA.alpha
    assert torch.equal(denoise(backbone, inputs), trained)


def test_detach_restores_the_base_model_bit_for_bit(backbone, inputs) -> None:
    state = {k: v.clone() for k, v in backbone.denoiser.state_dict().items()}
    modules = [n for n, _ in backbone.denoiser.named_modules()]
    base = denoise(backbone, inputs)

    params = lora.attach(backbone.denoiser, LORA, backbone.lora_targets)
    train(backbone, params)
    lora.detach(backbone.denoiser)

    after = backbone.denoiser.state_dict()
    assert list(after) == list(state)
    assert all(torch.equal(after[k], state[k]) for k in state)
    assert [n for n, _ in backbone.denoiser.named_modules()] == modules  # no wrapper layers left behind
    assert not any(p.requires_grad for p in backbone.denoiser.parameters())
    assert torch.equal(denoise(backbone, inputs), base)


def test_load_refuses_a_missing_adapter(backbone, tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="adapter.safetensors"):
        lora.load(backbone.denoiser, tmp_path)


def test_load_refuses_an_adapter_without_its_config(backbone, tmp_path: Path) -> None:
    save_file({"x": torch.zeros(1)}, tmp_path / lora.WEIGHTS_FILE)
    with pytest.raises(WeightsError, match=lora.METADATA_KEY):
        lora.load(backbone.denoiser, tmp_path)


def test_export_diffusers_writes_the_pipeline_format(backbone, tmp_path: Path) -> None:
    """pytorch_lora_weights.safetensors with transformer.-prefixed keys and the LoRA config (alpha kept).
    That the family's pipeline loads it and generates what arcvdm generates: tests/test_parity.py."""
    params = lora.attach(backbone.denoiser, LORA, backbone.lora_targets)
    train(backbone, params)
    path = lora.export_diffusers(backbone.denoiser, backbone.pipeline_class, tmp_path / "keep")
    with safe_open(str(path), framework="pt") as f:
        keys = list(f.keys())
        metadata = f.metadata()
    assert path.name == "pytorch_lora_weights.safetensors"
    assert keys and all(k.startswith("transformer.") and "lora_" in k for k in keys)
    config = json.loads(metadata["lora_adapter_metadata"])
    assert config["transformer.r"] == LORA.rank and config["transformer.lora_alpha"] == LORA.alpha


def test_export_diffusers_refuses_without_an_adapter(backbone, tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="no 'task' adapter is attached"):
        lora.export_diffusers(backbone.denoiser, backbone.pipeline_class, tmp_path)


def test_keep_writes_both_formats_and_reloads(backbone, inputs, tmp_path: Path) -> None:
    params = lora.attach(backbone.denoiser, LORA, backbone.lora_targets)
    train(backbone, params)
    trained = denoise(backbone, inputs)
    paths = lora.keep(backbone, tmp_path / "task")
    assert [p.name for p in paths] == [lora.WEIGHTS_FILE, lora.DIFFUSERS_FILE] and all(p.is_file() for p in paths)
    lora.detach(backbone.denoiser)
    lora.load(backbone.denoiser, tmp_path / "task")
    assert torch.equal(denoise(backbone, inputs), trained)
