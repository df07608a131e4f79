"""Rules over cell and object properties (traits.py): cell rules by position and line features, object
rules and region rules by a decision over item features, on literal grids; programs learned from the
demonstrations of ARC-AGI-1 training tasks; the family's gating, purity, and tasks the search now solves."""

import numpy as np
import pytest

from arcvdm.search import facts
from arcvdm.search.families import traits
from arcvdm.search.families.traits import actions, cells, decisions
from arcvdm.search.objects import View
from arcvdm.search.registry import FAMILIES

from training_tasks import (
    assert_program_solves,
    assert_search_solves,
    ctx,
    g,
    task_ctx,
)


def _names(c) -> list[str]:
    return [p.name for p in FAMILIES["traits"](c)]


# --- 1. cell rules ----------------------------------------------------------------------------------------

def test_cell_rule_by_column_modulo():
    # every third column (from the left) turns its 4 cells into 6; background cells stay
    c = ctx([([[4, 4, 4, 4], [4, 0, 4, 0]], [[6, 4, 4, 6], [6, 0, 4, 0]]),
             ([[4, 4, 4, 4, 4], [0, 4, 0, 4, 0]], [[6, 4, 4, 6, 4], [0, 4, 0, 6, 0]])],
            tests=[[[4, 4, 4, 4, 4, 4, 4], [0, 4, 0, 4, 0, 4, 0]]])
    demos = traits.CellDemos(c, 0)
    table = traits.learn_cell_rule(demos, ("col%3",), "is_bg", None)
    prim = traits.cell_rule(("col%3",), "is_bg", None, 0, table)
    assert prim(g([[4, 4, 4, 4, 4, 4, 4], [0, 4, 0, 4, 0, 4, 0]])).tolist() == [
        [6, 4, 4, 6, 4, 4, 6],
        [0, 4, 0, 6, 0, 4, 0]]
    assert "cell_rule(col%3, is_bg, bg=4)" in _names(c)      # 4 is the most frequent colour


def test_cell_rule_refuses_unseen_keys_and_single_demonstrations():
    c = ctx([([[1, 0], [0, 1]], [[2, 0], [0, 2]]), ([[1, 1], [0, 0]], [[2, 2], [0, 0]])])
    demos = traits.CellDemos(c, 0)
    table = traits.learn_cell_rule(demos, (), "colour", None)
    prim = traits.cell_rule((), "colour", None, 0, table)
    assert prim(g([[1, 0]])).tolist() == [[2, 0]]
    assert prim(g([[3, 0]])) is None                       # colour 3 never seen
    # a change seen in one demonstration only is not trusted
    one = ctx([([[1, 0]], [[2, 0]]), ([[0, 0]], [[0, 0]])])
    assert traits.learn_cell_rule(traits.CellDemos(one, 0), (), "colour", None) is None


def test_cell_rule_takes_the_row_colour():
    c = ctx([([[1, 0, 5, 5], [2, 0, 5, 0]], [[1, 0, 1, 1], [2, 0, 2, 0]]),
             ([[3, 5, 0], [4, 5, 5]], [[3, 3, 0], [4, 4, 4]])])
    demos = traits.CellDemos(c, 0)
    table = traits.learn_cell_rule(demos, (), "is_bg", "row_first")
    prim = traits.cell_rule((), "is_bg", "row_first", 0, table)
    assert prim(g([[7, 5, 0, 5], [8, 0, 5, 5]])).tolist() == [[7, 7, 0, 7], [8, 0, 8, 8]]


def test_cell_features():
    f = cells.CellFeatures(g([[0, 3, 3, 0],
                               [0, 0, 0, 0],
                               [2, 2, 2, 2]]), 0)
    assert f.get("row_uniform")[:, 0].tolist() == [0, 1, 1]
    assert f.get("row_first_at")[:, 0].tolist() == [1, -1, 0]
    assert f.get("in_component_col%2")[0].tolist() == [-1, 0, 1, -1]
    assert f.get("ring")[1].tolist() == [0, 1, 1, 0]
    assert f.get("in_box_of_3")[0].tolist() == [0, 2, 2, 0]
    assert f.get("in_component_half_col")[0].tolist() == [-1, 0, 2, -1]
    assert f.get("diagonal%3")[1].tolist() == [1, 0, 2, 1]
    assert f.get("row_colour")[:, 0].tolist() == [3, 0, 2]
    assert f.get("middle")[1].tolist() == [1, 1, 1, 1] and f.get("middle")[0].tolist() == [0, 0, 0, 0]
    assert f.get("row_panel")[:, 0].tolist() == [0, 0, -1]      # row 2 is a full line of one colour
    assert f.get("col_panel")[0].tolist() == [0, 0, 0, 0]        # no full column


def test_panel_and_component_ninth_features():
    f = cells.CellFeatures(g([[1, 0, 5, 0],
                               [5, 5, 5, 5],
                               [0, 2, 5, 0],
                               [0, 0, 5, 3]]), 0)
    assert f.get("row_panel")[:, 0].tolist() == [0, -1, 1, 1]   # above the full row of 5, on it, below it
    assert f.get("col_panel")[0].tolist() == [0, 0, -1, 1]
    box = cells.CellFeatures(g([[0, 0, 0, 0],
                                 [0, 4, 4, 4],
                                 [0, 4, 4, 4],
                                 [0, 4, 4, 4]]), 0)
    ninth = box.get("in_component_ninth")
    assert ninth[2, 2] == 4 and ninth[1, 1] == 0 and ninth[3, 3] == 8 and ninth[0, 0] == -1


# --- 2. object and region rules ---------------------------------------------------------------------------

def test_object_rule_stump_on_size():
    # objects of 3 cells become 2, every other object becomes 1: a stump, so new sizes go to "else"
    c = ctx([([[5, 5, 5, 0, 5], [0, 0, 0, 0, 5]], [[2, 2, 2, 0, 1], [0, 0, 0, 0, 1]]),
             ([[5, 0, 5, 5, 5], [0, 0, 0, 0, 0], [5, 5, 5, 5, 0]],
              [[1, 0, 2, 2, 2], [0, 0, 0, 0, 0], [1, 1, 1, 1, 0]])],
            tests=[[[5, 5, 5, 5, 5, 0, 5, 5, 5]]])
    names = _names(c)
    assert names and names[0].startswith("object_rule(size=3: paint 2, else paint 1")
    prim = FAMILIES["traits"](c)[0]
    assert prim(g([[5, 5, 5, 5, 5, 0, 5, 5, 5]])).tolist() == [[1, 1, 1, 1, 1, 0, 2, 2, 2]]


def test_object_rule_fills_inner_cells_by_largest():
    items = []
    grid = g([[4, 4, 4, 0, 4, 4, 4, 4],
              [4, 4, 4, 0, 4, 4, 4, 4],
              [4, 4, 4, 0, 4, 4, 4, 4]])
    out = g([[4, 4, 4, 0, 4, 4, 4, 4],
             [4, 1, 4, 0, 4, 2, 2, 4],
             [4, 4, 4, 0, 4, 4, 4, 4]])
    view = View(8, False, 0)
    from arcvdm.search.objects import objects_of
    objs = objects_of(grid, view)
    assert actions._actions(objs[0], grid, out, True, 0, None) == {("interior", 1)}
    assert actions._actions(objs[1], grid, out, True, 0, None) == {("interior", 2)}
    for obj in objs:
        items.append(({"largest": obj.size == 12}, actions._actions(obj, grid, out, True, 0, None)))
    items += items
    decision = decisions.fit_decision("map", ("largest",), None, items)
    prim = traits.object_rule(view, decision)
    assert np.array_equal(prim(grid), out)


def test_region_rule_paints_regions_touching_a_colour():
    c = ctx([([[0, 1, 0, 2, 0], [0, 1, 0, 2, 0]], [[3, 1, 3, 2, 0], [3, 1, 3, 2, 0]]),
             ([[0, 2, 0, 1], [2, 2, 0, 1]], [[0, 2, 3, 1], [2, 2, 3, 1]])],
            tests=[[[1, 0, 2, 0, 0]]])
    names = _names(c)
    assert "region_rule(touches_1 True: paint 3, bg=0)" in names


def test_regions_enclosed_take_the_colour_around_them():
    # enclosed background takes its frame's colour (whatever that colour is); open background stays; the
    # single 5 is the rarest colour, so "paint the rarest colour" does not fit
    c = ctx([([[1, 1, 1, 0], [1, 0, 1, 0], [1, 1, 1, 0], [0, 0, 0, 5]],
              [[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0, 5]]),
             ([[5, 0, 0, 0, 0], [0, 2, 2, 2, 0], [0, 2, 0, 2, 0], [0, 2, 2, 2, 0], [0, 0, 0, 0, 0]],
              [[5, 0, 0, 0, 0], [0, 2, 2, 2, 0], [0, 2, 2, 2, 0], [0, 2, 2, 2, 0], [0, 0, 0, 0, 0]]),
             ([[3, 3, 3, 0], [3, 0, 3, 0], [3, 3, 3, 0], [0, 0, 0, 5]],
              [[3, 3, 3, 0], [3, 3, 3, 0], [3, 3, 3, 0], [0, 0, 0, 5]])],
            tests=[[[0, 0, 0, 0], [0, 4, 4, 4], [0, 4, 0, 4], [0, 4, 4, 4]]])
    prims = FAMILIES["traits"](c)
    assert prims[0].name == "region_rule(largest False: paint_touching, bg=0)"
    assert prims[0](g([[0, 0, 0, 0], [0, 4, 4, 4], [0, 4, 0, 4], [0, 4, 4, 4]]))[2].tolist() == [0, 4, 4, 4]


def test_decision_needs_two_actions_and_repeats():
    keep, paint = {actions.KEEP_ACTION}, {("paint", 2)}
    items = [({"border": True}, keep), ({"border": False}, paint), ({"border": False}, paint)]
    assert decisions.fit_decision("map", ("border",), None, items).table == {(True,): actions.KEEP_ACTION,
                                                                          (False,): ("paint", 2)}
    assert decisions.fit_decision("map", ("border",), None, items[:2]) is None      # a change seen once
    assert decisions.fit_decision("map", ("border",), None, items[1:]) is None      # one action only


# --- 3. programs learned from training tasks -----------------------------------------------------------------

def _cell(task_id, features, mode, take=None):
    c = task_ctx(task_id)
    bg = facts.rule_background(c)
    table = traits.learn_cell_rule(traits.CellDemos(c, bg), features, mode, take)
    assert table is not None, task_id
    return traits.cell_rule(features, mode, take, bg, table)


def _offered(task_id, prefix):
    for prim in FAMILIES["traits"](task_ctx(task_id)):
        if prim.name.startswith(prefix):
            return prim
    raise AssertionError(f"{task_id}: no {prefix} offered")


def test_cell_programs_solve_training_tasks():
    assert_program_solves("ba26e723", [_cell("ba26e723", ("col%3",), "is_bg")])
    assert_program_solves("d406998b", [_cell("d406998b", ("col_from_right%2",), "is_bg")])
    assert_program_solves("c9f8e694", [_cell("c9f8e694", (), "is_bg", "row_first")])
    assert_program_solves("a85d4709", [_cell("a85d4709", ("row_first_at",), "any")])
    assert_program_solves("25d8a9c8", [_cell("25d8a9c8", ("row_uniform",), "any")])
    assert_program_solves("3bdb4ada", [_cell("3bdb4ada", ("in_component_row%2", "in_component_col%2"), "any")])
    assert_program_solves("a5f85a15", [_cell("a5f85a15", ("in_component_row%2",), "any")])
    assert_program_solves("ce9e57f2", [_cell("ce9e57f2", ("in_component_half_row",), "any")])
    assert_program_solves("d23f8c26", [_cell("d23f8c26", ("middle",), "any")])
    assert_program_solves("85c4e7cd", [_offered("85c4e7cd", "cell_rule(take=ring_reversed")])


def test_item_programs_solve_training_tasks():
    assert_program_solves("d2abd087", [_offered("d2abd087", "object_rule(size=6: paint 2, else paint 1")])
    assert_program_solves("694f12f3", [_offered("694f12f3", "object_rule(largest")])
    assert_program_solves("63613498", [_offered("63613498", "object_rule(shape_seen_before")])
    assert_program_solves("868de0fa", [_offered("868de0fa", "region_rule(")])
    assert_program_solves("9edfc990", [_offered("9edfc990", "region_rule(touches_1")])
    assert_program_solves("272f95fa", [_offered("272f95fa", "region_rule(sides")])
    assert_program_solves("ddf7fa4f", [_offered("ddf7fa4f", "object_rule(smallest False: paint_column_key")])
    assert_program_solves("aabf363d", [_offered("aabf363d", "object_rule(largest False: paint 0, True: paint_rarest")])


# --- 4. the family: silent where it does not apply, pure, and the search solves with it ---------------------

def test_family_is_silent_on_other_tasks():
    assert FAMILIES["traits"](ctx([([[1, 0]], [[0, 1], [1, 0]])])) == []          # other size
    assert FAMILIES["traits"](ctx([([[1, 0]], [[1, 0]])])) == []                  # nothing changes
    assert FAMILIES["traits"](task_ctx("007bbfb7")) == []




@pytest.mark.parametrize("task_id", ["a85d4709", "25d8a9c8", "d2abd087"])
def test_search_solves(task_id):
    assert_search_solves(task_id)
