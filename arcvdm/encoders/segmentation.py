"""The segmentation encoder: image -> frame, mask -> frame, generated frame -> mask.

Same interface as the ARC grid encoder, for few-shot segmentation with the same solver machinery
(the source paper shows segmentation qualitatively after fine-tuning on 30 examples). An image is
scaled by the largest whole factor that fits the canvas (nearest neighbour, so no new colours) and
placed top-left; the rest of the canvas is PAD. An image is (h, w, 3) RGB, or an (h, w) grid of
ARC colour indices (a "palette image", see ``arcvdm.vision.tasks``), drawn in the ARC palette. A mask
of classes 0-9 is drawn the same way in the ARC palette (0 = black background). Decoding averages each
scaled block and takes the nearest palette class, so ``decode(output_frame(mask)) == mask`` exactly.

Samples are pooled by averaging (``pool``: the per-pixel majority class, ``arcvdm.vision.solve``), not
by exact votes, which rarely agree on a whole mask.

Layouts come from the task's input images only (every example and query image must share a size).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from arcvdm.encoders.base import Canvas, Decoded, Encoder
from arcvdm.errors import BackboneRuleError, TaskFormatError
from arcvdm.palette import ARC_COLOURS, CLASS_RGB, NUM_COLOURS, PAD, nearest_class


@dataclass(frozen=True)
class ImageLayout:
    height: int        # canvas pixels
    width: int
    image_h: int       # source image size
    image_w: int
    scale: int         # canvas pixels per image pixel


def image_layout(image_h: int, image_w: int, canvas: Canvas) -> ImageLayout:
    """The largest whole scale at which an image fits a fixed canvas (a fitted canvas uses scale 1)."""
    if not canvas.fixed:
        m = canvas.multiple_of
        return ImageLayout(-(-image_h // m) * m, -(-image_w // m) * m, image_h, image_w, 1)
    scale = min(canvas.height // image_h, canvas.width // image_w)
    if scale < 1:
        raise BackboneRuleError(f"a {image_h}x{image_w} image does not fit the {canvas.height}x{canvas.width} canvas")
    return ImageLayout(canvas.height, canvas.width, image_h, image_w, scale)


def plan_images(task, canvas: Canvas, kind: str) -> ImageLayout:
    """One layout for a task whose input images (examples and queries) all share one size."""
    shapes = {ex.input.shape[:2] for ex in task.train + task.test}
    if len(shapes) != 1:
        raise TaskFormatError(f"task {task.id}: {kind} images must share one size, got {sorted(shapes)}")
    (h, w), = shapes
    return image_layout(h, w, canvas)


def place(layout: ImageLayout, rgb: np.ndarray) -> np.ndarray:
    """An (h, w, 3) uint8 image (or an (h, w) palette-index image) scaled by ``layout.scale`` at the
    top-left of a PAD canvas."""
    if rgb.ndim == 2:
        rgb = np.asarray(ARC_COLOURS, dtype=np.uint8)[rgb]                  # palette indices -> (h, w, 3)
    if rgb.shape[:2] != (layout.image_h, layout.image_w):
        raise TaskFormatError(f"image is {rgb.shape[0]}x{rgb.shape[1]}, the task's layout expects {layout.image_h}x{layout.image_w}")
    frame = np.empty((layout.height, layout.width, 3), dtype=np.uint8)
    frame[:] = PAD
    big = np.repeat(np.repeat(rgb, layout.scale, axis=0), layout.scale, axis=1)
    frame[: big.shape[0], : big.shape[1]] = big
    return frame


def block_means(layout: ImageLayout, frame: np.ndarray) -> np.ndarray:
    """Mean RGB of each image pixel's scaled block. (image_h, image_w, 3) float32."""
    s = layout.scale
    region = frame[: layout.image_h * s, : layout.image_w * s].astype(np.float32)
    return region.reshape(layout.image_h, s, layout.image_w, s, 3).mean(axis=(1, 3))


class ImagePictures:
    """The pictures hooks of the image encoders (segmentation, pose), in place of ``Encoder``'s grid drawing."""

    task_caption = "images, targets and the two attempts (input, target, prediction)"

    @classmethod
    def plot_task(cls, task, result=None):
        """Image and target per demonstration; test image, true target and the attempts with their mIoU or PCK."""
        from arcvdm.vision.plots import plot_vision_task

        return plot_vision_task(task, result)

    @classmethod
    def plot_candidates(cls, candidates, truth, title) -> None:
        """None: the first candidate averages every sample, and the task picture already shows it with its metric."""
        del candidates, truth, title
        return None


class SegmentationEncoder(ImagePictures, Encoder):
    """Images in, masks of classes 0-9 out (drawn in the ARC palette)."""

    name = "segmentation"

    def __init__(self, cell_px: int | None = None, line_px: int = 0) -> None:
        del cell_px, line_px  # the grid-encoder settings do not apply; accepted for a uniform constructor

    def plan(self, task, canvas: Canvas) -> ImageLayout:
        return plan_images(task, canvas, "segmentation")

    def input_frame(self, layout: ImageLayout, value: np.ndarray) -> np.ndarray:
        return place(layout, np.asarray(value, dtype=np.uint8))

    def output_frame(self, layout: ImageLayout, value: np.ndarray) -> np.ndarray:
        mask = np.asarray(value)
        if mask.min() < 0 or mask.max() >= NUM_COLOURS:
            raise TaskFormatError(f"mask classes must be 0-{NUM_COLOURS - 1}, got {mask.min()}..{mask.max()}")
        return place(layout, np.asarray(ARC_COLOURS, dtype=np.uint8)[mask])

    def decode(self, layout: ImageLayout, frame: np.ndarray) -> Decoded:
        means = block_means(layout, frame)
        classes, dist = nearest_class(means)
        pad = classes >= NUM_COLOURS
        if pad.any():  # a PAD-coloured pixel inside the image: nearest ARC class instead
            arc = CLASS_RGB[:NUM_COLOURS].astype(np.float32)
            d = np.sqrt(((means[pad][:, None, :] - arc) ** 2).sum(-1))
            classes[pad] = d.argmin(-1)
        return Decoded(classes.astype(np.uint8), 1.0 - float(dist.mean()) / (np.sqrt(3) * 255.0))

    def pool(self, layout: ImageLayout, predictions: list) -> list:
        """Pool the decoded masks of every sample and view: their per-pixel majority first, then exact votes."""
        from arcvdm.vision.solve import average_masks

        return average_masks(predictions)
