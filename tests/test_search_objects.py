"""Object primitives of the search DSL (objects.py, selectors.py, select.py, recolour.py, summary.py):
labelling, selectors, crop / keep / remove / recolour / boxes / summaries, on literal grids; and
hand-written programs that solve ARC-AGI-1 training tasks."""

import numpy as np
import pytest

from arcvdm.search import objects, recolour, select, selectors, summary
from arcvdm.search.dsl import FAMILIES, TaskContext
from arcvdm.search.objects import View, label, objects_of, task_background, task_views
from training_tasks import assert_program_solves, check_pure_and_valid


def g(rows):
    return np.array(rows, dtype=np.uint8)


def ctx(pairs, tests=()):
    return TaskContext(tuple(g(i) for i, _ in pairs), tuple(g(o) for _, o in pairs), tuple(g(t) for t in tests))


V4, V8 = View(4, False, 0), View(8, False, 0)

SCENE = g([
    [1, 1, 0, 0, 0, 0],
    [1, 1, 0, 2, 5, 0],
    [0, 0, 0, 2, 2, 0],
    [0, 0, 0, 0, 0, 0],
    [3, 0, 0, 0, 0, 4],
    [3, 0, 0, 0, 4, 0],
])


# --- labelling and objects -------------------------------------------------------------------------------

def test_label_literal_4_and_8_connected():
    grid = g([[1, 0, 1],
              [0, 1, 0],
              [2, 2, 0]])
    labels, n = label(grid, 0, conn=4)
    assert n == 4
    assert labels.tolist() == [[0, -1, 1], [-1, 2, -1], [3, 3, -1]]
    labels, n = label(grid, 0, conn=8)
    assert n == 2 and labels.tolist() == [[0, -1, 0], [-1, 0, -1], [1, 1, -1]]
    labels, n = label(grid, 0, conn=8, multi=True)
    assert n == 1 and (labels[grid != 0] == 0).all()


@pytest.mark.parametrize("size", [6, 25])
def test_flood_and_propagation_agree(size):
    rng = np.random.default_rng(size)
    for _ in range(5):
        grid = (rng.random((size, size)) < 0.45).astype(np.uint8) * rng.integers(1, 4, (size, size)).astype(np.uint8)
        for conn in (4, 8):
            for multi in (False, True):
                a, na = objects._label_flood(grid, 0, conn, multi)
                b, nb = objects._label_propagate(grid, 0, conn, multi)
                assert na == nb and np.array_equal(a, b)


def test_objects_of_properties_and_cache():
    objs = objects_of(SCENE, V4)
    assert [(o.top, o.left, o.size, o.colour) for o in objs] == [
        (0, 0, 4, 1), (1, 3, 3, 2), (1, 4, 1, 5), (4, 0, 2, 3), (4, 5, 1, 4), (5, 4, 1, 4)]
    assert objects_of(SCENE.copy(), V4) is objs                    # cached by content
    assert len(objects_of(SCENE, V8)) == 5                         # the two 4-cells join diagonally
    multi = objects_of(SCENE, View(4, True, 0))
    assert [o.size for o in multi] == [4, 4, 2, 1, 1] and multi[1].n_colours == 2
    assert objects.holes(objects_of(g([[1, 1, 1], [1, 0, 1], [1, 1, 1]]), V4)[0]) == 1


def test_texture_is_not_objects():
    checker = (np.indices((30, 30)).sum(axis=0) % 2).astype(np.uint8)   # 450 single cells (conn=4)
    assert objects_of(checker, V4) == ()
    assert len(objects_of(checker, V8)) == 1                            # diagonal steps join them all


@pytest.mark.parametrize("selector, expected", [
    ("largest", (0, 0)), ("smallest", None), ("largest_box", None), ("smallest_box", (4, 0)),
    ("rare_colour", None), ("rare_shape", None), ("top", (0, 0)), ("bottom", (4, 4)), ("left", None),
    ("right", (4, 4)), ("densest", None), ("sparsest", (4, 4)), ("most_colours", None),
])
def test_selectors(selector, expected):
    # conn=8: blue square (4 cells, box 4), red L (3, box 4), green bar (2, box 2), yellow diagonal (2, box 4)
    grid = g([[1, 1, 0, 0, 0, 0],
              [1, 1, 0, 2, 0, 0],
              [0, 0, 0, 2, 2, 0],
              [0, 0, 0, 0, 0, 0],
              [3, 3, 0, 0, 4, 0],
              [0, 0, 0, 0, 0, 4]])
    found = selectors.select(grid, V8, selector)                 # None: a tie (or nothing singles one out)
    assert (None if found is None else (found.top, found.left)) == expected


def test_rare_colour_and_shape_selectors():
    grid = g([[1, 0, 1, 0, 2, 2],
              [0, 0, 0, 0, 0, 0],
              [1, 1, 0, 1, 1, 0]])
    assert (selectors.select(grid, V4, "rare_colour").top, selectors.select(grid, V4, "rare_colour").left) == (0, 4)
    assert selectors.select(grid, V4, "rare_shape") is None       # singles twice, bars twice... no lone shape
    grid[0, 2] = 0
    assert selectors.select(grid, V4, "rare_shape").left == 0     # now the one single cell


def test_most_minor_selector():
    grid = g([[1, 2, 1, 0, 1, 1, 1, 0, 3, 2],
              [2, 1, 1, 0, 1, 2, 1, 0, 3, 3]])
    found = selectors.select(grid, View(8, True, 0), "most_minor")
    assert (found.left, found.minor) == (0, 2)                           # two red spots on blue


def test_marked_selector():
    grid = g([[0, 5, 0, 0, 0, 0],
              [1, 1, 0, 0, 1, 1],
              [0, 1, 0, 0, 1, 0]])
    found = selectors.select(grid, V8, "marked")                           # the shape the grey cell touches
    assert (found.top, found.left, found.colour) == (1, 0, 1)
    assert selectors.select(grid[1:], V8, "marked") is None                # no marker: nothing flagged


def test_symmetric_and_holes_selectors():
    grid = g([[1, 1, 1, 0, 2, 2],
              [1, 0, 1, 0, 2, 0],
              [1, 1, 1, 0, 0, 0]])
    assert selectors.select(grid, V8, "most_holes").colour == 1
    assert selectors.select(grid, V8, "symmetric") is None       # ring yes, L no: with two objects, neither is rarer
    three = g([[1, 1, 0, 2, 0, 3, 0], [0, 1, 0, 2, 0, 3, 3]])   # two Ls (no mirror symmetry) and a bar
    assert selectors.select(three, V8, "symmetric").colour == 2


def test_task_background_and_views():
    same = ctx([([[5, 5, 1], [5, 5, 5]], [[5, 5, 5], [5, 5, 5]]), ([[5, 2], [5, 5]], [[5, 5], [5, 5]])])
    assert task_background(same) == 5
    views = task_views(same)
    assert views == [View(8, False, 5)]                        # every other view cuts these inputs the same way
    differ = ctx([([[5, 5, 0]], [[5]]), ([[0, 0, 5]], [[0]])])
    assert task_background(differ) is None
    assert [v.bg for v in task_views(differ)] == [None, 0]
    assert View(8, True, 0).text == "conn=8, multi, bg=0"


# --- crop / keep / remove ---------------------------------------------------------------------------------

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


# --- recolour ---------------------------------------------------------------------------------------------

def test_recolour_object():
    out = recolour.recolour_object(V4, "largest", 6)(SCENE)
    assert out[:2, :2].tolist() == [[6, 6], [6, 6]] and (out[2:] == SCENE[2:]).all()
    assert recolour.recolour_object(V4, "smallest", 6)(SCENE) is None


def test_recolour_by_learns_a_size_rank_map():
    task = ctx([
        ([[5, 5, 5, 0, 5], [0, 0, 0, 0, 5], [5, 0, 0, 0, 0]], [[1, 1, 1, 0, 2], [0, 0, 0, 0, 2], [3, 0, 0, 0, 0]]),
        ([[5, 5, 0, 5], [0, 0, 0, 0], [5, 5, 5, 5], [0, 0, 0, 0]],
         [[2, 2, 0, 3], [0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]]),
    ])
    mapping = recolour.learn_recolour(task, V4, "size_rank")
    assert mapping == {1: 1, 2: 2, 3: 3}
    prim = recolour.recolour_by(V4, "size_rank", mapping)
    assert prim(g([[5, 0, 5, 5], [0, 0, 0, 0], [5, 5, 5, 0]])).tolist() == [[3, 0, 2, 2], [0, 0, 0, 0], [1, 1, 1, 0]]
    assert prim(g([[5, 0, 5], [0, 5, 0], [5, 5, 0]])) is not None
    assert prim(g([[5, 0, 5, 0, 5, 5, 0, 5, 5, 5, 0, 5, 5, 5, 5]])) is None   # a 4th size rank was never seen
    assert recolour.learn_recolour(task, V4, "border") is None                  # border objects get 1, 2 and 3
    names = [p.name for p in FAMILIES["recolour_objects"](task)]
    assert "recolour_by(size_rank, conn=8, bg=0)" in names      # conn=4 cuts these inputs the same way


def test_recolour_by_aspect_tells_wide_tall_and_square_objects_apart():
    task = ctx([
        ([[1, 1, 0, 1], [0, 0, 0, 1], [1, 0, 0, 0]], [[2, 2, 0, 3], [0, 0, 0, 3], [1, 0, 0, 0]]),
        ([[1, 1, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [1, 0, 1, 0]], [[2, 2, 2, 0], [0, 0, 0, 0], [3, 0, 3, 0], [3, 0, 3, 0]]),
    ])
    mapping = recolour.learn_recolour(task, V4, "aspect")
    assert mapping == {1: 2, -1: 3, 0: recolour.KEEP}
    prim = recolour.recolour_by(V4, "aspect", mapping)
    assert prim(g([[1, 0, 1, 1, 1], [1, 0, 0, 0, 0]])).tolist() == [[3, 0, 2, 2, 2], [3, 0, 0, 0, 0]]


def test_recolour_by_keeps_unchanged_objects():
    task = ctx([([[1, 0, 1, 1]], [[1, 0, 2, 2]]), ([[1, 1, 0, 1]], [[2, 2, 0, 1]])])
    mapping = recolour.learn_recolour(task, V4, "single_cell")
    assert mapping == {True: recolour.KEEP, False: 2}
    assert recolour.recolour_by(V4, "single_cell", mapping)(g([[3, 0, 4, 4]])).tolist() == [[3, 0, 2, 2]]


def test_recolour_nearest():
    grid = g([[2, 0, 0, 0, 4],
              [0, 5, 0, 5, 0],
              [0, 0, 0, 0, 0]])
    assert recolour.recolour_nearest(V4, 5)(grid).tolist() == [[2, 0, 0, 0, 4], [0, 2, 0, 4, 0], [0, 0, 0, 0, 0]]
    assert recolour.recolour_nearest(V4, 5)(g([[2, 5, 4]])) is None          # a tie between 2 and 4


def test_stamp_copies_a_template_of_the_same_shape():
    grid = g([[1, 2, 0, 0, 0],
              [3, 1, 0, 0, 0],
              [0, 0, 0, 5, 5],
              [0, 0, 0, 5, 5]])
    out = recolour.stamp(View(8, True, 0), 5)(grid)
    assert out.tolist() == [[1, 2, 0, 0, 0], [3, 1, 0, 0, 0], [0, 0, 0, 1, 2], [0, 0, 0, 3, 1]]
    assert recolour.stamp(View(8, True, 0), 5)(g([[1, 0, 5, 5]])) is None   # no template of that shape


def test_stamp_at_markers():
    grid = g([[1, 2, 1, 0, 0, 0],
              [1, 1, 1, 0, 0, 0],
              [0, 1, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 5, 0],
              [0, 0, 0, 0, 0, 0]])
    out = recolour.stamp_at(View(8, True, 0), 5)(grid)                  # the template's centre on the 5
    assert out[3:6, 3:6].tolist() == [[1, 2, 1], [1, 1, 1], [0, 1, 0]] and (out[:3] == grid[:3]).all()
    assert recolour.stamp_at(View(8, True, 0), 5)(grid[1:]) is None     # a 2x3 template has no centre cell
    assert recolour.stamp_at(View(8, True, 0), 5)(g([[5, 0, 5]])) is None    # no template


def test_redraw_by_shape():
    demo = ([[1, 1, 0, 0], [1, 1, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0]],
            [[3, 0, 0, 0], [0, 3, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert recolour.learn_redraw(ctx([demo]), V8) is None                # the square changed once: memorised
    mapping = recolour.learn_redraw(ctx([demo, demo]), V8)
    prim = recolour.redraw_by_shape(V8, mapping)
    assert prim(g([[0, 0, 0], [0, 4, 4], [7, 4, 4]])).tolist() == [[0, 0, 0], [0, 3, 0], [2, 0, 3]]
    assert prim(g([[4, 4, 4]])) is None                                 # a shape never seen


# --- boxes --------------------------------------------------------------------------------------------------

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


# --- families ------------------------------------------------------------------------------------------------

def test_families_choose_from_the_task():
    shrink = ctx([(SCENE.tolist(), [[1, 1], [1, 1]]), ([[0, 4, 4, 4], [0, 0, 0, 6]], [[4, 4, 4]])])
    names = [p.name for p in FAMILIES["crop_object"](shrink)]
    assert "crop_object(largest, conn=8, bg=0)" in names
    assert all("smallest" not in n for n in names)            # a 2x2 output never fits a smallest object
    assert FAMILIES["recolour_objects"](shrink) == [] and FAMILIES["keep_remove_objects"](shrink) == []
    same = ctx([([[1, 0, 2]], [[1, 0, 0]])])
    assert FAMILIES["crop_object"](same) == []
    assert any(p.name.startswith("keep_object") for p in FAMILIES["keep_remove_objects"](same))


OBJECT_FAMILIES = ["crop_object", "keep_remove_objects", "recolour_objects", "box_objects", "summary"]


def test_primitives_never_write_into_inputs_and_return_valid_grids():
    rng = np.random.default_rng(0)
    grids = [SCENE, g([[0]]), g([[3, 3], [3, 3]])]
    grids += [(rng.random((9, 11)) < 0.3).astype(np.uint8) * rng.integers(1, 5, (9, 11)).astype(np.uint8)]
    tasks = [
        ctx([(SCENE.tolist(), [[1, 1], [1, 1]])], tests=[grids[3].tolist()]),
        ctx([(SCENE.tolist(), np.where(SCENE == 1, 7, SCENE).tolist())], tests=[grids[3].tolist()]),
        ctx([(SCENE.tolist(), np.where(SCENE == 3, 0, SCENE).tolist())]),
    ]
    assert check_pure_and_valid(tasks, OBJECT_FAMILIES, grids) > 100


# --- hand-written programs on ARC-AGI-1 training tasks (none of them in the dev set) -------------------------


def test_training_task_crop_largest_object():
    assert_program_solves("1cf80156", [select.crop_object(V8, "largest", cells_only=False)])


def test_training_task_recolour_by_size_rank():
    mapping = {1: 1, 2: 2, 3: 3, 4: 4}
    assert_program_solves("08ed6ac7", [recolour.recolour_by(V4, "size_rank", mapping)])


def test_training_task_remove_single_cells():
    # 42a50994: erase the cells that have no 8-neighbour of their colour
    assert_program_solves("42a50994", [select.keep_objects(V8, "single_cell", keep=False)])


def test_training_task_fill_boxes():
    assert_program_solves("6d75e8bb", [select.box_objects(V8, 2, "fill")])


# --- summaries (summary.py) and the commonest-shape selector --------------------------------------------------

def test_common_shape_selector():
    grid = g([[1, 0, 2, 0, 3, 3],
              [1, 0, 2, 0, 0, 0],
              [0, 0, 0, 0, 4, 0]])
    assert selectors.select(grid, V4, "common_shape").colour == 1          # two bars, one pair, one single
    assert selectors.select(g([[1, 0, 2]]), V4, "common_shape") is None     # fewer than three objects


@pytest.mark.parametrize("layout, expected", [
    ("row", [[5, 5, 5]]), ("col", [[5], [5], [5]]), ("diagonal", [[5, 0, 0], [0, 5, 0], [0, 0, 5]]),
    ("fixed_row", [[5, 5], [5, 0]]),
])
def test_count_objects_layouts(layout, expected):
    grid = g([[1, 0, 2], [0, 0, 0], [1, 1, 0]])
    prim = summary.count_objects(V4, None, layout, 5, (2, 2))
    assert prim(grid).tolist() == expected
    assert summary.count_objects(V4, 1, "row", 5, (2, 2))(grid).tolist() == [[5, 5]]   # blue objects only
    assert prim(g([[0, 0]])) is None


def test_colour_of_and_summary_family():
    task = ctx([([[1, 1, 0, 2]], [[1, 1], [1, 1]]), ([[3, 0, 4, 4], [0, 0, 4, 4]], [[4, 4], [4, 4]])])
    names = [p.name for p in FAMILIES["summary"](task)]
    assert "colour_of(largest, 2x2, conn=8, bg=0)" in names
    assert summary.colour_of(V8, "largest", (2, 2))(g([[6, 0, 7, 7]])).tolist() == [[7, 7], [7, 7]]
    assert summary.colour_of(V8, "largest", (2, 2))(g([[6, 0, 7]])) is None
    counting = ctx([([[1, 0, 1, 0, 1, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]), ([[1, 0, 1, 0]], [[8, 0], [0, 8]])])
    assert FAMILIES["summary"](counting) == []                            # first output does not count
    counting = ctx([([[1, 0, 1, 0, 1, 0]], [[8, 0, 0], [0, 8, 0], [0, 0, 8]]), ([[1, 0, 1, 0]], [[8, 0], [0, 8]])])
    assert [p.name for p in FAMILIES["summary"](counting)][0] == "count_objects(diagonal, 8, conn=8, bg=0)"


def test_training_task_stamp():
    assert_program_solves("e76a88a6", [recolour.stamp(View(8, True, 0), 5)])


def test_training_task_crop_marked_object():
    assert_program_solves("48d8fb45", [select.crop_object(V8, "marked", cells_only=True)])


def test_training_task_stamp_at_marker():
    assert_program_solves("88a10436", [recolour.stamp_at(View(8, True, 0), 5)])


def test_training_task_count_objects():
    assert_program_solves("d0f5fe59", [summary.count_objects(V8, None, "diagonal", 8, (1, 1))])


def test_training_task_crop_commonest_shape():
    assert_program_solves("39a8645d", [select.crop_object(V8, "common_shape", cells_only=False)])
