"""Image tasks (segmentation, pose): the folder format and its validation, mIoU and PCK on literal
fixtures, averaging of samples, and one tiny image task solved end to end through the CLI (toy backbone)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from arcvdm.cli import app
from arcvdm.errors import ConfigError, TaskFormatError
from arcvdm.jobs import resolve_config
from arcvdm.palette import ARC_COLOURS
from arcvdm.sources import load_tasks
from arcvdm.vision.metrics import (keypoints_to_mask, mask_to_keypoints, mean_iou, pck_counts, pck_threshold,
                                   score_answers)
from arcvdm.vision.solve import average_keypoints, average_masks, check_recipe
from arcvdm.vision.tasks import VisionTask, load_image_task

DATA = Path(__file__).resolve().parent.parent / "data" / "vision"
runner = CliRunner()
TOY_SEG = ["--solver", "toy", "--set", 'encoder.name="segmentation"', "--set", "views.permute_colours=false",
           "--set", "views.d8=false", "--set", "train.steps=1", "--set", "sample.num_steps=1", "-q"]

# A 4x4 palette image (ARC colour indices) and its mask: class 1 where the image is red (2).
IMAGE = np.array([[0, 2, 2, 0],
                  [0, 2, 2, 0],
                  [5, 5, 0, 0],
                  [0, 0, 0, 2]], dtype=np.uint8)
MASK = (IMAGE == 2).astype(np.uint8)


def save_image(path: Path, indices: np.ndarray) -> None:
    Image.fromarray(np.asarray(ARC_COLOURS, dtype=np.uint8)[indices], "RGB").save(path)


def make_seg_task(root: Path, name: str = "tiny-seg") -> Path:
    """A 3-demonstration, 1-test segmentation task folder of 4x4 images ("segment the red pixels")."""
    folder = root / name
    for split, n in (("train", 3), ("test", 1)):
        (folder / split).mkdir(parents=True)
        for i in range(n):
            image = np.rot90(IMAGE, i)
            save_image(folder / split / f"{i}.png", image)
            Image.fromarray((image == 2).astype(np.uint8), "L").save(folder / split / f"{i}.mask.png")
    (folder / "task.json").write_text(json.dumps({"kind": "segmentation", "classes": ["background", "red"]}))
    return folder


def make_pose_task(root: Path, name: str = "tiny-pose") -> Path:
    """A pose task of 4x4 images with two keypoints (no manifest: the kind is read off the *.json targets)."""
    folder = root / name
    for split, n in (("train", 2), ("test", 1)):
        (folder / split).mkdir(parents=True)
        for i in range(n):
            save_image(folder / split / f"{i}.png", IMAGE)
            (folder / split / f"{i}.json").write_text(json.dumps({"keypoints": [[0, 1], [3, 3]]}))
    return folder


# -- the format and its validation ----------------------------------------------------------------
def test_a_segmentation_folder_loads_as_palette_grids(tmp_path):
    task = load_tasks(make_seg_task(tmp_path)).tasks[0]
    assert isinstance(task, VisionTask) and task.kind == "segmentation" and task.palette
    assert task.labels == ("background", "red") and task.image_size == (4, 4)
    assert np.array_equal(task.train[0].input, IMAGE) and np.array_equal(task.train[0].output, MASK)


def test_a_pose_folder_without_manifest_reads_its_kind_and_keypoints(tmp_path):
    task = load_image_task(make_pose_task(tmp_path))
    assert task.kind == "pose" and len(task.labels) == 2
    assert task.test[0].output == ((0.0, 1.0), (3.0, 3.0))


def test_a_folder_of_image_tasks_keeps_going_past_a_bad_one(tmp_path):
    make_seg_task(tmp_path, "a-good")
    bad = make_seg_task(tmp_path, "b-bad")
    (bad / "train" / "0.mask.png").unlink()
    loaded = load_tasks(tmp_path)
    assert [t.id for t in loaded.tasks] == ["a-good"]
    assert loaded.failures[0][0] == "b-bad" and "needs its target 0.mask.png" in loaded.failures[0][1]


def _break_size(folder):
    save_image(folder / "test" / "0.png", np.zeros((5, 4), np.uint8))


def _break_mask_size(folder):
    Image.fromarray(np.zeros((4, 3), np.uint8), "L").save(folder / "train" / "1.mask.png")


def _break_class(folder):
    Image.fromarray(np.full((4, 4), 7, np.uint8), "L").save(folder / "train" / "2.mask.png")


def _break_mask_mode(folder):
    Image.fromarray(np.full((4, 4, 3), 100, np.uint8), "RGB").save(folder / "train" / "0.mask.png")


def _break_kind(folder):
    (folder / "task.json").write_text(json.dumps({"kind": "depth"}))


def _break_no_test(folder):
    shutil.rmtree(folder / "test")


def _break_keypoint_range(folder):
    (folder / "train" / "1.json").write_text(json.dumps({"keypoints": [[0, 1], [4, 0]]}))


def _break_keypoint_count(folder):
    (folder / "test" / "0.json").write_text(json.dumps({"keypoints": [[0, 1]]}))


def _break_keypoint_form(folder):
    (folder / "train" / "0.json").write_text(json.dumps({"keypoints": [[0, 1], "3,3"]}))


def _break_keypoint_json(folder):
    (folder / "train" / "0.json").write_text("{not json")


BAD_FOLDERS = [
    (make_seg_task, _break_size, "every image of a task must have one size"),
    (make_seg_task, _break_mask_size, "mask is 4x3 but its image is 4x4"),
    (make_seg_task, _break_class, "class 7 is outside the 2 classes of task.json"),
    (make_seg_task, _break_mask_mode, "RGB mask must use only the ten ARC colours"),
    (make_seg_task, _break_kind, "kind 'depth' must be one of segmentation, pose"),
    (make_seg_task, _break_no_test, "needs a test/ folder"),
    (make_pose_task, _break_keypoint_range, "keypoint 1 at [row 4, col 0] lies outside the 4x4 image"),
    (make_pose_task, _break_keypoint_count, "lists 1 keypoint(s); the task has 2"),
    (make_pose_task, _break_keypoint_form, "keypoint 1 is '3,3'"),
    (make_pose_task, _break_keypoint_json, "malformed JSON in keypoint file"),
]


@pytest.mark.parametrize("make, damage, message", BAD_FOLDERS, ids=[d.__name__[7:] for _, d, _ in BAD_FOLDERS])
def test_a_bad_image_task_is_one_error_line_and_exit_2(tmp_path, make, damage, message):
    folder = make(tmp_path)
    damage(folder)
    with pytest.raises(TaskFormatError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load_image_task(folder)
    result = runner.invoke(app, ["solve", str(folder), *TOY_SEG])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: ") and message in errors[0]
    assert "Traceback" not in result.output


def test_recipe_and_task_kind_must_agree(tmp_path):
    task = load_image_task(make_seg_task(tmp_path))
    with pytest.raises(ConfigError, match="is a segmentation task; solve it with --solver segmentation"):
        check_recipe(resolve_config("default"), [task])
    with pytest.raises(ConfigError, match="views.d8 cannot transform keypoints"):
        check_recipe(resolve_config("pose", ["views.d8=true"]), [load_image_task(make_pose_task(tmp_path))])
    check_recipe(resolve_config("segmentation"), [task])  # square palette images: D8 views are fine
    result = runner.invoke(app, ["solve", "data/tasks/d037b0a7.json", "--solver", "segmentation", "-q"])
    assert result.exit_code == 2 and "is an ARC task; encoder 'segmentation'" in result.stderr


# -- metrics on literal fixtures ----------------------------------------------------------------
def test_mean_iou_literal():
    truth = np.array([[0, 0, 1],
                      [0, 1, 1]])
    pred = np.array([[0, 1, 1],
                     [0, 0, 1]])
    # class 0: inter 2 (0,0),(1,0); union 4 -> 0.5.  class 1: inter 2 (0,2),(1,2); union 4 -> 0.5.
    assert mean_iou(pred, truth, 2) == pytest.approx(0.5)
    assert mean_iou(truth, truth, 2) == 1.0
    # A class absent from both is skipped; a predicted class the truth lacks counts with IoU 0.
    assert mean_iou(np.zeros((2, 3), int), np.zeros((2, 3), int), 5) == 1.0
    assert mean_iou(np.array([[0, 2]]), np.array([[0, 0]]), 2) == pytest.approx((0.5 + 0.0) / 2)
    assert mean_iou(np.zeros((2, 2), int), np.zeros((2, 3), int), 2) == 0.0  # wrong shape scores 0


def test_pck_literal():
    truth = [(0.0, 0.0), (0.0, 10.0), (10.0, 0.0), None]
    assert pck_threshold(truth) == pytest.approx(2.0)             # 0.2 x the box's longer side (10)
    pred = [(1.0, 1.0), (0.0, 13.0), None, (5.0, 5.0)]
    # k0: distance 1.41 <= 2 found; k1: 3 > 2 missed; k2: no prediction, missed; k3: invisible, not counted.
    assert pck_counts(pred, truth) == (1, 3)
    assert pck_counts(pred, truth, alpha=0.3) == (2, 3)


def test_keypoint_masks_round_trip_and_keep_colliding_points():
    points = [(0.0, 1.0), None, (3.0, 3.0)]
    mask = keypoints_to_mask(points, 4, 4)
    assert mask.tolist() == [[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 3]]
    assert mask_to_keypoints(mask, 3) == points
    clash = keypoints_to_mask([(1.0, 1.0), (1.2, 0.9)], 3, 3)    # both round to (1, 1): the second moves next door
    assert (clash == 1).sum() == 1 and (clash == 2).sum() == 1


def test_averaging_masks_and_keypoints():
    a = np.array([[1, 0], [0, 0]], np.uint8)
    b = np.array([[1, 1], [0, 0]], np.uint8)
    cands = average_masks([(a, 0.9, 0), (b, 0.8, 1), (a, 0.7, 2)])
    assert cands[0].grid.tolist() == [[1, 0], [0, 0]] and cands[0].votes == 3 and "average" in cands[0].sources
    assert [c.grid.tolist() for c in cands[1:]] == [[[1, 1], [0, 0]]]       # the other distinct sample follows
    kps = average_keypoints([([(0.0, 0.0), None], 1.0, 0), ([(2.0, 0.0), (3.0, 3.0)], 1.0, 1),
                             ([(1.0, 0.0), None], 1.0, 2)], 4, 4)
    assert mask_to_keypoints(kps[0].grid, 2) == [(1.0, 0.0), (3.0, 3.0)]   # median row 1; k1 from its one sample


def test_score_answers_per_task(tmp_path):
    seg = load_image_task(make_seg_task(tmp_path))
    pose = load_image_task(make_pose_task(tmp_path))
    score = score_answers([seg, pose], {seg.id: [MASK], pose.id: [keypoints_to_mask([(0, 1), (0, 3)], 4, 4)]})
    assert score.miou == {seg.id: 1.0} and score.pck == {pose.id: (1, 2)}
    assert "mIoU 100.0%" in score.line() and "PCK@0.2 50.0%" in score.line()


# -- the shipped benchmark and the CLI end to end -----------------------------------------------
def test_the_shipped_benchmark_loads():
    seg, pose = load_tasks(DATA / "segmentation"), load_tasks(DATA / "pose")
    assert not seg.failures and not pose.failures and len(seg.tasks) >= 4 and len(pose.tasks) >= 2
    assert all(t.palette and t.image_size == (16, 16) and t.has_solutions for t in seg.tasks + pose.tasks)


def test_solve_score_show_report_an_image_task_through_the_cli(tmp_path):
    folder = make_seg_task(tmp_path)
    run = tmp_path / "run"
    result = runner.invoke(app, ["solve", str(folder), *TOY_SEG, "--out", str(run)])
    assert result.exit_code == 0, result.output
    assert "segmentation: mIoU" in result.stdout and (run / "plots" / "tiny-seg" / "task.png").is_file()
    attempt = json.loads((run / "results" / "tiny-seg.json").read_text())["predictions"][0]["attempt_1"]
    assert np.array(attempt).shape == (4, 4)
    summary = json.loads((run / "summary.json").read_text())
    assert 0.0 <= summary["miou"] <= 1.0

    sub = tmp_path / "sub.json"
    sub.write_text(json.dumps({"tiny-seg": [{"attempt_1": MASK.tolist(), "attempt_2": MASK.tolist()}]}))
    scored = runner.invoke(app, ["score", str(sub), str(folder)])
    assert scored.exit_code == 0 and "mIoU 100.0%" in scored.stdout

    shown = runner.invoke(app, ["show", str(folder), "--run", str(run), "-o", str(tmp_path / "t.png")])
    assert shown.exit_code == 0 and (tmp_path / "t.png").is_file()
    page = runner.invoke(app, ["report", str(run), "--tasks", str(folder)])
    assert page.exit_code == 0 and "segmentation: mIoU" in (run / "report.html").read_text()


def test_the_shipped_benchmark_is_what_its_script_writes(tmp_path):
    """``benchmarks/make_vision_data.py`` (fixed seed) regenerates ``data/vision/`` file for file, byte for byte."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_vision_data", DATA.parent.parent / "benchmarks" / "make_vision_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(tmp_path / "vision")
    made = sorted(p.relative_to(tmp_path / "vision") for p in (tmp_path / "vision").rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(DATA) for p in DATA.rglob("*") if p.is_file())
    assert made == shipped
    assert all((tmp_path / "vision" / p).read_bytes() == (DATA / p).read_bytes() for p in made)
