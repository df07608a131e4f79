"""The VDM as a judge: score any candidate answer by the per-task tuned model's denoising loss.

For each candidate and each of the first ``score.views`` views, the clip the model was tuned on is built
with the candidate as its output frame (the same view applied to the task and the candidate), encoded,
and passed through the family's own training loss (``Backbone.denoising_loss``) under a FIXED set of
``score.draws`` (timestep, noise) draws. The draws depend only on the task's seed, the view and the test
input, so every candidate of a test input sees the same draws: the loss differences then come from the
candidates, not from the noise (the "diffusion classifier" estimate of Li et al., 2023; for flow matching
the velocity error plays the role of the noise error). Losses are summed over views; lower is better.

A candidate that does not fit the task's lattice (larger than any grid the layout can show) cannot be
rendered and keeps ``vdm_loss = None``.
"""

from __future__ import annotations

import torch

from arcvdm.backbones import Backbone
from arcvdm.candidate import Candidate
from arcvdm.config import ScoreConfig
from arcvdm.encoders import Encoder
from arcvdm.prepare import Prepared, example_frames
from arcvdm.video import ClipSpec, arrange, frames_to_video
from arcvdm.views import apply_grid


def draw_seed(task_seed: int, view: int, test: int) -> int:
    """The seed of the shared (timestep, noise) draws of one view and test input."""
    return (task_seed * 7919 + view * 104_729 + test * 1_299_709) % (2**31)


@torch.no_grad()
def judge(backbone: Backbone, encoder: Encoder, clip: ClipSpec, prep: Prepared, candidates: list[list[Candidate]],
          cfg: ScoreConfig) -> int:
    """Set ``vdm_loss`` on the first ``cfg.max_candidates`` candidates of each test input; returns how many.

    ``backbone`` carries the task's tuned adapter; ``encoder`` and ``clip`` draw and arrange frames as the
    adapter was trained on them (the solver's own), and ``prep`` is the task as ``prepare_task`` made it."""
    layout = prep.layout
    num_views = min(cfg.views, len(prep.views))
    scored = 0
    for ti, cands in enumerate(candidates):
        chosen = [c for c in cands[: cfg.max_candidates] if encoder.fits(layout, c.grid)]
        totals = [0.0 for _ in chosen]
        for vi in range(num_views):
            view, viewed = prep.views[vi], prep.viewed[vi]
            # 1. The view's clip up to the query: context demonstrations, then the test input.
            demos = [example_frames(encoder, layout, ex.input, ex.output) for ex in viewed.train[: prep.context]]
            query_in = encoder.input_frame(layout, viewed.test[ti].input)
            seed = draw_seed(prep.seed, vi, ti)
            for k, cand in enumerate(chosen):
                # 2. The candidate, in the same view, as the query's output frame.
                out_frame = encoder.output_frame(layout, apply_grid(view, cand.grid))
                video = arrange(clip, demos + [(query_in, out_frame)])           # (F, H, W, 3)
                latents = backbone.encode_clip(frames_to_video(video)[None], clip.num_conditioning_frames(prep.context))
                # 3. The family's loss on the generated frames, under the shared draws.
                totals[k] += backbone.denoising_loss(latents, prep.num_clean, cfg.draws, seed)
        for cand, total in zip(chosen, totals):
            cand.vdm_loss = float(total)
        scored += len(chosen)
    return scored
