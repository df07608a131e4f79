"""Scaling study of the embedded VDM: model size x pretraining compute, on ARC tasks mixed with generated ones.

For each preset (``--presets``), one resumable pretraining run (``arcvdm pretrain --out ROOT/PRESET``) is
stopped at each compute point (``--points``: cumulative wall-clock minutes on one thread); at each point the
checkpoint is exported and measured on the dev set:

- held-out dev loss (the pretraining loss on fixed dev batches, as ``arcvdm pretrain`` logs it);
- VDM-alone pass@2 and cell accuracy of attempt 1 (when its size is right) from ``arcvdm eval arc1-dev``
  with the ``vdm`` recipe; by default with ``lora.rank=0`` (the frozen model reads the task in context,
  ~3 s per task), since the full recipe's per-task LoRA costs ~50 s per task: ``--lora`` uses it.

Every point is appended to ``ROOT/points.jsonl``; a point already there is not run again, so the study
resumes across sessions. Prints a markdown table (paste it into benchmarks/RESULTS.md).

    python benchmarks/scaling.py --generated runs/generated --points 4,8,16 --eval-limit 20
    python benchmarks/scaling.py --presets cell-s --points 30 --lora   # one point with the full recipe
    python benchmarks/scaling.py --generated runs/generated --points 4,8,16 --reference   # + the shipped model's row

Expected runtime: the sum of the largest point over presets (minutes, one thread), plus ~2 min of frozen
evaluation per point on 20 dev tasks. Two torch processes on 2 cores: pass ``--jobs 2`` only when nothing
else runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from embedded import near_misses  # noqa: E402  (benchmarks/embedded.py: right sizes and cell accuracy)


def arcvdm(*args: str, log: Path) -> None:
    """Run one ``arcvdm`` command on one torch thread; its output goes to ``log``; a failure stops the study."""
    cmd = [sys.executable, "-m", "arcvdm.cli", "--threads", "1", *args]
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        code = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT)
    if code:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {code}; see {log}")


def last_dev_loss(run: Path) -> tuple[int, float, float]:
    """(step, hours, dev loss) of the last end-of-stretch entry of a pretraining log."""
    lines = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line.strip()]
    end = [entry for entry in lines if entry.get("end_of_stretch")][-1]
    return end["step"], end["hours"], end["dev_loss"]


def measure_point(preset: str, minutes: float, done_minutes: float, args: argparse.Namespace) -> dict:
    """Pretrain ``preset`` on to ``minutes`` (from ``done_minutes``), export, evaluate; the point's record."""
    from arcvdm.pretrain import export

    run = args.root / preset
    point = run / f"point-{minutes:g}min"
    log = args.root / f"{preset}.log"
    run.mkdir(parents=True, exist_ok=True)
    train = ["pretrain", "--out", str(run), "--preset", preset, "--minutes", f"{minutes - done_minutes:g}", "--seed", "0", "-q"]
    if args.generated:
        train += ["--generated", str(args.generated), "--generated-share", str(args.share)]
    arcvdm(*train, log=log)
    step, hours, dev_loss = last_dev_loss(run)
    weights = export(run, point / "weights")
    return {
        "preset": preset, "minutes": minutes, "step": step, "cpu_hours": round(hours, 4),
        "tasks_seen": step * args.batch_size, "dev_loss": round(dev_loss, 5), **evaluate(point, weights, args, log),
        "generated": str(args.generated or ""), "share": args.share if args.generated else 0.0,
    }


def evaluate(point: Path, weights: Path | None, args: argparse.Namespace, log: Path) -> dict:
    """VDM-alone on the dev set (``--eval-limit`` tasks) with ``weights`` (None: the shipped model): pass@2,
    attempt 1 of the right size, its cell accuracy; frozen (``lora.rank=0``) unless ``--lora``."""
    recipe = ["--solver", "vdm"] + (["--set", f'backbone.path="{weights}"'] if weights else [])
    recipe += [] if args.lora else ["--set", "lora.rank=0"]
    command = ["eval", "arc1-dev", *recipe, "--out", str(point / "eval"), "-q"]
    if args.eval_limit:
        command += ["--limit", str(args.eval_limit)]
    arcvdm(*command, log=log)
    summary = json.loads((point / "eval" / "summary.json").read_text())
    sized, accuracy = near_misses(point / "eval", "arc1-dev", set(summary.get("solved", {})))
    return {"pass_at_2": summary.get("arc_prize_score", 0.0), "right_size": sized, "cell_accuracy": accuracy,
            "eval": "vdm" if args.lora else "vdm lora.rank=0", "eval_tasks": len(summary.get("solved", {}))}


def reference_point(args: argparse.Namespace) -> dict:
    """The shipped model measured as a point is: dev loss on the study's dev batches (``PretrainConfig()``'s,
    the same for every preset), the same frozen (or ``--lora``) evaluation; steps and hours from its card."""
    from arcvdm.backbones.embedded import shipped_weights
    from arcvdm.config import PretrainConfig
    from arcvdm.pretrain import exported_dev_loss

    weights = shipped_weights()
    state = json.loads((weights / "training_state.json").read_text())
    return {
        "preset": "shipped", "minutes": 0.0, "step": state["step"], "cpu_hours": round(state["seconds"] / 3600, 4),
        "tasks_seen": state["step"] * state["config"]["batch_size"], "dev_loss": round(exported_dev_loss(weights, PretrainConfig()), 5),
        **evaluate(args.root / "shipped", None, args, args.root / "shipped.log"),
        "generated": "", "share": 0.0, "architecture": state["config"]["preset"],
    }


def run_preset(preset: str, args: argparse.Namespace, done: dict) -> list[dict]:
    """Every point of one preset, in order (each continues the same run), skipping recorded ones."""
    records, before = [], 0.0
    for minutes in args.points:
        if (preset, minutes) not in done:
            record = measure_point(preset, minutes, before, args)
            with open(args.root / "points.jsonl", "a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
            records.append(record)
            print(f"{preset} at {minutes:g} min: dev loss {record['dev_loss']:.4f}, pass@2 {record['pass_at_2']:.1%}", flush=True)
        before = minutes
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default="cell-xs,cell-s,cell-m", help="comma-separated embedded presets")
    parser.add_argument("--points", default="4,8,16", help="cumulative pretraining minutes (one thread) to measure at")
    parser.add_argument("--generated", type=Path, default=None, help="folder of generated tasks (arcvdm generate)")
    parser.add_argument("--share", type=float, default=0.5, help="share of batches from --generated")
    parser.add_argument("--eval-limit", type=int, default=20, help="dev tasks evaluated per point (0: all 40)")
    parser.add_argument("--lora", action="store_true", help="evaluate with the full vdm recipe (per-task LoRA, ~50 s per task)")
    parser.add_argument("--root", type=Path, default=Path("runs/scaling"))
    parser.add_argument("--jobs", type=int, default=1, help="presets trained at once (one thread each)")
    parser.add_argument("--batch-size", type=int, default=8, help="clips per step (arcvdm pretrain's default)")
    parser.add_argument("--reference", action="store_true",
                        help="also measure the shipped model the same way (a row 'shipped'; its hours are wall clock on 2 cores)")
    args = parser.parse_args(argv)
    args.points = sorted(float(p) for p in args.points.split(","))
    args.root.mkdir(parents=True, exist_ok=True)
    points_file = args.root / "points.jsonl"
    recorded = [json.loads(line) for line in points_file.read_text().splitlines() if line.strip()] if points_file.is_file() else []
    done = {(r["preset"], r["minutes"]): r for r in recorded}
    start = time.time()
    presets = args.presets.split(",")
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for records in pool.map(lambda p: run_preset(p, args, done), presets):
            for record in records:
                done[(record["preset"], record["minutes"])] = record
    if args.reference and ("shipped", 0.0) not in done:
        record = reference_point(args)
        with open(points_file, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        done[("shipped", 0.0)] = record
    print("| preset | parameters | minutes | CPU-hours | steps | clips seen | dev loss | pass@2 | right size | cell accuracy |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    from arcvdm.backbones.embedded import new_transformer

    for preset in presets:
        params = sum(p.numel() for p in new_transformer(preset, 0).parameters()) / 1e6
        for minutes in args.points:
            r = done.get((preset, minutes))
            if r:
                print(f"| {preset} | {params:.2f}M | {minutes:g} | {r['cpu_hours']:.3f} | {r['step']} | {r['tasks_seen']} | "
                      f"{r['dev_loss']:.4f} | {r['pass_at_2']:.1%} | {r['right_size']} | {r['cell_accuracy']} |")
    shipped = done.get(("shipped", 0.0))
    if shipped:
        r = shipped
        params = sum(p.numel() for p in new_transformer(r["architecture"], 0).parameters()) / 1e6
        print(f"| shipped ({r['architecture']}) | {params:.2f}M | - | {r['cpu_hours']:.3f} (2 cores, wall) | {r['step']} | {r['tasks_seen']} | "
              f"{r['dev_loss']:.4f} | {r['pass_at_2']:.1%} | {r['right_size']} | {r['cell_accuracy']} |")
    print(f"\nwall clock {time.time() - start:.0f} s; command: python benchmarks/scaling.py {' '.join(sys.argv[1:] if argv is None else argv)}")


if __name__ == "__main__":
    main()
