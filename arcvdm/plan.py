"""Plan a run before paying for it: what a recipe will build for a task, and a rough cost per step.

``plan(config, task)`` reports the clip's frames and canvas, the latent shape, the transformer's token
count, the trainable LoRA parameters, and an ESTIMATE of memory and FLOPs per training and sampling
step. Toy and embedded backbones are simply built. Real families are built without weights: the
transformer from ``<model>/transformer/config.json`` on the ``meta`` device (no memory, no download),
and the codec's compression from ``<model>/vae/config.json``; the folder needs only those config files.

Cost model (estimates, stated so they can be checked):
- forward FLOPs = 2 x (transformer parameters) x tokens + 4 x tokens x keys x width per attention;
- a LoRA training step = forward + backward through activations (~2x forward; base weights get no
  gradient) + one more forward with gradient checkpointing, times the batch;
- memory = weights + fp32 LoRA parameters with AdamW state (16 bytes each) + activations
  (~34 bytes x tokens x width per layer kept, all layers without checkpointing, one with it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch

from arcvdm.backbones.base import FrameRule
from arcvdm.config import SolverConfig
from arcvdm.errors import ConfigError, WeightsError
from arcvdm.tasks import Task
from arcvdm.video import ClipSpec

# real family -> (diffusers transformer class, VAE kind, text tokens attended to)
REAL_FAMILIES = {
    "wan21": ("WanTransformer3DModel", "wan", 512 + 257),   # 512 text + 257 CLIP image tokens
    "wan22": ("WanTransformer3DModel", "wan", 512),
    "cogvideox": ("CogVideoXTransformer3DModel", "cogvideox", 226),
    "cogvideox15": ("CogVideoXTransformer3DModel", "cogvideox", 226),
    "ltx": ("LTXVideoTransformer3DModel", "ltx", 128),
}


@dataclass
class Plan:
    """What one task costs under one recipe. FLOPs and bytes are estimates (module docstring)."""

    recipe: str
    backbone: str
    task_id: str
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
            f"clip: {self.frames} frames at {self.height}x{self.width}; {self.clips} training clips",
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


def _real_geometry(name: str, root: Path) -> tuple[torch.nn.Module, int, int, int, int]:
    """A weightless transformer on ``meta`` and the VAE's (channels, temporal, spatial) from config files."""
    import diffusers
    from accelerate import init_empty_weights

    cls_name, vae_kind, _ = REAL_FAMILIES[name]
    for sub in ("transformer", "vae"):
        if not (root / sub / "config.json").is_file():
            raise WeightsError(f"{name}: {root / sub / 'config.json'} is missing; plan reads the model's config files")
    cls = getattr(diffusers, cls_name)
    with init_empty_weights():
        model = cls.from_config(cls.load_config(root / "transformer"))
    vae = json.loads((root / "vae" / "config.json").read_text())
    if vae_kind == "wan":
        channels, temporal, spatial = vae["z_dim"], vae.get("scale_factor_temporal", 4), vae.get("scale_factor_spatial", 8)
    elif vae_kind == "cogvideox":
        channels, temporal, spatial = vae["latent_channels"], vae["temporal_compression_ratio"], 2 ** (len(vae["block_out_channels"]) - 1)
    else:
        scaling = vae.get("spatio_temporal_scaling", (True, True, True, False))
        channels = vae["latent_channels"]
        temporal = vae.get("patch_size_t", 1) * 2 ** sum(scaling)
        spatial = vae.get("patch_size", 4) * 2 ** sum(scaling)
    return model, channels, temporal, spatial, 0


def plan(config: SolverConfig, task: Task) -> Plan:
    """Frames, latent shape, tokens, LoRA size and per-step cost of ``task`` under ``config``."""
    from arcvdm.encoders import ENCODERS
    from arcvdm.encoders.base import Canvas

    bc = config.backbone
    # 1. The transformer and the family's geometry: built (toy) or weightless from configs (real).
    if bc.name in REAL_FAMILIES:
        if not bc.path:
            raise WeightsError(f"{bc.name}: plan needs --model PATH (a folder with transformer/ and vae/ config.json)")
        model, channels, temporal, spatial_vae, _ = _real_geometry(bc.name, Path(bc.path))
        patch = model.config.patch_size
        p_h = patch[1] if isinstance(patch, (tuple, list)) else patch
        p_t = patch[0] if isinstance(patch, (tuple, list)) else (getattr(model.config, "patch_size_t", None) or 1)
        step = 2 * temporal if bc.name.startswith("cogvideox") else temporal
        fixed = None
        if getattr(model.config, "use_learned_positional_embeddings", False):
            fixed = (model.config.sample_height * spatial_vae, model.config.sample_width * spatial_vae)
        rule = FrameRule(temporal, spatial_vae * p_h, bc.name, fixed, frame_step=step)
        text_tokens = REAL_FAMILIES[bc.name][2]
        canvas = Canvas(bc.height, bc.width, rule.spatial)
        targets_default = ("to_q", "to_k", "to_v", "to_out.0")
    else:
        from arcvdm.backbones import build_backbone

        backbone = build_backbone(bc)
        model, rule, canvas = backbone.denoiser, backbone.rule, backbone.canvas()
        codec = getattr(backbone, "codec", None)
        channels = getattr(codec, "channels", None) or next(iter(backbone.denoiser.parameters())).shape[0]
        spatial_vae = getattr(codec, "spatial", 1)
        p_h = rule.spatial // max(spatial_vae, 1)
        p_t = getattr(backbone, "p_t", None) or 1
        prompt = getattr(backbone, "prompt_embeds", None)
        text_tokens = 0 if prompt is None else prompt.shape[1]
        targets_default = backbone.lora_targets
    # 2. The clip: frames and canvas exactly as the solver will choose them (no test output read).
    enc = config.encoder
    if enc.name not in ENCODERS:
        raise ConfigError(f"unknown encoder {enc.name!r}; choose one of {', '.join(ENCODERS)}")
    encoder = ENCODERS[enc.name](cell_px=enc.cell_px, line_px=enc.line_px)
    public = task.public()
    layout = encoder.plan(public, canvas)
    spec = ClipSpec(config.video.input_frames, config.video.output_frames, config.video.context)
    context = min(spec.context, len(task.train) - 1)
    frames = spec.num_frames(context)
    rule.check(frames, layout.height, layout.width)
    rule.clean_latent_frames(spec.num_conditioning_frames(context))
    # 3. Latents and tokens (CogVideoX 1.5 pads the latent frames to its temporal patch).
    f = rule.latent_frames(frames)
    h, w = layout.height // spatial_vae, layout.width // spatial_vae
    f_model = f + (-f) % p_t
    tokens = (f_model // p_t) * (h // p_h) * (w // p_h)
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
        config.name, bc.name, task.id, frames, layout.height, layout.width, (channels, f, h, w), clips, tokens,
        text_tokens, params, lora, train_flops, sample_flops, memory,
    )
