"""Videos as pictures: a clip's frames as a strip, and as an animated GIF to watch the transition.

Each frame of a strip is labelled with its role, read off the run's ``video`` config and the frame
count: in a training clip "input" / "output" frames, in a generated clip "given" (conditioning,
held clean) / "generated". Frames are drawn pixel for pixel at an integer zoom (nearest, no
smoothing), so what you see is what the decoder read.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from arcvdm.errors import ConfigError
from arcvdm.plots.grids import DPI, TEXT, draw_frame, panel_figure

GIF_MS_PER_FRAME = 400   # 2.5 fps: slow enough to see each frame of a 5-9 frame clip
GIF_MIN_SIDE = 192       # frames are zoomed (integer factor) to at least this many pixels


def check_frames(frames: np.ndarray, what: str) -> np.ndarray:
    """(F, H, W, 3) uint8, or an error naming ``what`` and the shape."""
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.shape[0] < 1 or frames.dtype != np.uint8:
        raise ConfigError(f"{what}: frames must be uint8 (F, H, W, 3), got {frames.dtype} {frames.shape}")
    return frames


def frame_roles(num_frames: int, video: dict[str, Any] | None, generated: bool) -> list[str]:
    """A label per frame from the run's ``video`` config section (plain numbers when unknown).

    A clip is (context + 1) pairs of ``input_frames`` inputs then ``output_frames`` outputs, so the
    context is read off the frame count; in a generated clip everything before the query's first
    output frame is "given".
    """
    numbers = [f"frame {k}" for k in range(num_frames)]
    if not video:
        return numbers
    n_in, n_out = int(video.get("input_frames", 0)), int(video.get("output_frames", 0))
    pair = n_in + n_out
    if n_in < 1 or n_out < 1 or num_frames % pair:
        return numbers
    context = num_frames // pair - 1
    given = context * pair + n_in
    roles = []
    for k in range(num_frames):
        if generated:
            roles.append("given" if k < given else "generated")
        else:
            roles.append("input" if k % pair < n_in else "output")
    return [f"{k}: {role}" for k, role in enumerate(roles)]


def zoom_factor(height: int, width: int, target: int) -> int:
    """Integer zoom that brings the frame's smaller side to at least ``target`` pixels (>= 1)."""
    return max(1, math.ceil(target / max(1, min(height, width))))


def plot_strip(frames: np.ndarray, title: str, labels: list[str] | None = None, max_panel_px: int = 320) -> Figure:
    """The frames of one clip side by side, each at an integer zoom of its pixels."""
    frames = check_frames(frames, title)
    f, h, w, _ = frames.shape
    if labels is not None and len(labels) != f:
        raise ConfigError(f"{title}: {len(labels)} labels for {f} frames")
    zoom = zoom_factor(h, w, 160)
    side_px = min(max(h, w) * zoom, max(max_panel_px, max(h, w)))
    panels = panel_figure(1, f, panel=side_px * w / max(h, w) / DPI, panel_height=side_px * h / max(h, w) / DPI,
                          title_space=0.35, gap=0.12, top=0.35, min_width=4.5)
    fig = panels.figure
    fig.suptitle(title, x=0.01, y=1.0 - 0.06 / fig.get_figheight(), ha="left", va="top", fontsize=10, color=TEXT)
    for k in range(f):
        draw_frame(panels.axes[0, k], frames[k], labels[k] if labels else f"frame {k}")
    return fig


def gif_bytes(frames: np.ndarray, ms_per_frame: int = GIF_MS_PER_FRAME, min_side: int = GIF_MIN_SIDE) -> bytes:
    """An animated GIF (looping) of the frames, zoomed by an integer factor with nearest pixels.

    Each frame is reduced to at most 256 colours without dithering, so flat palette cells stay flat.
    """
    frames = check_frames(frames, "GIF")
    if ms_per_frame < 1:
        raise ConfigError(f"ms_per_frame must be >= 1, got {ms_per_frame}")
    _, h, w, _ = frames.shape
    z = zoom_factor(h, w, min_side)
    images = []
    for frame in frames:
        big = np.repeat(np.repeat(frame, z, axis=0), z, axis=1)                  # (H*z, W*z, 3)
        img = Image.fromarray(np.ascontiguousarray(big), mode="RGB")
        images.append(img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE))
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=ms_per_frame, loop=0,
                   disposal=1, optimize=False)
    return buf.getvalue()


def write_gif(frames: np.ndarray, path: Path, ms_per_frame: int = GIF_MS_PER_FRAME) -> Path:
    """Write ``gif_bytes(frames)`` to ``path`` (which must end in .gif)."""
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise ConfigError(f"{path}: an animation is written as .gif, not {path.suffix or 'no extension'!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gif_bytes(frames, ms_per_frame))
    return path
