"""Every real-family loader on a folder laid out like the published one, and its refusals.

Tiny components (the toy builders' real classes) are written with ``save_pretrained`` into
``transformer/``, ``vae/``, ``scheduler/``, ``image_encoder/`` + ``image_processor/`` (Wan2.1) and a
shipped ``prompt_embeds.safetensors``; each installed recipe then loads the folder as a user's
``--model PATH`` would, in bf16 with gradient checkpointing. What a user relies on: the transformer in
bf16 with diffusers' fp32 modules kept in fp32, VAE and image encoder in fp32, everything frozen and
placed through the one placement path, gradient checkpointing on. A weights folder with a missing,
truncated or wrong-shape safetensors file is one ``WeightsError`` line naming the file and the rule.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from arcvdm.backbones import build_backbone
from arcvdm.backbones import weights as weights_module
from arcvdm.config import BackboneConfig, load_recipe
from arcvdm.errors import WeightsError


def _write_wan22(root: Path) -> None:
    from diffusers import AutoencoderKLWan, WanTransformer3DModel

    from arcvdm.backbones.wan import TOY_TRANSFORMER, TOY_VAE

    WanTransformer3DModel(**TOY_TRANSFORMER).save_pretrained(root / "transformer")
    AutoencoderKLWan(**TOY_VAE).save_pretrained(root / "vae")
    save_file({"prompt_embeds": torch.randn(1, 8, 32)}, root / "prompt_embeds.safetensors")


def _write_wan21(root: Path) -> None:
    from diffusers import AutoencoderKLWan, WanTransformer3DModel
    from transformers import CLIPVisionConfig, CLIPVisionModel

    from arcvdm.backbones.wan21 import TOY_CLIP, TOY_TRANSFORMER, TOY_VAE, toy_image_processor

    WanTransformer3DModel(**TOY_TRANSFORMER).save_pretrained(root / "transformer")
    AutoencoderKLWan(**TOY_VAE).save_pretrained(root / "vae")
    CLIPVisionModel(CLIPVisionConfig(**TOY_CLIP)).save_pretrained(root / "image_encoder")
    toy_image_processor().save_pretrained(root / "image_processor")
    save_file({"prompt_embeds": torch.randn(1, 512, 32)}, root / "prompt_embeds.safetensors")


def _write_cogvideox(root: Path, variant: str) -> None:
    from diffusers import AutoencoderKLCogVideoX, CogVideoXDDIMScheduler, CogVideoXTransformer3DModel

    from arcvdm.backbones.cogvideox import SCHEDULER_CONFIG, toy_configs

    vae, transformer = toy_configs(variant)
    CogVideoXTransformer3DModel(**transformer).save_pretrained(root / "transformer")
    AutoencoderKLCogVideoX(**vae).save_pretrained(root / "vae")
    CogVideoXDDIMScheduler(**SCHEDULER_CONFIG).save_pretrained(root / "scheduler")
    save_file({"prompt_embeds": torch.randn(1, 16, 32)}, root / "prompt_embeds.safetensors")


def _write_ltx(root: Path) -> None:
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXVideoTransformer3DModel

    from arcvdm.backbones.ltx import SCHEDULER_CONFIG, TOY_TRANSFORMER, TOY_VAE

    LTXVideoTransformer3DModel(**TOY_TRANSFORMER).save_pretrained(root / "transformer")
    AutoencoderKLLTXVideo(**TOY_VAE).save_pretrained(root / "vae")
    FlowMatchEulerDiscreteScheduler(**SCHEDULER_CONFIG).save_pretrained(root / "scheduler")
    save_file({"prompt_embeds": torch.randn(1, 4, 32)}, root / "prompt_embeds.safetensors")


# recipe -> (writer of a toy folder, the recipe's canvas side at toy scale)
RECIPES = {
    "wan22": _write_wan22,
    "arcvdm-wan22": _write_wan22,
    "wan21": _write_wan21,
    "cogvideox": lambda root: _write_cogvideox(root, "5b"),
    "cogvideox15": lambda root: _write_cogvideox(root, "1.5"),
    "cogvideox15-paper": lambda root: _write_cogvideox(root, "1.5"),
    "ltx": _write_ltx,
}


def _config(recipe: str, root: Path, **changes) -> BackboneConfig:
    """The recipe's backbone section pointed at ``root``, in bf16 with gradient checkpointing, on the CPU."""
    bc = load_recipe(recipe).backbone
    return dataclasses.replace(bc, path=str(root), dtype="bfloat16", gradient_checkpointing=True, device="cpu", **changes)


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    made = {}
    for recipe, write in RECIPES.items():
        root = tmp_path_factory.mktemp(recipe)
        with torch.random.fork_rng():
            torch.manual_seed(0)
            write(root)
        made[recipe] = root
    return made


@pytest.mark.parametrize("recipe", list(RECIPES))
def test_recipe_loads_in_bf16_with_fp32_modules_and_checkpointing(recipe: str, folders, monkeypatch) -> None:
    placed = []
    real = weights_module.target_device
    monkeypatch.setattr(weights_module, "target_device", lambda cfg: placed.append(cfg.name) or real(cfg))
    backbone = build_backbone(_config(recipe, folders[recipe]))
    denoiser = backbone.denoiser
    # 1. Placement went through the one path (denoiser + VAE, + CLIP for Wan2.1), on the configured device.
    assert len(placed) >= 2, f"{recipe}: loader bypassed prepare_denoiser / place_helper"
    assert backbone.device == torch.device("cpu")
    # 2. dtypes: bf16 transformer except diffusers' fp32 modules; fp32 helpers.
    keep = getattr(denoiser, "_keep_in_fp32_modules", None) or []
    for name, param in denoiser.named_parameters():
        kept = any(k in name.split(".") for k in keep)
        assert param.dtype == (torch.float32 if kept else torch.bfloat16), f"{recipe}: {name} is {param.dtype}"
    if keep:
        assert any(any(k in n.split(".") for k in keep) for n, _ in denoiser.named_parameters()), "no fp32 module found"
    assert denoiser.dtype == torch.bfloat16
    helpers = [backbone.codec.vae] + ([backbone.image_encoder] if hasattr(backbone, "image_encoder") else [])
    for helper in helpers:
        assert all(p.dtype == torch.float32 and not p.requires_grad for p in helper.parameters())
        assert not helper.training
    # 3. Frozen, with gradient checkpointing on.
    assert not any(p.requires_grad for p in denoiser.parameters())
    assert denoiser.is_gradient_checkpointing


@pytest.mark.parametrize("recipe", ["wan22", "wan21", "cogvideox15", "ltx"])
def test_loaded_backbone_trains_in_bf16(recipe: str, folders) -> None:
    """A LoRA step on the bf16 checkpointed model gives a finite loss and fp32 gradients."""
    from arcvdm import lora
    from arcvdm.config import LoraConfig

    backbone = build_backbone(_config(recipe, folders[recipe]))
    side = backbone.rule.spatial * 2
    frames = 1 + (backbone.rule.frame_step or backbone.rule.temporal)
    video = torch.rand(1, 3, frames, side, side) * 2 - 1
    latents = backbone.encode_clip(video, 1)
    params = lora.attach(backbone.denoiser, LoraConfig(rank=2, alpha=2.0), backbone.lora_targets)
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = backbone.training_loss(latents, 1, torch.Generator().manual_seed(0))
        loss.backward()
        assert torch.isfinite(loss)
        assert all(p.grad is not None and p.grad.dtype == torch.float32 for p in params)
    finally:
        lora.detach(backbone.denoiser)


def test_cpu_offload_keeps_helpers_on_the_cpu(folders) -> None:
    backbone = build_backbone(_config("wan21", folders["wan21"], cpu_offload=True))
    assert backbone.codec.vae.device.type == "cpu" and backbone.image_encoder.device.type == "cpu"


# -- refusals ---------------------------------------------------------------------------------------
def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src, dst)
    return dst


@pytest.mark.parametrize("recipe", ["wan22", "wan21", "cogvideox15", "ltx"])
def test_missing_weights_file_is_one_line(recipe: str, folders, tmp_path: Path) -> None:
    root = _copy(folders[recipe], tmp_path / "m")
    (root / "transformer" / "diffusion_pytorch_model.safetensors").unlink()
    with pytest.raises(WeightsError, match=r"transformer has no \.safetensors weights file \(arcvdm reads safetensors only\)") as err:
        build_backbone(_config(recipe, root))
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("recipe, sub", [("wan22", "transformer"), ("wan21", "vae"), ("cogvideox15", "transformer"), ("ltx", "vae")])
def test_truncated_weights_file_is_one_line(recipe: str, sub: str, folders, tmp_path: Path) -> None:
    root = _copy(folders[recipe], tmp_path / "t")
    path = root / sub / "diffusion_pytorch_model.safetensors"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(WeightsError, match=rf"{path} is not a readable safetensors file \(truncated or corrupt") as err:
        build_backbone(_config(recipe, root))
    assert "\n" not in str(err.value)


def test_truncated_image_encoder_is_one_line(folders, tmp_path: Path) -> None:
    root = _copy(folders["wan21"], tmp_path / "c")
    path = root / "image_encoder" / "model.safetensors"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(WeightsError, match=rf"{path} is not a readable safetensors file"):
        build_backbone(_config("wan21", root))


@pytest.mark.parametrize("recipe", ["wan22", "wan21", "cogvideox15", "ltx"])
def test_wrong_shape_weights_file_is_one_line(recipe: str, folders, tmp_path: Path) -> None:
    """config.json says one size, the safetensors file holds another."""
    root = _copy(folders[recipe], tmp_path / "s")
    config_path = root / "transformer" / "config.json"
    config = json.loads(config_path.read_text())
    config["num_attention_heads"] = config["num_attention_heads"] * 2
    config_path.write_text(json.dumps(config))
    with pytest.raises(WeightsError, match=r"diffusion_pytorch_model\.safetensors holds '.*' with shape \[\d+.*\]; its config\.json needs \[\d+") as err:
        build_backbone(_config(recipe, root))
    assert "\n" not in str(err.value)


def test_embedded_weights_file_is_checked(tmp_path: Path) -> None:
    from arcvdm.backbones.embedded import shipped_weights

    root = _copy(shipped_weights(), tmp_path / "e")
    path = root / "diffusion_pytorch_model.safetensors"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(WeightsError, match=rf"embedded: {path} is not a readable safetensors file \(truncated or corrupt"):
        build_backbone(BackboneConfig(name="embedded", path=str(root)))
    path.unlink()
    with pytest.raises(WeightsError, match=r"embedded: no pretrained weights"):
        build_backbone(BackboneConfig(name="embedded", path=str(root)))


def test_weights_file_missing_a_tensor_is_one_line(folders, tmp_path: Path) -> None:
    from safetensors.torch import load_file

    root = _copy(folders["wan22"], tmp_path / "k")
    path = root / "transformer" / "diffusion_pytorch_model.safetensors"
    state = load_file(path)
    dropped = sorted(state)[0]
    del state[dropped]
    save_file(state, path)
    with pytest.raises(WeightsError, match=rf"transformer lacks tensor '{dropped}' \(1 missing\) that its config\.json needs"):
        build_backbone(_config("wan22", root))
