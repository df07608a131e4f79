"""How fast each command rejects a missing file: every case is a fresh `arcvdm` process, timed.

The README promises that bad input is answered in about half a second, before torch is imported. Each
command gets a path that does not exist (a task source, a run folder, a recipe, weights); this prints the
wall time of each (median of --repeat runs), its exit code, whether it printed exactly one `error:` line,
and which heavy modules (torch, diffusers, matplotlib) it imported before answering: none is the rule.

    python benchmarks/reject.py --repeat 3

The table goes to the README ("Runs are durable", bad input). `benchmarks/errors.py` times other kinds
of bad input (malformed JSON, bad colours, unknown keys).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "data" / "tasks"
HEAVY = ("torch", "diffusers", "matplotlib")

# `python -m arcvdm ARGS`, plus one stderr line at exit naming the heavy modules the command imported.
DRIVER = (
    "import atexit, runpy, sys\n"
    f"HEAVY = {HEAVY!r}\n"
    "atexit.register(lambda: sys.stderr.write('imported: ' + ' '.join(m for m in HEAVY if m in sys.modules) + '\\n'))\n"
    "sys.argv = ['arcvdm', *sys.argv[1:]]\n"
    "runpy.run_module('arcvdm', run_name='__main__', alter_sys=True)\n"
)


def cases(tmp: Path) -> dict[str, list[str]]:
    """Case name -> arguments; every path under ``tmp/missing`` does not exist. ``tmp/run`` is an empty run."""
    missing = tmp / "missing"
    (tmp / "run" / "results").mkdir(parents=True, exist_ok=True)
    return {
        "solve": ["solve", str(missing / "task.json")],
        "submit": ["submit", str(missing / "challenges.json"), "-o", str(tmp / "sub.json")],
        "eval": ["eval", str(missing / "tasks")],
        "score": ["score", str(missing / "submission.json"), str(TASKS)],
        "render": ["render", str(missing / "task.json"), "--out", str(tmp / "renders")],
        "show": ["show", str(missing / "task.json")],
        "show --run": ["show", str(TASKS / "d037b0a7.json"), "--run", str(missing / "run")],
        "report": ["report", str(missing / "run")],
        "report --tasks": ["report", str(tmp / "run"), "--tasks", str(missing / "tasks")],
        "plan": ["plan", str(missing / "task.json")],
        "bundle": ["bundle", str(tmp / "bundle"), "--solver", str(missing / "recipe.toml"), "--no-wheels"],
        "pretrain --init": ["pretrain", "--out", str(tmp / "pretrain"), "--init", str(missing / "weights")],
    }


def run_case(argv: list[str], cwd: Path) -> tuple[float, int, int, list[str]]:
    """(seconds, exit code, number of `error:` lines, heavy modules imported) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", DRIVER, *argv], capture_output=True, text=True, cwd=cwd)
    seconds = time.perf_counter() - start
    lines = proc.stderr.splitlines()
    imported = [line.split(":", 1)[1].split() for line in lines if line.startswith("imported:")]
    return seconds, proc.returncode, sum(line.startswith("error:") for line in lines), imported[-1] if imported else ["?"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (the median is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        rows = {"--help": ["--help"], **cases(tmp)}  # --help: the start-up alone, for reference
        print(f"| command | seconds (median of {args.repeat}) | exit code | error lines | heavy modules imported |")
        print("|---|---|---|---|---|")
        for name, argv in rows.items():
            runs = [run_case(argv, tmp) for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            _, code, errors, imported = runs[-1]
            label = f"`{name}`" + (" (start-up alone)" if name == "--help" else "")
            print(f"| {label} | {seconds:.2f} | {code} | {errors} | {', '.join(imported) or 'none'} |")


if __name__ == "__main__":
    main()
