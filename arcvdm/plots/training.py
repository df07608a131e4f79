"""Training: the per-task LoRA loss curve saved with a run (``TaskResult.losses``, one value per step).

The raw per-step loss is noisy (each step sees one small batch at one random noise level), so a
moving average is drawn over it; its window is about a tenth of the steps.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arcvdm.palette import hex_colour
from arcvdm.plots.grids import DPI, TEXT

RAW = hex_colour(8)       # palette sky: the raw steps, light
SMOOTH = hex_colour(1)    # palette blue: the moving average


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over up to ``window`` values (shorter at the start), same length as ``values``."""
    values = np.asarray(values, dtype=np.float64)
    window = max(1, int(window))
    csum = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(1, len(values) + 1)
    lo = np.maximum(0, idx - window)
    return (csum[idx] - csum[lo]) / (idx - lo)


def plot_losses(losses: list[float], title: str = "LoRA training loss", seconds: float | None = None) -> Figure:
    """Loss per step with its moving average; an empty list gives a figure that says so."""
    fig = Figure(figsize=(6.0, 3.2), dpi=DPI)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0.11, 0.16, 0.85, 0.70))
    took = f" ({seconds:.1f} s)" if seconds else ""
    ax.set_title(f"{title}{took}", fontsize=10, color=TEXT)
    if len(losses) == 0:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no training steps were recorded", ha="center", va="center", transform=ax.transAxes,
                fontsize=10, color=TEXT)
        return fig
    values = np.asarray(losses, dtype=np.float64)
    steps = np.arange(1, len(values) + 1)
    window = max(1, len(values) // 10)
    ax.plot(steps, values, color=RAW if window > 1 else SMOOTH, linewidth=1.0, marker="." if len(values) <= 50 else None, label="per step")
    if window > 1:
        ax.plot(steps, moving_average(values, window), color=SMOOTH, linewidth=2.0, label=f"mean of last {window}")
    ax.set_xlabel("step", fontsize=9)
    ax.set_ylabel("loss", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    ax.set_xlim(0.5, len(values) + 0.5)
    first, last = values[: max(1, window)].mean(), values[-max(1, window):].mean()
    ax.legend(fontsize=8, loc="best", title=f"first {first:.3f} -> last {last:.3f}", title_fontsize=8)
    return fig
