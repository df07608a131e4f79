"""Copying primitives of the search DSL (copying.py): stamps learned around marker objects and partial
copies of a template completed; on literal grids, hand-written programs and the search itself on
ARC-AGI-1 training tasks (none of them in the dev set)."""

import numpy as np
import pytest

from arcvdm.search.families import copying
from arcvdm.search.objects import View
from arcvdm.search.registry import FAMILIES

from training_tasks import (
    assert_program_solves,
    assert_search_solves,
    ctx,
    g,
    task_ctx,
)

V8, M8 = View(8, False, 0), View(8, True, 0)


# --- stamps ------------------------------------------------------------------------------------------------

CROSS_DEMO = ([[0, 0, 0, 0],
               [0, 1, 0, 0],
               [0, 0, 0, 0],
               [0, 0, 0, 1]],
              [[0, 2, 0, 0],
               [3, 1, 3, 0],
               [0, 2, 0, 2],
               [0, 0, 3, 1]])


def test_learn_stamps_keeps_cells_painted_alike_around_every_marker():
    stamps = copying.learn_stamps(ctx([CROSS_DEMO]), V8, 1)
    assert stamps == {(1, 1, 1, bytes([1, 1, 128])): {(-1, 0): 2, (0, -1): 3, (0, 1): 3, (1, 0): 2}}


def test_stamp_around_paints_each_marker_and_clips_at_the_border():
    prim = copying.stamp_around(V8, 1, copying.learn_stamps(ctx([CROSS_DEMO]), V8, 1))
    assert prim(g([[1, 0, 0], [0, 0, 0], [0, 0, 5]])).tolist() == [[1, 3, 0], [2, 0, 0], [0, 0, 5]]
    empty = g([[0, 0], [0, 0]])
    assert prim(empty) is None                                   # no marker at all: does not apply
    other = g([[5, 0], [0, 0]])
    assert prim(other).tolist() == other.tolist()                # markers of another kind: unchanged


def test_stamps_need_a_small_marker_seen_twice():
    once = ([[1, 0], [0, 0]], [[1, 2], [0, 0]])
    assert copying.learn_stamps(ctx([once]), V8, 1) == {}
    assert copying.learn_stamps(ctx([once, once]), V8, 1) != {}
    big = np.zeros((7, 7), dtype=np.uint8)
    big[1:6, 1:6] = 4                                            # a 5x5 box: larger than a marker
    out = big.copy()
    out[0, 0] = 2
    assert copying.learn_stamps(ctx([(big, out), (big, out)]), V8, 1) == {}


def test_stamps_that_disagree_between_markers_are_dropped():
    demo = ([[1, 0, 0, 1]], [[1, 2, 4, 1]])                      # the cell right of a marker: 2, left: 4
    stamps = copying.learn_stamps(ctx([demo]), V8, 1)
    assert stamps == {(1, 1, 1, bytes([1, 1, 128])): {(0, 1): 2, (0, -1): 4}}
    clash = ([[1, 0, 1, 0]], [[1, 2, 1, 3]])                     # right of a marker: 2 once, 3 once
    assert copying.learn_stamps(ctx([clash]), V8, 1) == {(1, 1, 1, bytes([1, 1, 128])): {(0, -1): 2}}


def test_stamp_midpoints_between_two_lone_cells_of_a_colour():
    demo = ([[1, 0, 0, 0, 1]], [[1, 0, 3, 0, 1]])
    assert copying.learn_stamps(ctx([demo]), V8, 1, "midpoint") == {}   # seen once: no rule
    stamps = copying.learn_stamps(ctx([demo, demo]), V8, 1, "midpoint")
    prim = copying.stamp_around(V8, 1, stamps, "midpoint")
    assert prim.name.startswith("stamp_midpoints(")
    assert prim(g([[0, 1, 0], [0, 0, 0], [0, 1, 0]])).tolist() == [[0, 1, 0], [0, 3, 0], [0, 1, 0]]
    odd = g([[1, 0, 0, 1]])                                      # no whole midpoint cell: unchanged
    assert prim(odd).tolist() == odd.tolist()
    three = g([[1, 0, 1, 0, 1]])                                 # three lone cells: no pair
    assert prim(three).tolist() == three.tolist()
    with pytest.raises(ValueError, match="where"):
        copying.stamp_around(V8, 1, stamps, "corner")


# --- template copies ---------------------------------------------------------------------------------------

def test_complete_copies_by_shift():
    grid = g([[2, 3, 0, 0, 0],
              [3, 3, 0, 0, 0],
              [0, 0, 0, 0, 2],
              [0, 0, 0, 0, 0]])
    prim = copying.complete_copies(M8, 1, "unique")
    assert prim(grid).tolist() == [[2, 3, 0, 0, 0],
                                   [3, 3, 0, 0, 0],
                                   [0, 0, 0, 0, 2],
                                   [0, 0, 0, 0, 3]]                   # the part of the copy off the grid: dropped
    grid[2, 3] = 2
    grid[2, 4] = 0
    assert prim(grid).tolist() == [[2, 3, 0, 0, 0],
                                   [3, 3, 0, 0, 0],
                                   [0, 0, 0, 2, 3],
                                   [0, 0, 0, 3, 3]]


def test_complete_copies_turned_needs_dihedral_and_unique_refuses_ambiguity():
    grid = g([[2, 3, 3, 0, 0, 0],
              [0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0, 3],
              [0, 0, 0, 0, 0, 2]])
    assert copying.complete_copies(M8, 1, "unique")(grid).tolist() == grid.tolist()
    assert copying.complete_copies(M8, 8, "unique")(grid).tolist() == [[2, 3, 3, 0, 0, 0],
                                                                       [0, 0, 0, 0, 0, 3],
                                                                       [0, 0, 0, 0, 0, 3],
                                                                       [0, 0, 0, 0, 0, 2]]
    lone = g([[2, 3, 3, 0, 0, 0],
              [0, 0, 0, 0, 0, 0],
              [0, 0, 0, 0, 2, 0],
              [0, 0, 0, 0, 0, 0]])                                       # a lone 2: four directions fit
    assert copying.complete_copies(M8, 8, "unique")(lone).tolist() == lone.tolist()
    assert copying.complete_copies(M8, 8, "first")(lone)[2].tolist() == [0, 0, 0, 0, 2, 3]
    with pytest.raises(ValueError, match="turns"):
        copying.complete_copies(M8, 4, "unique")


def _complete_reference(grid, view, turns, pick):
    """``complete_copies``'s rule read literally: every placement of every turn of every template, one at a
    time, clipped to the grid, and the first covering placement painted cell by cell."""
    objs = copying.objects_of(grid, view)
    if not objs or len(objs) > copying.MAX_MARKERS:
        return None
    bg, (h, w) = view.background_of(grid), grid.shape
    largest = max(o.size for o in objs)
    templates = [o for o in objs if o.size == largest and o.size <= copying.MAX_TEMPLATE]
    out = grid.copy()
    for obj in objs:
        if obj.size == largest:
            continue
        cells_of_obj = [(y + obj.top, x + obj.left) for y, x in zip(*np.nonzero(obj.mask))]
        options = []
        for tmpl in templates:
            for turn in copying._DIHEDRAL[:turns]:
                cells = np.where(turn(tmpl.mask), turn(tmpl.cells), 10)
                th, tw = cells.shape
                for top in range(-th, h + 1):
                    for left in range(-tw, w + 1):
                        if not all(0 <= y - top < th and 0 <= x - left < tw and cells[y - top, x - left] == grid[y, x]
                                   for y, x in cells_of_obj):
                            continue
                        ok = all(grid[top + y, left + x] in (bg, cells[y, x])
                                 for y in range(th) for x in range(tw)
                                 if cells[y, x] != 10 and 0 <= top + y < h and 0 <= left + x < w)
                        if ok:
                            options.append((cells, top, left))
        first = options[0] if options else None
        if first is None or (pick == "unique" and any(
                (t, lf) != first[1:] or not np.array_equal(c, first[0]) for c, t, lf in options)):
            continue                                 # nothing covers it, or two placements paint differently
        cells, top, left = first
        for y in range(cells.shape[0]):
            for x in range(cells.shape[1]):
                gy, gx = top + y, left + x
                if cells[y, x] != 10 and 0 <= gy < h and 0 <= gx < w and out[gy, gx] == bg:
                    out[gy, gx] = cells[y, x]
    return out


def test_complete_copies_follows_its_rule_on_random_grids():
    """A two-colour template and partial copies of it, turned, some cut by the border: every variant paints what
    the rule read literally paints (the primitive tests all placements at once on a framed grid). The reference
    lists placements in another order, so only ``unique``, where the order cannot matter, is compared."""
    rng = np.random.default_rng(11)
    changed = 0
    for _ in range(60):
        h, w = (int(v) for v in rng.integers(7, 13, size=2))
        grid = np.zeros((h, w), dtype=np.uint8)
        tmpl = rng.choice([2, 3], size=(3, 3)).astype(np.uint8)
        tmpl[rng.integers(0, 3), rng.integers(0, 3)] = 4                     # one anchor cell
        grid[:3, :3] = tmpl
        for _copy in range(int(rng.integers(1, 3))):
            part = copying._DIHEDRAL[int(rng.integers(0, 8))](tmpl).copy()
            part[rng.random(part.shape) < 0.6] = 0
            top, left = int(rng.integers(4, h)), int(rng.integers(0, w))
            window = grid[top:top + 3, left:left + 3]
            window[...] = part[:window.shape[0], :window.shape[1]]
        for turns in (1, 8):
            want = _complete_reference(grid, M8, turns, "unique")
            got = copying.complete_copies(M8, turns, "unique")(grid)
            assert (got is None and want is None) or got.tolist() == want.tolist(), (turns, grid.tolist())
            changed += want is not None and want.tolist() != grid.tolist()
    assert changed >= 5  # the sample completes copies, not only grids left as they are


# --- training tasks ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("task_id, radius, conn", [("d364b489", 1, 8), ("a9f96cdd", 1, 8), ("95990924", 1, 8)])
def test_stamp_program_solves_training_task(task_id, radius, conn):
    view = View(conn, False, 0)
    stamps = copying.learn_stamps(task_ctx(task_id), view, radius)
    assert_program_solves(task_id, [copying.stamp_around(view, radius, stamps)])


def test_stamp_midpoints_program_solves_e9614598():
    stamps = copying.learn_stamps(task_ctx("e9614598"), V8, 1, "midpoint")
    assert_program_solves("e9614598", [copying.stamp_around(V8, 1, stamps, "midpoint")])


def test_complete_copies_program_solves_36d67576():
    assert_program_solves("36d67576", [copying.complete_copies(M8, 8, "unique")])


def test_family_offers_nothing_when_shapes_change():
    assert FAMILIES["copying"](ctx([([[1, 0]], [[1], [0]])])) == []


@pytest.mark.parametrize("task_id", ["d364b489", "a9f96cdd"])
def test_search_solves_training_task(task_id):
    assert_search_solves(task_id, top=1)


