"""Typed configs and named solver recipes.

A solver recipe (a TOML file in ``solvers/``, installed as ``arcvdm.solvers``) fills a
``SolverConfig``: which encoder, clip arrangement, backbone, LoRA, training, views and sampling to
use. Recipes are found by name (``arcvdm solve --solver default``) or by path. Command-line
overrides (``--set train.steps=50``) may only name keys that exist; values are parsed as TOML
literals. The resolved config is saved beside every run.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
import types
import typing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, get_type_hints

from arcvdm.errors import ConfigError


# Flow-matching samplers a backbone may use (arcvdm.backbones.flow builds them; defined here, torch-free).
SAMPLERS = ("euler", "unipc")


def _help(text: str, default: Any = dataclasses.MISSING, factory: Any = dataclasses.MISSING) -> Any:
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata={"help": text})
    return field(default=default, metadata={"help": text})


@dataclass
class EncoderConfig:
    name: str = _help("encoder registry name (arcvdm.encoders.ENCODERS)", "arc_grid")
    cell_px: int | None = _help("cell side in pixels; None = the largest that fits a fixed canvas", None)
    line_px: int = _help("grid-line width in pixels (0 = no lines)", 2)


@dataclass
class VideoConfig:
    input_frames: int = _help("frames showing each input before the cut", 1)
    output_frames: int = _help("frames showing each output after the cut", 4)
    context: int = _help("demonstration pairs shown before the query in each clip (0 = paper layout)", 0)
    max_tokens: int | None = _help("fewer context pairs when a clip would exceed this many transformer tokens", None)


@dataclass
class BackboneConfig:
    name: str = _help("backbone registry name (arcvdm.backbones.BACKBONES)", "toy-wan22")
    path: str | None = _help("local diffusers-format weights folder (real families and overrides)", None)
    dtype: str = _help("weights dtype: float32 or bfloat16", "float32")
    height: int | None = _help("canvas height in pixels (None: fitted to each task)", None)
    width: int | None = _help("canvas width in pixels (None: fitted to each task)", None)
    shift: float = _help("flow-matching timestep shift (training and sampling)", 3.0)
    sampler: str = _help("flow-matching sampler of the Wan families: euler, or unipc (Wan's published one)", "euler")
    init_seed: int = _help("seed of the random initialisation of toy backbones", 0)
    device: str | None = _help("torch device of the denoiser (None: cuda when available, else cpu)", None)
    gradient_checkpointing: bool = _help(
        "recompute activations in the backward pass: less memory, ~30% more time, identical numbers", False
    )
    cpu_offload: bool = _help(
        "keep the VAE and image encoder on the CPU, moving each to the device only for its call", False
    )

    def __post_init__(self) -> None:
        if self.dtype not in ("float32", "bfloat16"):
            raise ConfigError(f"backbone.dtype must be float32 or bfloat16, got {self.dtype!r}")
        if self.shift <= 0:
            raise ConfigError(f"backbone.shift must be > 0, got {self.shift}")
        if self.sampler not in SAMPLERS:
            raise ConfigError(f"backbone.sampler must be one of {', '.join(SAMPLERS)}, got {self.sampler!r}")


@dataclass
class LoraConfig:
    rank: int = _help("LoRA rank (0 = no LoRA: the frozen model alone)", 8)
    alpha: float = _help("LoRA alpha (scale = alpha / rank)", 8.0)
    targets: list[str] | None = _help("module names to adapt; None = the backbone's attention q/k/v/out", None)
    dropout: float = _help("LoRA dropout", 0.0)
    keep: bool = _help(
        "keep each task's trained adapter in <run>/adapters/<task>/ (arcvdm format and the family pipeline's "
        "load_lora_weights format)", False
    )

    def __post_init__(self) -> None:
        if self.rank < 0:
            raise ConfigError(f"lora.rank must be >= 0, got {self.rank}")


@dataclass
class TrainConfig:
    steps: int = _help("LoRA optimisation steps per task (a count: the same on any machine)", 20)
    token_budget: int | None = _help(
        "at most this many transformer tokens per task (steps x batch x tokens per clip): large tasks get fewer "
        "steps, fixed by the task's size, never by machine speed (None = always `steps`)", None
    )
    seconds: float | None = _help(
        "opt-in safety cap on training wall-clock seconds per task (None = off); when it stops training "
        "early the result and the log say so, and answers then depend on machine speed", None
    )
    lr: float = _help("AdamW learning rate (constant)", 1e-4)
    batch_size: int = _help("clips per step", 2)
    grad_clip: float = _help("gradient-norm clip", 1.0)
    weight_decay: float = _help("AdamW weight decay", 0.0)
    mixed_precision: str = _help("accelerate mixed precision: no or bf16", "no")

    def __post_init__(self) -> None:
        if self.steps < 0 or self.batch_size < 1 or self.lr <= 0:
            raise ConfigError(
                f"train needs steps >= 0, batch_size >= 1, lr > 0; got {self.steps}, {self.batch_size}, {self.lr}"
            )
        if self.token_budget is not None and self.token_budget < 1:
            raise ConfigError(f"train.token_budget must be >= 1 or none, got {self.token_budget}")
        if self.seconds is not None and self.seconds <= 0:
            raise ConfigError(f"train.seconds must be > 0 or none, got {self.seconds}")
        if self.mixed_precision not in ("no", "bf16"):
            raise ConfigError(f"train.mixed_precision must be 'no' or 'bf16', got {self.mixed_precision!r}")


@dataclass
class ViewConfig:
    num_views: int = _help("augmented views per task, the identity included", 4)
    d8: bool = _help("rotate/flip (the 8 symmetries of the square)", True)
    permute_colours: bool = _help("permute colours", True)
    keep_background: bool = _help("keep colour 0 fixed when permuting colours", True)
    shuffle_order: bool = _help("shuffle the order of the demonstrations", True)

    def __post_init__(self) -> None:
        if self.num_views < 1:
            raise ConfigError(f"views.num_views must be >= 1, got {self.num_views}")


@dataclass
class SampleConfig:
    enabled: bool = _help("the VDM proposes candidates by sampling (off: it can still judge, see [score])", True)
    num_samples: int = _help("samples per view and test input", 2)
    num_steps: int = _help("denoising steps per sample", 4)
    views: int | None = _help("views to sample from (None = all trained views)", None)
    average_cells: bool = _help(
        "average per-cell colour predictions over samples and views (arcvdm.cells); rank VDM candidates by "
        "their likelihood under that average", False
    )
    cell_candidates: int = _help("with average_cells: also propose this many most likely grids of the average", 8)

    def __post_init__(self) -> None:
        if self.num_samples < 1 or self.num_steps < 1:
            raise ConfigError(f"sample needs num_samples >= 1 and num_steps >= 1, got {self.num_samples}, {self.num_steps}")


@dataclass
class SearchConfig:
    enabled: bool = _help("run the program-search proposer (arcvdm.search) on each task", False)
    max_depth: int = _help("longest program, in primitives (before the optional fitted last step)", 3)
    max_states: int = _help(
        "budget: distinct intermediate states expanded per task and search view (a count, never seconds)", 20000
    )
    transpose: bool = _help("also search the transposed task (answers transposed back)", True)
    normalise_colours: bool = _help("also search the task with colours renamed by frequency (answers renamed back)", True)
    normalise_roles: bool = _help(
        "also search with colours renamed per example by their frequency in its input (colour roles that change "
        "between examples); answers renamed back with the test input's table",
        True,
    )
    normalise_orientation: bool = _help(
        "also search with each example turned (D8) to a canonical orientation of its input (a rule applied in "
        "different directions); answers turned back with the test input's turn; ranked after the other views",
        True,
    )
    max_programs: int = _help("keep at most this many distinct programs that fit every demonstration", 16)
    max_applications: int = _help(
        "budget: primitive applications (one primitive on one state) per task and search view, a count; "
        "bounds the time of tasks with many primitives (300000 chosen on the dev set: +1 output over 100000, "
        "still inside the VDM's time when the search runs in the background)",
        300000,
    )
    background: bool = _help(
        "with the VDM on, search in a separate process while the VDM trains (one more core; the same answers)",
        True,
    )
    pieces: bool = _help(
        "when no program fits, overlay up to 3 partial programs that are each right wherever they paint "
        "(arcvdm.search.pieces); ranked after every exact program",
        True,
    )
    other_views_share: float = _help(
        "every search view but the identity (transposed, colours, roles, orientations) gets this fraction of "
        "max_applications (the identity view all of it)",
        0.34,
    )

    def __post_init__(self) -> None:
        if self.max_applications < 1:
            raise ConfigError(f"search.max_applications must be >= 1, got {self.max_applications}")
        if not 0.0 < self.other_views_share <= 1.0:
            raise ConfigError(f"search.other_views_share must be in (0, 1], got {self.other_views_share}")
        if self.max_depth < 0 or self.max_states < 1 or self.max_programs < 1:
            raise ConfigError(
                "search needs max_depth >= 0, max_states >= 1, max_programs >= 1; "
                f"got {self.max_depth}, {self.max_states}, {self.max_programs}"
            )


@dataclass
class ScoreConfig:
    enabled: bool = _help("the tuned VDM judges every candidate by its denoising loss (arcvdm.judge)", False)
    views: int = _help("views whose losses are summed (the first N trained views)", 4)
    draws: int = _help("(timestep, noise) draws per view, shared by every candidate of a test input", 8)
    max_candidates: int = _help("judge at most this many candidates per test input (the first by the rank rule)", 16)
    programs_by_loss: bool = _help(
        "order program candidates by judge loss, then the search's order (False: the search's order alone)", True
    )

    def __post_init__(self) -> None:
        if self.views < 1 or self.draws < 1 or self.max_candidates < 1:
            raise ConfigError(
                f"score needs views, draws and max_candidates >= 1; got {self.views}, {self.draws}, {self.max_candidates}"
            )


# Architectures of the embedded VDM (``WanTransformer3DModel`` settings), by name: ``arcvdm pretrain --preset``.
EMBEDDED_PRESETS: dict[str, dict] = {
    # ~1.5M parameters: ~7k tokens/s fwd+bwd on 2 CPU cores (measured, fp32).
    "cell-s": dict(num_attention_heads=4, attention_head_dim=32, num_layers=6, ffn_dim=384),
    # ~0.15M parameters: for tests and quick experiments.
    "cell-xs": dict(num_attention_heads=2, attention_head_dim=32, num_layers=2, ffn_dim=128),
    # ~5.1M parameters: the largest point of the scaling study (benchmarks/scaling.py)
    "cell-m": dict(num_attention_heads=6, attention_head_dim=32, num_layers=8, ffn_dim=768),
}


@dataclass
class PretrainConfig:
    """``arcvdm pretrain``'s settings (``arcvdm.pretrain``); torch-free, so the CLI checks them before loading torch."""

    preset: str = _help("architecture, a name of EMBEDDED_PRESETS", "cell-s")
    batch_size: int = _help("clips per step", 8)
    lr: float = _help("learning rate", 3e-4)
    warmup: int = _help("linear warm-up steps, then constant", 200)
    max_context: int = _help("demonstration pairs before the query", 3)
    max_tokens: int = _help("fewer context pairs for large canvases", 1024)
    keep_background: float = _help("probability that colour 0 stays fixed in a view", 0.5)
    shift: float = _help("flow-matching timestep shift (must match the solver recipe)", 3.0)
    checkpoint_every: int = _help("steps between checkpoints (one is also written at the end)", 200)
    seed: int = _help("seed of batches, views and noise", 0)
    generated: str = _help("folder of generated task files (arcvdm generate); empty for ARC tasks only", "")
    generated_share: float = _help("share of batches drawn from the generated tasks (when there are any)", 0.5)

    def __post_init__(self) -> None:
        if not 0.0 <= self.generated_share <= 1.0:
            raise ConfigError(f"--generated-share (generated_share) must be within [0, 1], got {self.generated_share}")
        if self.preset not in EMBEDDED_PRESETS:
            raise ConfigError(f"--preset {self.preset!r}: unknown preset; choose one of {', '.join(EMBEDDED_PRESETS)}")


def check_generated_folder(folder: str | Path) -> None:
    """A folder of generated tasks to pretrain on must exist (checked when training starts, not in the config:
    a checkpoint's config still exports where its folder is gone)."""
    if not Path(folder).is_dir():
        raise ConfigError(f"--generated {folder}: not a folder of task files (write one with `arcvdm generate --out {folder}`)")


@dataclass
class SolverConfig:
    name: str = _help("recipe name", "custom")
    description: str = _help("what this recipe is for, its cost and its expected result", "")
    seed: int = _help("master seed: views, training batches, noise", 0)
    encoder: EncoderConfig = _help("encoder settings", factory=EncoderConfig)
    video: VideoConfig = _help("clip arrangement", factory=VideoConfig)
    backbone: BackboneConfig = _help("backbone settings", factory=BackboneConfig)
    lora: LoraConfig = _help("LoRA settings", factory=LoraConfig)
    train: TrainConfig = _help("per-task training", factory=TrainConfig)
    views: ViewConfig = _help("augmentation", factory=ViewConfig)
    sample: SampleConfig = _help("sampling", factory=SampleConfig)
    search: SearchConfig = _help("program search (proposer)", factory=SearchConfig)
    score: ScoreConfig = _help("the VDM as a judge of every candidate", factory=ScoreConfig)

    @property
    def uses_vdm(self) -> bool:
        """Whether the recipe needs the backbone at all (to sample or to judge)."""
        return self.sample.enabled or self.score.enabled


def from_dict(cls: type, data: dict[str, Any], where: str, prefix: str = "") -> Any:
    """Build a (nested) config dataclass from a dict; unknown keys are an error naming the key.

    ``where`` names the source (a recipe file, ``--set``); ``prefix`` is the dotted section path so far.
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{_at(where, prefix.rstrip('.') or 'recipe')}: expected a table of settings, got {data!r}")
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in names:
            raise ConfigError(f"{where}: unknown setting {prefix + key!r}; known: {', '.join(sorted(names))}")
        hint = hints[key]
        if dataclasses.is_dataclass(hint):
            kwargs[key] = from_dict(hint, value, where, f"{prefix}{key}.")
        else:
            kwargs[key] = _check_type(value, hint, _at(where, prefix + key))
    return cls(**kwargs)


def _at(where: str, dotted: str) -> str:
    """A setting and its source: ``w.toml: train.steps``, or ``--set train.steps`` for an option."""
    return f"{where} {dotted}" if where.startswith("--") else f"{where}: {dotted}"


# How a setting's type reads in an error ("train.steps: 'abc' is not an integer").
TYPE_WORDS = {int: "an integer", float: "a number", bool: "true or false", str: "a string", list: "a list"}


def type_words(hint: Any) -> str:
    """``int | None`` -> "an integer or none"; ``list[str]`` -> "a list"."""
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    words = []
    for option in typing.get_args(hint) if union else (hint,):
        kind = typing.get_origin(option) or option
        words.append("none" if option is type(None) else TYPE_WORDS.get(kind, getattr(kind, "__name__", str(kind))))
    return " or ".join(words)


def _check_type(value: Any, hint: Any, where: str) -> Any:
    """Accept ``value`` if it fits the annotation ``hint`` (ints widen to floats); else a ConfigError."""
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    for option in typing.get_args(hint) if union else (hint,):
        kind = typing.get_origin(option) or option
        if option is type(None) and value is None:
            return value
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind in (int, bool, str, list) and type(value) is kind:
            return value
    raise ConfigError(f"{where}: {value!r} is not {type_words(hint)}")


def to_dict(config: Any) -> dict[str, Any]:
    return dataclasses.asdict(config)


def recipe_names() -> list[str]:
    """Names of the recipes installed with arcvdm (``solvers/*.toml``)."""
    folder = resources.files("arcvdm.solvers")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_recipe(name_or_path: str) -> SolverConfig:
    """A recipe by installed name or by path to a TOML file.

    A recipe may start from another with ``extends = "NAME"``: the named recipe's settings, then this
    file's on top (section by section), so a variant states only what differs.
    """
    data, where = _recipe_table(name_or_path, [])
    return from_dict(SolverConfig, data, where)


def _recipe_table(name_or_path: str, chain: list[str]) -> tuple[dict[str, Any], str]:
    """A recipe's settings with every ``extends`` resolved; ``chain`` catches cycles."""
    path = Path(name_or_path)
    if name_or_path.endswith(".toml") or path.exists():
        if not path.is_file():
            raise ConfigError(f"{name_or_path}: no such recipe file")
        text = path.read_text(encoding="utf-8")
        where = str(path)
    else:
        if name_or_path not in recipe_names():
            raise ConfigError(f"unknown solver {name_or_path!r}; choose one of {', '.join(recipe_names())} or a .toml path")
        text = resources.files("arcvdm.solvers").joinpath(f"{name_or_path}.toml").read_text(encoding="utf-8")
        where = f"solvers/{name_or_path}.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{where}: malformed TOML: {err}") from None
    data.setdefault("name", path.stem if path.suffix == ".toml" else name_or_path)
    parent = data.pop("extends", None)
    if parent is None:
        return data, where
    if not isinstance(parent, str) or parent in chain + [name_or_path]:
        raise ConfigError(f"{where}: extends = {parent!r} must name another recipe, without a cycle")
    base, _ = _recipe_table(parent, chain + [name_or_path])
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base, where


def apply_overrides(config: SolverConfig, overrides: list[str]) -> SolverConfig:
    """Apply ``section.key=value`` overrides (value parsed as a TOML literal, else a plain string)."""
    data = to_dict(config)
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"override {item!r} must look like section.key=value")
        dotted, raw = item.split("=", 1)
        keys = dotted.strip().split(".")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        if raw.strip().lower() in ("none", "null"):
            value = None
        node = data
        for k in keys[:-1]:
            if not isinstance(node.get(k), dict):
                raise ConfigError(f"override {item!r}: {k!r} is not a section; sections: {', '.join(k for k, v in data.items() if isinstance(v, dict))}")
            node = node[k]
        if keys[-1] not in node:
            raise ConfigError(f"override {item!r}: unknown key {keys[-1]!r}; known: {', '.join(sorted(node))}")
        node[keys[-1]] = value
    return from_dict(SolverConfig, data, "--set")


def dumps(config: SolverConfig) -> str:
    return json.dumps(to_dict(config), indent=2)
