"""Pattern completion (complete.py): symmetries about any axis or centre, sheared lattices, continued bands
and runs, grown shapes, on literal grids; hand-written programs that solve ARC-AGI-1 training tasks; the
family's gating; and tasks the search now solves."""

import numpy as np
import pytest

from arcvdm.search.dsl import Primitive
from arcvdm.search.families import complete
from arcvdm.search.families.complete import lattice, symmetry
from arcvdm.search.registry import FAMILIES

from training_tasks import (
    assert_program_solves,
    assert_search_solves,
    ctx,
    g,
    task_ctx,
)


def prim(name, fn, *args, **kwargs):
    return Primitive(name, lambda grid: fn(grid, *args, **kwargs))


# --- 1. symmetries found anywhere -----------------------------------------------------------------------

def test_mirror_axis_off_centre_fills_the_hole():
    # a shape symmetric about the axis between columns 1 and 2 (not the grid's centre); 9 hides two cells
    grid = g([[1, 2, 2, 1, 0, 0],
              [3, 9, 4, 3, 0, 0],
              [1, 9, 2, 1, 0, 0]])
    assert complete.sym_complete(grid, "mirror", 9).tolist() == [
        [1, 2, 2, 1, 0, 0],
        [3, 4, 4, 3, 0, 0],
        [1, 2, 2, 1, 0, 0]]
    assert complete.sym_complete(grid, "mirror", 9, hidden=True).tolist() == [[4], [2]]


def test_quarter_turn_about_a_point_between_cells():
    # turns onto itself about (0.5, 0.5); the 9 cell is the image of the 5 at (0, 0)
    grid = g([[5, 6, 0],
              [9, 5, 0],
              [0, 0, 0]])
    assert symmetry.all_symmetries(grid, grid != 9)["rot90"] is not None
    assert complete.sym_complete(grid, "rot", 9).tolist() == [[5, 6, 0], [6, 5, 0], [0, 0, 0]]


def test_symmetry_scores_match_a_direct_count():
    rng = np.random.default_rng(1)
    for _ in range(20):
        h, w = (int(v) for v in rng.integers(2, 7, 2))
        grid = rng.integers(0, 3, (h, w)).astype(np.uint8)
        grid = np.maximum(grid, grid[::-1, ::-1])            # a half turn about the centre
        known = rng.random((h, w)) > 0.25
        found = symmetry.all_symmetries(grid, known)
        for kind in symmetry.KINDS:
            assert found[kind] == _direct_best(grid, known, kind), kind


def _direct_best(grid, known, kind):
    h, w = grid.shape
    need = max(1, int(symmetry.MIN_SHARE * known.sum()))
    best, best_agree = None, -1
    for a, b in symmetry._parameters(kind, h, w):
        agree = clash = 0
        for y, x in zip(*np.nonzero(known)):
            ty, tx = symmetry._image(kind, a, b, np.array(y), np.array(x))
            if (ty, tx) == (y, x) or not (0 <= ty < h and 0 <= tx < w) or not known[ty, tx]:
                continue
            if grid[ty, tx] == grid[y, x]:
                agree += 1
            else:
                clash += 1
        if clash == 0 and agree >= need and agree > best_agree:
            best, best_agree = (a, b), agree
    return best


def test_each_object_is_completed_about_its_own_axis():
    grid = g([[0, 0, 0, 0, 0, 0, 0, 0],
              [0, 1, 2, 1, 0, 0, 0, 0],
              [0, 3, 4, 5, 0, 7, 7, 0],
              [0, 0, 0, 0, 0, 6, 5, 0],
              [0, 0, 0, 0, 0, 0, 0, 0]])
    out = complete.sym_complete_objects(grid, "mirror", 5)
    assert out[2, 3] == 3 and out[3, 6] == 6                               # two shapes, two axes
    assert complete.sym_complete_objects(grid, "mirror", 0) is None        # the hole is the background


def test_auto_hole_is_the_rarest_colour_that_can_be_filled():
    # 5 is rarest but the lattice cannot explain the rest without it; hiding 3 (a scrap) fills the stripes
    grid = g([[1, 2, 1, 2, 1, 2],
              [1, 2, 1, 3, 3, 2],
              [1, 2, 1, 3, 3, 2]])
    assert complete.lattice_fill(grid, "auto").tolist() == [[1, 2] * 3] * 3
    assert complete.lattice_fill(grid, "auto", hidden=True).tolist() == [[2, 1], [2, 1]]
    mirrored = g([[4, 6, 6, 4], [7, 6, 9, 7]])                               # 9: the rarest colour
    assert complete.sym_complete(mirrored, "mirror", "auto").tolist() == [[4, 6, 6, 4], [7, 6, 6, 7]]


def test_cover_is_one_solid_rectangle():
    assert complete.cover_colour(g([[0, 0, 0], [0, 4, 4], [1, 4, 4]])) == 4
    assert complete.cover_colour(g([[0, 0, 0], [0, 4, 4], [1, 4, 1]])) is None   # 1 is not solid, 4 not a box
    assert complete.cover_colour(g([[0, 0], [0, 0]])) is None


def test_unfillable_hole_and_no_symmetry_give_none():
    assert complete.sym_complete(g([[1, 2], [3, 4]]), "all", 9) is None        # no hole
    assert complete.sym_complete(g([[1, 2, 3, 9]]), "mirror", 9) is None       # nothing mirrors
    with pytest.raises(ValueError, match="kind"):
        symmetry._image("spiral", 0, 0, np.array([0]), np.array([0]))


def test_grown_shape_is_painted():
    grid = g([[0, 0, 0, 0],
              [0, 3, 3, 0],
              [0, 3, 0, 0],
              [0, 0, 0, 0]])
    assert complete.sym_grow(grid, "mirror", 7).tolist() == [
        [0, 0, 0, 0],
        [0, 3, 3, 0],
        [0, 3, 7, 0],
        [0, 0, 0, 0]]
    assert complete.sym_grow(g([[0, 0], [0, 0]]), "all", None) is None


# --- 2. lattices, bands and runs ----------------------------------------------------------------------------

def test_brick_lattice_fills_hole():
    # rows repeat every 3 columns and each row is the one above shifted right by one: a diagonal pattern
    grid = g([[1, 2, 3, 1, 2, 3],
              [3, 1, 2, 0, 0, 2],
              [2, 3, 1, 0, 0, 1]])
    assert complete.lattice_fill(grid, 0).tolist() == [
        [1, 2, 3, 1, 2, 3],
        [3, 1, 2, 3, 1, 2],
        [2, 3, 1, 2, 3, 1]]
    assert complete.lattice_fill(grid, 0, hidden=True).tolist() == [[3, 1], [2, 3]]
    assert lattice.lattice_classes(2, 4, 1, 2, 1).tolist() == [[0, 1, 0, 1], [1, 0, 1, 0]]


def test_noisy_lattice_fills_and_repairs():
    # a 2-column stripe pattern; one cell (5) spoils it, and 0 hides two cells
    grid = g([[1, 2, 1, 2, 1, 2],
              [1, 2, 5, 2, 1, 2],
              [1, 2, 1, 2, 0, 0],
              [1, 2, 1, 2, 1, 2]])
    filled = complete.lattice_fill(grid, 0, noise=complete.NOISE)
    assert filled[2].tolist() == [1, 2, 1, 2, 1, 2] and filled[1, 2] == 5  # known cells stay
    repaired = complete.lattice_repair(np.where(grid == 0, 1, grid).astype(np.uint8))
    assert repaired is not None and repaired[1, 2] == 1
    assert complete.lattice_repair(g([[1, 2], [3, 4]])) is None


def test_lattice_continues_a_drawn_band():
    grid = g([[1, 2, 1, 2, 0, 0, 0],
              [3, 3, 3, 3, 0, 0, 0]])
    assert complete.lattice_continue(grid, "cols").tolist() == [[1, 2, 1, 2, 1, 2, 1], [3] * 7]
    assert complete.lattice_continue(g([[1, 2], [3, 4]]), "cols") is None     # nothing to continue


def test_band_repeats_edge_to_edge():
    grid = g([[0, 0], [0, 0], [4, 5], [6, 6], [0, 0]])
    assert complete.band_repeat(grid, "rows").tolist() == [[4, 5], [6, 6], [4, 5], [6, 6], [4, 5]]


def test_a_drawn_box_is_continued_all_around():
    grid = g([[0, 0, 0, 0, 0],
              [0, 1, 2, 0, 0],
              [0, 3, 4, 0, 0],
              [0, 0, 0, 0, 0]])
    assert complete.band_repeat(grid, "both").tolist() == [
        [4, 3, 4, 3, 4],
        [2, 1, 2, 1, 2],
        [4, 3, 4, 3, 4],
        [2, 1, 2, 1, 2]]
    assert complete.band_repeat(g([[1, 2], [3, 4]]), "both") is None         # the block is the grid


def test_runs_continue_along_their_lines():
    grid = g([[0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
              [2, 3, 4, 0, 0],
              [0, 0, 0, 0, 0]])
    assert complete.extend_runs(grid)[3].tolist() == [2, 3, 4, 2, 3]
    assert complete.extend_runs(g([[1, 0, 1, 0]])) is None                    # cells, not one run


# --- 3. hand-written programs on training tasks -------------------------------------------------------------

def test_programs_solve_training_tasks():
    assert_program_solves("3345333e", [prim("c", complete.sym_complete, "mirror", "cover")])
    assert_program_solves("9ecd008a", [prim("c", complete.sym_complete, "mirror", 0, hidden=True)])
    assert_program_solves("0dfd9992", [prim("c", complete.sym_complete, "rot", 0)])
    assert_program_solves("1b60fb0c", [prim("c", complete.sym_grow, "rot", 2)])
    assert_program_solves("05269061", [prim("c", complete.lattice_fill, 0)])
    assert_program_solves("d8c310e9", [prim("c", complete.lattice_continue, "cols")])
    assert_program_solves("8eb1be9a", [prim("c", complete.band_repeat, "rows")])
    assert_program_solves("e21d9049", [Primitive("c", complete.extend_runs)])


# --- 4. the family: gated on the demonstrations, pure, and the search solves with it --------------------------

def test_family_offers_only_what_reproduces():
    names = [p.name for p in FAMILIES["complete"](task_ctx("1b60fb0c"))]
    assert names == ["sym_grow(rot, paint=2)"]
    assert FAMILIES["complete"](ctx([([[1, 0, 0]], [[0, 0, 1]])])) == []    # a move, not a completion
    assert FAMILIES["complete"](ctx([([[1, 2]], [[3]])])) == []


def test_partly_right_first_steps_are_offered():
    # the hole is filled by the mirror, but the output also recolours 3 -> 4: a first step, not the program
    pairs = [([[1, 2, 2, 1], [3, 0, 5, 3]], [[1, 2, 2, 1], [4, 5, 5, 4]]),
             ([[6, 0, 7, 6], [1, 2, 0, 1]], [[6, 7, 7, 6], [1, 2, 2, 1]])]
    c = ctx(pairs, tests=[[[2, 0, 8, 2], [3, 3, 3, 3]]])
    mirror = Primitive("m", lambda grid: complete.sym_complete(grid, "mirror", 0))
    assert complete.partly_right(mirror, c) and not complete.reproduces(mirror, c)
    names = [p.name for p in FAMILIES["complete"](c)]
    assert "sym_complete(mirror, hole=0)" in names and len(names) <= complete.MAX_PRIMS
    # other-size: the hidden part has the output's shape (a colour map may still be needed)
    hidden = Primitive("h", lambda grid: complete.sym_complete(grid, "mirror", 0, hidden=True))
    c = ctx([([[1, 2, 2, 1], [3, 0, 5, 3]], [[6]])])
    assert complete.partly_right(hidden, c) and not complete.reproduces(hidden, c)




@pytest.mark.parametrize("task_id", ["1b60fb0c", "7447852a", "d8c310e9"])
def test_search_solves(task_id):
    assert_search_solves(task_id)


def test_a_full_symmetry_cache_is_emptied_without_losing_the_kinds_asked(monkeypatch):
    # a grid whose "lr" answer is cached when the cache reaches its size, then asked for "lr" and "ud":
    # emptying the cache between "what is missing" and "answer" raised KeyError on a training task
    from arcvdm.search.families.complete import symmetry as complete_symmetry

    monkeypatch.setattr(complete_symmetry, "_SYMMETRY_CACHE", {})
    monkeypatch.setattr(complete_symmetry, "SYMMETRY_CACHE_SIZE", 4)
    grid = g([[1, 2, 2, 1],
              [3, 0, 0, 3]])
    known = np.ones(grid.shape, dtype=bool)
    expected = complete_symmetry.all_symmetries(grid, known, ("lr", "ud"))
    complete_symmetry._SYMMETRY_CACHE.clear()
    complete_symmetry.all_symmetries(grid, known, ("lr",))
    for n in range(4):  # other grids fill the cache past its size, "lr" of grid still in it
        complete_symmetry.all_symmetries(np.full((2, 2), n, np.uint8), known[:2, :2], ("ud",))
    assert len(complete_symmetry._SYMMETRY_CACHE) > complete_symmetry.SYMMETRY_CACHE_SIZE
    assert complete_symmetry.all_symmetries(grid, known, ("lr", "ud")) == expected
    assert expected["lr"] is not None
