"""Segmentation and pose benchmark: the embedded default VDM against simple baselines on ``data/vision/``.

    python benchmarks/vision.py                          # both sets, the recipes as shipped, one thread
    python benchmarks/vision.py --set train.steps=100    # any recipe override, applied to both recipes
    python benchmarks/vision.py --rescore                # print the tables again from the finished run folders

Per set it prints mIoU (segmentation) or PCK@0.2 (pose) of attempt 1 (the average over samples, see
``arcvdm.vision.metrics``), per task and over the set, for:

- **embedded**: ``arcvdm eval data/vision/<set> --solver <set> --threads 1`` (run folders under ``--out``);
- **majority class** (segmentation): every pixel gets the class most frequent in the demonstrations' masks;
- **mean keypoint** (pose): each keypoint at its mean position over the demonstrations;
- **nearest demonstration**: the target of the demonstration whose image is closest to the test image
  (fewest differing pixels).

The baselines see exactly what the solver sees (demonstrations and test inputs); all numbers are
deterministic for a given torch build and thread count.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before torch is imported: the machine is shared

import numpy as np  # noqa: E402

from arcvdm.sources import load_tasks  # noqa: E402
from arcvdm.vision.metrics import keypoints_to_mask, score_answers, score_results  # noqa: E402
from arcvdm.vision.tasks import VisionTask, image_rgb  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SETS = ("segmentation", "pose")


def majority_or_mean(task: VisionTask) -> list[np.ndarray]:
    """The majority class (segmentation) or the mean keypoints (pose) of the demonstrations, per test input."""
    h, w = task.image_size
    if task.kind == "segmentation":
        counts = np.bincount(np.concatenate([ex.output.ravel() for ex in task.train]))
        return [np.full((h, w), int(counts.argmax()), dtype=np.uint8) for _ in task.test]
    mean = []
    for k in range(len(task.labels)):
        seen = [ex.output[k] for ex in task.train if ex.output[k] is not None]
        mean.append(tuple(np.mean(seen, axis=0)) if seen else None)
    return [keypoints_to_mask(mean, h, w) for _ in task.test]


def nearest_demonstration(task: VisionTask) -> list[np.ndarray]:
    """The target of the demonstration whose image differs from the test image in the fewest pixels."""
    h, w = task.image_size
    answers = []
    for ex in task.test:
        diffs = [int((image_rgb(d.input) != image_rgb(ex.input)).any(-1).sum()) for d in task.train]
        best = task.train[int(np.argmin(diffs))].output
        answers.append(best if task.kind == "segmentation" else keypoints_to_mask(best, h, w))
    return answers


def per_task(score, kind: str) -> dict[str, float]:
    if kind == "segmentation":
        return dict(score.miou)
    return {t: f / v if v else 0.0 for t, (f, v) in score.pck.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "vision")
    parser.add_argument("--out", type=Path, default=Path("runs/vision-bench"))
    parser.add_argument("--set", dest="sets", action="append", default=[], help="recipe override, e.g. train.steps=100")
    parser.add_argument("--only", choices=SETS, help="run one set")
    parser.add_argument("--rescore", action="store_true", help="only score the finished run folders under --out")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    from arcvdm.jobs import resolve_config, solve_tasks

    report = {}
    for kind in SETS if args.only is None else (args.only,):
        source = args.data / kind
        tasks = load_tasks(source).tasks
        start = time.perf_counter()
        if args.rescore:  # score the run folder as it is (e.g. after the recipe format changed): no solving
            from arcvdm.runs import RunDir

            folder = RunDir(args.out / kind)
            results = {tid: folder.load_result(tid) for tid in folder.finished_ids()}
        else:
            run = solve_tasks(str(source), resolve_config(kind, args.sets), args.out / kind, progress=False,
                              keep_artifacts=True, echo=print)
            results = run.outcome.results
        seconds = [r.seconds for r in results.values()]
        scores = {
            "embedded": score_results(results, tasks),
            "majority class" if kind == "segmentation" else "mean keypoint":
                score_answers(tasks, {t.id: majority_or_mean(t) for t in tasks}),
            "nearest demonstration": score_answers(tasks, {t.id: nearest_demonstration(t) for t in tasks}),
        }
        metric = "mIoU" if kind == "segmentation" else f"PCK@{scores['embedded'].alpha:g}"
        print(f"\n## {kind}: {len(tasks)} tasks, {sum(len(t.test) for t in tasks)} test outputs; {metric} of attempt 1")
        print(f"embedded: {len(seconds)} solved, median {np.median(seconds):.1f} s/task, wall {time.perf_counter() - start:.0f} s")
        print(f"| method | {metric} | " + " | ".join(t.id for t in tasks) + " |")
        print("|---|---|" + "---|" * len(tasks))
        report[kind] = {}
        for name, score in scores.items():
            each = per_task(score, kind)
            total = score.mean_miou if kind == "segmentation" else score.mean_pck
            print(f"| {name} | {total:.1%} | " + " | ".join(f"{each.get(t.id, 0.0):.0%}" for t in tasks) + " |")
            report[kind][name] = {"mean": total, "per_task": each}
        report[kind]["seconds_median"] = float(np.median(seconds)) if seconds else None
    report["overrides"] = args.sets
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "vision_benchmark.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {args.out / 'vision_benchmark.json'}")


if __name__ == "__main__":
    main()
