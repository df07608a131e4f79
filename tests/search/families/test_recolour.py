"""The ``recolour_objects`` family: one object recoloured, every object by a learned property, stamps, on
literal grids; and hand-written programs that solve ARC-AGI-1 training tasks."""


from arcvdm.search.families import recolour
from arcvdm.search.objects import View
from arcvdm.search.registry import FAMILIES

from training_tasks import SCENE, V4, V8, assert_program_solves, ctx, g


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


def test_training_task_recolour_by_size_rank():
    mapping = {1: 1, 2: 2, 3: 3, 4: 4}
    assert_program_solves("08ed6ac7", [recolour.recolour_by(V4, "size_rank", mapping)])


def test_training_task_stamp():
    assert_program_solves("e76a88a6", [recolour.stamp(View(8, True, 0), 5)])


def test_training_task_stamp_at_marker():
    assert_program_solves("88a10436", [recolour.stamp_at(View(8, True, 0), 5)])

