"""Search, VDM and the portfolio on one dataset: one full run, every ablation ranked from it.

The portfolio recipe is run once with everything on (program search, VDM samples, view-averaged cells,
the judge scoring every candidate) into ``runs/bench/<dataset>/portfolio-full`` (resumable: rerun the
same command to continue). Every candidate keeps its sources and scores in ``results/<task>.json``, and
the judge's loss of a candidate does not depend on which other candidates exist (shared draws), so each
ablation below is the same rank rule (``arcvdm.rank``) applied to a subset of the candidates, with some
scores switched off — exactly what that recipe would have produced from the same seed. Seconds per
task of a row add up the solve steps that row needs (``TaskResult.timings``). Peak memory is the run's.

    python benchmarks/portfolio.py --dataset arc1-dev --threads 1
    python benchmarks/portfolio.py --dataset arc1-eval --start 101 --limit 300 --threads 1 --lean

``--lean`` runs the default recipe as shipped (no judge, no cells: cheaper) into ``.../default`` and
prints only the rows it can rank exactly: vdm, search, and the default itself. Two processes may work on
one run folder at once (tasks are claimed): start the same command twice with ``--threads 1`` each.

``--search-run`` (with ``--lean``) also runs the ``search`` recipe into ``.../search`` and replaces the
program candidates of the default run by that run's, keeping the default run's VDM candidates. The
VDM steps of a solve never read the search's output (``Solver.solve``: the search only adds candidates
to the pool; the VDM's seed comes from the task), so this is the default recipe with today's search
without paying for the VDM again: search improvements are measured on the expensive sets cheaply.
Delete ``.../search`` after changing the search code (its results are resumed, not recomputed).

Rows: vdm (today's default: samples voted) · vdm + cells · vdm + judge · vdm + cells + judge ·
search · portfolio (search + vdm + cells + judge) · portfolio without the judge (search order, then
cells) · portfolio without cells. "judge changed" compares portfolio with portfolio-no-judge per
test output: wrong -> right and right -> wrong.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from arcvdm.grids import grids_equal
from arcvdm.jsonio import read_json
from arcvdm.provenance import code_commit
from arcvdm.rank import pool, rank
from arcvdm.results import TaskResult
from arcvdm.submission import arc_prize
from arcvdm.sources import load_tasks
from arcvdm.vote import Candidate, two_attempts

from search import add_range_options, task_range  # benchmarks/search.py: the --start/--limit task range

FULL = ["sample.average_cells=true", "score.enabled=true", "score.max_candidates=64"]


@dataclass(frozen=True)
class Row:
    name: str
    search: bool          # program candidates kept
    vdm: bool             # VDM candidates kept (voted samples)
    cells: bool           # view-averaged cells: their candidates and the cell log-likelihood
    judge: bool           # judge losses kept
    programs_by_loss: bool = True
    steps: tuple[str, ...] = ()   # solve steps whose seconds count


ROWS = [
    Row("vdm", False, True, False, False, steps=("train", "sample")),
    Row("vdm + cells", False, True, True, False, steps=("train", "sample")),
    Row("vdm + judge", False, True, False, True, steps=("train", "sample", "judge")),
    Row("vdm + cells + judge", False, True, True, True, steps=("train", "sample", "judge")),
    Row("search", True, False, False, False, steps=("search",)),
    Row("portfolio", True, True, True, True, steps=("search", "train", "sample", "judge")),
    Row("portfolio, programs in search order", True, True, True, True, programs_by_loss=False,
        steps=("search", "train", "sample", "judge")),
    Row("portfolio without judge", True, True, True, False, steps=("search", "train", "sample")),
    Row("portfolio without cells", True, True, False, True, steps=("search", "train", "sample", "judge")),
]


def keep(cand: Candidate, row: Row) -> Candidate | None:
    """The candidate as ``row``'s recipe would have it (None: that recipe never proposes it)."""
    c = copy.copy(cand)
    from_search = bool(c.programs) and row.search
    from_vdm = c.votes > 0 and row.vdm
    from_cells = "cells" in c.sources and row.cells and row.vdm
    if not (from_search or from_vdm or from_cells):
        return None
    if not row.search:
        c.programs, c.program_length, c.search_rank = [], None, None
    if not row.vdm:
        c.votes, c.score = 0, 0.0
    if not row.cells:
        c.cell_logp = None
    if not row.judge:
        c.vdm_loss = None
    return c


def with_search_of(result: TaskResult, searched: TaskResult) -> TaskResult:
    """``result`` (a default-recipe run) with its program candidates replaced by those of ``searched`` (a
    search-recipe run of the same task): the VDM's candidates pooled again with the new search answers."""
    merged = copy.copy(result)
    merged.search = searched.search
    merged.timings = {**result.timings, "search": searched.timings.get("search", 0.0)}
    merged.predictions = []
    for pred, spred in zip(result.predictions, searched.predictions):
        programs = sorted((c for c in spred.candidates if c.programs), key=lambda c: c.search_rank)
        answers = [(c.grid, list(c.programs), c.program_length) for c in programs]
        vdm = []
        for c in pred.candidates:
            if c.votes > 0:
                vdm.append(Candidate(c.grid, votes=c.votes, score=c.score, views=list(c.views), sources=["vdm"]))
        merged.predictions.append(copy.copy(pred))
        merged.predictions[-1].candidates = pool(answers, vdm)
    return merged


def attempts(result: TaskResult, row: Row, inputs: list) -> list[tuple]:
    out = []
    for pred, test_input in zip(result.predictions, inputs):
        kept = [c for c in (keep(c, row) for c in pred.candidates) if c is not None]
        out.append(two_attempts(rank(kept, row.programs_by_loss), fallback=test_input))
    return out


def solved(pair: tuple, truth) -> bool:
    return grids_equal(pair[0], truth) or grids_equal(pair[1], truth)


LEAN_ROWS = ("vdm", "search", "portfolio without judge")


def run(dataset: str, ids: list[str] | None, threads: int, out: Path, recipe: str, full: bool) -> None:
    """``arcvdm eval`` of ``recipe`` into ``out``: the tasks ``ids`` (every task of the dataset when None)."""
    cmd = [sys.executable, "-m", "arcvdm.cli", "--threads", str(threads), "eval", dataset, "--solver",
           recipe, "--quiet", "--out", str(out)]
    if ids is not None:
        cmd += ["--tasks", ",".join(ids)]
    for item in FULL if full else []:
        cmd += ["--set", item]
    print("running:", " ".join(cmd[2:]), flush=True)
    subprocess.run(cmd, check=False)


def finished(out: Path, tasks: dict) -> dict[str, TaskResult]:
    """The results a run folder holds, by task id (tasks of the dataset only)."""
    results = {}
    for path in sorted((out / "results").glob("*.json")):
        r = TaskResult.from_json(read_json(path, "task result"))
        if r.task_id in tasks:
            results[r.task_id] = r
    return results


def read_json_or_empty(path: Path) -> dict:
    """A run's summary.json, {} when there is none yet."""
    return read_json(path, "run summary") if path.is_file() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="arc1-dev")
    add_range_options(parser)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-run", action="store_true", help="only tabulate what the run folder holds")
    parser.add_argument("--lean", action="store_true", help="run the default recipe; rows: vdm, search, default")
    parser.add_argument("--search-run", action="store_true",
                        help="with --lean: program candidates from a fresh search-recipe run (module docstring)")
    args = parser.parse_args()
    if args.search_run and not args.lean:
        parser.error("--search-run needs --lean (the full run's judge scored the old search's candidates)")
    out = Path("runs/bench") / args.dataset / ("default" if args.lean else "portfolio-full")
    rows = [r for r in ROWS if r.name in LEAN_ROWS] if args.lean else ROWS
    start = time.time()
    search_out = out.parent / "search"
    every = load_tasks(args.dataset).tasks
    chosen = task_range(every, args.start, args.limit, args.dataset)
    ids = None if len(chosen) == len(every) else [t.id for t in chosen]
    if not args.no_run:
        run(args.dataset, ids, args.threads, out, "default" if args.lean else "portfolio", not args.lean)
        if args.search_run:
            run(args.dataset, ids, args.threads, search_out, "search", False)
    tasks = {t.id: t for t in chosen}  # a run folder may hold other tasks too (an earlier, wider run)
    results = finished(out, tasks)
    if args.search_run:
        searched = finished(search_out, tasks)
        results = {tid: with_search_of(r, searched[tid]) for tid, r in results.items() if tid in searched}
        made_by = read_json_or_empty(search_out / "summary.json").get("code", "not recorded (older run)")
        print(f"program candidates from {search_out} (made by code {made_by}; checkout now at {code_commit()})")
    summary = read_json_or_empty(out / "summary.json")
    print(f"\n{args.dataset}: {len(results)} task(s) finished; peak memory of the run {summary.get('peak_memory_mb', 0):.0f} MiB\n")
    print("| configuration | pass@2 (ARC Prize) | solved outputs | median s/task | total s |")
    print("|---|---|---|---|---|")
    per_row: dict[str, dict[str, list[bool]]] = {}
    for row in rows:
        per_task, seconds = {}, []
        for tid, result in results.items():
            task = tasks[tid]
            pairs = attempts(result, row, [ex.input for ex in task.test])
            per_task[tid] = [solved(p, ex.output) for p, ex in zip(pairs, task.test)]
            seconds.append(sum(result.timings.get(s, 0.0) for s in row.steps))
        per_row[row.name] = per_task
        outputs = sum(len(v) for v in per_task.values())
        hits = sum(sum(v) for v in per_task.values())
        median = statistics.median(seconds) if seconds else 0.0
        print(f"| {row.name} | {arc_prize(per_task):.1%} | {hits}/{outputs} | {median:.1f} | {sum(seconds):.0f} |")
    print()
    # the shipped default searches in a worker process while the VDM trains (search.background): a task
    # takes about the longer of the two, not their sum, on two cores
    overlapped = [max(r.timings.get("search", 0.0), r.timings.get("train", 0.0) + r.timings.get("sample", 0.0))
                  for r in results.values()]
    if overlapped:
        print(f"portfolio without judge, search in the background (max of search and VDM per task): median "
              f"{statistics.median(overlapped):.1f} s, max {max(overlapped):.1f} s, total {sum(overlapped):.0f} s")
    without = per_row["portfolio without judge"]
    flips = [(a, b) for t in without for a, b in zip(without[t], per_row["search"][t])]
    print(f"the VDM's candidates changed an answer against search alone: wrong -> right "
          f"{sum(1 for a, b in flips if a and not b)}, right -> wrong {sum(1 for a, b in flips if b and not a)}")
    for name in () if args.lean else ("portfolio", "portfolio, programs in search order", "vdm + judge"):
        base = per_row["vdm"] if name == "vdm + judge" else without
        with_judge = per_row[name]
        up = sum(1 for t in with_judge for a, b in zip(with_judge[t], base[t]) if a and not b)
        down = sum(1 for t in with_judge for a, b in zip(with_judge[t], base[t]) if b and not a)
        print(f"judge changed an answer in '{name}': wrong -> right {up}, right -> wrong {down}")
    fitted = sum(1 for r in results.values() if r.search.get("fitted_all"))
    print(f"some program fits every demonstration: {fitted}/{len(results)} tasks")
    print(f"tabulated in {time.time() - start:.0f} s; command: python benchmarks/portfolio.py --dataset {args.dataset}"
          + (f" --start {args.start}" if args.start > 1 else "") + (f" --limit {args.limit}" if args.limit else "") + f" --threads {args.threads}" + (" --lean" if args.lean else "") + (" --search-run" if args.search_run else ""))


if __name__ == "__main__":
    main()
