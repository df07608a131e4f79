"""The pose encoder: image -> frame, keypoints -> frame, generated frame -> keypoints.

Same interface as the ARC grid encoder. The input frame is the image (scaled and placed as in the
segmentation encoder). The output frame is black with keypoint ``k`` drawn as a square of side
``2 * radius + 1`` canvas pixels in ARC colour ``k + 1`` (up to 9 keypoints). Decoding finds, for each
keypoint colour, the centroid of the pixels nearest that colour and maps it back to image
coordinates; a keypoint whose colour is absent decodes to None. Keypoints are (row, col) in image
pixels; ``decode(output_frame(points)) == points`` when their squares do not overlap.
"""

from __future__ import annotations

import numpy as np

from arcvdm.encoders.base import Canvas, Decoded, Encoder
from arcvdm.encoders.segmentation import ImageLayout, place, plan_images
from arcvdm.errors import TaskFormatError
from arcvdm.palette import ARC_COLOURS, nearest_class

MAX_KEYPOINTS = 9
Keypoints = list[tuple[int, int] | None]


class PoseEncoder(Encoder):
    """Images in, up to 9 keypoints out."""

    name = "pose"

    def __init__(self, cell_px: int | None = None, line_px: int = 0, radius: int = 1) -> None:
        del cell_px, line_px
        self.radius = radius

    def plan(self, task, canvas: Canvas) -> ImageLayout:
        return plan_images(task, canvas, "pose")

    def input_frame(self, layout: ImageLayout, value: np.ndarray) -> np.ndarray:
        return place(layout, np.asarray(value, dtype=np.uint8))

    def output_frame(self, layout: ImageLayout, value: Keypoints) -> np.ndarray:
        if len(value) > MAX_KEYPOINTS:
            raise TaskFormatError(f"at most {MAX_KEYPOINTS} keypoints, got {len(value)}")
        frame = np.zeros((layout.height, layout.width, 3), dtype=np.uint8)
        s, r = layout.scale, self.radius
        for k, point in enumerate(value):
            if point is None:
                continue
            y, x = point
            if not (0 <= y < layout.image_h and 0 <= x < layout.image_w):
                raise TaskFormatError(f"keypoint {k} at {point} lies outside the {layout.image_h}x{layout.image_w} image")
            cy, cx = y * s + s // 2, x * s + s // 2   # centre of the image pixel on the canvas
            frame[max(0, cy - r) : cy + r + 1, max(0, cx - r) : cx + r + 1] = ARC_COLOURS[k + 1]
        return frame

    def decode(self, layout: ImageLayout, frame: np.ndarray) -> Decoded:
        classes, _ = nearest_class(frame)                                   # (H, W)
        s = layout.scale
        points: Keypoints = []
        for k in range(MAX_KEYPOINTS):
            ys, xs = np.nonzero(classes == k + 1)
            if len(ys) == 0:
                points.append(None)
                continue
            points.append((int(round((ys.mean() - s // 2) / s)), int(round((xs.mean() - s // 2) / s))))
        while points and points[-1] is None:
            points.pop()
        return Decoded(points, 1.0)
