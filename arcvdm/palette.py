"""The one palette: ten ARC colours plus the canvas colours, defined once for render, decode and plots.

Colours 0-9 are the ARC colours used by the source paper (arXiv 2506.07280). Three more colours
draw the canvas:

- ``PAD``: fills every lattice cell outside the grid, so a generated frame shows the grid's extent
  (its height and width are read off the frame, never taken from an answer). White is far from all
  ten ARC colours (nearest: colour 8, RGB distance > 130).
- ``LINE``: the grid lines between cells, (85, 85, 85) as in the paper.
- ``BACKGROUND``: canvas pixels beyond the cell lattice (only when the lattice does not fill the canvas).
"""

from __future__ import annotations

import numpy as np

ARC_COLOURS: tuple[tuple[int, int, int], ...] = (
    (0, 0, 0),        # 0 black
    (0, 116, 217),    # 1 blue
    (255, 65, 54),    # 2 red
    (46, 204, 64),    # 3 green
    (255, 220, 0),    # 4 yellow
    (170, 170, 170),  # 5 grey
    (240, 18, 190),   # 6 magenta
    (255, 133, 27),   # 7 orange
    (127, 219, 255),  # 8 sky
    (135, 12, 37),    # 9 maroon
)
NUM_COLOURS = len(ARC_COLOURS)

PAD_INDEX = NUM_COLOURS          # class 10 in one-hot codes: "outside the grid"
PAD = (255, 255, 255)
LINE = (85, 85, 85)
BACKGROUND = (32, 32, 32)

# (11, 3) uint8: the ten ARC colours then PAD, indexed by cell class.
CLASS_RGB = np.array(ARC_COLOURS + (PAD,), dtype=np.uint8)
NUM_CLASSES = CLASS_RGB.shape[0]


def hex_colour(index: int) -> str:
    """'#rrggbb' of a cell class (0-9 ARC colours, 10 pad), for matplotlib and HTML."""
    r, g, b = (int(v) for v in CLASS_RGB[index])
    return f"#{r:02x}{g:02x}{b:02x}"


def nearest_class(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest cell class (0-10) of each RGB colour, and the RGB L2 distance to it.

    rgb: (..., 3) float or uint8. Returns (classes (...) int64, distances (...) float32).
    """
    rgb = np.asarray(rgb, dtype=np.float32)
    diff = rgb[..., None, :] - CLASS_RGB.astype(np.float32)  # (..., 11, 3)
    dist = np.sqrt((diff * diff).sum(-1))                    # (..., 11)
    classes = dist.argmin(-1)
    return classes, np.take_along_axis(dist, classes[..., None], -1)[..., 0]
