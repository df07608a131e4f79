"""Run arcvdm inside an offline Kaggle notebook (the ``run.py`` that ``arcvdm bundle`` writes).

1. install arcvdm and its dependencies from the bundle's ``wheels/`` with ``pip install --no-index``;
2. find the competition's test challenges (``/kaggle/input/arc-prize-*/arc-agi_test_challenges.json``);
3. run ``arcvdm submit`` with the deadline left (the bundle's deadline minus the time the install took),
   under ``accelerate launch`` with one process per GPU when the notebook has several;
4. check that ``/kaggle/working/submission.json`` was written; if the run overran the deadline (a task
   already running is never interrupted) it is stopped, and if it wrote nothing, each test input is
   written as both attempts, so a valid file always exists when the budget ends.

Standard library only: nothing of arcvdm is imported before it is installed. Options override the
bundle's choices (``arcvdm-bundle.json``); ``--help`` lists them.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHALLENGES = "/kaggle/input/arc-prize-*/arc-agi_test_challenges.json"
UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0}


def seconds(text: str) -> float:
    """``11h``, ``30m``, ``90s``, ``1h30m`` in seconds."""
    parts = re.findall(r"(\d+(?:\.\d+)?)([hms])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        sys.exit(f"error: --deadline {text!r}: write a duration such as 11h, 30m or 90s")
    return sum(float(n) * UNITS[u] for n, u in parts)


def find_challenges() -> str:
    found = sorted(glob.glob(CHALLENGES))
    if not found:
        sys.exit(f"error: no challenges file matches {CHALLENGES}; attach the competition data or pass --challenges")
    return found[-1]


def install(wheels: Path) -> None:
    """arcvdm and every dependency from the bundle's wheels, with no index (the network is off on Kaggle)."""
    if not any(wheels.glob("arcvdm-*.whl")):
        sys.exit(f"error: {wheels} holds no arcvdm wheel; rebuild the bundle with wheels, or pass --no-install")
    cmd = [sys.executable, "-m", "pip", "install", "--no-index", "--find-links", str(wheels), "arcvdm"]
    print("installing:", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def gpu_count() -> int:
    probe = "import torch; print(torch.cuda.device_count())"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0


def fallback_submission(challenges: str, output: str) -> None:
    """Every test input as both attempts: the valid file of last resort."""
    tasks = json.loads(Path(challenges).read_text(encoding="utf-8"))
    sub = {tid: [{"attempt_1": t["input"], "attempt_2": t["input"]} for t in task["test"]] for tid, task in tasks.items()}
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(json.dumps(sub), encoding="utf-8")


def run_until(cmd: list[str], seconds: float) -> int:
    """Run ``cmd`` (and everything it starts) for at most ``seconds``; past that, stop it all."""
    proc = subprocess.Popen(cmd, start_new_session=True)
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        print(f"error: the run passed the deadline; stopping it after {seconds:.0f}s", file=sys.stderr, flush=True)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        return 124


def main(argv: list[str] | None = None) -> int:
    start = time.monotonic()
    spec = json.loads((HERE / "arcvdm-bundle.json").read_text(encoding="utf-8"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--challenges", help=f"challenges file (default: the newest match of {CHALLENGES})")
    p.add_argument("--output", default="/kaggle/working/submission.json", help="submission file to write")
    p.add_argument("--work", default="/kaggle/working/arcvdm-run", help="run folder (results, log, claims)")
    p.add_argument("--solver", default=spec["solver"], help="recipe name or solvers/<file>.toml of this bundle")
    p.add_argument("--model", default=spec.get("weights_dataset"), help="weights folder (a separate Kaggle dataset)")
    p.add_argument("--deadline", default=spec["deadline"], help="whole budget from this script's start, e.g. 11h")
    p.add_argument("--processes", default="auto", help="processes (one per GPU); auto: the GPU count, at least 1")
    p.add_argument("--set", dest="sets", action="append", default=[], help="recipe override, e.g. train.steps=100")
    p.add_argument("--no-install", action="store_true", help="use the arcvdm already installed")
    args = p.parse_args(argv)

    budget = seconds(args.deadline)
    if not args.no_install:
        install(HERE / "wheels")
    challenges = args.challenges or find_challenges()
    solver = str(HERE / args.solver) if args.solver.startswith("solvers/") else args.solver
    left = int(budget - (time.monotonic() - start))
    if left <= 0:
        sys.exit(f"error: the install took the whole --deadline {args.deadline}")
    submit = ["submit", challenges, "-o", args.output, "--out", args.work, "--solver", solver,
              "--deadline", f"{left}s", "-q"]
    for item in args.sets:
        submit += ["--set", item]
    if args.model:
        submit += ["--model", args.model]
    processes = gpu_count() if args.processes == "auto" else int(args.processes)
    if processes > 1:
        launch = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes",
                  str(processes), "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no"]
        cmd = [*launch, "-m", "arcvdm.cli", *submit]
    else:
        cmd = [sys.executable, "-m", "arcvdm.cli", *submit]
    print("running:", " ".join(cmd), flush=True)
    code = run_until(cmd, budget - (time.monotonic() - start))
    if not os.path.isfile(args.output):
        print(f"error: {args.output} was not written (exit code {code}); writing the test inputs as attempts",
              file=sys.stderr)
        fallback_submission(challenges, args.output)
        return code or 1
    print(f"{args.output} written (exit code {code}: 0 all tasks solved, 2 some bad input, 1 a task crashed)")
    return code


if __name__ == "__main__":
    sys.exit(main())
