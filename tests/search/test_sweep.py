"""``search_sweep`` reads one search at smaller budgets, shallower depths and fewer views: each reading must be
exactly what ``search_task`` returns when run with that budget, depth and views (the budget sweep of
``benchmarks/budget.py`` rests on it)."""

from __future__ import annotations

import dataclasses

import pytest

from arcvdm.config import SearchConfig
from arcvdm.search.engine import search_sweep, search_task

from training_tasks import allowed_training_tasks

CFG = SearchConfig(max_applications=3000)
BUDGETS = [150, 600, 1500, 3000]
IDENTITY_ONLY = dict(transpose=False, normalise_colours=False, normalise_roles=False, normalise_orientation=False)


@pytest.mark.parametrize("task_id", ["aabf363d", "d9fac9be"])
def test_every_reading_equals_the_search_run_with_that_budget(task_id: str) -> None:
    task = allowed_training_tasks()[task_id].public()
    sweep = search_sweep(task, CFG, BUDGETS)
    readings = set()
    for depth in (1, 2, 3):
        for budget in BUDGETS:
            for views, flags in ((1, IDENTITY_ONLY), (None, {})):
                direct = search_task(task, dataclasses.replace(CFG, max_depth=depth, max_applications=budget, **flags))
                read = sweep.result(depth, budget, views)
                where = f"{task_id} depth {depth} budget {budget} views {views}"
                assert read.fingerprint() == direct.fingerprint(), where
                assert (read.applications, read.expanded, read.views) == (direct.applications, direct.expanded, direct.views), where
                readings.add(read.fingerprint())
                assert 0 < sweep.seconds(depth, budget, views) <= sweep.seconds(3, 3000) + 1e-9
    assert len(readings) >= 3, "the budgets and depths should change the candidates on this task (else the test proves nothing)"


def test_full_reading_is_the_search_itself() -> None:
    task = allowed_training_tasks()["aabf363d"].public()
    assert search_sweep(task, CFG, [3000]).result(3, 3000).fingerprint() == search_task(task, CFG).fingerprint()


def test_bad_budgets_and_readings_name_the_value() -> None:
    task = allowed_training_tasks()["aabf363d"].public()
    with pytest.raises(ValueError, match="sweep budget 5000"):
        search_sweep(task, CFG, [5000])
    with pytest.raises(ValueError, match="sweep budget 0"):
        search_sweep(task, CFG, [0])
    sweep = search_sweep(task, dataclasses.replace(CFG, max_depth=2, max_applications=600), [150])
    with pytest.raises(ValueError, match="budget 300 was not swept"):
        sweep.result(2, 300)
    with pytest.raises(ValueError, match="depth 3"):
        sweep.result(3, 150)
    with pytest.raises(ValueError, match="views=9"):
        sweep.result(1, 150, views=9)
