"""The ARC grid encoder: grid <-> colour-cell frame, with the grid's extent drawn on the frame.

Layout. The canvas is tiled by a square lattice of cells, ``cell`` pixels wide, separated (and
framed) by grid lines ``line`` pixels wide. A grid fills the lattice from the top-left corner;
every lattice cell outside it is painted ``PAD``. Pixels past the last whole cell are ``BACKGROUND``.
Anchoring at the top-left (not centring, as the source paper did) means the grid's height and width
are simply where the pad starts, which a model can learn and a decoder can read.

Lattice size. The lattice holds the largest grid the task may need: the largest side among its
demonstrations and test inputs, and each test input scaled by the largest output/input ratio seen in
the demonstrations (capped at 30). It never reads a test output.

Decoding. Each lattice cell's mean colour (interior only) goes to the nearest of the ten ARC colours
or PAD. The grid's size is the (h, w) that best separates non-pad cells (inside) from pad cells
(outside); cells inside that read as pad take their nearest ARC colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from arcvdm.encoders.base import Canvas, Decoded, Encoder
from arcvdm.errors import BackboneRuleError, ConfigError
from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.palette import BACKGROUND, CLASS_RGB, LINE, NUM_COLOURS, PAD_INDEX, nearest_class
from arcvdm.tasks import Task

MAX_RGB_DISTANCE = math.sqrt(3) * 255.0


@dataclass(frozen=True)
class GridLayout:
    """Pixel geometry of one task's frames. Cell (r, c) starts at (line + r*pitch, line + c*pitch)."""

    height: int  # canvas height in pixels
    width: int   # canvas width in pixels
    cell: int    # cell side in pixels
    line: int    # grid-line width in pixels
    rows: int    # lattice rows (cells)
    cols: int    # lattice columns (cells)

    @property
    def pitch(self) -> int:
        return self.cell + self.line


def lattice_cells_needed(task: Task) -> int:
    """The side (in cells) of the largest grid this task may show, from demonstrations and test inputs."""
    sides = []
    ratio = 1.0
    for ex in task.train:
        sides += [*ex.input.shape, *ex.output.shape]
        ratio = max(ratio, max(ex.output.shape) / max(ex.input.shape))
    for ex in task.test:
        sides += [*ex.input.shape]
        sides.append(math.ceil(max(ex.input.shape) * ratio))
    return min(MAX_SIZE, max(sides))


def make_layout(cells: int, canvas: Canvas, cell_px: int | None, line_px: int) -> GridLayout:
    """Layout for a square lattice of at least ``cells`` cells on ``canvas``.

    A fixed canvas with ``cell_px=None`` gets the largest cell that fits; a fitted canvas needs
    ``cell_px`` and is the smallest size that holds the lattice, rounded up to ``canvas.multiple_of``.
    """
    if line_px < 0:
        raise ConfigError(f"encoder.line_px must be >= 0, got {line_px}")
    if canvas.fixed:
        side = min(canvas.height, canvas.width)
        cell = cell_px if cell_px is not None else (side - line_px) // cells - line_px
        if cell < 1 or cells * (cell + line_px) + line_px > side:
            raise BackboneRuleError(
                f"a {cells}x{cells} lattice with {line_px}px lines does not fit a "
                f"{canvas.height}x{canvas.width} canvas (cell size would be {cell}px; needs >= 1)"
            )
        height, width = canvas.height, canvas.width
    else:
        if cell_px is None or cell_px < 1:
            raise ConfigError(f"encoder.cell_px must be >= 1 for a fitted canvas, got {cell_px}")
        cell = cell_px
        extent = cells * (cell + line_px) + line_px
        m = canvas.multiple_of
        height = width = -(-extent // m) * m
    pitch = cell + line_px
    rows = (height - line_px) // pitch
    cols = (width - line_px) // pitch
    return GridLayout(height, width, cell, line_px, rows, cols)


def lattice_classes(layout: GridLayout, grid: Grid) -> np.ndarray:
    """The cell classes of the whole lattice: the grid's colours top-left, PAD elsewhere. (rows, cols) int64."""
    h, w = grid.shape
    if h > layout.rows or w > layout.cols:
        raise BackboneRuleError(f"a {h}x{w} grid does not fit the layout's {layout.rows}x{layout.cols} lattice")
    classes = np.full((layout.rows, layout.cols), PAD_INDEX, dtype=np.int64)
    classes[:h, :w] = grid
    return classes


def _pixel_cells(n_cells: int, cell: int, line: int, size: int) -> np.ndarray:
    """For each pixel along one axis, the index of the cell it lies in, or -1 on a line or past the lattice."""
    index = np.full(size, -1, dtype=np.int64)
    for i in range(n_cells):
        start = line + i * (cell + line)
        index[start : start + cell] = i
    return index


def render_grid(layout: GridLayout, grid: Grid) -> np.ndarray:
    """Draw a grid on the layout's canvas. Returns (H, W, 3) uint8."""
    cell_rgb = CLASS_RGB[lattice_classes(layout, grid)]                     # (rows, cols, 3)
    frame = np.empty((layout.height, layout.width, 3), dtype=np.uint8)
    frame[:] = BACKGROUND
    extent_h = layout.rows * layout.pitch + layout.line
    extent_w = layout.cols * layout.pitch + layout.line
    frame[:extent_h, :extent_w] = LINE
    ys = _pixel_cells(layout.rows, layout.cell, layout.line, layout.height)  # (H,)
    xs = _pixel_cells(layout.cols, layout.cell, layout.line, layout.width)   # (W,)
    inside = (ys[:, None] >= 0) & (xs[None, :] >= 0)                         # (H, W)
    frame[inside] = cell_rgb[np.broadcast_to(ys[:, None], inside.shape)[inside], np.broadcast_to(xs[None, :], inside.shape)[inside]]
    return frame


def cell_colours(layout: GridLayout, frame: np.ndarray) -> np.ndarray:
    """Mean RGB of each lattice cell's interior (a 1px inset when cells are 3px or more). (rows, cols, 3)."""
    if frame.shape[:2] != (layout.height, layout.width):
        raise BackboneRuleError(
            f"frame is {frame.shape[0]}x{frame.shape[1]} but the layout's canvas is {layout.height}x{layout.width}"
        )
    inset = 1 if layout.cell >= 3 else 0
    size = layout.cell - 2 * inset
    f = frame.astype(np.float32)
    out = np.empty((layout.rows, layout.cols, 3), dtype=np.float32)
    for r in range(layout.rows):
        y = layout.line + r * layout.pitch + inset
        for c in range(layout.cols):
            x = layout.line + c * layout.pitch + inset
            out[r, c] = f[y : y + size, x : x + size].reshape(-1, 3).mean(0)
    return out


def read_extent(non_pad: np.ndarray) -> tuple[int, int]:
    """The (h, w) whose top-left rectangle best covers the non-pad cells and leaves out the pad cells.

    Maximises (non-pad inside) - (pad inside) = 2*S(h, w) - h*w over h, w >= 1, with S a 2-D prefix
    sum; ties go to the smaller size.
    """
    rows, cols = non_pad.shape
    prefix = non_pad.astype(np.int64).cumsum(0).cumsum(1)        # S(h, w) at [h-1, w-1]
    hs = np.arange(1, rows + 1)[:, None]
    ws = np.arange(1, cols + 1)[None, :]
    score = 2 * prefix - hs * ws
    flat = int(np.argmax(score))                                  # first maximum: smallest h, then w
    return flat // cols + 1, flat % cols + 1


def decode_grid(layout: GridLayout, frame: np.ndarray) -> Decoded:
    """Read a grid (and its size) off a frame. Confidence: 1 - mean colour distance - extent errors."""
    colours = cell_colours(layout, frame)                         # (rows, cols, 3)
    classes, dist = nearest_class(colours)                        # (rows, cols)
    h, w = read_extent(classes != PAD_INDEX)
    inside = colours[:h, :w]
    grid_classes = classes[:h, :w].copy()
    grid_dist = dist[:h, :w].copy()
    pad_inside = grid_classes == PAD_INDEX
    if pad_inside.any():
        # A pad-coloured cell inside the extent: take its nearest ARC colour instead.
        arc = CLASS_RGB[:NUM_COLOURS].astype(np.float32)
        d = np.sqrt(((inside[pad_inside][:, None, :] - arc) ** 2).sum(-1))
        grid_classes[pad_inside] = d.argmin(-1)
        grid_dist[pad_inside] = d.min(-1)
    outside = np.ones(classes.shape, dtype=bool)
    outside[:h, :w] = False
    extent_errors = int((classes[outside] != PAD_INDEX).sum()) + int(pad_inside.sum())
    confidence = 1.0 - float(dist.mean()) / MAX_RGB_DISTANCE - extent_errors / classes.size
    return Decoded(grid_classes.astype(np.uint8), confidence)


# Softness of ``colour_distribution``: RGB distance at which a colour's weight falls to exp(-1/2) of an
# exact match. Palette colours are >= 50 apart, so an exact palette colour gets >= 0.86 of the mass.
COLOUR_SIGMA = 25.0


def colour_distribution(colours: np.ndarray) -> np.ndarray:
    """Per cell, a probability over the ten ARC colours from its mean RGB. (h, w, 3) -> (h, w, 10)."""
    arc = CLASS_RGB[:NUM_COLOURS].astype(np.float32)                         # (10, 3)
    d2 = ((colours[..., None, :].astype(np.float32) - arc) ** 2).sum(-1)      # (h, w, 10)
    logits = -d2 / (2 * COLOUR_SIGMA**2)
    logits -= logits.max(-1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(-1, keepdims=True)


class ArcGridEncoder(Encoder):
    """ARC grids as colour-cell frames (see the module docstring for the layout and decoding rules)."""

    name = "arc_grid"

    def __init__(self, cell_px: int | None = None, line_px: int = 2) -> None:
        self.cell_px = cell_px
        self.line_px = line_px

    def plan(self, task: Task, canvas: Canvas) -> GridLayout:
        return make_layout(lattice_cells_needed(task), canvas, self.cell_px, self.line_px)

    def input_frame(self, layout: GridLayout, value: Grid) -> np.ndarray:
        return render_grid(layout, value)

    def output_frame(self, layout: GridLayout, value: Grid) -> np.ndarray:
        return render_grid(layout, value)

    def decode(self, layout: GridLayout, frame: np.ndarray) -> Decoded:
        return decode_grid(layout, frame)

    def fits(self, layout: GridLayout, value: Grid) -> bool:
        return value.shape[0] <= layout.rows and value.shape[1] <= layout.cols

    def cell_distribution(self, layout: GridLayout, frame: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        return colour_distribution(cell_colours(layout, frame)[: shape[0], : shape[1]])
