"""Every toy backbone family behind the one Backbone interface, and every installed recipe.

Real diffusers classes at toy size, random seeded weights, CPU, offline. For each family: a few LoRA
steps lower the loss on a fixed clip; the adapter round-trips through save/load with identical
denoiser outputs; the base weights are bit-identical after attach + train + detach; sample() and
decode() return the shapes the rule promises; a bad frame count or size is a BackboneRuleError that
names the value. The solver runs end to end with each family and gives two attempts per test input.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from arcvdm import lora
from arcvdm.backbones import BACKBONES, build_backbone
from arcvdm.config import BackboneConfig, LoraConfig, TrainConfig, load_recipe, recipe_names
from arcvdm.errors import BackboneRuleError, WeightsError
from arcvdm.jobs import resolve_config
from arcvdm.solve import Solver
from arcvdm.tasks import Example, Task
from arcvdm.train import Clip, train_lora

# family -> (frames of a valid clip, canvas side, a frame count the rule refuses, a side it refuses)
FAMILIES = {
    "toy-wan22": (5, 32, 4, 48),
    "toy-wan21": (5, 32, 6, 40),
    "toy-cogvideox": (9, 32, 5, 40),   # CogVideoX decodes only odd latent counts: 8k+1 frames
    "toy-ltx": (9, 64, 5, 48),
}


def _clip(frames: int, side: int) -> torch.Tensor:
    """A fixed two-picture clip: frame 0 shows picture A, the rest picture B. (1, 3, F, H, W) in [-1, 1]."""
    g = torch.Generator().manual_seed(1)
    a = (torch.rand(3, 1, side // 8, side // 8, generator=g) > 0.5).float()
    b = a.flip(-1)
    up = lambda x: x.repeat_interleave(8, -1).repeat_interleave(8, -2) * 2 - 1  # noqa: E731
    return torch.cat([up(a), up(b).expand(-1, frames - 1, -1, -1)], dim=1)[None]


def _fixed_loss(backbone, latents: torch.Tensor, num_clean: int, seeds: int = 4) -> float:
    """Mean loss over a few fixed noise draws (eval mode, no gradient): comparable before and after."""
    backbone.denoiser.eval()
    with torch.no_grad():
        return float(np.mean([backbone.training_loss(latents, num_clean, torch.Generator().manual_seed(s)).item() for s in range(seeds)]))


@pytest.fixture(scope="module", params=list(FAMILIES))
def family(request):
    name = request.param
    frames, side, _, _ = FAMILIES[name]
    backbone = build_backbone(BackboneConfig(name=name, height=side, width=side))
    return name, backbone


def test_lora_learns_round_trips_and_leaves_base_untouched(family, tmp_path: Path) -> None:
    name, backbone = family
    frames, side, _, _ = FAMILIES[name]
    denoiser = backbone.denoiser
    base = {k: v.clone() for k, v in denoiser.state_dict().items()}
    video = _clip(frames, side)
    latents = backbone.encode_clip(video, 1)                                  # (1, C, f, h, w)
    num_clean = backbone.rule.clean_latent_frames(1)
    before = _fixed_loss(backbone, latents, num_clean)
    # 1. Train a small adapter; the loss at fixed noise must go down.
    torch.manual_seed(0)
    params = lora.attach(denoiser, LoraConfig(rank=4, alpha=4.0), backbone.lora_targets)
    try:
        assert all(p.dtype == torch.float32 for p in params)
        clips = [Clip(latents[0].cpu(), num_clean, 0)]
        result = train_lora(backbone, clips, params, TrainConfig(steps=20, lr=1e-2, batch_size=2), torch.Generator().manual_seed(0), progress=False)
        assert result.steps == 20
        after = _fixed_loss(backbone, latents, num_clean)
        assert after < 0.9 * before, f"{name}: loss at fixed noise {before:.4f} -> {after:.4f} after 20 LoRA steps"
        # 2. Save, unload, reload: identical denoiser outputs.
        lora.save(denoiser, tmp_path)
    finally:
        lora.detach(denoiser)
    # 3. Base weights bit-identical after attach + train + detach.
    state = denoiser.state_dict()
    assert state.keys() == base.keys()
    assert all(torch.equal(state[k], base[k]) for k in base), f"{name}: base weights changed"
    lora.load(denoiser, tmp_path)
    try:
        reloaded = _fixed_loss(backbone, latents, num_clean)
    finally:
        lora.detach(denoiser)
    assert reloaded == after, f"{name}: reloaded adapter gives {reloaded} != {after}"


def test_sample_and_decode_shapes(family) -> None:
    name, backbone = family
    frames, side, _, _ = FAMILIES[name]
    latents = backbone.encode(_clip(frames, side))
    c, f = latents.shape[1], latents.shape[2]
    assert f == backbone.rule.latent_frames(frames)
    clean = latents[:, :, :1].expand(2, -1, -1, -1, -1)
    out = backbone.sample(clean, f, 2, torch.Generator().manual_seed(0))
    assert out.shape == (2, c, f, *latents.shape[3:])
    assert torch.equal(out[:, :, :1], clean.float()), f"{name}: the clean frame was not kept"
    video = backbone.decode(out)
    assert video.shape == (2, 3, frames, side, side)
    assert video.min() >= -1 and video.max() <= 1


def test_rule_names_the_bad_value(family) -> None:
    name, backbone = family
    frames, side, bad_frames, bad_side = FAMILIES[name]
    backbone.check_clip(frames, side, side)
    with pytest.raises(BackboneRuleError, match=rf"\b{bad_frames} frames breaks the rule frames = \d+k\+1"):
        backbone.check_clip(bad_frames, side, side)
    with pytest.raises(BackboneRuleError, match=rf"width {bad_side} is not a multiple of {backbone.rule.spatial}"):
        backbone.check_clip(frames, side, bad_side)


def test_cogvideox_5b_layout_has_one_fixed_size() -> None:
    from arcvdm.backbones.cogvideox import build_toy_cogvideox

    backbone = build_toy_cogvideox(BackboneConfig(name="toy-cogvideox", height=32, width=32), variant="5b")
    assert backbone.rule.fixed == (32, 32)
    backbone.check_clip(9, 32, 32)
    with pytest.raises(BackboneRuleError, match=r"size 32x48 breaks the rule height x width = 32x32"):
        backbone.check_clip(9, 32, 48)
    latents = backbone.encode(_clip(9, 32))
    assert torch.isfinite(backbone.training_loss(latents, 1, torch.Generator().manual_seed(0)))


def test_cogvideox_refuses_prompt_of_wrong_length() -> None:
    from arcvdm.backbones.cogvideox import CogVideoXI2VBackbone, build_toy_cogvideox

    toy = build_toy_cogvideox(BackboneConfig(name="toy-cogvideox", height=32, width=32))
    with pytest.raises(WeightsError, match=r"shape \(1, 12, 32\).*exactly \(1, 16, 32\)"):
        CogVideoXI2VBackbone(toy.denoiser, toy.codec, toy.scheduler, torch.zeros(1, 12, 32), toy.config, "cogvideox15")


@pytest.mark.parametrize("name", ["wan21", "wan22", "cogvideox", "cogvideox15", "ltx"])
def test_loaders_name_the_missing_path(name: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(WeightsError, match=str(missing)):
        build_backbone(BackboneConfig(name=name, path=str(missing)))
    (tmp_path / "transformer").mkdir()
    with pytest.raises(WeightsError, match=rf"{tmp_path} lacks .*vae/"):
        build_backbone(BackboneConfig(name=name, path=str(tmp_path)))


def _g(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


TASK = Task(
    "fam0001",
    train=(Example(_g([[1, 0], [0, 0]]), _g([[0, 1], [0, 0]])), Example(_g([[0, 0], [2, 0]]), _g([[0, 0], [0, 2]]))),
    test=(Example(_g([[3, 0], [0, 0]])), Example(_g([[0, 0], [4, 0]]))),
)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_solver_end_to_end(name: str) -> None:
    frames, side, _, _ = FAMILIES[name]
    sets = [
        f'backbone.name="{name}"', f"backbone.height={side}", f"backbone.width={side}", "video.input_frames=1",
        f"video.output_frames={frames - 1}", "train.steps=2", "sample.num_steps=1", "sample.num_samples=2",
        "views.num_views=2",
    ]
    result = Solver(resolve_config("toy", sets)).solve(TASK, progress=False)
    assert len(result.predictions) == len(TASK.test)
    for pred in result.predictions:
        assert pred.attempt_1.ndim == 2 and pred.attempt_2.ndim == 2
    assert len(result.losses) == 2 and all(np.isfinite(result.losses))


@pytest.mark.parametrize("name", recipe_names())
def test_every_recipe_loads(name: str) -> None:
    config = load_recipe(name)
    assert config.backbone.name in BACKBONES, f"solvers/{name}.toml names unknown backbone {config.backbone.name!r}"
    assert config.description.strip(), f"solvers/{name}.toml has no description"
