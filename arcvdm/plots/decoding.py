"""Decoding check: a generated last frame beside the grid it was quantized to, doubtful cells flagged.

For each sample the picture shows, left to right:

1. the generated frame, pixel for pixel, with the layout's lattice drawn over it;
2. the mean colour of each lattice cell (what the decoder averaged, ``cell_colours``);
3. the nearest class of each cell (``nearest_class``; white = pad) with the grid's extent as read
   off the frame (a dashed box), i.e. the grid ``decode_grid`` returned.

A cell is *ambiguous* when its mean colour lies more than ``threshold`` (RGB L2) from the nearest
palette colour; it is outlined (black and white) in all three panels. The default, 30, is a bit
under half the distance between the closest palette pair (red-orange, 73): a cell within it is
nearer its class than any midpoint between two classes.

Frames are shown as generated, under their view (view 0 in a run's artifacts), not un-transformed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from arcvdm.encoders.arc_grid import GridLayout, cell_colours, decode_grid
from arcvdm.errors import ConfigError
from arcvdm.palette import nearest_class
from arcvdm.plots.grids import (
    HIGHLIGHT_OUTER, LINE_HEX, TEXT, draw_classes, draw_frame, draw_rgb_cells, grid_line_width, highlight_cells, panel_figure,
)
from arcvdm.plots.videos import check_frames

AMBIGUOUS_RGB_DISTANCE = 30.0


@dataclass(frozen=True)
class DecodingCheck:
    """What the decoder saw in one frame. Arrays are over the whole lattice, (rows, cols[, 3])."""

    colours: np.ndarray     # mean RGB of each cell, float32 (rows, cols, 3)
    classes: np.ndarray     # nearest class 0-10 of each cell (10 = pad)
    distances: np.ndarray   # RGB L2 distance of each cell's mean to its nearest class
    grid: np.ndarray        # the decoded grid (h, w), as decode_grid returns it
    confidence: float
    ambiguous: np.ndarray   # bool (rows, cols): distance > threshold
    threshold: float

    @property
    def num_ambiguous(self) -> int:
        return int(self.ambiguous.sum())


def check_decoding(layout: GridLayout, frame: np.ndarray, threshold: float = AMBIGUOUS_RGB_DISTANCE) -> DecodingCheck:
    """Run the decoder's own steps on one frame and flag the cells whose colour is ambiguous."""
    if not threshold >= 0:
        raise ConfigError(f"the ambiguity threshold must be a distance >= 0 (RGB L2), got {threshold}")
    colours = cell_colours(layout, np.asarray(frame))                  # (rows, cols, 3)
    classes, distances = nearest_class(colours)                        # (rows, cols)
    decoded = decode_grid(layout, np.asarray(frame))
    return DecodingCheck(colours, classes, distances, np.asarray(decoded.answer), float(decoded.confidence),
                         distances > threshold, float(threshold))


def _lattice_overlay(ax, layout: GridLayout) -> None:
    """Thin lattice lines over a frame at the cell boundaries (pixel coordinates)."""
    lw = grid_line_width(ax, layout.rows, layout.cols) * 0.7
    extent_h = layout.rows * layout.pitch + layout.line
    extent_w = layout.cols * layout.pitch + layout.line
    edges_y = [layout.line / 2 + r * layout.pitch for r in range(layout.rows + 1)]
    edges_x = [layout.line / 2 + c * layout.pitch for c in range(layout.cols + 1)]
    ax.hlines(edges_y, 0, extent_w, colors=LINE_HEX, linewidths=lw, alpha=0.8)
    ax.vlines(edges_x, 0, extent_h, colors=LINE_HEX, linewidths=lw, alpha=0.8)


def plot_decoding(
    layout: GridLayout,
    frames: np.ndarray,
    threshold: float = AMBIGUOUS_RGB_DISTANCE,
    title: str = "decoding check",
) -> Figure:
    """One row per sample: generated frame | cell means | quantized lattice with extent and flags."""
    frames = check_frames(frames, title)
    checks = [check_decoding(layout, f, threshold) for f in frames]
    side = max(layout.rows, layout.cols)
    panel = float(np.clip(1.4 + 0.06 * side, 2.0, 3.3))
    panels = panel_figure(len(frames), 3, panel=panel, left=0.9, top=0.6, title_space=0.55, min_width=5.0)
    fig, axes = panels.figure, panels.axes
    fig.suptitle(f"{title}\ncells further than {threshold:g} RGB from every palette colour are outlined",
                 x=0.01, y=1.0 - 0.08 / fig.get_figheight(), ha="left", va="top", fontsize=10, color=TEXT)
    for s, (frame, check) in enumerate(zip(frames, checks)):
        axes[s, 0].text(-0.06, 0.5, f"sample {s + 1}", transform=axes[s, 0].transAxes, ha="right", va="center",
                        fontsize=10, color=TEXT)
        flagged = list(zip(*np.nonzero(check.ambiguous)))
        # 1. The frame itself, with the lattice and the flagged cells in pixel coordinates.
        draw_frame(axes[s, 0], frame, f"generated frame {frame.shape[0]}x{frame.shape[1]} px")
        _lattice_overlay(axes[s, 0], layout)
        highlight_cells(axes[s, 0], [(layout.line + c * layout.pitch, layout.line + r * layout.pitch, layout.cell)
                                     for r, c in flagged])
        # 2. Mean colour per cell, exactly as averaged (rounded to uint8 only for display).
        means = np.clip(np.rint(check.colours), 0, 255).astype(np.uint8)
        draw_rgb_cells(axes[s, 1], means, f"cell means {layout.rows}x{layout.cols}")
        highlight_cells(axes[s, 1], [(c, r, 1.0) for r, c in flagged])
        # 3. Nearest class per cell, the read extent, and the flags.
        h, w = check.grid.shape
        draw_classes(axes[s, 2], check.classes)
        axes[s, 2].add_patch(Rectangle((0, 0), w, h, fill=False, edgecolor=HIGHLIGHT_OUTER, linewidth=2.0,
                                       linestyle=(0, (3, 2))))
        highlight_cells(axes[s, 2], [(c, r, 1.0) for r, c in flagged])
        axes[s, 2].set_title(
            f"decoded {h}x{w}, confidence {check.confidence:.2f}\n{check.num_ambiguous} ambiguous cell(s), "
            f"max distance {float(check.distances.max()):.0f}",
            fontsize=8, color=TEXT,
        )
    return fig
