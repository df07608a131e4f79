"""The ``select`` families (crop / keep / remove / box objects): literal grids, what the families offer, and
hand-written programs that solve ARC-AGI-1 training tasks."""

import numpy as np
import pytest

from arcvdm.search.families import select
from arcvdm.search.objects import View
from arcvdm.search.registry import FAMILIES

from training_tasks import SCENE, V4, V8, assert_program_solves, ctx, g


def test_crop_and_extract_object():
    crop = select.crop_object(V4, "largest", cells_only=False)
    assert crop.name == "crop_object(largest, conn=4, bg=0)"
    assert crop(SCENE).tolist() == [[1, 1], [1, 1]]
    red = select.crop_object(V4, "rare_shape", cells_only=False)    # the L is the one shape seen once
    assert red(SCENE) is None                     # single cells 5, 4, 4 share a shape; bar, L, square each alone
    grid = g([[2, 5, 0], [2, 2, 0], [0, 0, 0], [7, 7, 7]])
    assert select.crop_object(V4, "smallest_box", False)(grid).tolist() == [[5]]
    assert select.crop_object(V4, "top", False)(grid) is None       # red and grey both start on row 0
    assert select.crop_object(V4, "left", False)(grid) is None
    assert select.crop_object(V4, "largest", False)(g([[2, 5, 0], [2, 2, 0]])).tolist() == [[2, 5], [2, 2]]
    assert select.crop_object(V4, "largest", True)(g([[2, 5, 0], [2, 2, 0]])).tolist() == [[2, 0], [2, 2]]
    assert select.crop_object(V4, "largest", False)(g([[0, 0], [0, 0]])) is None


def test_keep_and_remove_one_object():
    keep = select.keep_object(V4, "largest", keep=True)
    assert keep(SCENE).tolist() == [[1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0]] + [[0] * 6] * 4
    remove = select.keep_object(V4, "largest", keep=False)
    expected = SCENE.copy()
    expected[:2, :2] = 0
    assert np.array_equal(remove(SCENE), expected)
    assert select.keep_object(V4, "smallest", keep=True)(SCENE) is None   # three single cells tie


@pytest.mark.parametrize("predicate, keep, expected", [
    ("border", False, [[0, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]),
    ("border", True, [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 3], [0, 0, 0, 3]]),
    ("largest", True, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 3], [0, 0, 0, 3]]),
    ("single_cell", False, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 3], [0, 0, 0, 3]]),
    ("shared_shape", False, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 3], [0, 0, 0, 3]]),
])
def test_keep_and_remove_objects_by_predicate(predicate, keep, expected):
    grid = g([[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 3], [0, 0, 0, 3]])
    assert select.keep_objects(V4, predicate, keep)(grid).tolist() == expected


def test_keep_objects_needs_a_change():
    grid = g([[1, 0, 1]])
    assert select.keep_objects(V4, "single_cell", keep=True)(grid) is None   # nothing to erase
    assert select.keep_objects(V4, "border", keep=False)(grid) is None       # everything erased


def test_box_outline_and_fill():
    grid = g([[0, 0, 0, 0, 0],
              [0, 2, 0, 0, 0],
              [0, 0, 2, 0, 0],
              [0, 0, 0, 0, 0]])
    assert select.box_objects(V8, 3, "outline")(grid).tolist() == [
        [3, 3, 3, 3, 0], [3, 2, 0, 3, 0], [3, 0, 2, 3, 0], [3, 3, 3, 3, 0]]
    assert select.box_objects(V8, 3, "fill")(grid).tolist() == [
        [0, 0, 0, 0, 0], [0, 2, 3, 0, 0], [0, 3, 2, 0, 0], [0, 0, 0, 0, 0]]
    assert select.box_objects(V8, 3, "fill")(g([[0, 0]])) is None
    pairs = g([[0, 5, 0, 0], [0, 0, 0, 0], [0, 0, 0, 5]])                # one object per colour
    assert select.box_objects(View(0, False, 0), None, "fill")(pairs).tolist() == [
        [0, 5, 5, 5], [0, 5, 5, 5], [0, 5, 5, 5]]


def test_families_choose_from_the_task():
    shrink = ctx([(SCENE.tolist(), [[1, 1], [1, 1]]), ([[0, 4, 4, 4], [0, 0, 0, 6]], [[4, 4, 4]])])
    names = [p.name for p in FAMILIES["crop_object"](shrink)]
    assert "crop_object(largest, conn=8, bg=0)" in names
    assert all("smallest" not in n for n in names)            # a 2x2 output never fits a smallest object
    assert FAMILIES["recolour_objects"](shrink) == [] and FAMILIES["keep_remove_objects"](shrink) == []
    same = ctx([([[1, 0, 2]], [[1, 0, 0]])])
    assert FAMILIES["crop_object"](same) == []
    assert any(p.name.startswith("keep_object") for p in FAMILIES["keep_remove_objects"](same))


def test_training_task_crop_largest_object():
    assert_program_solves("1cf80156", [select.crop_object(V8, "largest", cells_only=False)])


def test_training_task_remove_single_cells():
    # 42a50994: erase the cells that have no 8-neighbour of their colour
    assert_program_solves("42a50994", [select.keep_objects(V8, "single_cell", keep=False)])


def test_training_task_fill_boxes():
    assert_program_solves("6d75e8bb", [select.box_objects(V8, 2, "fill")])


def test_training_task_crop_marked_object():
    assert_program_solves("48d8fb45", [select.crop_object(V8, "marked", cells_only=True)])


def test_training_task_crop_commonest_shape():
    assert_program_solves("39a8645d", [select.crop_object(V8, "common_shape", cells_only=False)])

