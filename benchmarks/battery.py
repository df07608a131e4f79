"""Coverage of the program search on a synthetic battery of generic grid operations.

Each operation is a plain numpy function, written apart from the DSL (its own crop, skew, ...) so that
a bug in a primitive cannot make its own check pass; a task is three demonstrations and one test input
of random grids (seeded) with the operation's outputs. The search sees the public task only; an operation counts
as covered when one of the two attempts equals the test output. Single operations and two-step
compositions are listed, and so are operations the search is known to miss (the frontier), so the
table shows what a new primitive adds. No ARC task is read: this measures the DSL, not a dataset.
The operations live in the task engine's package: ``arcvdm/generate/ops.py`` (grids and lines) and
``objects.py`` (objects), named in ``arcvdm/generate/battery.py`` (``OPERATIONS``), with their random inputs in
``arcvdm/generate/inputs.py``; this file builds one task per operation and runs the search.

    OMP_NUM_THREADS=1 python benchmarks/battery.py --set max_applications=30000
    OMP_NUM_THREADS=1 python benchmarks/battery.py --only skew_right,pad_border --seed 1

Expected runtime: ~5-15 s per operation on one core with max_applications=30000.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import parse_set  # noqa: E402  (benchmarks/search.py: the --set parser)

from arcvdm.config import SearchConfig  # noqa: E402
from arcvdm.generate.battery import OPERATIONS  # noqa: E402
from arcvdm.generate.inputs import INPUTS  # noqa: E402
from arcvdm.grids import grids_equal  # noqa: E402
from arcvdm.search.engine import rank_answers, search_task  # noqa: E402
from arcvdm.tasks import Example, Task  # noqa: E402


def make_task(name: str, seed: int) -> Task:
    """Three demonstrations and one test input of ``name``'s operation on random grids from ``seed``."""
    op, kind = OPERATIONS[name]
    rng = np.random.default_rng(seed)
    examples = []
    for _ in range(4):
        grid = INPUTS[kind](rng)
        examples.append(Example(grid, op(grid).astype(np.uint8)))
    return Task(f"battery/{name}", tuple(examples[:3]), tuple(examples[3:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated operation names (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random grids (one task per operation)")
    parser.add_argument("--set", action="append", default=[], help="SearchConfig override key=value (repeatable)")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(OPERATIONS)
    unknown = [n for n in names if n not in OPERATIONS]
    if unknown:
        raise SystemExit(f"error: --only: unknown operation(s) {unknown}; known: {', '.join(OPERATIONS)}")
    cfg = SearchConfig(**parse_set(args.set))
    covered = 0
    print("| operation | covered | CPU s | first program |")
    print("|---|---|---|---|")
    for name in names:
        task = make_task(name, args.seed)
        start = time.process_time()
        result = search_task(task.public(), cfg)
        seconds = time.process_time() - start
        attempts = [grid for grid, _ in rank_answers(result, 0)][:2]
        ok = any(grids_equal(a, task.test[0].output) for a in attempts)
        covered += ok
        program = result.programs[0].text if result.programs else "-"
        print(f"| {name} | {'yes' if ok else 'no'} | {seconds:.1f} | `{program[:70]}` |", flush=True)
    print(f"\ncovered {covered} of {len(names)} operations (seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
