"""Plan a run before paying for it: what a recipe will build for a task, and a rough cost per step.

``plan(config, task)`` reports the clip's context pairs, frames and canvas (exactly as the solver will
choose them, ``video.max_tokens`` included), the latent shape, the transformer's token count, the
trainable LoRA parameters, and an ESTIMATE of memory and FLOPs per training and sampling step.
Shapes come from the family's ``Geometry`` - the same object its loader builds - so nothing here
re-derives VAE compression, frame rules or fixed sizes. Toy and embedded backbones are simply built.
Real families are built without weights: the geometry from ``<model>/transformer/config.json`` and
``<model>/vae/config.json`` (the family file's ``geometry_from_folder``), the transformer on the
``meta`` device (no memory, no download); the folder needs only those config files.

Cost model (estimates, stated so they can be checked):
- forward FLOPs = 2 x (transformer parameters) x tokens + 4 x tokens x keys x width per attention;
- a LoRA training step = forward + backward through activations (~2x forward; base weights get no
  gradient) + one more forward with gradient checkpointing, times the batch;
- memory = weights + fp32 LoRA parameters with AdamW state (16 bytes each) + activations
  (~34 bytes x tokens x width per layer kept, all layers without checkpointing, one with it).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import torch

from arcvdm.backbones.base import FrameRule, Geometry
from arcvdm.config import SolverConfig
from arcvdm.errors import ConfigError, WeightsError
from arcvdm.tasks import Task
from arcvdm.video import ClipSpec


def fit_context(spec: ClipSpec, num_demonstrations: int, rule: FrameRule, height: int, width: int, max_tokens: int | None) -> int:
    """Context pairs per clip: the recipe's, at most the other demonstrations, and fewer while a clip's
    tokens (latent frames x (height / spatial) x (width / spatial)) exceed ``max_tokens``.

    The one definition ``arcvdm plan`` and the solver (``Solver.context_for``) share.
    """
    context = min(spec.context, num_demonstrations - 1)
    per_frame = (height // rule.spatial) * (width // rule.spatial)
    while max_tokens is not None and context > 0:
        if rule.latent_frames(spec.num_frames(context)) * per_frame <= max_tokens:
            break
        context -= 1
    return context


@dataclass
class Plan:
    """What one task costs under one recipe. FLOPs and bytes are estimates (module docstring)."""

    recipe: str
    backbone: str
    task_id: str
    context: int                              # demonstration pairs before the query (after max_tokens)
    frames: int
    height: int
    width: int
    latent_shape: tuple[int, int, int, int]   # (C, f, h, w) of one clip
    clips: int                                # training clips (views x demonstrations)
    tokens: int                               # video tokens the transformer sees per clip
    text_tokens: int
    parameters: int                           # transformer parameters
    lora_parameters: int
    train_flops: float                        # per training step (whole batch)
    sample_flops: float                       # per denoising step (all samples of one test input)
    memory_bytes: float                       # peak of a training step

    def lines(self) -> list[str]:
        c, f, h, w = self.latent_shape
        flop = lambda x: f"{x / 1e12:.3f} TFLOP" if x >= 1e11 else f"{x / 1e9:.4f} GFLOP"  # noqa: E731
        mem = lambda x: f"{x / 2**30:.2f} GiB" if x >= 2**30 else f"{x / 2**20:.1f} MiB"  # noqa: E731
        return [
            f"recipe {self.recipe} · backbone {self.backbone} · task {self.task_id}",
            f"clip: {self.context} context pairs, {self.frames} frames at {self.height}x{self.width}; "
            f"{self.clips} training clips",
            f"latents per clip: (C, f, h, w) = ({c}, {f}, {h}, {w})",
            f"tokens per clip: {self.tokens} video + {self.text_tokens} context",
            f"transformer parameters: {self.parameters:,}; trainable LoRA parameters: {self.lora_parameters:,}",
            f"per training step (estimate): {flop(self.train_flops)}, peak memory ~{mem(self.memory_bytes)}",
            f"per sampling step (estimate): {flop(self.sample_flops)}",
        ]


def _lora_parameters(model: torch.nn.Module, targets: list[str], rank: int) -> int:
    """r x (in + out) for every Linear whose name ends with a target, as peft matches them."""
    total = 0
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear) and any(name == t or name.endswith("." + t) for t in targets):
            total += rank * (module.in_features + module.out_features)
    return total


def _attention_flops(model: torch.nn.Module, tokens: int, text_tokens: int, joint_text: bool) -> float:
    """4 x queries x keys x width for each attention module (QK^T and AV)."""
    flops = 0.0
    for name, module in model.named_modules():
        q = getattr(module, "to_q", None)
        if not isinstance(q, torch.nn.Linear):
            continue
        cross = name.endswith("attn2")
        keys = text_tokens if cross else tokens + (text_tokens if joint_text else 0)
        queries = tokens + (text_tokens if joint_text and not cross else 0)
        flops += 4.0 * queries * keys * q.out_features
    return flops


def _real(name: str, root: Path) -> tuple[torch.nn.Module, Geometry]:
    """A weightless transformer on ``meta`` and the family's geometry, from the folder's config files."""
    from accelerate import init_empty_weights

    from arcvdm.backbones import BACKBONES

    module = importlib.import_module(f"arcvdm.backbones.{BACKBONES[name].module}")
    geometry = module.geometry_from_folder(root, name)             # WeightsError naming a missing config.json
    cls = module.TRANSFORMER
    with init_empty_weights():
        model = cls.from_config(cls.load_config(root / "transformer"))
    return model, geometry


def plan(config: SolverConfig, task: Task) -> Plan:
    """Context, frames, latent shape, tokens, LoRA size and per-step cost of ``task`` under ``config``."""
    from arcvdm.backbones import REAL
    from arcvdm.encoders import ENCODERS
    from arcvdm.encoders.base import Canvas

    bc = config.backbone
    # 1. The transformer and the family's geometry: built (toy, embedded) or weightless from configs (real).
    if bc.name in REAL:
        if not bc.path:
            raise WeightsError(f"{bc.name}: plan needs --model PATH (a folder with transformer/ and vae/ config.json)")
        model, geometry = _real(bc.name, Path(bc.path))
        canvas = Canvas(bc.height, bc.width, geometry.rule.spatial)
        if geometry.fixed is not None and bc.height is None:
            canvas = Canvas(*geometry.fixed, geometry.rule.spatial)
        targets_default = ("to_q", "to_k", "to_v", "to_out.0")
    else:
        from arcvdm.backbones import build_backbone

        backbone = build_backbone(bc)
        model, geometry, canvas = backbone.denoiser, backbone.geometry(), backbone.canvas()
        targets_default = backbone.lora_targets
    rule = geometry.rule
    # 2. The clip: context, frames and canvas exactly as the solver chooses them (no test output read).
    enc = config.encoder
    if enc.name not in ENCODERS:
        raise ConfigError(f"unknown encoder {enc.name!r}; choose one of {', '.join(ENCODERS)}")
    encoder = ENCODERS[enc.name](cell_px=enc.cell_px, line_px=enc.line_px)
    layout = encoder.plan(task.public(), canvas)
    spec = ClipSpec(config.video.input_frames, config.video.output_frames, config.video.context)
    context = fit_context(spec, len(task.train), rule, layout.height, layout.width, config.video.max_tokens)
    frames = spec.num_frames(context)
    rule.check(frames, layout.height, layout.width)
    rule.clean_latent_frames(spec.num_conditioning_frames(context))
    # 3. Latents and tokens (CogVideoX 1.5 pads the latent frames to its temporal patch).
    latent_shape = geometry.latent_shape(frames, layout.height, layout.width)
    tokens = geometry.tokens(frames, layout.height, layout.width)
    text_tokens = geometry.text_tokens
    # 4. Cost model (module docstring).
    params = sum(p.numel() for p in model.parameters())
    lora = _lora_parameters(model, list(config.lora.targets or targets_default), config.lora.rank) if config.lora.rank else 0
    joint = "CogVideoX" in type(model).__name__
    forward = 2.0 * params * tokens + _attention_flops(model, tokens, text_tokens, joint)
    passes = 2.0 + (1.0 if bc.gradient_checkpointing else 0.0)
    train_flops = config.train.batch_size * (1.0 + passes) * forward
    sample_flops = config.sample.num_samples * forward
    width = max((m.in_features for n, m in model.named_modules() if isinstance(m, torch.nn.Linear) and n.endswith("to_q")), default=1)
    layers = sum(1 for n, m in model.named_modules() if n.endswith("attn1"))
    kept = 1 if bc.gradient_checkpointing else max(layers, 1)
    weight_bytes = params * (2 if bc.dtype == "bfloat16" else 4)
    activations = config.train.batch_size * (tokens + text_tokens) * width * (34.0 * kept + 2.0 * max(layers, 1))
    memory = weight_bytes + 16.0 * lora + activations
    clips = config.views.num_views * len(task.train)
    return Plan(
        config.name, bc.name, task.id, context, frames, layout.height, layout.width, latent_shape, clips, tokens,
        text_tokens, params, lora, train_flops, sample_flops, memory,
    )
