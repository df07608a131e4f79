"""Fingerprint and speed of the search on fixed task lists: proof that a change kept its candidates, and
what it costs.

For each task of the lists, ``search_task`` runs on the public task (test outputs removed) and every
program it returns is recorded in rank order: its text, view, length and answers. The per-task record is
hashed; the file written holds each task's hash and counts, plus one hash over all tasks. Comparing two
files names every task whose candidates differ.

Task lists (decided on training tasks only, never an evaluation set):

- ``dev``: the 40 dev tasks (``arcvdm.splits.dev_task_ids``);
- ``train100``: 100 ARC-AGI-1 training tasks outside the dev set, drawn once with ``SAMPLE_SEED``.

    OMP_NUM_THREADS=1 python benchmarks/fingerprint.py --out benchmarks/fingerprints/search-20000.json
    OMP_NUM_THREADS=1 python benchmarks/fingerprint.py --against benchmarks/fingerprints/search-20000.json

The budget defaults to ``max_applications=20000`` (a count, so the same code gives the same candidates on
any machine, busy or idle) to keep a run near 10 minutes on two cores; ``--set`` changes it. A run with
``--against`` exits 1 when any task differs.

Speed figures (CPU seconds of each worker, one thread each; run it alone on the machine for figures worth
writing down): applications (the budget's unit: a primitive tried on a state), primitive calls (memo
misses) and expanded states per CPU second, median and max seconds per task, peak memory of a worker.
``--profile N`` also profiles the first N tasks in this process and prints where the time goes, by area
(each family, the fitters, the engine's memo / hashing / ranking, views) and the slowest functions.

    OMP_NUM_THREADS=1 python benchmarks/fingerprint.py --against benchmarks/fingerprints/search-20000.json --profile 10

``--primitives N`` times every primitive call of the first N tasks instead of profiling them (no profiler
overhead on the rest of the search) and prints the costliest primitives: calls, seconds, microseconds per call,
and the shares that do not apply or leave the grid unchanged.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from search import parse_set  # benchmarks/search.py: the --set parser

SAMPLE_SEED = 20261206
SAMPLE_SIZE = 100
DEFAULT_SET = ("max_applications=20000",)


def task_lists() -> dict[str, list[str]]:
    """The fixed task lists, by name: ids in a stable order."""
    from arcvdm.splits import dev_task_ids

    dev = dev_task_ids()
    allowed = sorted(tid for tid in training_tasks() if tid not in set(dev))
    rng = np.random.default_rng(SAMPLE_SEED)
    sample = sorted(rng.choice(allowed, size=SAMPLE_SIZE, replace=False).tolist())
    return {"dev": dev, "train100": sample}


def digest(obj) -> str:
    """A short stable hash of a JSON-able value (the whole file's hash over the tasks' hashes)."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]


def _run_one(job: tuple[str, dict]) -> dict:
    task_id, overrides = job
    from arcvdm.config import SearchConfig
    from arcvdm.search.engine import search_task

    task = training_tasks()[task_id]
    start = time.process_time()
    result = search_task(task.public(), SearchConfig(**overrides))
    seconds = time.process_time() - start
    return {
        "task": task_id,
        "hash": result.fingerprint(),
        "programs": len(result.programs),
        "top": result.programs[0].text if result.programs else None,
        "expanded": result.expanded,
        "applications": result.applications,
        "calls": result.calls,
        "primitives": result.primitives,
        "errors": result.errors,
        "seconds": round(seconds, 2),
        "maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


@functools.cache
def training_tasks() -> dict:
    """ARC-AGI-1 training tasks by id, read once per process."""
    from arcvdm.tasks import load_dataset

    return {t.id: t for t in load_dataset("arc1-train").tasks}


def area(filename: str, function: str) -> str:
    """Where a profiled function belongs: a family, the fitters, a part of the engine, numpy, or other."""
    path = filename.replace(os.sep, "/")
    if "/arcvdm/search/families/" in path:
        return "family " + path.split("/arcvdm/search/families/")[1].split("/")[0].removesuffix(".py")
    if "/arcvdm/search/fitters/" in path:
        return "fitter " + path.split("/arcvdm/search/fitters/")[1].removesuffix(".py")
    if "/arcvdm/search/engine.py" in path:
        parts = {"_apply": "memo and calls", "state_key": "state hashing", "promise": "state ranking",
                 "_fits": "fitter dispatch", "_record": "recording programs", "run": "search loop"}
        return "engine: " + parts.get(function, function)
    if "/arcvdm/search/" in path:
        return "search " + path.split("/arcvdm/search/")[1].removesuffix(".py")
    if "/numpy/" in path or filename.startswith("~") and "numpy" in function:
        return "numpy (called from anywhere)"
    return "other"


def profile(ids: list[str], overrides: dict, top: int = 15) -> None:
    """Profile the search of ``ids`` in this process; print CPU time by area and the slowest functions."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for tid in ids:
        _run_one((tid, overrides))
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())
    # each search function's own time, plus the time of the numpy / builtin calls it makes (edge cumulative time):
    # small-array numpy overhead is charged to the primitive or engine part that pays it
    by_area: dict[str, float] = {}
    for (filename, _line, function), row in stats.stats.items():
        key = area(filename, function)
        if key in ("numpy (called from anywhere)", "other"):
            for (c_file, _c_line, c_function), edge in row[4].items():
                caller = area(c_file, c_function)
                if caller not in ("numpy (called from anywhere)", "other"):
                    by_area[caller] = by_area.get(caller, 0.0) + edge[3]
                    by_area[key] = by_area.get(key, 0.0) - edge[3]
        by_area[key] = by_area.get(key, 0.0) + row[2]
    print(f"\nprofile of {len(ids)} tasks: {total:.1f} s of own time (profiler overhead included); numpy and "
          "builtin calls charged to the search code that makes them")
    for key, seconds in sorted(by_area.items(), key=lambda kv: -kv[1])[:24]:
        print(f"  {seconds / total:6.1%}  {seconds:7.1f} s  {key}")
    print("slowest functions (own time):")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, function), row in rows:
        where = filename.split("/arcvdm/")[-1] if "/arcvdm/" in filename else os.path.basename(filename)
        print(f"  {row[2] / total:6.1%}  {row[1]:>9} calls  {where}:{line}({function})")


def primitive_calls(ids: list[str], overrides: dict, top: int = 25) -> None:
    """Time every primitive call (memo misses) of the searches of ``ids`` in this process; print the costliest
    primitives, by family and name up to its first parenthesis: calls, CPU seconds, microseconds per call, and
    the shares of calls that do not apply (None) or give back the grid unchanged. Where a faster primitive, or
    one not called at all, would pay."""
    from arcvdm.grids import grids_equal
    from arcvdm.search import engine

    table: dict[str, list] = {}  # kind -> [calls, seconds, none, unchanged]
    families = engine.FAMILIES  # ``primitives_for`` reads the engine's name at each call

    def timed(fn, row):
        def run(grid):
            start = time.process_time()
            try:
                result = fn(grid)
            finally:
                row[0] += 1
                row[1] += time.process_time() - start
            if result is None:
                row[2] += 1
            elif grids_equal(result, grid):
                row[3] += 1
            return result
        return run

    def noted(name, make):
        def offer(ctx):
            # each primitive's function timed where it runs: the engine calls it only on a memo miss
            return [dataclasses.replace(prim, fn=timed(prim.fn, table.setdefault(
                f"{name}: {prim.name.split('(')[0]}", [0, 0.0, 0, 0]))) for prim in make(ctx)]
        return offer

    engine.FAMILIES = {name: noted(name, make) for name, make in families.items()}
    try:
        start = time.process_time()
        counted = sum(_run_one((tid, overrides))["calls"] for tid in ids)
        total = time.process_time() - start
    finally:
        engine.FAMILIES = families
    calls, inside = sum(r[0] for r in table.values()), sum(r[1] for r in table.values())
    print(f"\nprimitive calls of {len(ids)} tasks: {calls:,} timed (the searches counted {counted:,}), {inside:.1f} "
          f"of {total:.1f} CPU-s inside them (timing included); the costliest:")
    print(f"  {'family: primitive':36} {'calls':>9} {'seconds':>8} {'us/call':>8} {'None':>5} {'same':>5}")
    for kind, (n, seconds, none, same) in sorted(table.items(), key=lambda kv: -kv[1][1])[:top]:
        print(f"  {kind[:36]:36} {n:9,} {seconds:8.1f} {1e6 * seconds / n:8.1f} {none / n:5.0%} {same / n:5.0%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", default="dev,train100", help="comma-separated task lists (dev, train100)")
    parser.add_argument("--limit", type=int, default=None, help="first N tasks of each list (a quick check)")
    parser.add_argument("--set", action="append", default=None, help="SearchConfig override key=value")
    parser.add_argument("--workers", type=int, default=2, help="processes (one thread each)")
    parser.add_argument("--out", type=Path, default=None, help="write the fingerprint file here")
    parser.add_argument("--against", type=Path, default=None, help="compare with this fingerprint file")
    parser.add_argument("--profile", type=int, default=0, help="also profile the first N tasks (in this process)")
    parser.add_argument("--primitives", type=int, default=0,
                        help="also time each primitive's calls on the first N tasks (in this process)")
    args = parser.parse_args()
    if args.against and not args.against.is_file():  # found out before the run, not after it
        parser.error(f"--against {args.against}: no such fingerprint file")

    sets = list(args.set) if args.set is not None else list(DEFAULT_SET)
    overrides = parse_set(sets)
    lists = task_lists()
    chosen = [name.strip() for name in args.lists.split(",")]
    for name in chosen:
        if name not in lists:
            raise SystemExit(f"error: --lists: unknown list {name!r}; known: {', '.join(lists)}")
    ids = [tid for name in chosen for tid in lists[name][: args.limit]]
    ids = list(dict.fromkeys(ids))

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    start = time.time()
    records: dict[str, dict] = {}
    with multiprocessing.Pool(args.workers) as pool:
        for n, rec in enumerate(pool.imap(_run_one, [(tid, overrides) for tid in ids]), 1):
            records[rec["task"]] = rec
            print(f"[{n}/{len(ids)}] {rec['task']} {rec['seconds']:.1f}s {rec['programs']} programs {rec['hash']}",
                  flush=True)
    wall = time.time() - start
    seconds = sorted(r["seconds"] for r in records.values())
    fingerprint = {
        "lists": chosen,
        "limit": args.limit,
        "set": sets,
        "total": digest([records[t]["hash"] for t in ids]),
        "tasks": {t: records[t] for t in ids},
    }
    cpu = sum(seconds)
    totals = {k: sum(r.get(k, 0) for r in records.values()) for k in ("applications", "calls", "expanded")}
    print(f"{len(ids)} tasks, total hash {fingerprint['total']}, wall {wall:.0f} s, "
          f"median {seconds[len(seconds) // 2]:.2f} s, max {seconds[-1]:.2f} s, sum {cpu:.0f} CPU-s")
    print(f"per CPU second: {totals['applications'] / cpu:,.0f} applications, {totals['calls'] / cpu:,.0f} primitive "
          f"calls, {totals['expanded'] / cpu:,.1f} expanded states; peak worker memory "
          f"{max(r.get('maxrss_mib', 0) for r in records.values()):.0f} MiB")
    if args.profile:
        profile(ids[: args.profile], overrides)
    if args.primitives:
        primitive_calls(ids[: args.primitives], overrides)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(fingerprint, indent=1, sort_keys=True) + "\n")
        print(f"wrote {args.out}")
    if args.against:
        ref = json.loads(args.against.read_text())
        if ref["set"] != sets:
            print(f"warning: {args.against} was made with --set {ref['set']}, this run with {sets}")
        keys = ("hash", "expanded", "primitives")  # the candidates, and the work that found them
        differ = [t for t in ids if t in ref["tasks"] and any(ref["tasks"][t][k] != records[t][k] for k in keys)]
        missing = [t for t in ids if t not in ref["tasks"]]
        for t in differ:
            was, now = ref["tasks"][t], records[t]
            print(f"DIFFERS {t}: top {was['top']!r} -> {now['top']!r}, programs {was['programs']} -> "
                  f"{now['programs']}, expanded {was['expanded']} -> {now['expanded']}, "
                  f"primitives {was['primitives']} -> {now['primitives']}")
        print(f"compared {len(ids) - len(missing)} tasks with {args.against}: {len(differ)} differ"
              + (f", {len(missing)} not in it" if missing else ""))
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
