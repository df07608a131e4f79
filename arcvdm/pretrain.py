"""Pretraining the embedded default model: in-context ARC clips, checkpointed and resumable.

Each training clip shows up to ``max_context`` demonstration pairs of a task and then a query pair,
one frame per grid at one pixel per cell (the embedded model's layout); only the query's output
frame is noised. So the model learns to *read a task in context*, and the per-task LoRA at test time
refines what it read. Every clip is an augmented view: a D8 element, a colour permutation (colour 0
kept fixed with probability ``keep_background``) and a shuffled choice of context pairs.

Data: ``arcvdm.splits.pretraining_tasks()`` (ARC-AGI-1 + ARC-AGI-2 training, minus the dev set and
anything that shares content with an evaluation set), and optionally a folder of generated tasks
(``arcvdm generate``; ``generated``), drawn for a ``generated_share`` of the batches. Generated tasks pass
the same content check as the ARC pool when they are loaded. The held-out loss is measured on the dev set.

Runs are resumable: ``arcvdm pretrain --out DIR --minutes N`` continues from ``DIR/checkpoint`` if
it exists, so a long pretraining runs as several short stretches. ``--export`` writes the latest
checkpoint and a model card into the package (``arcvdm/weights/embedded``).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from arcvdm.backbones.base import FrameRule
from arcvdm.backbones.codecs import CellCodec
from arcvdm.backbones.embedded import new_transformer, null_prompt, shipped_weights
from arcvdm.backbones.wan import WanTI2VBackbone
from arcvdm.config import BackboneConfig, PretrainConfig, check_generated_folder
from arcvdm.encoders.arc_grid import lattice_cells_needed, lattice_classes, make_layout
from arcvdm.encoders.base import Canvas
from arcvdm.errors import ConfigError, WeightsError
from arcvdm.jsonio import read_json
from arcvdm.palette import NUM_CLASSES
from arcvdm.tasks import Example, Task, load_dataset, load_directory
from arcvdm.plan import fit_context
from arcvdm.video import ClipSpec
from arcvdm.views import View, apply_grid
from arcvdm.weights import EXPORTED_FILES, check_exported


# -- data -------------------------------------------------------------------------------------
@dataclass
class PoolTask:
    task: Task
    side: int                       # lattice side in cells (even: 2x2 patches)
    pairs: list[Example]            # demonstrations and tests that fit the lattice


def make_pool(tasks: list[Task]) -> dict[int, list[PoolTask]]:
    """Tasks grouped by lattice side, as the solver would lay them out (test outputs not read)."""
    groups: dict[int, list[PoolTask]] = {}
    for task in tasks:
        side = lattice_cells_needed(task)
        side += side % 2
        pairs = [ex for ex in task.train + task.test if ex.output is not None and max(ex.output.shape) <= side]
        if len(pairs) >= 2:
            groups.setdefault(side, []).append(PoolTask(task, side, pairs))
    return groups


def generated_tasks(folder: Path, excluded: tuple[set[str], set[str]] | None = None) -> tuple[list[Task], int]:
    """The generated tasks of ``folder`` (one ARC task file each) that share no example with the dev set or
    an evaluation set (``splits.shares_content`` against ``splits.excluded_hashes``, checked here again, not
    assumed from the generator), and how many were dropped for overlap."""
    from arcvdm.splits import excluded_hashes, shares_content

    check_generated_folder(folder)
    excluded = excluded_hashes() if excluded is None else excluded
    kept, dropped = [], 0
    for task in load_directory(folder).tasks:
        if shares_content(task, excluded):
            dropped += 1
        else:
            kept.append(task)
    if not kept:
        raise ConfigError(f"generated: {folder} holds no usable task ({dropped} dropped for overlap with dev/eval)")
    return kept, dropped


def load_exported(folder: Path):
    """The transformer of an exported weights folder; unreadable or mismatched files are a ``WeightsError``."""
    from diffusers import WanTransformer3DModel

    try:
        return WanTransformer3DModel.from_pretrained(folder, local_files_only=True, use_safetensors=True)
    except (OSError, ValueError, RuntimeError, TypeError, KeyError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise WeightsError(
            f"{folder / EXPORTED_FILES[1]}: cannot load the weights with {folder / EXPORTED_FILES[0]} ({first[:200]})"
        ) from None


def context_for(side: int, cfg: PretrainConfig) -> int:
    """Context pairs of a pretraining clip on a ``side`` x ``side`` lattice: the solver's rule (``fit_context``)
    for the embedded model (one frame per grid, 2x2 patches), so pretraining and solving agree."""
    spec = ClipSpec(1, 1, cfg.max_context)
    return fit_context(spec, cfg.max_context + 1, FrameRule(temporal=1, spatial=2, family="embedded"), side, side,
                       cfg.max_tokens)


def random_view(rng: np.random.Generator, keep_background: float) -> View:
    keep = rng.random() < keep_background
    movable = np.arange(1 if keep else 0, 10)
    colours = ([0] if keep else []) + [int(c) for c in rng.permutation(movable)]
    return View(int(rng.integers(8)), tuple(colours), None)


def onehot_frames(side: int, grids: list[np.ndarray]) -> torch.Tensor:
    """Grids -> the CellCodec latents of their frames: (11, F, side, side) in {-1, 1}."""
    layout = make_layout(side, Canvas(None, None, 2), 1, 0)
    classes = np.stack([lattice_classes(layout, g) for g in grids])        # (F, side, side)
    onehot = torch.nn.functional.one_hot(torch.from_numpy(classes), NUM_CLASSES).float()  # (F, s, s, 11)
    return onehot.permute(3, 0, 1, 2) * 2.0 - 1.0


def sample_batch(groups: dict[int, list[PoolTask]], cfg: PretrainConfig, rng: np.random.Generator) -> torch.Tensor:
    """One batch of in-context clips from one lattice-size group: (B, 11, F, side, side)."""
    sides = sorted(groups)
    weights = np.array([len(groups[s]) for s in sides], dtype=np.float64)
    side = sides[rng.choice(len(sides), p=weights / weights.sum())]
    chosen = [groups[side][i] for i in rng.integers(len(groups[side]), size=cfg.batch_size)]
    context = min([context_for(side, cfg)] + [len(p.pairs) - 1 for p in chosen])
    clips = []
    for item in chosen:
        view = random_view(rng, cfg.keep_background)
        order = rng.permutation(len(item.pairs))[: context + 1]             # context pairs, then the query
        grids = []
        for i in order:
            grids += [apply_grid(view, item.pairs[i].input), apply_grid(view, item.pairs[i].output)]
        clips.append(onehot_frames(side, grids))
    return torch.stack(clips)


# -- training ---------------------------------------------------------------------------------
def _save_checkpoint(out: Path, transformer, optimizer, step: int, rng: np.random.Generator,
                     generator: torch.Generator, cfg: PretrainConfig, seconds: float) -> None:
    tmp = out / "checkpoint.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    transformer.save_pretrained(tmp, safe_serialization=True)
    torch.save(
        {"step": step, "optimizer": optimizer.state_dict(), "rng": rng.bit_generator.state,
         "generator": generator.get_state(), "config": asdict(cfg), "seconds": seconds},
        tmp / "state.pt",
    )
    final = out / "checkpoint"
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)


def dev_batches(cfg: PretrainConfig, n: int = 4) -> list[torch.Tensor]:
    """Fixed held-out batches from the dev set (same every call) for the held-out loss."""
    from arcvdm.splits import dev_task_ids

    dev = set(dev_task_ids())
    groups = make_pool([t for t in load_dataset("arc1-train").tasks if t.id in dev])
    rng = np.random.default_rng(12345)
    return [sample_batch(groups, cfg, rng) for _ in range(n)]


def held_out_loss(backbone: WanTI2VBackbone, batches: list[torch.Tensor]) -> float:
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        losses = [float(backbone.training_loss(b, b.shape[2] - 1, generator)) for b in batches]
    return float(np.mean(losses))


def _backbone(transformer, cfg: PretrainConfig) -> WanTI2VBackbone:
    """The embedded backbone around a transformer being pretrained (or read back) with ``cfg``'s shift."""
    return WanTI2VBackbone(transformer, CellCodec(), null_prompt(), BackboneConfig(name="embedded", shift=cfg.shift), "embedded")


def exported_dev_loss(folder: Path, cfg: PretrainConfig) -> float:
    """The held-out dev loss of exported weights on ``cfg``'s fixed dev batches, as pretraining logs it (so a
    shipped model and a new run compare on the same batches)."""
    transformer = load_exported(folder)
    transformer.eval()
    return held_out_loss(_backbone(transformer, cfg), dev_batches(cfg))


def pretrain(out: Path, minutes: float, cfg: PretrainConfig, progress: bool = True, echo=print,
             max_steps: int | None = None, init: Path | None = None) -> dict:
    """Train for ``minutes`` of wall clock or until step ``max_steps`` (resuming from ``out/checkpoint``).

    With no checkpoint in ``out``, ``init`` names exported weights to continue from (a new session
    that lost ``out``, or a change of data settings): weights, step count and hours carry over; the
    optimiser starts fresh; only the architecture (preset) must match.
    """
    from diffusers import WanTransformer3DModel

    from arcvdm.splits import pretraining_tasks

    out.mkdir(parents=True, exist_ok=True)
    ckpt = out / "checkpoint"
    # 1. Model, optimiser and RNG state: fresh, or resumed from the last checkpoint.
    if ckpt.is_dir():
        state = torch.load(ckpt / "state.pt", weights_only=True)  # tensors, numbers, dicts: no pickled objects
        if asdict(PretrainConfig(**state["config"])) != asdict(cfg):  # older checkpoints lack newer keys
            raise ConfigError(f"{out}: checkpoint was made with a different pretraining config: {state['config']}")
        transformer = WanTransformer3DModel.from_pretrained(ckpt, local_files_only=True, use_safetensors=True)
    elif init is not None:
        check_exported(init)
        carried = read_json(init / "training_state.json", "training state") if (init / "training_state.json").is_file() else {}
        if carried.get("config", {}).get("preset", cfg.preset) != cfg.preset:
            raise ConfigError(f"{init}: weights are preset {carried['config']['preset']!r}, not {cfg.preset!r}")
        transformer = load_exported(init)
        state = None
        echo(f"starting from {init} (step {carried.get('step', 0)}; optimiser state starts fresh)")
    else:
        state = None
        carried = {}
        transformer = new_transformer(cfg.preset, cfg.seed)
    backbone = _backbone(transformer, cfg)
    params = list(transformer.parameters())
    for p in params:
        p.requires_grad_(True)
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.01)
    rng = np.random.default_rng(cfg.seed)
    generator = torch.Generator().manual_seed(cfg.seed)
    step, seconds_before = 0, 0.0
    if state is None and init is not None:
        step, seconds_before = carried.get("step", 0), carried.get("seconds", 0.0)
    if state is not None:
        optimizer.load_state_dict(state["optimizer"])
        rng.bit_generator.state = state["rng"]
        generator.set_state(state["generator"])
        step, seconds_before = state["step"], state["seconds"]
        echo(f"resuming from step {step} ({seconds_before / 3600:.2f} h trained)")
    # 2. Data: the pretraining pool (no dev or evaluation content), generated tasks if any (checked the same
    #    way), and fixed held-out dev batches.
    pool, dropped = pretraining_tasks()
    groups = make_pool(pool)
    echo(f"pretraining pool: {len(pool)} tasks ({len(dropped)} dropped for overlap with dev/eval)")
    made_groups: dict[int, list[PoolTask]] = {}
    if cfg.generated and cfg.generated_share > 0:
        made, made_dropped = generated_tasks(Path(cfg.generated))
        made_groups = make_pool(made)
        echo(f"generated tasks: {len(made)} from {cfg.generated} ({made_dropped} dropped for overlap with dev/eval); "
             f"{cfg.generated_share:.0%} of batches")
    dev = dev_batches(cfg)
    log = open(out / "log.jsonl", "a", encoding="utf-8")
    start = time.perf_counter()
    deadline = start + minutes * 60
    transformer.train()
    recent: list[float] = []
    bar = tqdm(desc="pretrain", unit="step", initial=step, disable=not progress)
    while time.perf_counter() < deadline and (max_steps is None or step < max_steps):
        # 3. One step: a batch of in-context clips, the backbone's own loss, AdamW with warm-up.
        use_made = bool(made_groups) and rng.random() < cfg.generated_share  # no draw without generated tasks
        batch = sample_batch(made_groups if use_made else groups, cfg, rng)
        for group in optimizer.param_groups:
            group["lr"] = cfg.lr * min(1.0, (step + 1) / cfg.warmup)
        loss = backbone.training_loss(batch, batch.shape[2] - 1, generator)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        recent.append(float(loss.detach()))
        bar.update(1)
        # 4. Log, and checkpoint every `checkpoint_every` steps.
        if step % 50 == 0:
            entry = {"step": step, "loss": float(np.mean(recent)), "hours": (seconds_before + time.perf_counter() - start) / 3600}
            bar.set_postfix(loss=f"{entry['loss']:.4f}")
            if step % cfg.checkpoint_every == 0:
                transformer.eval()
                entry["dev_loss"] = held_out_loss(backbone, dev)
                transformer.train()
                _save_checkpoint(out, transformer, optimizer, step, rng, generator, cfg, seconds_before + time.perf_counter() - start)
            log.write(json.dumps(entry) + "\n")
            log.flush()
            recent = []
    bar.close()
    transformer.eval()
    total = seconds_before + time.perf_counter() - start
    dev_loss = held_out_loss(backbone, dev)
    _save_checkpoint(out, transformer, optimizer, step, rng, generator, cfg, total)
    log.write(json.dumps({"step": step, "dev_loss": dev_loss, "hours": total / 3600, "end_of_stretch": True}) + "\n")
    log.close()
    return {"step": step, "hours": total / 3600, "dev_loss": dev_loss, "pool": len(pool), "dropped": len(dropped)}


def generated_line(config: dict) -> str:
    """The model card's sentence on generated tasks ("" when the model saw none)."""
    if not config.get("generated") or not config.get("generated_share"):
        return ""
    return (f"\n  Generated tasks (`arcvdm generate`) from `{config['generated']}` made {config['generated_share']:.0%} of the "
            "batches; each was checked against the same dev/eval exclusion when loaded.")


def export(out: Path, target: Path | None = None) -> Path:
    """Copy the latest checkpoint into the package's weights folder, with a model card."""
    ckpt = out / "checkpoint"
    if not ckpt.is_dir():
        raise ConfigError(f"{out}: no checkpoint to export; run `arcvdm pretrain --out {out}` first")
    target = target or shipped_weights()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "diffusion_pytorch_model.safetensors"):
        shutil.copy(ckpt / name, target / name)
    state = torch.load(ckpt / "state.pt", weights_only=True)  # tensors, numbers, dicts: no pickled objects
    (target / "training_state.json").write_text(
        json.dumps({"step": state["step"], "seconds": state["seconds"], "config": state["config"]}, indent=2), encoding="utf-8"
    )
    lines = [json.loads(l) for l in (out / "log.jsonl").read_text().splitlines() if l.strip()]
    dev_losses = [l for l in lines if "dev_loss" in l]
    train_losses = [l for l in lines if "loss" in l]
    from arcvdm.splits import DEV_SIZE, EVAL_SETS, PRETRAIN_SETS, pretraining_tasks

    pool, dropped = pretraining_tasks()
    params = sum(p.numel() for p in new_transformer(state["config"]["preset"], 0).parameters())
    card = f"""# arcvdm embedded default model

- Architecture: diffusers `WanTransformer3DModel`, preset `{state['config']['preset']}`, {params / 1e6:.2f}M parameters,
  2x2-cell patches over one-pixel-per-cell frames, 11-class one-hot cell codec (`CellCodec`), flow matching.
- Data: {len(pool)} tasks from {', '.join(PRETRAIN_SETS)} after removing every task that shares an example
  (input/output pair, or an input grid of >= 9 cells) with {', '.join(EVAL_SETS)} or with the {DEV_SIZE}-task
  dev set ({len(dropped)} tasks dropped). Clips: up to {state['config']['max_context']} demonstration pairs in
  context, then the query pair; random D8 x colour-permutation views.{generated_line(state['config'])}
- Training: {state['step']} steps of batch {state['config']['batch_size']}, AdamW lr {state['config']['lr']},
  {state['seconds'] / 3600:.2f} hours on 2 CPU cores (wall clock, shared with other work).
- Loss: last logged training loss {train_losses[-1]['loss'] if train_losses else float('nan'):.4f};
  held-out dev loss {dev_losses[-1]['dev_loss'] if dev_losses else float('nan'):.4f}
  (first logged: {dev_losses[0]['dev_loss'] if dev_losses else float('nan'):.4f}).
- Command: `arcvdm pretrain --out {out} --minutes N` (repeated; resumable), then `arcvdm pretrain --out {out} --export`.
  A later session without that folder continues with `arcvdm pretrain --out DIR --init arcvdm/weights/embedded --minutes N`.
"""
    (target / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    return target
