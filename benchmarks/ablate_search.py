"""What one search feature adds: re-search the tasks of a finished ``search`` run whose programs use it, with
the feature off, and count the tasks solved (pass@2) with and without it.

    python benchmarks/ablate_search.py runs/bench/arc1-eval/search arc1-eval
    python benchmarks/ablate_search.py runs/bench/arc1-dev/search arc1-dev --feature pieces

Features: ``normalise_roles`` (the per-example colour-roles views: tasks with a program found in the
``roles`` or ``roles_rare`` view), ``normalise_orientation`` (the views turning each example to a canonical
orientation: tasks with a program found in an ``orient*`` view) and ``pieces`` (overlays of
partial programs: tasks with a ``pieces(...)`` program). A task that uses none keeps its answers when the
feature is off (views only add programs; pieces are made only when a view finds no program), so the
difference on these tasks is the feature's whole effect.
Measurement only: the run's answers are compared with the dataset's solutions, nothing is tuned.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from arcvdm.config import SearchConfig
from arcvdm.grids import grids_equal
from arcvdm.search import engine
from arcvdm.sources import load_tasks
from arcvdm.tasks import Task

USES = {
    "normalise_roles": lambda program: program["view"] in ("roles", "roles_rare"),
    "normalise_orientation": lambda program: program["view"].startswith("orient"),
    "pieces": lambda program: program["text"].startswith("pieces("),
}


def solved(result: engine.SearchResult, task: Task) -> bool:
    """Every test output among the first two distinct answers."""
    if not result.programs:
        return False
    for ti, ex in enumerate(task.test):
        answers = [grid for grid, _ in engine.rank_answers(result, ti)][:2]
        if not any(grids_equal(a, ex.output) for a in answers):
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="a finished run folder of the search recipe (results/<task>.json)")
    parser.add_argument("dataset", help="the task source the run used (e.g. arc1-eval)")
    parser.add_argument("--feature", action="append", choices=sorted(USES), help="default: every feature")
    args = parser.parse_args()
    tasks = {t.id: t for t in load_tasks(args.dataset).tasks}
    for feature in args.feature or sorted(USES):
        using, with_it, without = 0, 0, 0
        for path in sorted((args.run / "results").glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            if not any(USES[feature](p) for p in record["search"].get("programs", [])):
                continue
            task = tasks[record["task_id"]]
            using += 1
            with_it += solved(engine.search_task(task.public(), SearchConfig()), task)
            without += solved(engine.search_task(task.public(), SearchConfig(**{feature: False})), task)
        print(f"{args.dataset} {feature}: {using} task(s) use it; solved with it {with_it}, without it {without}")


if __name__ == "__main__":
    main()
