"""Videos: how a task's frames are arranged in time, and the one tensor layout the package uses.

A clip shows ``context`` demonstration pairs and then the query pair, each pair as
``input_frames`` copies of the input frame followed by ``output_frames`` copies of the output frame
(a "discrete" cut, as in the source paper). With ``context=0, input_frames=1, output_frames=4`` this
is the paper's 5-frame image-to-video clip; with context > 0 the model sees demonstrations in the
same clip, before the query.

Everything before the query's first output frame is *conditioning* (held clean by the backbone);
the query's output frames are generated, and the last of them is decoded into the answer.

Tensor layout inside arcvdm: a video is ``float32 (B, C, F, H, W)`` in [-1, 1], RGB (diffusers' own
video layout for Wan). Frames on the numpy side are ``uint8 (F, H, W, 3)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from arcvdm.errors import ConfigError


@dataclass(frozen=True)
class ClipSpec:
    """Frame arrangement of one clip (see module docstring)."""

    input_frames: int = 1
    output_frames: int = 4
    context: int = 0

    def __post_init__(self) -> None:
        for key in ("input_frames", "output_frames"):
            if getattr(self, key) < 1:
                raise ConfigError(f"video.{key} must be at least 1, got {getattr(self, key)}")
        if self.context < 0:
            raise ConfigError(f"video.context must be >= 0, got {self.context}")

    @property
    def pair_frames(self) -> int:
        return self.input_frames + self.output_frames

    def num_frames(self, context: int) -> int:
        """Total frames of a clip that shows ``context`` demonstration pairs before the query."""
        return (context + 1) * self.pair_frames

    def num_conditioning_frames(self, context: int) -> int:
        """Frames before the query's first output frame: all held clean."""
        return context * self.pair_frames + self.input_frames


def arrange(spec: ClipSpec, pairs: list[tuple[np.ndarray, np.ndarray | None]]) -> np.ndarray:
    """Frames of a clip from (input_frame, output_frame) pairs, the query pair last.

    The query's output frame may be None (at test time): its frames are then left black, to be
    generated. Returns (F, H, W, 3) uint8.
    """
    frames = []
    for frame_in, frame_out in pairs:
        frames += [frame_in] * spec.input_frames
        fill = frame_out if frame_out is not None else np.zeros_like(frame_in)
        frames += [fill] * spec.output_frames
    return np.stack(frames)


def frames_to_video(frames: np.ndarray) -> torch.Tensor:
    """uint8 (F, H, W, 3) -> float32 (C, F, H, W) in [-1, 1]."""
    video = torch.from_numpy(np.ascontiguousarray(frames)).float()   # (F, H, W, 3)
    return video.permute(3, 0, 1, 2) / 127.5 - 1.0                   # (3, F, H, W)


def video_to_frames(video: torch.Tensor) -> np.ndarray:
    """float (C, F, H, W) in [-1, 1] -> uint8 (F, H, W, 3), rounded and clipped."""
    pixels = ((video.detach().float().clamp(-1, 1) + 1.0) * 127.5).round()
    return pixels.permute(1, 2, 3, 0).to(torch.uint8).cpu().numpy()
