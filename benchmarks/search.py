"""Accuracy / time / memory of the program search alone (arcvdm.search), on one dataset.

For each task: ``search_task`` on the public task (test outputs removed), two attempts per test input
from ``rank_answers`` (the test input itself fills a missing attempt), scored by
``arcvdm.submission.score`` (the ARC Prize rule). Each finished task is written to
``<out>/<task>.json`` at once, so running the same command again resumes; the figures are recomputed
from every task file of the selection. Prints the figures and a markdown table row for RESULTS.md.

    OMP_NUM_THREADS=1 python benchmarks/search.py --dataset arc1-dev
    OMP_NUM_THREADS=1 python benchmarks/search.py --dataset arc1-eval --start 101 --limit 300
    OMP_NUM_THREADS=1 python benchmarks/search.py --dataset arc2-eval --limit 40 --set max_depth=2

Seconds are CPU seconds of the search process (``time.process_time``), so a busy machine slows the
figure less than wall time would; the budget itself is a count, so the answers do not depend on it.
Expected runtime with the defaults: ~10 s per task on one core.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from arcvdm.config import SearchConfig
from arcvdm.grids import Grid, as_grid, grids_equal, to_list
from arcvdm.search.engine import SearchResult, rank_answers, search_task
from arcvdm.submission import answers_from_tasks, entry, score
from arcvdm.sources import load_dataset
from arcvdm.tasks import Task


def parse_set(items: list[str]) -> dict:
    """``key=value`` overrides of SearchConfig fields (values parsed as JSON: 2, true, 500)."""
    names = {f.name for f in dataclasses.fields(SearchConfig)}
    out = {}
    for item in items:
        key, _, raw = item.partition("=")
        if key not in names:
            known = ", ".join(sorted(names))
            raise SystemExit(f"error: --set {item!r}: unknown SearchConfig field {key!r}; known: {known}")
        out[key] = json.loads(raw)
    return out


def two_attempts(result: SearchResult, task: Task) -> list[tuple[Grid, Grid]]:
    """The search's two attempts per test input: its first two distinct answers; the test input itself fills
    a missing first attempt, the first a missing second."""
    attempts = []
    for i, ex in enumerate(task.test):
        ranked = [grid for grid, _texts in rank_answers(result, i)]
        first = ranked[0] if ranked else ex.input
        attempts.append((first, ranked[1] if len(ranked) > 1 else first))
    return attempts


def run_task(task: Task, cfg: SearchConfig) -> dict:
    """Search one task; the record written to its file (answers as lists, no test output inside)."""
    start = time.process_time()
    result = search_task(task.public(), cfg)
    seconds = time.process_time() - start
    attempts = [[to_list(first), to_list(second)] for first, second in two_attempts(result, task)]
    top = result.programs[0] if result.programs else None
    return {
        "task": task.id,
        "seconds": seconds,
        "expanded": result.expanded,
        "fitted_all": result.fitted_all,
        "programs": len(result.programs),
        "primitives": result.primitives,
        "errors": result.errors,
        "top_program": top.text if top else None,
        "top_view": top.view if top else None,
        "top_outputs": [to_list(g) for g in top.outputs] if top else None,
        "attempts": attempts,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def summarise(tasks: list[Task], records: dict[str, dict]) -> dict:
    """pass@2 (ARC Prize rule), solved outputs, seconds, memory, fit and over-fit rates."""
    submission = {
        tid: [entry(as_grid(a, tid), as_grid(b, tid)) for a, b in rec["attempts"]] for tid, rec in records.items()
    }
    s = score(submission, answers_from_tasks(tasks))
    fitted = [t for t in tasks if records[t.id]["fitted_all"]]
    wrong_top = 0
    for t in fitted:
        top = records[t.id]["top_outputs"]
        if not all(grids_equal(as_grid(g, t.id), ex.output) for g, ex in zip(top, t.test)):
            wrong_top += 1
    seconds = [records[t.id]["seconds"] for t in tasks]
    return {
        "tasks": len(tasks),
        "pass@2": s.arc_prize,
        "solved_outputs": s.solved_outputs,
        "outputs": s.outputs,
        "median_s": statistics.median(seconds),
        "max_s": max(seconds),
        "total_s": sum(seconds),
        "peak_mib": max(records[t.id]["maxrss_kib"] for t in tasks) / 1024,
        "fit_rate": len(fitted) / len(tasks),
        "fitted": len(fitted),
        "overfit_top": wrong_top,
        "overfit_rate": wrong_top / max(1, len(fitted)),
        "solved_tasks": sorted(tid for tid, ok in s.per_task.items() if all(ok)),
    }


def add_range_options(parser: argparse.ArgumentParser) -> None:
    """``--start`` and ``--limit``: which tasks of a dataset a benchmark runs (``task_range``)."""
    parser.add_argument("--limit", type=int, default=None, help="first N tasks of the dataset (from --start)")
    parser.add_argument("--start", type=int, default=1,
                        help="1-based position of the first task (--start 101 --limit 300: tasks 101-400)")


def task_range(tasks: list, start: int, limit: int | None, dataset: str) -> list:
    """Tasks ``start`` to ``start + limit - 1`` (1-based; to the end without ``limit``); exits on a bad start."""
    if not 1 <= start <= len(tasks):
        raise SystemExit(f"error: --start {start} is outside {dataset}'s tasks 1-{len(tasks)}")
    chosen = tasks[start - 1 :]
    return chosen[:limit] if limit else chosen


def selection(start: int, limit: int | None) -> str:
    """How the table row names the tasks chosen: " (first 100)", " (tasks 101-400)", " (from 101)" or ""."""
    if start == 1:
        return f" (first {limit})" if limit else ""
    return f" (tasks {start}-{start + limit - 1})" if limit else f" (from {start})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, choices=["arc1-dev", "arc1-train", "arc1-eval", "arc2-eval"],
                        help="arc1-train means the allowed training tasks (dev set removed)")
    add_range_options(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="per-task results folder (default scratch/search_bench/<dataset>)")
    parser.add_argument("--every", type=int, default=1, help="arc1-train only: every N-th allowed task (quick)")
    parser.add_argument("--summary-only", action="store_true",
                        help="search nothing: summarise the tasks already finished in --out (a partial run)")
    parser.add_argument("--set", action="append", default=[], help="SearchConfig override key=value (repeatable)")
    args = parser.parse_args()

    cfg = SearchConfig(**parse_set(args.set))
    out = args.out or Path("scratch/search_bench") / args.dataset
    out.mkdir(parents=True, exist_ok=True)
    config_path = out / "config.json"
    config = dataclasses.asdict(cfg)
    if args.summary_only:
        if config_path.exists():
            print(f"config of {out}: {config_path.read_text()}")
    elif config_path.exists() and json.loads(config_path.read_text()) != config:
        raise SystemExit(f"error: {out} holds results of another config ({config_path}); pass another --out")
    else:
        config_path.write_text(json.dumps(config, indent=2))

    tasks = load_dataset(args.dataset).tasks
    if args.dataset == "arc1-train":  # the training tasks primitives may be designed from: never the dev set
        from arcvdm.splits import dev_task_ids

        dev = set(dev_task_ids())
        tasks = [t for t in tasks if t.id not in dev][:: args.every]
    tasks = task_range(tasks, args.start, args.limit, args.dataset)
    inspect = args.dataset == "arc1-train"  # per-task details only where we may look at tasks
    records: dict[str, dict] = {}
    for n, task in enumerate(tasks):
        path = out / f"{task.id}.json"
        if path.exists():
            records[task.id] = json.loads(path.read_text())
            continue
        if args.summary_only:
            continue
        rec = run_task(task, cfg)
        path.write_text(json.dumps(rec))
        records[task.id] = rec
        # per-task outcomes only where tasks may be looked at (the training tasks); elsewhere progress only
        detail = f" fitted={rec['fitted_all']} top={rec['top_program']}" if inspect else ""
        print(f"[{n + 1}/{len(tasks)}] {task.id} {rec['seconds']:.1f}s{detail}", flush=True)

    if not records:
        raise SystemExit(f"error: no task of the selection is finished in {out}: nothing to summarise")
    if len(records) < len(tasks):
        print(f"partial: {len(records)} of {len(tasks)} tasks finished; figures over those only")
        tasks = [t for t in tasks if t.id in records]
    sm = summarise(tasks, records)
    print(json.dumps({k: v for k, v in sm.items() if k != "solved_tasks"}, indent=2))
    if inspect:
        print(f"solved: {' '.join(sm['solved_tasks'])}")
    print(
        f"| {args.dataset}{selection(args.start, args.limit)} ({len(tasks)} tasks) | {sm['pass@2']:.1%} | "
        f"{sm['solved_outputs']}/{sm['outputs']} | {sm['median_s']:.1f} / {sm['total_s']:.0f} | "
        f"{sm['peak_mib']:.0f} MiB | "
        f"{sm['fit_rate']:.1%} ({sm['fitted']}) | {sm['overfit_rate']:.1%} ({sm['overfit_top']}/{sm['fitted']}) |"
    )


if __name__ == "__main__":
    sys.exit(main())
