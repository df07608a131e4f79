"""How fast a bad input is answered: each case runs `arcvdm` as a fresh process and is timed.

A user who mistypes a path should hear about it in about a second, not after torch and diffusers
have been imported (~5 s). Every input is checked before the heavy imports; this prints the wall
time of each case (median of --repeat runs) and whether it gave one `error:` line and exit 2.

    python benchmarks/errors.py --repeat 3

Figures go to benchmarks/RESULTS.md ("Fast failures").
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
TASK = ROOT / "data" / "tasks" / "d037b0a7.json"


def cases(tmp: Path) -> dict[str, list[str]]:
    bad_json = tmp / "broken.json"
    bad_json.write_text("{oops", encoding="utf-8")
    bad_colour = tmp / "colour.json"
    bad_colour.write_text('{"train": [{"input": [[0]], "output": [[12]]}], "test": [{"input": [[0]]}]}', encoding="utf-8")
    return {
        "--help (reference)": ["--help"],
        "solve: missing file": ["solve", str(tmp / "nope.json")],
        "solve: malformed JSON": ["solve", str(bad_json)],
        "solve: bad colour": ["solve", str(bad_colour)],
        "solve: unknown solver": ["solve", str(TASK), "--solver", "nosuch"],
        "solve: bad --set": ["solve", str(TASK), "--set", "train.steps=fast"],
        "score: missing submission": ["score", str(tmp / "none.json"), str(TASK)],
        "show: missing run folder": ["show", str(TASK), "--run", str(tmp / "norun")],
        "report: not a run folder": ["report", str(tmp)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (the median is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        print("| case | seconds (median) | exit code | one error line |")
        print("|---|---|---|---|")
        for name, argv in cases(tmp).items():
            times, code, one_line = [], None, False
            for _ in range(args.repeat):
                start = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "arcvdm.cli", *argv], capture_output=True, text=True, cwd=tmp)
                times.append(time.perf_counter() - start)
                code = proc.returncode
                one_line = sum(line.startswith("error:") for line in proc.stderr.splitlines()) == 1
            print(f"| {name} | {statistics.median(times):.2f} | {code} | {'yes' if one_line else 'no'} |")


if __name__ == "__main__":
    main()
