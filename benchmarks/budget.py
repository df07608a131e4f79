"""Accuracy of the search against its budget: applications, depth and search views, from one search per task.

Each task of the fixed lists (``fingerprint.task_lists``: the dev set and 100 allowed training tasks, never an
evaluation set) is searched once at the largest budget with ``search_sweep``, which records on the way what
the search would have returned at every smaller budget (``--budgets``, counts of applications), at every depth
up to ``max_depth``, and with fewer search views (cumulative groups in rank order: identity, + transpose,
+ colours, + roles, + orientations). Each reading equals the search run with that setting
(``tests/search/test_sweep.py``), so one run gives the whole table. Two attempts per test output come from
``benchmarks/search.py``'s ``two_attempts``; scored by the ARC Prize rule.

Seconds are CPU seconds of the search up to each reading (``time.process_time``, one thread); a shallower
reading's seconds are an upper bound (the real shallower search checks its last level more cheaply). Run it
alone on the machine for seconds worth writing down; the answers are counts and do not depend on load.

Each finished task is written to ``<out>/<list>/<task>.json`` at once, so the same command resumes.

    OMP_NUM_THREADS=1 python benchmarks/budget.py --lists dev,train100 --budgets 10000,30000,100000,300000 --workers 2

Expected runtime: about the search recipe's time per task at the largest budget (~30 s at 300000), per
task, divided by the workers.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fingerprint import task_lists, training_tasks  # noqa: E402  (benchmarks/fingerprint.py)
from search import parse_set, two_attempts  # noqa: E402  (benchmarks/search.py: the --set parser, the attempts rule)

# search views grouped by the SearchConfig flag that adds them, in rank order
VIEW_GROUPS = {
    "identity": ("identity",),
    "+transpose": ("transpose",),
    "+colours": ("colours",),
    "+roles": ("roles", "roles_rare"),
    "+orientations": ("orient", "orient_marker", "orient_wall"),
}


def view_prefixes(names: list[str]) -> dict[str, int]:
    """For each cumulative view group, how many of this task's views (a prefix, in rank order) it keeps."""
    group_of = {name: i for i, members in enumerate(VIEW_GROUPS.values()) for name in members}
    unknown = [n for n in names if n not in group_of]
    if unknown:
        raise SystemExit(f"error: search views {unknown} belong to no group of VIEW_GROUPS; add them")
    return {label: sum(group_of[n] <= i for n in names) for i, label in enumerate(VIEW_GROUPS)}


def _run_one(job: tuple[str, dict, list[int]]) -> dict:
    task_id, overrides, budgets = job
    from arcvdm.config import SearchConfig
    from arcvdm.grids import grids_equal
    from arcvdm.search.engine import search_sweep

    task = training_tasks()[task_id]
    cfg = SearchConfig(**overrides)
    start = time.process_time()
    sweep = search_sweep(task.public(), cfg, budgets)
    total = time.process_time() - start
    readings = []
    for depth in range(1, cfg.max_depth + 1):
        for budget in sorted(set(budgets) | {cfg.max_applications}):
            for label, n in view_prefixes([v.name for v in sweep.views]).items():
                result = sweep.result(depth, budget, n)
                solved = [any(grids_equal(g, ex.output) for g in pair) for pair, ex in zip(two_attempts(result, task), task.test)]
                readings.append({"depth": depth, "budget": budget, "views": label, "solved": solved,
                                 "seconds": round(sweep.seconds(depth, budget, n), 3), "fingerprint": result.fingerprint()})
    return {"task": task_id, "seconds": round(total, 3), "readings": readings}


def table(records: dict[str, dict[str, dict]]) -> list[str]:
    """Markdown rows: one per (depth, budget, views), with each list's pass@2 and the seconds over all tasks."""
    first = next(iter(next(iter(records.values())).values()))
    settings = [(r["depth"], r["budget"], r["views"]) for r in first["readings"]]
    header = "| depth | budget | views | " + " | ".join(f"{name} pass@2 (outputs)" for name in records)
    lines = [header + " | median s | mean s | max s |", "|---" * (6 + len(records)) + "|"]
    for k, (depth, budget, views) in enumerate(settings):
        cells, seconds = [], []
        for recs in records.values():
            per_task = [rec["readings"][k] for rec in recs.values()]
            prize = sum(sum(r["solved"]) / len(r["solved"]) for r in per_task) / len(per_task)
            solved = sum(sum(r["solved"]) for r in per_task)
            outputs = sum(len(r["solved"]) for r in per_task)
            cells.append(f"{prize:.1%} ({solved}/{outputs})")
            seconds += [r["seconds"] for r in per_task]
        lines.append(f"| {depth} | {budget} | {views} | " + " | ".join(cells)
                     + f" | {statistics.median(seconds):.2f} | {statistics.mean(seconds):.2f} | {max(seconds):.1f} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", default="dev,train100", help="comma-separated task lists (dev, train100)")
    parser.add_argument("--budgets", default="10000,30000,100000,300000",
                        help="applications budgets to read (the largest is searched; the others read on the way)")
    parser.add_argument("--set", action="append", default=[], help="other SearchConfig overrides key=value")
    parser.add_argument("--limit", type=int, default=None, help="first N tasks of each list")
    parser.add_argument("--workers", type=int, default=1, help="processes (one thread each)")
    parser.add_argument("--out", type=Path, default=Path("scratch/budget"), help="per-task results (resumable)")
    parser.add_argument("--views", default=None, help="only rows with these view groups (comma-separated)")
    args = parser.parse_args(argv)

    budgets = sorted({int(b) for b in args.budgets.split(",")})
    overrides = parse_set(args.set)
    if "max_applications" in overrides:
        raise SystemExit("error: the largest of --budgets is the search's max_applications; do not --set it")
    overrides["max_applications"] = budgets[-1]
    lists = task_lists()
    unknown = [name for name in args.lists.split(",") if name not in lists]
    if unknown:
        raise SystemExit(f"error: unknown task list(s) {unknown}; known: {sorted(lists)}")
    config = {"overrides": overrides, "budgets": budgets}
    records: dict[str, dict[str, dict]] = {}
    jobs = []
    for name in args.lists.split(","):
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        stamp = folder / "config.json"
        if stamp.is_file() and json.loads(stamp.read_text()) != config:
            raise SystemExit(f"error: {folder} holds results of another setting ({stamp}); pass another --out")
        stamp.write_text(json.dumps(config))
        records[name] = {}
        for tid in lists[name][: args.limit]:
            path = folder / f"{tid}.json"
            if path.is_file():
                records[name][tid] = json.loads(path.read_text())
            else:
                jobs.append((name, tid))
    print(f"{sum(len(r) for r in records.values())} tasks done before, {len(jobs)} to search", flush=True)
    work = [(tid, overrides, budgets) for _name, tid in jobs]
    with multiprocessing.Pool(args.workers) as pool:
        for (name, tid), rec in zip(jobs, pool.imap(_run_one, work)):
            (args.out / name / f"{tid}.json").write_text(json.dumps(rec))
            records[name][tid] = rec
            done = sum(len(r) for r in records.values())
            print(f"[{done}] {name} {tid}: {rec['seconds']:.1f} s", flush=True)
    lines = table(records)
    if args.views:
        keep = set(args.views.split(","))
        lines = lines[:2] + [line for line in lines[2:] if line.split(" | ")[2] in keep]
    print("\n".join(lines))
    print(f"\ncommand: python benchmarks/budget.py {' '.join(sys.argv[1:] if argv is None else argv)}")


if __name__ == "__main__":
    main()
