"""Why tasks failed: classify each test output of a finished run by the kind of error.

    python benchmarks/analyse.py runs/bench/arc1-dev/default arc1-dev

For each test output: solved (either attempt), wrong size (attempt_1's shape differs from the
answer's), or right size with some cells wrong (with the fraction of wrong cells), plus whether the
model merely copied the test input. Prints counts and a per-task table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from arcvdm.results import TaskResult
from arcvdm.sources import load_tasks


def main(run_dir: str, source: str) -> None:
    tasks = {t.id: t for t in load_tasks(source).tasks}
    counts = {"solved": 0, "wrong size": 0, "right size, wrong cells": 0}
    copied = 0
    wrong_fracs = []
    rows = []
    for path in sorted(Path(run_dir, "results").glob("*.json")):
        result = TaskResult.from_json(json.loads(path.read_text()))
        task = tasks[result.task_id]
        for i, (pred, ex) in enumerate(zip(result.predictions, task.test)):
            truth = ex.output
            a1 = pred.attempt_1
            solved = any(a.shape == truth.shape and np.array_equal(a, truth) for a in (pred.attempt_1, pred.attempt_2))
            if solved:
                kind = "solved"
            elif a1.shape != truth.shape:
                kind = "wrong size"
            else:
                kind = "right size, wrong cells"
                wrong_fracs.append(float((a1 != truth).mean()))
            if a1.shape == ex.input.shape and np.array_equal(a1, ex.input):
                copied += 1
            counts[kind] += 1
            top = pred.candidates[0].votes if pred.candidates else 0
            total = sum(c.votes for c in pred.candidates)
            rows.append(f"| {result.task_id} #{i} | {kind} | {truth.shape[0]}x{truth.shape[1]} | {a1.shape[0]}x{a1.shape[1]} | {top}/{total} | {len(pred.candidates)} |")
    n = sum(counts.values())
    print(f"{n} test outputs: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; attempt_1 = test input copied: {copied}")
    if wrong_fracs:
        print(f"right-size failures: median fraction of wrong cells {np.median(wrong_fracs):.3f}")
    print("| task | outcome | true size | attempt_1 size | winner votes | distinct candidates |\n|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
