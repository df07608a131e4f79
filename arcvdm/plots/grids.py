"""Drawing primitives for every arcvdm picture: grids, frames, panel layouts, marks, and saving.

Everything here uses matplotlib's object-oriented API (``matplotlib.figure.Figure``) and never
``pyplot``: no display, no global figure state, no backend switch, so plots are safe to draw from
``arcvdm solve`` or a notebook. Files are written by Agg (PNG) or the SVG backend, by extension.

Exact colours. A grid is drawn as an (h, w, 3) image of ``palette.CLASS_RGB`` values, one image
pixel per cell, with ``interpolation="nearest"``: every screen pixel inside a cell has the cell's
palette colour exactly (a test reads the cell centres back). Grid lines are thin (a few percent of a
cell, at most ~1.7 px) and centred on cell boundaries, so they never cover a one-cell object, and a
30x30 grid still shows every cell.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from arcvdm.errors import ConfigError
from arcvdm.palette import CLASS_RGB, LINE, PAD, hex_colour

DPI = 100
FORMATS = (".png", ".svg")

# Marks for right and wrong answers: palette green and red, so the page speaks one colour language.
CORRECT = hex_colour(3)
WRONG = hex_colour(2)
TEXT = hex_colour(0)


def rgb_hex(rgb: tuple[int, int, int] | np.ndarray) -> str:
    """'#rrggbb' of an RGB triple (e.g. ``palette.LINE``)."""
    r, g, b = (int(v) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


LINE_HEX = rgb_hex(LINE)
# Highlight outline for a flagged cell: an outer black and an inner white (PAD) stroke, visible on
# every palette colour without introducing a colour of its own.
HIGHLIGHT_OUTER = hex_colour(0)
HIGHLIGHT_INNER = rgb_hex(PAD)


@dataclass
class Panels:
    """A figure with a regular table of axes placed by hand (no layout engine moves them later)."""

    figure: Figure
    axes: np.ndarray  # (nrows, ncols) of Axes


def panel_figure(
    nrows: int,
    ncols: int,
    panel: float = 2.0,
    title_space: float = 0.5,
    gap: float = 0.25,
    left: float = 0.0,
    top: float = 0.0,
    panel_height: float | None = None,
    min_width: float = 0.0,
) -> Panels:
    """A figure of ``nrows`` x ``ncols`` axes, each ``panel`` inches wide (``panel_height`` high),
    with ``title_space`` inches above each for its title, ``left`` inches of row labels and ``top``
    inches for a figure title; the figure is at least ``min_width`` wide (room for a long title).
    All sizes are in inches at ``DPI``."""
    if nrows < 1 or ncols < 1:
        raise ConfigError(f"a panel figure needs at least 1x1 panels, got {nrows}x{ncols}")
    ph = panel if panel_height is None else panel_height
    width = max(min_width, left + ncols * panel + (ncols + 1) * gap)
    height = top + nrows * (ph + title_space) + gap
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.patch.set_facecolor("white")
    axes = np.empty((nrows, ncols), dtype=object)
    for r in range(nrows):
        for c in range(ncols):
            x0 = left + gap + c * (panel + gap)
            y_top = top + r * (ph + title_space) + title_space
            y0 = height - y_top - ph
            axes[r, c] = fig.add_axes((x0 / width, y0 / height, panel / width, ph / height))
    return Panels(fig, axes)


def _cell_points(ax: Axes, rows: int, cols: int) -> float:
    """Side of one cell in points when ``rows`` x ``cols`` cells fill the axes' box (aspect kept equal;
    an upper bound when the panel keeps a margin)."""
    fig = ax.figure
    pos = ax.get_position()
    w_pt = pos.width * fig.get_figwidth() * 72.0
    h_pt = pos.height * fig.get_figheight() * 72.0
    return min(w_pt / cols, h_pt / rows)


def grid_line_width(ax: Axes, rows: int, cols: int) -> float:
    """Grid-line width in points: 6 % of a cell, between 0.25 pt and 1.2 pt (never hides a cell)."""
    return float(np.clip(0.06 * _cell_points(ax, rows, cols), 0.25, 1.2))


def clear_axes(ax: Axes) -> None:
    """No ticks, no labels; spines kept (they carry the right/wrong mark)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def draw_rgb_cells(ax: Axes, rgb: np.ndarray, title: str | None = None, lines: bool = True,
                   box: int | None = None) -> None:
    """Draw an (h, w, 3) uint8 array as h x w cells of exactly those colours, with thin grid lines.

    Cell (r, c) covers data coordinates [c, c+1] x [r, r+1], row 0 at the top. ``box`` (cells) makes
    the panel show a ``box`` x ``box`` area with the grid centred in it, so grids drawn with the same
    box share one cell size (a 3x3 grid looks smaller than a 30x30 one, as it is).
    """
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.shape[0] == 0 or rgb.shape[1] == 0 or rgb.dtype != np.uint8:
        raise ConfigError(f"cells to draw must be uint8 (h, w, 3), got {rgb.dtype} {rgb.shape}")
    h, w = rgb.shape[:2]
    side = max(h, w) if box is None else box
    if side < max(h, w):
        raise ConfigError(f"a {h}x{w} grid does not fit a panel of {side}x{side} cells")
    ax.imshow(rgb, interpolation="nearest", extent=(0, w, h, 0), resample=False)
    if lines:
        lw = grid_line_width(ax, side, side)
        if h > 1:
            ax.hlines(np.arange(1, h), 0, w, colors=LINE_HEX, linewidths=lw)
        if w > 1:
            ax.vlines(np.arange(1, w), 0, h, colors=LINE_HEX, linewidths=lw)
        ax.add_patch(Rectangle((0, 0), w, h, fill=False, edgecolor=LINE_HEX, linewidth=2 * lw))
    # A white margin of 5 % keeps a right/wrong frame (``mark``) apart from a grid of the same colour.
    m = 0.05 * side
    x0, y0 = (w - side) / 2 - m, (h - side) / 2 - m
    ax.set_xlim(x0, x0 + side + 2 * m)
    ax.set_ylim(y0 + side + 2 * m, y0)
    ax.set_aspect("equal")
    clear_axes(ax)
    if title is not None:
        ax.set_title(title, fontsize=9, color=TEXT)


def draw_classes(ax: Axes, classes: np.ndarray, title: str | None = None, lines: bool = True,
                 box: int | None = None) -> None:
    """Draw an (h, w) array of cell classes (0-9 ARC colours, 10 pad) in exact palette colours."""
    classes = np.asarray(classes)
    if classes.ndim != 2 or classes.size == 0:
        raise ConfigError(f"a grid to draw must be a non-empty 2-D array, got shape {classes.shape}")
    if classes.min() < 0 or classes.max() >= len(CLASS_RGB):
        raise ConfigError(f"cell classes must be 0-{len(CLASS_RGB) - 1}, got values {classes.min()}..{classes.max()}")
    draw_rgb_cells(ax, CLASS_RGB[classes], title, lines, box)


def draw_grid(ax: Axes, grid: np.ndarray, title: str | None = None, lines: bool = True,
              box: int | None = None) -> None:
    """Draw an ARC grid with its size appended to the title ("input 3x3"); ``box`` as in ``draw_rgb_cells``."""
    h, w = np.asarray(grid).shape
    label = f"{h}x{w}" if title is None else f"{title} {h}x{w}"
    draw_classes(ax, grid, label, lines, box)


def draw_frame(ax: Axes, frame: np.ndarray, title: str | None = None) -> None:
    """Draw an (H, W, 3) uint8 frame pixel for pixel (nearest, no smoothing)."""
    frame = np.asarray(frame)
    if frame.ndim != 3 or frame.shape[2] != 3:
        raise ConfigError(f"a frame to draw must be (H, W, 3), got shape {frame.shape}")
    h, w = frame.shape[:2]
    ax.imshow(frame, interpolation="nearest", extent=(0, w, h, 0), resample=False)
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_aspect("equal")
    clear_axes(ax)
    if title is not None:
        ax.set_title(title, fontsize=9, color=TEXT)


def highlight_cells(ax: Axes, cells: list[tuple[float, float, float]]) -> None:
    """Outline squares (x, y, side) in data coordinates with a black-and-white double stroke."""
    for x, y, side in cells:
        inset = side * 0.08
        for colour, width in ((HIGHLIGHT_OUTER, 2.2), (HIGHLIGHT_INNER, 1.0)):
            ax.add_patch(Rectangle((x + inset, y + inset), side - 2 * inset, side - 2 * inset,
                                   fill=False, edgecolor=colour, linewidth=width))


def mark(ax: Axes, correct: bool | None) -> str:
    """Frame an axes in green (correct) or red (wrong); returns the word for its title ('' if unknown)."""
    if correct is None:
        return ""
    colour = CORRECT if correct else WRONG
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor(colour)
        spine.set_linewidth(3.0)
    return "correct" if correct else "wrong"


def blank(ax: Axes, text: str = "") -> None:
    """An empty panel, optionally with a short centred note."""
    ax.set_axis_off()
    if text:
        ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, color=TEXT, transform=ax.transAxes)


def check_format(path: Path) -> str:
    """The file format of ``path`` from its extension (png or svg); anything else is an error."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"{path}: cannot write a plot as {suffix or 'a file without extension'!r}; use .png or .svg")
    return suffix[1:]


def save_figure(fig: Figure, path: Path) -> Path:
    """Write a figure to ``path`` (PNG or SVG, by extension), creating the folder."""
    path = Path(path)
    fmt = check_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt, dpi=DPI, facecolor=fig.get_facecolor())
    return path


def figure_png(fig: Figure) -> bytes:
    """A figure as PNG bytes (for embedding in HTML)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor=fig.get_facecolor())
    return buf.getvalue()
