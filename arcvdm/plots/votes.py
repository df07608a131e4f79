"""The vote: distinct candidates for one test input, in rank order, with votes and scores.

Rank order is the order the solver ranked them in (``arcvdm.rank``: programs first, then VDM samples;
judge loss, program length, votes, a stable key), so candidate #1 is attempt_1 and #2 is attempt_2.
Each panel says where its candidate came from (program text, VDM votes) and its judge loss. When the true output is known each
candidate is framed green (it is the answer) or red.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.figure import Figure

from arcvdm.candidate import Candidate
from arcvdm.errors import ConfigError
from arcvdm.grids import grids_equal
from arcvdm.plots.grids import TEXT, blank, draw_grid, mark, panel_figure
from arcvdm.plots.task import common_box, panel_size

MAX_SHOWN = 12
ROW_INCHES = 13.0   # a row of candidates is at most about this wide


def plot_votes(candidates: list[Candidate], truth: np.ndarray | None = None, title: str = "vote",
               max_shown: int = MAX_SHOWN) -> Figure:
    """Each distinct candidate with its rank, votes and score; the first ``max_shown`` of them."""
    if max_shown < 1:
        raise ConfigError(f"max_shown must be at least 1, got {max_shown}")
    shown = candidates[:max_shown]
    total = sum(c.votes for c in candidates)
    grids = [c.grid for c in shown] + ([truth] if truth is not None else [])
    panel = panel_size(grids) if shown else 1.6
    box = common_box(grids) if shown else 1
    ncols = max(1, min(int(ROW_INCHES // (panel + 0.25)), len(shown)))
    nrows = max(1, math.ceil(len(shown) / ncols))
    panels = panel_figure(nrows, ncols, panel=panel, top=0.6, title_space=0.55, min_width=4.2)
    fig, axes = panels.figure, panels.axes
    more = f"; {len(candidates) - len(shown)} more not shown" if len(candidates) > len(shown) else ""
    fig.suptitle(f"{title}\n{len(candidates)} distinct candidate(s), {total} vote(s){more}",
                 x=0.01, y=1.0 - 0.08 / fig.get_figheight(), ha="left", va="top", fontsize=10, color=TEXT)
    if not shown:
        blank(axes[0, 0], "no candidates\n(nothing decoded)")
        return fig
    for k, ax in enumerate(axes.flat):
        if k >= len(shown):
            blank(ax)
            continue
        cand = shown[k]
        draw_grid(ax, cand.grid, box=box)
        verdict = mark(ax, grids_equal(cand.grid, truth) if truth is not None else None)
        attempt = {0: " = attempt 1", 1: " = attempt 2"}.get(k, "")
        h, w = cand.grid.shape
        head = f"#{k + 1}{attempt}" + (f" ({verdict})" if verdict else "")
        source = "\n".join([line for part in cand.label_parts() for line in textwrap.wrap(part, 36)][:4])
        ax.set_title(f"{head}, {h}x{w}\n{source}", fontsize=7, color=TEXT)
    return fig
