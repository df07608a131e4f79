"""The pose encoder: image -> frame, keypoints -> frame, generated frame -> keypoints.

Same interface as the ARC grid encoder. The input frame is the image (scaled and placed as in the
segmentation encoder). The output frame is black with keypoint ``k`` drawn in ARC colour ``k + 1`` (up
to 9 keypoints) as a square of ``2 * radius + 1`` *image* pixels (the recipe's ``encoder.cell_px`` is
that side; 1 or unset: the keypoint's own pixel), i.e. ``scale`` times that on the canvas, PAD beyond
the image: one canvas pixel per image pixel for the embedded model, a visible block for a real
family's VAE. Decoding reads each image pixel's block (mean colour,
nearest ARC class) and places keypoint ``k`` at the centroid of the pixels of colour ``k + 1``; a
keypoint whose colour is absent decodes to None. Keypoints are (row, col) in image pixels (floats
after decoding); ``decode(output_frame(points)) == points`` when their squares neither overlap nor
touch the image's edge.

Samples are pooled by averaging (``pool``: the median of each keypoint over the samples,
``arcvdm.vision.solve``), and the pooled answer is a keypoint mask (``arcvdm.vision.metrics``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.encoders.base import Canvas, Decoded, Encoder
from arcvdm.encoders.segmentation import ImageLayout, ImagePictures, block_means, place, plan_images
from arcvdm.errors import ConfigError, TaskFormatError
from arcvdm.palette import ARC_COLOURS, nearest_class

MAX_KEYPOINTS = 9
Keypoints = list[tuple[float, float] | None]


class PoseEncoder(ImagePictures, Encoder):
    """Images in, up to 9 keypoints out."""

    name = "pose"

    def __init__(self, cell_px: int | None = None, line_px: int = 0, radius: int | None = None) -> None:
        """``cell_px`` (the recipe's ``encoder.cell_px``) is the side of a keypoint's square in image pixels, odd
        (None or 1: the keypoint's own pixel); ``radius`` sets the half-side directly. ``line_px`` does not apply."""
        del line_px
        if radius is None:
            side = 1 if cell_px is None else cell_px
            if side < 1 or side % 2 == 0:
                raise ConfigError(f"pose encoder: encoder.cell_px is a keypoint's square side in image pixels and must be odd, got {side}")
            radius = (side - 1) // 2
        self.radius = radius

    def plan(self, task, canvas: Canvas) -> ImageLayout:
        return plan_images(task, canvas, "pose")

    def input_frame(self, layout: ImageLayout, value: np.ndarray) -> np.ndarray:
        return place(layout, np.asarray(value, dtype=np.uint8))

    def output_frame(self, layout: ImageLayout, value: Keypoints) -> np.ndarray:
        if len(value) > MAX_KEYPOINTS:
            raise TaskFormatError(f"at most {MAX_KEYPOINTS} keypoints, got {len(value)}")
        image = np.zeros((layout.image_h, layout.image_w, 3), dtype=np.uint8)      # black, image pixels
        r = self.radius
        for k, point in enumerate(value):
            if point is None:
                continue
            y, x = (int(np.floor(v + 0.5)) for v in point)                          # nearest image pixel
            if not (0 <= y < layout.image_h and 0 <= x < layout.image_w):
                raise TaskFormatError(f"keypoint {k} at {point} lies outside the {layout.image_h}x{layout.image_w} image")
            image[max(0, y - r) : y + r + 1, max(0, x - r) : x + r + 1] = ARC_COLOURS[k + 1]
        return place(layout, image)                                                 # PAD beyond the image

    def decode(self, layout: ImageLayout, frame: np.ndarray) -> Decoded:
        classes, _ = nearest_class(block_means(layout, frame))                     # (image_h, image_w)
        points: Keypoints = []
        for k in range(MAX_KEYPOINTS):
            ys, xs = np.nonzero(classes == k + 1)
            points.append(None if len(ys) == 0 else (float(ys.mean()), float(xs.mean())))
        while points and points[-1] is None:
            points.pop()
        return Decoded(points, 1.0)

    def pool(self, layout: ImageLayout, predictions: list) -> list:
        """Pool the decoded keypoints of every sample and view: each keypoint's median first, as a keypoint mask."""
        from arcvdm.vision.solve import average_keypoints

        return average_keypoints(predictions, layout.image_h, layout.image_w)
