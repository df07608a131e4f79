"""Throughput on this machine: 1 process x 2 threads against 2 processes x 1 thread, in tasks per hour.

Each layout solves the first N dev tasks (``arc1-dev``) into a fresh run folder with ``arcvdm eval``; the
two-process layout is ``accelerate launch --multi_gpu --num_processes 2`` (torchrun; gloo on a CPU-only
machine), sharing the tasks through the run folder's claims. Printed per layout: wall seconds of the whole
command (start-up included), tasks per hour from it, the solving part alone (``summary.json``'s
``wall_seconds``: from the model build to the last task) and the score, which must be the same in both
layouts (answers do not depend on how the tasks were shared; for torch recipes the thread count can
change floating-point sums, see the README).

    python benchmarks/throughput.py --tasks 4 --solver search          # about a minute on 2 idle cores
    python benchmarks/throughput.py --tasks 40 --solver default        # the whole dev set: about 15 min

Results: benchmarks/RESULTS.md ("Throughput").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = {  # name -> (processes, threads per process)
    "1 process x 2 threads": (1, 2),
    "2 processes x 1 thread": (2, 1),
}


def command(processes: int, threads: int, args: argparse.Namespace, out: Path) -> list[str]:
    solve = ["--threads", str(threads), "eval", args.dataset, "--limit", str(args.tasks), "--solver", args.solver,
             "--out", str(out), "-q"]
    for item in args.sets:
        solve += ["--set", item]
    if processes == 1:
        return [sys.executable, "-m", "arcvdm.cli", *solve]
    return [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", str(processes),
            "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "arcvdm.cli", *solve]


def run_layout(name: str, args: argparse.Namespace, work: Path) -> dict:
    processes, threads = LAYOUTS[name]
    out = work / name.replace(" ", "_")
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(command(processes, threads, args, out), env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 2):  # 2: a task broke a rule (still a finished run)
        sys.exit(f"error: {name} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    summary = json.loads((out / "summary.json").read_text())
    return {
        "layout": name, "wall": wall, "per_hour": args.tasks / wall * 3600,
        "solving": summary["wall_seconds"], "solving_per_hour": args.tasks / max(summary["wall_seconds"], 1e-9) * 3600,
        "score": summary.get("arc_prize_score"), "finished": summary["finished"],
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", type=int, default=4, help="first N tasks of the dataset")
    p.add_argument("--dataset", default="arc1-dev")
    p.add_argument("--solver", default="search")
    p.add_argument("--set", dest="sets", action="append", default=[], help="recipe override (repeatable)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="arcvdm-throughput-"))
    try:
        rows = [run_layout(name, args, work) for name in LAYOUTS]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.tasks} tasks of {args.dataset}, solver {args.solver}, {os.cpu_count()} CPU cores")
    print("| layout | wall s (with start-up) | tasks/h | solving s | tasks/h (solving) | ARC Prize score |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['layout']} | {r['wall']:.1f} | {r['per_hour']:.0f} | {r['solving']:.1f} | "
              f"{r['solving_per_hour']:.0f} | {r['score']} |")
    if len({r["score"] for r in rows}) != 1:
        print("warning: the layouts scored differently (expected the same answers)")


if __name__ == "__main__":
    main()
