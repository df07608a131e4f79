"""Segmentation and pose encoders: the same interface as the grid encoder, exact round trips, pooling by averaging."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arcvdm.encoders import ENCODERS, Canvas
from arcvdm.encoders.pose import PoseEncoder
from arcvdm.encoders.segmentation import SegmentationEncoder
from arcvdm.errors import BackboneRuleError, ConfigError, TaskFormatError
from arcvdm.jobs import resolve_config
from arcvdm.palette import ARC_COLOURS
from arcvdm.solve import Solver
from arcvdm.tasks import Example, Task

CANVASES = [Canvas(64, 64), Canvas(480, 832), Canvas(None, None, 16)]


def _image_task(h: int, w: int, seed: int = 0) -> Task:
    rng = np.random.default_rng(seed)
    examples = []
    for _ in range(3):
        image = rng.integers(0, 256, size=(h, w, 3)).astype(np.uint8)
        mask = (image[..., 0] > 127).astype(np.uint8)       # a rule a model could learn: red channel high
        examples.append(Example(image, mask))
    return Task("seg", tuple(examples[:2]), (Example(examples[2].input, None),))


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 40), w=st.integers(1, 40), canvas=st.sampled_from(CANVASES), seed=st.integers(0, 2**16))
def test_segmentation_mask_round_trip(h, w, canvas, seed):
    rng = np.random.default_rng(seed)
    enc = SegmentationEncoder()
    layout = enc.plan(_image_task(h, w), canvas)
    mask = rng.integers(0, 10, size=(h, w)).astype(np.uint8)
    assert np.array_equal(enc.decode(layout, enc.output_frame(layout, mask)).answer, mask)
    image = rng.integers(0, 256, size=(h, w, 3)).astype(np.uint8)
    frame = enc.input_frame(layout, image)
    s = layout.scale
    assert np.array_equal(frame[: h * s : s, : w * s : s], image)   # the image itself, unresampled


def test_segmentation_rejects_an_image_too_large_and_mixed_sizes():
    with pytest.raises(BackboneRuleError, match="100x10 image does not fit"):
        SegmentationEncoder().plan(_image_task(100, 10), Canvas(64, 64))
    task = _image_task(4, 4)
    mixed = Task("m", task.train, (Example(np.zeros((5, 4, 3), np.uint8)),))
    with pytest.raises(TaskFormatError, match="one size"):
        SegmentationEncoder().plan(mixed, Canvas(64, 64))


@settings(max_examples=40, deadline=None)
@given(k=st.integers(1, 9), canvas=st.sampled_from(CANVASES), seed=st.integers(0, 2**16))
def test_pose_keypoints_round_trip(k, canvas, seed):
    rng = np.random.default_rng(seed)
    enc = PoseEncoder(radius=1)
    layout = enc.plan(_image_task(30, 30), canvas)
    # Keypoints on distinct cells of a coarse lattice, so their squares never overlap.
    cells = rng.choice(100, size=k, replace=False)
    points = [(int(c // 10) * 3 + 1, int(c % 10) * 3 + 1) for c in cells]
    assert enc.decode(layout, enc.output_frame(layout, points)).answer == points


def test_pose_missing_keypoint_decodes_to_none():
    enc = PoseEncoder()
    layout = enc.plan(_image_task(8, 8), Canvas(64, 64))
    assert enc.decode(layout, enc.output_frame(layout, [(1, 1), None, (6, 6)])).answer == [(1, 1), None, (6, 6)]


def test_encoders_are_registered_by_name():
    assert {"arc_grid", "segmentation", "pose"} <= set(ENCODERS)


def test_solver_drives_the_segmentation_encoder_unchanged():
    """The solver only calls the encoder interface: a segmentation task runs end to end (identity view)."""
    cfg = resolve_config("toy", ['encoder.name="segmentation"', "views.num_views=1", "train.steps=1", "sample.num_steps=1"])
    result = Solver(cfg).solve(_image_task(8, 8), progress=False)
    mask = result.predictions[0].attempt_1
    assert mask.shape == (8, 8) and mask.max() <= 9


def test_a_palette_image_is_drawn_in_the_arc_palette():
    """An (h, w) grid of ARC colour indices draws exactly as the same image in RGB (loader: arcvdm.vision.tasks)."""
    enc = SegmentationEncoder()
    layout = enc.plan(_image_task(4, 4), Canvas(64, 64))
    indices = np.arange(16, dtype=np.uint8).reshape(4, 4) % 10
    rgb = np.asarray(ARC_COLOURS, dtype=np.uint8)[indices]
    assert np.array_equal(enc.input_frame(layout, indices), enc.input_frame(layout, rgb))


def test_a_keypoint_is_a_block_of_image_pixels_on_a_scaled_canvas():
    """Radius 0: keypoint k fills its own image pixel, i.e. a scale x scale block of ARC colour k + 1."""
    enc = PoseEncoder()
    layout = enc.plan(_image_task(8, 8), Canvas(64, 64))                  # scale 8
    frame = enc.output_frame(layout, [(2, 3), None, (7, 0)])
    assert (frame[16:24, 24:32] == ARC_COLOURS[1]).all() and (frame[56:64, 0:8] == ARC_COLOURS[3]).all()
    assert int((frame.sum(-1) > 0).sum()) == 2 * 64                       # nothing else is drawn
    assert enc.decode(layout, frame).answer == [(2.0, 3.0), None, (7.0, 0.0)]


def test_image_encoders_pool_samples_by_averaging():
    """Masks: the per-pixel majority first; keypoints: the median, as a keypoint mask (arcvdm.vision.solve)."""
    enc = SegmentationEncoder()
    layout = enc.plan(_image_task(2, 2), Canvas(None, None, 1))
    a, b = np.array([[1, 0], [0, 0]], np.uint8), np.array([[1, 1], [0, 1]], np.uint8)
    assert enc.pool(layout, [(a, 1.0, 0), (b, 1.0, 0), (a, 1.0, 1)])[0].grid.tolist() == [[1, 0], [0, 0]]
    pose = PoseEncoder()
    best = pose.pool(layout, [([(0.0, 0.0)], 1.0, 0), ([(1.0, 1.0)], 1.0, 0), ([(1.0, 1.0)], 1.0, 1)])[0]
    assert best.grid.tolist() == [[0, 0], [0, 1]]


def test_pose_marker_side_comes_from_the_recipe_and_must_be_odd():
    """``encoder.cell_px`` is a keypoint's square side in image pixels (the Solver passes it to every encoder)."""
    assert PoseEncoder(cell_px=3).radius == 1 and PoseEncoder(cell_px=1).radius == 0 and PoseEncoder().radius == 0
    with pytest.raises(ConfigError, match="must be odd, got 2"):
        PoseEncoder(cell_px=2)
