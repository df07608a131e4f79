"""The program search end to end on ARC-AGI-1 training tasks (none from the dev set), and its guarantees:
hand-written programs solve their tasks, the search finds a solving program too, the same task gives
the same programs in the same order, test outputs are never read, the budget is respected."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.config import SearchConfig
from arcvdm.grids import grids_equal
from arcvdm.search.engine import context_of, rank_answers, run_program, search_task, search_views
from arcvdm.search.recode import colour_permutation
from arcvdm.splits import dev_task_ids
from arcvdm.tasks import Example, Task, load_dataset

# ARC-AGI-1 training tasks and a program written by hand in the DSL for each.
HAND = {
    "0520fde7": "combine(sep, and, 2)",      # AND of the two halves either side of the grey line
    "1b2d62fb": "combine(sep, nor, 8)",      # cells empty in both halves
    "28bf18c6": "crop | tile(1,2)",          # the one shape, twice side by side
    "3af2c5a8": "mirror(quad)",              # mirrored 2x2 tiling
    "9172f3a0": "scale_up(3)",               # each cell becomes a 3x3 block
    "6d0aefbc": "mirror(lr)",                # the grid and its mirror image
    "c8f0f002": "recolour(7->5)",            # orange becomes grey
    "3c9b0459": "rot180",
    "f2829549": "combine(sep, nor, 3)",      # cells empty in both halves, drawn green
    "11852cab": "sym_local(all, 0)",         # complete a symmetric shape inside its own box
}

# Tasks whose solution needs a fitted last step (not a name run_program can run): the search must find it.
FITTED = {
    "d4469b4b": "lookup(colours)",           # the output pattern is chosen by the input's colour
    "0d3d703e": "colour_map(1->5,2->6,3->4,4->3,5->1,6->2,8->9,9->8)",
    "53b68214": "continue_to(const 10, const 10)",  # a staircase (and a line) continued down to 10 rows
}

FAST = SearchConfig(max_depth=2, transpose=False, normalise_colours=False, max_applications=20000)


@pytest.fixture(scope="module")
def train_tasks() -> dict[str, Task]:
    tasks = {t.id: t for t in load_dataset("arc1-train").tasks if t.id in HAND or t.id in FITTED}
    dev = set(dev_task_ids())
    assert not dev & set(tasks), "the hand-solved tasks must stay outside the dev set"
    return tasks


def solves(task: Task, answers: list[list[np.ndarray]]) -> bool:
    """Every test output is among the answers (two attempts) given for it."""
    return all(any(grids_equal(a, ex.output) for a in answers[i][:2]) for i, ex in enumerate(task.test))


@pytest.mark.parametrize("task_id", sorted(HAND))
def test_hand_written_program_solves_the_task(train_tasks: dict[str, Task], task_id: str) -> None:
    task = train_tasks[task_id]
    ctx = context_of(task.public())
    for ex in task.train + task.test:
        assert grids_equal(run_program(ctx, HAND[task_id], ex.input), ex.output), f"{task_id}: {HAND[task_id]}"


@pytest.mark.parametrize("task_id", sorted(HAND))
def test_search_finds_a_solving_program(train_tasks: dict[str, Task], task_id: str) -> None:
    task = train_tasks[task_id]
    result = search_task(task.public(), FAST)
    assert result.fitted_all
    answers = [[grid for grid, _ in rank_answers(result, i)] for i in range(len(task.test))]
    assert solves(task, answers), f"{task_id}: top programs {[p.text for p in result.programs[:3]]}"


@pytest.mark.parametrize("task_id", sorted(FITTED))
def test_search_finds_fitted_last_steps(train_tasks: dict[str, Task], task_id: str) -> None:
    task = train_tasks[task_id]
    result = search_task(task.public(), FAST)
    assert result.programs[0].text == FITTED[task_id]
    answers = [[grid for grid, _ in rank_answers(result, i)] for i in range(len(task.test))]
    assert solves(task, answers)


def test_the_shortest_of_equivalent_programs_is_kept(train_tasks: dict[str, Task]) -> None:
    # "combine(sep, or, 3) | colour_map(0->3,3->0)" gives the same answer and is met first, one step longer
    result = search_task(train_tasks["f2829549"].public(), FAST)
    assert result.programs[0].text == "combine(sep, nor, 3)" and result.programs[0].length == 1


def test_unknown_primitive_name_is_an_error(train_tasks: dict[str, Task]) -> None:
    task = train_tasks["3c9b0459"]
    with pytest.raises(KeyError, match="no primitive named 'spin'"):
        run_program(context_of(task), "rot180 | spin", task.train[0].input)


def test_same_task_same_programs_in_the_same_order(train_tasks: dict[str, Task]) -> None:
    task = train_tasks["28bf18c6"].public()
    cfg = SearchConfig(max_depth=2, max_applications=6000)
    first, second = search_task(task, cfg), search_task(task, cfg)
    assert [p.text for p in first.programs] == [p.text for p in second.programs]
    assert first.to_json() == second.to_json()


def test_test_outputs_are_never_read(train_tasks: dict[str, Task]) -> None:
    task = train_tasks["1b2d62fb"]
    wrong = Task(task.id, task.train, tuple(Example(ex.input, np.zeros((1, 1), np.uint8)) for ex in task.test))
    cfg = SearchConfig(max_depth=2, max_applications=6000)
    assert search_task(task.public(), cfg).to_json() == search_task(wrong, cfg).to_json()


@pytest.mark.parametrize("max_states", [1, 3, 10])
def test_budget_is_respected(train_tasks: dict[str, Task], max_states: int) -> None:
    cfg = SearchConfig(max_depth=3, max_states=max_states)
    result = search_task(train_tasks["3af2c5a8"].public(), cfg)
    for view, n in result.expanded_per_view.items():
        assert n <= max_states, view
    assert result.expanded <= max_states * len(result.views)


def test_programs_ranked_shorter_first_and_answers_distinct(train_tasks: dict[str, Task]) -> None:
    result = search_task(train_tasks["1b2d62fb"].public(), SearchConfig(max_depth=2, max_applications=6000))
    lengths = [p.length for p in result.programs]
    assert lengths == sorted(lengths)
    grids = [g for g, _ in rank_answers(result, 0)]
    keys = {(g.shape, g.tobytes()) for g in grids}
    assert len(keys) == len(grids)


def test_views_are_undone_exactly(train_tasks: dict[str, Task]) -> None:
    task = train_tasks["3c9b0459"]
    views = search_views(task.public(), SearchConfig())
    assert [v.name for v in views][:2] == ["identity", "transpose"]
    rng = np.random.default_rng(0)
    g = rng.integers(0, 10, size=(3, 5)).astype(np.uint8)
    for view in views:
        assert np.array_equal(view.backward(view.forward(g, g), g), g), view.name
    table = colour_permutation(task)
    assert sorted(table.tolist()) == list(range(10))
    # every view's programs give the true answer back in the task's own frame
    result = search_task(task.public(), SearchConfig(max_depth=1))
    assert {p.view for p in result.programs} >= {"identity", "transpose"}
    for prog in result.programs:
        if prog.text == "rot180":
            assert grids_equal(prog.outputs[0], task.test[0].output), prog.view


def test_roles_view_renames_colours_per_example_and_decodes_with_the_test_input():
    from arcvdm.search.recode import role_permutation
    from arcvdm.tasks import Example

    # the two colours of each grid swap; which two colours changes from example to example
    pairs = [([[3, 3, 3], [3, 5, 3]], [[5, 5, 5], [5, 3, 5]]),
             ([[1, 7], [7, 7]], [[7, 1], [1, 1]]),
             ([[2, 2, 4], [2, 2, 2]], [[4, 4, 2], [4, 4, 4]])]
    task = Task("roles-toy", [Example(np.array(i, np.uint8), np.array(o, np.uint8)) for i, o in pairs],
                [Example(np.array([[6, 8, 8], [8, 8, 8]], np.uint8), None)])
    views = {v.name: v for v in search_views(task, SearchConfig())}
    assert "roles" in views
    ref = task.test[0].input
    assert role_permutation(ref)[8] == 0 and role_permutation(ref)[6] == 1  # most frequent first
    rng = np.random.default_rng(1)
    grid = rng.integers(0, 10, size=(4, 4)).astype(np.uint8)
    assert np.array_equal(views["roles"].backward(views["roles"].forward(grid, ref), ref), grid)
    result = search_task(task, SearchConfig(max_depth=1))
    answer = rank_answers(result, 0)[0][0]
    assert answer.tolist() == [[8, 6, 6], [6, 6, 6]]
    assert result.programs[0].view == "roles"
    # the identity view's colour map leaves the unseen colours 6 and 8 as they are: an answer equal to the
    # test input, where every demonstration changes its input, ranks after every other answer
    idle = [i for i, p in enumerate(result.programs) if np.array_equal(p.outputs[0], task.test[0].input)]
    assert idle and min(idle) > 0 and all(i in idle for i in range(min(idle), len(result.programs)))
    # one colour table for every example: no roles view (it would repeat a fixed renaming)
    same = Task("same-roles", task.train[:1], [Example(np.array([[3, 5, 3]], np.uint8), None)])
    assert "roles" not in [v.name for v in search_views(same, SearchConfig())]
    assert "roles" not in [v.name for v in search_views(task, SearchConfig(normalise_roles=False))]


def test_orient_views_turn_each_example_to_its_canonical_orientation_and_back():
    from arcvdm.search.recode import ORIENT_KEYS, canonical_d8
    from arcvdm.tasks import Example
    from arcvdm.views import View, apply_grid

    # one picture and its answer, shown turned a different way in each example: the output turned the
    # same way as its input is one constant grid in the canonical frame, and no program in the task's own
    base_in = np.zeros((5, 6), np.uint8)
    base_in[0, 0:3] = 4
    base_in[1, 0] = 4
    base_in[3, 4] = 2
    base_out = base_in.copy()
    base_out[2:4, 1:3] = 7
    examples = [Example(apply_grid(View(d8=d), base_in), apply_grid(View(d8=d), base_out)) for d in (0, 1, 6)]
    test_in = apply_grid(View(d8=3), base_in)
    task = Task("orient-toy", examples, [Example(test_in, None)])
    on = SearchConfig(max_depth=1)
    views = {v.name: v for v in search_views(task, on)}
    assert {"orient", "orient_marker"} <= set(views)
    for name, key in ORIENT_KEYS.items():
        canon = {apply_grid(View(d8=canonical_d8(ex.input, key)), ex.input).tobytes() for ex in task.train}
        assert len(canon) == 1, name  # every turn of one picture reaches the same canonical grid
    rng = np.random.default_rng(2)
    grid = rng.integers(0, 10, size=(3, 4)).astype(np.uint8)
    turned = [name for name in views if name.startswith("orient")]
    for name in turned:
        assert np.array_equal(views[name].backward(views[name].forward(grid, test_in), test_in), grid), name
    # no two orientation views turn every example alike (the second would repeat the first's search)
    turns = {name: tuple(canonical_d8(ex.input, ORIENT_KEYS[name]) for ex in task.train + task.test) for name in turned}
    assert len(set(turns.values())) == len(turned)
    result = search_task(task, on)
    answer = rank_answers(result, 0)[0][0]
    assert np.array_equal(answer, apply_grid(View(d8=3), base_out))
    assert result.programs[0].view in {"orient", "orient_marker"}
    # off when asked, and when every example already has one orientation
    assert "orient" not in [v.name for v in search_views(task, SearchConfig(normalise_orientation=False))]
    same = Task("one-turn", examples[:1] + [examples[0]], [Example(base_in, None)])
    assert "orient" not in [v.name for v in search_views(same, on)]


def test_orient_views_rank_after_programs_of_the_other_views(train_tasks: dict[str, Task]) -> None:
    task = train_tasks["3c9b0459"]  # rot180: found by the identity view
    result = search_task(task.public(), SearchConfig(max_depth=1, normalise_orientation=True))
    late = [i for i, p in enumerate(result.programs) if p.view.startswith("orient")]
    early = [i for i, p in enumerate(result.programs) if not p.view.startswith("orient")]
    assert early and result.programs[0].text == "rot180"
    assert late and min(late) > max(early)  # every view finds rot180 too; theirs come last


def test_roles_rare_view_names_the_rarest_colour_one_whatever_else_is_there():
    from arcvdm.search.recode import rare_role_permutation
    from arcvdm.tasks import Example

    # the answer is the colour seen once; the other colours, and how many there are, change
    def example(shape_colour: int, extra: int | None, single: int) -> Example:
        grid = np.zeros((6, 6), np.uint8)
        grid[0:3, 0:3] = shape_colour
        if extra is not None:
            grid[5, 0:3] = extra
        grid[4, 5] = single
        return Example(grid, np.array([[single]], np.uint8))

    task = Task("rare-toy", [example(3, None, 6), example(2, 7, 1), example(4, 9, 5)],
                [Example(example(8, 1, 2).input, None)])
    ref = task.test[0].input
    assert rare_role_permutation(ref)[2] == 1 and rare_role_permutation(ref)[0] == 0
    assert rare_role_permutation(ref)[1] == 2 and rare_role_permutation(ref)[8] == 3
    views = {v.name: v for v in search_views(task, SearchConfig())}
    assert views["roles_rare"].late and not views["roles"].late
    grid = np.random.default_rng(3).integers(0, 10, size=(3, 3)).astype(np.uint8)
    assert np.array_equal(views["roles_rare"].backward(views["roles_rare"].forward(grid, ref), ref), grid)
    # in the roles_rare frame every output is [[1]]: one constant, decoded with the test input's table
    result = search_task(task, SearchConfig(max_depth=1))
    rare = [p for p in result.programs if p.view == "roles_rare"]
    assert [p.text for p in rare] == ["constant(1)"]
    assert rare[0].outputs[0].tolist() == [[2]]


def test_a_late_view_never_outranks_a_program_of_the_other_views() -> None:
    from training_tasks import allowed_training_tasks

    # b27ca6d3: the identity view's only program is a right overlay of pieces; orient_wall finds a wrong
    # exact program. Late views only add candidates, so the overlay stays first.
    task = allowed_training_tasks()["b27ca6d3"]
    result = search_task(task.public(), SearchConfig(max_applications=30000))
    late = [i for i, p in enumerate(result.programs) if p.view in ("roles_rare", "orient", "orient_marker", "orient_wall")]
    early = [i for i, p in enumerate(result.programs) if i not in late]
    assert late and early and max(early) < min(late)
    assert result.programs[0].text.startswith("pieces(")
    assert grids_equal(rank_answers(result, 0)[0][0], task.test[0].output)


def test_a_family_that_raises_costs_its_own_primitives_not_the_search(monkeypatch) -> None:
    from arcvdm.search import registry
    from arcvdm.tasks import Example

    def broken(ctx):
        raise KeyError("a bug in one family")

    monkeypatch.setitem(registry.FAMILIES, "broken_for_test", broken)
    grid = np.array([[1, 2], [3, 4]], np.uint8)
    task = Task("flip-toy", [Example(grid, grid[:, ::-1].copy())], [Example(grid.T.copy(), None)])
    result = search_task(task, SearchConfig(max_depth=1))
    assert any(np.array_equal(a, grid.T[:, ::-1]) for a, _ in rank_answers(result, 0)[:2])
    assert result.errors >= len(result.views)  # the broken family, once per view searched


@pytest.mark.parametrize("task_id", ["d4f3cd78", "e179c5f4", "de1cd16c"])
def test_rejecting_a_state_at_its_first_failed_pair_changes_no_candidate(monkeypatch, task_id: str) -> None:
    """With no fitter gates (``registry.FITTER_GATES``) the engine calls every fitter on every state and makes
    every last-level state in full; with them it must find the same programs, only with fewer calls."""
    from arcvdm.search import engine
    from training_tasks import allowed_training_tasks

    task = allowed_training_tasks()[task_id].public()
    budget = SearchConfig(max_depth=2, max_applications=3000)  # reaches the last level, where states are dropped
    gated = search_task(task, budget)
    monkeypatch.setattr(engine, "FITTER_GATES", {})
    ungated = search_task(task, budget)
    assert gated.fingerprint() == ungated.fingerprint()
    assert gated.calls < ungated.calls


def test_remembered_pair_tests_change_no_candidate_and_save_gate_calls(monkeypatch) -> None:
    """A produced grid's gate results are remembered per content (``engine._pair_tests``): the same programs
    and primitive calls as testing every produced grid afresh, with fewer gate calls."""
    from arcvdm.search import engine
    from training_tasks import allowed_training_tasks

    task = allowed_training_tasks()["d4f3cd78"].public()
    budget = SearchConfig(max_depth=2, max_applications=3000)
    asked = []

    def counted(name, gate):
        def test(produced, output):
            asked.append(name)
            return gate(produced, output)
        return test

    monkeypatch.setattr(engine, "FITTER_GATES", {n: counted(n, g) for n, g in engine.FITTER_GATES.items()})
    remembered = search_task(task, budget)
    with_memo = len(asked)
    asked.clear()
    monkeypatch.setattr(engine, "PAIR_MEMO_SIZE", 0)
    afresh = search_task(task, budget)
    assert remembered.fingerprint() == afresh.fingerprint()
    assert remembered.calls == afresh.calls
    assert 0 < with_memo < len(asked)
