"""Accuracy / time / memory of the embedded default, with the ablations of issue 4.

Each ablation is the default recipe plus `--set` overrides, run as its own `arcvdm eval` process
(so peak memory is per configuration) into runs/bench/<dataset>/<name>; finished tasks are reused
when the command is run again. Prints a markdown table to paste into benchmarks/RESULTS.md.

    python benchmarks/embedded.py --dataset arc1-dev --limit 16 --jobs 2
    python benchmarks/embedded.py --dataset arc1-eval --limit 20 --only default

Expected runtime: about (tasks x 30 s) per configuration; --jobs 2 runs two configurations at
once with one torch thread each (threads are never oversubscribed: that runs 10x slower).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ABLATIONS: dict[str, list[str]] = {
    "default": [],
    "frozen-no-lora": ["lora.rank=0"],
    "one-step-sampling": ["sample.num_steps=1"],
    "lora-no-views": ["views.num_views=1"],
    "no-context": ["video.context=0"],
    "random-init": ['backbone.name="embedded-random"'],
    "train-100-steps": ["train.steps=100"],
    "train-600-steps": ["train.steps=600"],
}


def command(dataset: str, name: str, limit: int | None, root: Path, threads: int) -> list[str]:
    cmd = [sys.executable, "-m", "arcvdm.cli", "--threads", str(threads), "eval", dataset, "--quiet", "--out", str(root / name)]
    if limit:
        cmd += ["--limit", str(limit)]
    for item in ABLATIONS[name]:
        cmd += ["--set", item]
    return cmd


def near_misses(run_dir: Path, dataset: str, task_ids: set[str]) -> tuple[str, str]:
    """(outputs with attempt_1 of the right size, mean cell accuracy of those): finer than pass@2.
    Only ``task_ids`` count (a run folder may hold more tasks from a larger run)."""
    import numpy as np

    from arcvdm.results import TaskResult
    from arcvdm.sources import load_tasks

    tasks = {t.id: t for t in load_tasks(dataset).tasks}
    sized, total, accuracies = 0, 0, []
    for path in sorted((run_dir / "results").glob("*.json")):
        result = TaskResult.from_json(json.loads(path.read_text()))
        if result.task_id not in task_ids:
            continue
        for pred, ex in zip(result.predictions, tasks[result.task_id].test):
            total += 1
            if pred.attempt_1.shape == ex.output.shape:
                sized += 1
                accuracies.append(float((pred.attempt_1 == ex.output).mean()))
    accuracy = f"{np.mean(accuracies):.1%}" if accuracies else "-"
    return f"{sized}/{total}", accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="arc1-dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--only", default=",".join(ABLATIONS), help="comma-separated ablation names")
    parser.add_argument("--jobs", type=int, default=1, help="configurations run at once")
    parser.add_argument("--threads", type=int, default=None, help="torch threads per configuration (default: 2 // jobs)")
    args = parser.parse_args()
    names = args.only.split(",")
    root = Path("runs/bench") / args.dataset
    pending = list(names)
    running: list[tuple[str, subprocess.Popen]] = []
    start = time.time()
    root.mkdir(parents=True, exist_ok=True)
    while pending or running:  # finished configurations are reused: their run folders resume
        while pending and len(running) < args.jobs:
            name = pending.pop(0)
            log = open(root.parent / f"{args.dataset}-{name}.log", "w")
            running.append((name, subprocess.Popen(command(args.dataset, name, args.limit, root, args.threads or max(1, 2 // args.jobs)), stdout=log, stderr=subprocess.STDOUT)))
        time.sleep(2)
        running = [(n, p) for n, p in running if p.poll() is None]
    print("| configuration | pass@2 (ARC Prize) | solved outputs | attempt_1 right size | cell accuracy when right size | median s/task | total s | peak MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for name in names:
        summary_path = root / name / "summary.json"
        if not summary_path.is_file():
            print(f"| {name} | (no summary: see {root.parent / f'{args.dataset}-{name}.log'}) | | | | |")
            continue
        s = json.loads(summary_path.read_text())
        solved = sum(sum(v) for v in s.get("solved", {}).values())
        outputs = sum(len(v) for v in s.get("solved", {}).values())
        sized, accuracy = near_misses(root / name, args.dataset, set(s.get("solved", {})))
        print(
            f"| {name} `{' '.join(ABLATIONS[name]) or '-'}` | {s.get('arc_prize_score', 0):.1%} | {solved}/{outputs} | "
            f"{sized} | {accuracy} | {s['seconds_median']:.1f} | {s['seconds_total']:.0f} | {s.get('peak_memory_mb', 0):.0f} |"
        )
    print(f"\n{args.dataset}, {args.limit or 'all'} tasks; wall clock {time.time() - start:.0f} s; command: "
          f"python benchmarks/embedded.py --dataset {args.dataset}" + (f" --limit {args.limit}" if args.limit else "")
          + f" --only {args.only} --jobs {args.jobs}")


if __name__ == "__main__":
    main()
