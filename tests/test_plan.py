"""``arcvdm plan``: what it reports is what the solver and the loaders will build.

The default recipe (embedded model, 3 context pairs, ``max_tokens`` 512) gets the solver's own context
count, frames and latent shapes, including on a task whose grids force fewer context pairs. For each
toy family the plan's latent shape and token count equal what the backbone really produces; for each
real family the geometry ``plan`` reads from config files alone equals the one the loader builds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch

from arcvdm.backbones import build_backbone
from arcvdm.config import BackboneConfig
from arcvdm.jobs import resolve_config
from arcvdm.plan import fit_context, plan
from arcvdm.solve import Solver
from arcvdm.sources import load_tasks
from arcvdm.tasks import Example, Task


def _task(side: int, demos: int = 4) -> Task:
    """A literal task of ``demos`` demonstrations on side x side grids (a diagonal and its mirror)."""
    grid = np.eye(side, dtype=np.uint8) * 3
    return Task(f"plan{side}", train=tuple(Example(grid, grid[:, ::-1].copy()) for _ in range(demos)), test=(Example(grid),))


def _sample_tasks() -> list[Task]:
    return list(load_tasks(Path(__file__).parent.parent / "data" / "tasks").tasks)


@pytest.fixture(scope="module")
def default():
    config = resolve_config("default", [])
    return config, Solver(config)


@pytest.mark.parametrize("side, expected", [(20, 1), (30, 0), (4, 3)])
def test_default_recipe_context_follows_max_tokens(default, side: int, expected: int) -> None:
    """Cell codec, 2x2 patches: a 20x20 grid is 100 tokens a frame, so 512 tokens allow 1 context pair
    (4 frames = 400 tokens; 2 pairs would be 600); 30x30 allows none; small grids keep all 3."""
    config, solver = default
    assert config.backbone.name == "embedded" and config.video.context == 3 and config.video.max_tokens == 512
    task = _task(side)
    prepared = solver.prepare(task.public())
    report = plan(config, task)
    assert report.context == prepared.context == expected
    assert report.frames == prepared.num_frames
    assert report.latent_shape[1] == prepared.num_latent
    assert report.tokens <= config.video.max_tokens or expected == 0
    assert f"{expected} context pairs" in report.lines()[1]


@pytest.mark.parametrize("task", _sample_tasks(), ids=lambda t: t.id)
def test_default_recipe_on_the_sample_tasks_matches_the_solver(default, task: Task) -> None:
    config, solver = default
    prepared = solver.prepare(task.public())
    report = plan(config, task)
    assert (report.context, report.frames, report.height, report.width) == (
        prepared.context, prepared.num_frames, prepared.layout.height, prepared.layout.width,
    )
    # The solver's own context rule is the shared one.
    assert solver.context_for(task.public(), prepared.layout) == fit_context(
        solver.clip, len(task.train), solver.backbone.rule, prepared.layout.height, prepared.layout.width,
        config.video.max_tokens,
    )


# family -> (canvas side, output frames) at toy size
TOYS = {"toy-wan22": (64, 4), "toy-wan21": (32, 4), "toy-cogvideox": (32, 8), "toy-ltx": (64, 8)}


@pytest.mark.parametrize("name", list(TOYS))
def test_toy_family_plan_matches_the_backbone(name: str) -> None:
    side, output_frames = TOYS[name]
    config = resolve_config("toy", [
        f'backbone.name="{name}"', f"backbone.height={side}", f"backbone.width={side}", f"video.output_frames={output_frames}",
    ])
    task = _sample_tasks()[0]
    report = plan(config, task)
    backbone = build_backbone(config.backbone)
    video = torch.zeros(1, 3, report.frames, report.height, report.width)
    latents = backbone.encode(video)                                          # (1, C, f, h, w)
    assert report.latent_shape == tuple(latents.shape[1:])
    p_t, p_h, p_w = backbone.geometry().patch
    c, f, h, w = report.latent_shape
    assert report.tokens == -(-f // p_t) * (h // p_h) * (w // p_w)
    assert report.text_tokens == backbone.geometry().text_tokens
    assert report.parameters == sum(p.numel() for p in backbone.denoiser.parameters())


def _write_configs(root: Path, name: str) -> None:
    """Only the config files a published folder has (no weights): what ``arcvdm plan`` needs."""
    from diffusers import (
        AutoencoderKLCogVideoX, AutoencoderKLLTXVideo, AutoencoderKLWan, CogVideoXTransformer3DModel,
        LTXVideoTransformer3DModel, WanTransformer3DModel,
    )

    from arcvdm.backbones import cogvideox, ltx, wan, wan21

    if name in ("wan22", "wan21"):
        module = wan if name == "wan22" else wan21
        WanTransformer3DModel.from_config(module.TOY_TRANSFORMER).save_config(root / "transformer")
        AutoencoderKLWan.from_config(module.TOY_VAE).save_config(root / "vae")
        if name == "wan21":
            from transformers import CLIPVisionConfig

            CLIPVisionConfig(**wan21.TOY_CLIP).save_pretrained(root / "image_encoder")
    elif name.startswith("cogvideox"):
        vae, transformer = cogvideox.toy_configs("5b" if name == "cogvideox" else "1.5")
        CogVideoXTransformer3DModel.from_config(transformer).save_config(root / "transformer")
        AutoencoderKLCogVideoX.from_config(vae).save_config(root / "vae")
    else:
        LTXVideoTransformer3DModel.from_config(ltx.TOY_TRANSFORMER).save_config(root / "transformer")
        AutoencoderKLLTXVideo.from_config(ltx.TOY_VAE).save_config(root / "vae")


# real family -> (its toy backbone builder's arguments)
REAL = {
    "wan22": dict(name="toy-wan22"),
    "wan21": dict(name="toy-wan21"),
    "cogvideox": dict(name="toy-cogvideox", variant="5b"),
    "cogvideox15": dict(name="toy-cogvideox"),
    "ltx": dict(name="toy-ltx"),
}


@pytest.mark.parametrize("name", list(REAL))
def test_real_family_plan_reads_the_loader_geometry(name: str, tmp_path: Path) -> None:
    import importlib

    from arcvdm.backbones import BACKBONES
    from arcvdm.backbones.cogvideox import build_toy_cogvideox

    _write_configs(tmp_path, name)
    module = importlib.import_module(f"arcvdm.backbones.{BACKBONES[name].module}")
    planned = module.geometry_from_folder(tmp_path, name)
    args = dict(REAL[name])
    variant = args.pop("variant", None)
    cfg = BackboneConfig(name=args["name"], height=32, width=32)
    toy = build_toy_cogvideox(cfg, variant=variant) if variant else build_backbone(cfg)
    built = toy.geometry()
    # Text tokens come from the prompt, which a toy makes up: plan counts the published lengths.
    assert planned.text_tokens == {"wan22": 512, "wan21": 512 + 17, "cogvideox": 16, "cogvideox15": 16, "ltx": 128}[name]
    assert dataclasses.replace(built, family=name, text_tokens=planned.text_tokens) == planned
    # And a whole plan on the config-only folder, with its frame rule enforced.
    recipe = {"wan22": "wan22", "wan21": "wan21", "cogvideox": "cogvideox", "cogvideox15": "cogvideox15", "ltx": "ltx"}[name]
    side = planned.fixed[0] if planned.fixed else planned.rule.spatial * 2
    frames = 1 + (planned.rule.frame_step or planned.rule.temporal)
    config = resolve_config(recipe, [
        f'backbone.path="{tmp_path}"', f"backbone.height={side}", f"backbone.width={side}",
        f"video.output_frames={frames - 1}", "video.context=0",
    ])
    report = plan(config, _sample_tasks()[0])
    assert report.latent_shape == planned.latent_shape(frames, side, side)
    assert report.tokens == planned.tokens(frames, side, side)


def test_plan_names_a_missing_config_file(tmp_path: Path) -> None:
    from arcvdm.errors import WeightsError

    config = resolve_config("wan22", [f'backbone.path="{tmp_path}"'])
    with pytest.raises(WeightsError, match=r"transformer/config\.json is missing"):
        plan(config, _sample_tasks()[0])
