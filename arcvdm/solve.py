"""Solving one task: propose (program search, VDM samples) -> judge (VDM loss) -> rank -> two attempts.

``Solver`` holds a resolved ``SolverConfig`` and, when the recipe uses the VDM, a built backbone
(expensive: built once, reused for every task). ``Solver.solve(task)`` reads as the recipe does:

0. drop the task's test outputs (``Task.public``): nothing after that line can read an answer;
1. propose programs: answers of programs that reproduce every demonstration (``arcvdm.search``);
2. tune the VDM: views -> clips (``arcvdm.prepare``) -> per-task LoRA on the frozen backbone (``arcvdm.train``);
3. propose samples: each test input under each view, decoded and un-transformed, voted (``arcvdm.vote``);
4. judge: the tuned VDM's denoising loss of every pooled candidate across views (``arcvdm.judge``);
5. rank the pool by one rule (``arcvdm.rank``) and take the first two as attempts.

Steps 2-4 run only when the recipe uses the VDM (``sample.enabled`` or ``score.enabled``); the adapter is
always unloaded afterwards.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from arcvdm import cells, lora
from arcvdm.backbones import Backbone, build_backbone
from arcvdm.candidate import Candidate
from arcvdm.config import SolverConfig
from arcvdm.encoders import ENCODERS
from arcvdm.errors import ConfigError
from arcvdm.grids import Grid, grid_key
from arcvdm.prepare import Prepared, clip_context, example_frames, prepare_task
from arcvdm.rank import pool, rank
from arcvdm.search.background import BackgroundSearch, PendingSearch
from arcvdm.results import TaskResult, TestPrediction
from arcvdm.tasks import Task, id_file_stem
from arcvdm.threads import torch_thread_policy
from arcvdm.train import Clip, TrainResult, train_lora
from arcvdm.video import ClipSpec, arrange, frames_to_video, video_to_frames
from arcvdm.views import invert_cells, invert_grid
from arcvdm.vote import two_attempts


@dataclass
class Proposals:
    """What the proposers and the judge produced for one task, before ranking."""

    search_answers: list[list[tuple[Grid, list[str], int]]]   # per test input: (grid, programs, length)
    vdm: list[list[Candidate]]                                  # per test input: voted VDM candidates
    search_summary: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)     # seconds per step: search, train, sample, judge
    trained: TrainResult = field(default_factory=TrainResult)
    prep: Prepared | None = None
    artifacts: dict[str, Any] = field(default_factory=dict)


class Solver:
    """A recipe (bound to a built backbone when it uses the VDM); call ``solve(task)`` for each task."""

    def __init__(self, config: SolverConfig, backbone: Backbone | None = None, adapters_dir: Path | None = None) -> None:
        self.config = config
        self.adapters_dir = adapters_dir   # with lora.keep: each task's adapter is saved under it
        enc = config.encoder
        if enc.name not in ENCODERS:
            raise ConfigError(f"unknown encoder {enc.name!r}; choose one of {', '.join(ENCODERS)}")
        if not (config.uses_vdm or config.search.enabled):
            raise ConfigError(f"recipe {config.name!r} proposes nothing: enable sample, score or search")
        self.encoder = ENCODERS[enc.name](cell_px=enc.cell_px, line_px=enc.line_px)
        if config.uses_vdm:   # one thread policy for every recipe and encoder (arcvdm.threads)
            torch_thread_policy()
        if backbone is None and config.uses_vdm:
            backbone = build_backbone(config.backbone)
        self.backbone = backbone
        self.background = BackgroundSearch()   # the search's worker process, started on first use
        v = config.video
        self.clip = ClipSpec(v.input_frames, v.output_frames, v.context)

    # -- clips ---------------------------------------------------------------------------
    def _encode_clips(self, videos: list[np.ndarray], view_ids: list[int], num_clean: int, num_conditioning: int) -> list[Clip]:
        clips = []
        for start in range(0, len(videos), 8):  # encode in small batches to bound memory
            chunk = torch.stack([frames_to_video(v) for v in videos[start : start + 8]])  # (b, 3, F, H, W)
            latents = self.backbone.encode_clip(chunk, num_conditioning).cpu()            # (b, C, f, h, w)
            for j in range(latents.shape[0]):
                clips.append(Clip(latents[j], num_clean, view_ids[start + j]))
        return clips

    def prepare(self, task: Task) -> Prepared:
        """Views, layout and training clips of a task (no model call). ``task`` must already be public."""
        return prepare_task(task, self.config, self.encoder, self.backbone, self.clip)

    def context_for(self, task: Task, layout: Any) -> int:
        """Context pairs per clip: the recipe's, at most the other demonstrations, within ``max_tokens``."""
        return clip_context(self.clip, task, self.backbone, layout, self.config.video.max_tokens)

    def train_steps(self, prep: Prepared) -> int:
        """LoRA steps for this task: ``train.steps``, fewer when ``train.token_budget`` would be exceeded.

        Depends only on the task's clip size, so the answers stay the same on any machine."""
        cfg = self.config.train
        if cfg.token_budget is None:
            return cfg.steps
        clip_tokens = self.backbone.geometry().tokens(prep.num_frames, prep.layout.height, prep.layout.width)
        return max(1, min(cfg.steps, cfg.token_budget // (cfg.batch_size * clip_tokens)))

    def pair(self, layout: Any, grid_in: Grid, grid_out: Grid | None) -> tuple[np.ndarray, np.ndarray | None]:
        """The (input frame, output frame or None) of one example."""
        return example_frames(self.encoder, layout, grid_in, grid_out)

    # -- the recipe ----------------------------------------------------------------------
    def solve(self, task: Task, progress: bool = True, keep_artifacts: bool = False) -> TaskResult:
        cfg = self.config
        start = time.perf_counter()
        # 0. No leakage: from here on the task has no test outputs.
        task = task.public()
        found = Proposals([[] for _ in task.test], [[] for _ in task.test])
        # 1. Programs that reproduce every demonstration: here, or in the search's own process while the
        #    VDM trains (its answers are collected before pooling, in step 3).
        pending = None
        if cfg.search.enabled and cfg.uses_vdm and cfg.search.background:   # on the core torch leaves free
            pending = self.background.submit(task, cfg.search)
        elif cfg.search.enabled:
            self.propose_programs(task, found)
        # 2-4. The VDM: tune, sample, judge (the adapter is always unloaded).
        pooled = [pool(found.search_answers[ti], []) for ti in range(len(task.test))]
        if cfg.uses_vdm:
            pooled = self.run_vdm(task, found, progress, keep_artifacts, pending)
        # 5. One ranking rule; two attempts per test input.
        predictions = []
        for ti, ex in enumerate(task.test):
            ranked = rank(pooled[ti], programs_by_loss=cfg.score.programs_by_loss)
            first, second = two_attempts(ranked, fallback=ex.input)
            predictions.append(TestPrediction(first, second, ranked))
        return self.result(task, found, predictions, time.perf_counter() - start)

    def propose_programs(self, task: Task, found: Proposals, pending: PendingSearch | None = None) -> None:
        """Step 1: the program search (or the result of one started in the background); its distinct answers
        per test input, best program first."""
        from arcvdm.search import engine  # numpy only, but a large registry: imported when used

        if pending is None:
            t0 = time.perf_counter()
            searched = engine.search_task(task, self.config.search)
            seconds = time.perf_counter() - t0
        else:
            t0 = time.perf_counter()
            searched, seconds = pending.result()
            found.timings["search_wait"] = time.perf_counter() - t0   # how long the VDM waited for it
            if pending.fallback:
                found.search_summary["fallback"] = pending.fallback
        found.timings["search"] = seconds
        lengths = {p.text: p.length for p in searched.programs}
        answer_of: list[dict] = []   # per test input: answer grid key -> its rank (a candidate's search_rank)
        for ti in range(len(task.test)):
            ranked = engine.rank_answers(searched, ti)
            found.search_answers[ti] = [(grid, texts, min(lengths[t] for t in texts)) for grid, texts in ranked]
            answer_of.append({grid_key(grid): k for k, (grid, _) in enumerate(ranked)})
        found.search_summary = {
            **found.search_summary,
            "expanded": searched.expanded,
            "fitted_all": searched.fitted_all,
            # "answers": per test input, the rank of the answer the program gives: which candidate it made
            "programs": [{"text": p.text, "length": p.length, "view": p.view,
                          "answers": [answer_of[ti][grid_key(p.outputs[ti])] for ti in range(len(task.test))]}
                         for p in searched.programs],
        }

    def run_vdm(self, task: Task, found: Proposals, progress: bool, keep_artifacts: bool,
                pending: PendingSearch | None = None) -> list[list[Candidate]]:
        """Steps 2-4: per-task LoRA, samples, pooling with the search's answers (``pending``: a search
        running in the background, collected here), and the judge."""
        cfg = self.config
        t0 = time.perf_counter()
        prep = self.prepare(task)
        found.prep = prep
        generator = torch.Generator().manual_seed(prep.seed)
        if keep_artifacts:
            found.artifacts["train_clip"] = prep.videos[0]
        denoiser = self.backbone.denoiser
        try:
            # 2. Per-task LoRA on the frozen backbone.
            if cfg.lora.rank > 0 and cfg.train.steps > 0:
                clips = self._encode_clips(prep.videos, prep.owners, prep.num_clean, self.clip.num_conditioning_frames(prep.context))
                with torch.random.fork_rng():  # peft initialises LoRA A from the global RNG: seed it per task
                    torch.manual_seed(prep.seed)
                    params = lora.attach(denoiser, cfg.lora, self.backbone.lora_targets)
                train_cfg = dataclasses.replace(cfg.train, steps=self.train_steps(prep))
                found.trained = train_lora(self.backbone, clips, params, train_cfg, generator, progress, f"LoRA {task.id}")
                if cfg.lora.keep and self.adapters_dir is not None:
                    lora.keep(self.backbone, self.adapters_dir / id_file_stem(task.id))
            found.timings["train"] = time.perf_counter() - t0   # views, clips, encoding and the LoRA
            # 3. Samples, voted per test input.
            if cfg.sample.enabled:
                t0 = time.perf_counter()
                self.propose_samples(task, prep, generator, found, progress, keep_artifacts)
                found.timings["sample"] = time.perf_counter() - t0
            if pending is not None:
                self.propose_programs(task, found, pending)
            pooled = [pool(found.search_answers[ti], found.vdm[ti]) for ti in range(len(task.test))]
            # 4. The judge scores the candidates the rank rule puts first.
            if cfg.score.enabled:
                from arcvdm.judge import judge

                t0 = time.perf_counter()
                pooled = [rank(p) for p in pooled]  # nothing judged yet: max_candidates takes the first
                judge(self.backbone, self.encoder, self.clip, prep, pooled, cfg.score)
                found.timings["judge"] = time.perf_counter() - t0
        finally:
            lora.detach(denoiser)
        return pooled

    def propose_samples(self, task: Task, prep: Prepared, generator: torch.Generator, found: Proposals,
                        progress: bool, keep_artifacts: bool) -> None:
        """Step 3: each test input under each sampled view, ``num_samples`` seeded samples, decoded and voted."""
        cfg = self.config
        layout, context = prep.layout, prep.context
        num_views = len(prep.views) if cfg.sample.views is None else min(cfg.sample.views, len(prep.views))
        per_test: list[list[tuple[Grid, float, int]]] = [[] for _ in task.test]
        per_cell: list[list[np.ndarray]] = [[] for _ in task.test]   # per-cell distributions, task frame
        bar = tqdm(total=num_views * len(task.test), desc=f"sample {task.id}", unit="view", leave=False, disable=not progress)
        for vi in range(num_views):
            vt = prep.viewed[vi]
            demo_frames = [self.pair(layout, ex.input, ex.output) for ex in vt.train[:context]]
            for ti, ex in enumerate(vt.test):
                pairs = demo_frames + [self.pair(layout, ex.input, None)]
                frames = arrange(self.clip, pairs)[: self.clip.num_conditioning_frames(context)]
                clean = self.backbone.encode_clip(frames_to_video(frames)[None], len(frames))  # (1, C, k, h, w)
                clean = clean.expand(cfg.sample.num_samples, -1, -1, -1, -1)
                latents = self.backbone.sample(clean, prep.num_latent, cfg.sample.num_steps, generator)
                video = self.backbone.decode(latents)                                         # (S, 3, F, H, W)
                for s in range(video.shape[0]):
                    frames_s = video_to_frames(video[s])                                      # (F, H, W, 3)
                    decoded = self.encoder.decode(layout, frames_s[-1])
                    if decoded is not None:
                        per_test[ti].append((invert_grid(prep.views[vi], decoded.answer), decoded.confidence, vi))
                        if cfg.sample.average_cells:
                            dist = self.encoder.cell_distribution(layout, frames_s[-1], decoded.answer.shape)
                            if dist is not None:
                                per_cell[ti].append(invert_cells(prep.views[vi], dist))
                    if keep_artifacts and vi == 0:
                        if s == 0:
                            found.artifacts[f"test{ti}_video"] = frames_s
                        found.artifacts.setdefault(f"test{ti}_last_frames", []).append(frames_s[-1])
                bar.update(1)
        bar.close()
        found.vdm = [self.encoder.pool(layout, preds) for preds in per_test]  # votes, or averages (image encoders)
        if cfg.sample.average_cells:
            for ti in range(len(task.test)):
                found.vdm[ti] = self.add_cell_candidates(found.vdm[ti], per_cell[ti])

    def add_cell_candidates(self, voted: list[Candidate], distributions: list[np.ndarray]) -> list[Candidate]:
        """Score voted grids by the view-averaged cells and add the average's most likely grids."""
        avg = cells.average(distributions)
        if avg is None:
            return voted
        known = {grid_key(c.grid): c for c in voted}
        for grid in cells.likely_grids(avg, self.config.sample.cell_candidates):
            cand = known.get(grid_key(grid))
            if cand is None:
                cand = known[grid_key(grid)] = Candidate(grid, sources=["cells"])
            elif "cells" not in cand.sources:
                cand.sources.append("cells")
        for cand in known.values():
            cand.cell_logp = cells.log_likelihood(avg, cand.grid)
        return list(known.values())

    def result(self, task: Task, found: Proposals, predictions: list[TestPrediction], seconds: float) -> TaskResult:
        """The TaskResult of a solve (artifact lists stacked into arrays; notes for anything unusual)."""
        cfg, prep, trained = self.config, found.prep, found.trained
        artifacts = {k: np.stack(v) if isinstance(v, list) else v for k, v in found.artifacts.items()}
        notes = []
        if trained.capped:
            notes.append(
                f"train.seconds cap ({cfg.train.seconds:g} s) stopped the LoRA after {trained.steps} of "
                f"{cfg.train.steps} steps: these answers depend on machine speed"
            )
        return TaskResult(
            task.id, predictions, trained.losses, trained.seconds, seconds,
            [v.describe() for v in prep.views] if prep else [], dataclasses.asdict(prep.layout) if prep else {},
            notes=notes, context=prep.context if prep else 0, train_steps=trained.steps,
            search=found.search_summary, timings=found.timings, artifacts=artifacts,
        )
