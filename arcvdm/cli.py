"""The ``arcvdm`` command line. Each command parses its options and calls one function in ``arcvdm.jobs``.

Errors a user can cause print one line (``error: ...``) and exit with code 2; see ``arcvdm.errors``.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Callable, Optional

import typer

from arcvdm.errors import ArcvdmError
from arcvdm.tasks import shown_id

app = typer.Typer(
    name="arcvdm",
    help="Solve ARC-AGI tasks with a frozen video diffusion model and a per-task LoRA.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SOLVER_HELP = "solver recipe: an installed name (see `arcvdm solvers`) or a path to a .toml file"
SET_HELP = "override a recipe setting, e.g. --set train.steps=50 (repeatable; keys must exist)"
MODEL_HELP = "local diffusers-format weights folder for the recipe's backbone (sets backbone.path)"
DEADLINE_HELP = ("whole-run time limit from now, e.g. 11h, 30m, 90s: tasks that no longer fit get the --fallback "
                 "recipe or their test inputs, so the answers are complete in time (cut tasks are logged)")
FALLBACK_HELP = "cheaper recipe for tasks cut by --deadline (default: search, program search only)"


def _deadline_seconds(deadline: Optional[str]) -> Optional[float]:
    from arcvdm.deadline import parse_duration

    return None if deadline is None else parse_duration(deadline)


@app.callback()
def options(
    threads: Optional[int] = typer.Option(
        None, "--threads", help="CPU threads for torch (default: all cores). Use 1 per process when several arcvdm "
        "processes share the cores: oversubscribed threads can run 10x slower.",
    ),
) -> None:
    """Solve ARC-AGI tasks with a frozen video diffusion model and a per-task LoRA."""
    if threads is not None:
        if threads < 1:
            typer.echo(f"error: --threads must be at least 1, got {threads}", err=True)
            raise typer.Exit(2)
        os.environ["OMP_NUM_THREADS"] = str(threads)  # before torch is imported (commands import it lazily)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)


def user_errors(fn: Callable) -> Callable:
    """Turn ArcvdmError into one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ArcvdmError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(2) from None

    return wrapper


def _echo_err(message: str) -> None:
    typer.echo(message, err=True)


def _grid_text(grid) -> str:
    return "\n".join("    " + "".join(str(int(v)) for v in row) for row in grid)


KEEP_ADAPTERS_HELP = "keep each task's trained LoRA in <run>/adapters/<task>/ (arcvdm and diffusers load_lora_weights formats)"


def _config(solver: str, sets: Optional[list[str]], model: Optional[str], keep_adapters: bool = False):
    from arcvdm.jobs import resolve_config

    return resolve_config(solver, list(sets or []) + (["lora.keep=true"] if keep_adapters else []), model)


@app.command()
@user_errors
def solve(
    path: str = typer.Argument(..., help="task file, directory of task files, challenges file, or dataset name"),
    solver: str = typer.Option("default", "--solver", "-s", help=SOLVER_HELP),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="run folder (default runs/<solver>/<source>); rerun to resume"),
    sets: Optional[list[str]] = typer.Option(None, "--set", help=SET_HELP),
    model: Optional[str] = typer.Option(None, "--model", help=MODEL_HELP),
    keep_adapters: bool = typer.Option(False, "--keep-adapters", help=KEEP_ADAPTERS_HELP),
    tasks: Optional[str] = typer.Option(None, "--tasks", help="comma-separated task ids to solve"),
    limit: Optional[int] = typer.Option(None, "--limit", help="solve only the first N tasks"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bars"),
    no_plots: bool = typer.Option(False, "--no-plots", help="skip the debugging pictures (written by default for a single task)"),
    deadline: Optional[str] = typer.Option(None, "--deadline", help=DEADLINE_HELP),
    fallback: str = typer.Option("search", "--fallback", help=FALLBACK_HELP),
) -> None:
    """Solve ARC tasks: print each test input's two attempts and write per-task results to a run folder.

    For a single task, debugging pictures (task, clips, decoding check, vote, loss) go to <run>/plots/<task>.
    """
    from arcvdm.jobs import solve_tasks

    config = _config(solver, sets, model, keep_adapters)
    ids = tasks.split(",") if tasks else None
    report = solve_tasks(path, config, out, ids=ids, limit=limit, progress=not quiet, echo=_echo_err, plots=not no_plots,
                         deadline=_deadline_seconds(deadline), fallback=fallback)
    for task in report.tasks:
        result = report.outcome.results.get(task.id)
        if result is None:
            continue
        for i, pred in enumerate(result.predictions):
            for k, grid in enumerate((pred.attempt_1, pred.attempt_2)):
                typer.echo(f"{shown_id(task.id)} test {i}: attempt_{k + 1} ({grid.shape[0]}x{grid.shape[1]}; {pred.source_of(grid)})")
                typer.echo(_grid_text(grid))
    if report.score is not None and report.outcome.results:
        typer.echo(report.score.line())
    if report.plots:
        typer.echo(f"pictures in {report.plots[0].parent}")
    typer.echo(f"results in {report.run_dir}")
    raise typer.Exit(report.exit_code)


@app.command()
@user_errors
def submit(
    source: str = typer.Argument(..., help="Kaggle challenges file, task directory, or dataset name"),
    output: Path = typer.Option(Path("submissions/submission.json"), "--output", "-o", help="submission file to write"),
    solver: str = typer.Option("default", "--solver", "-s", help=SOLVER_HELP),
    out: Optional[Path] = typer.Option(None, "--out", help="run folder (default runs/<solver>/<source>); rerun to resume"),
    sets: Optional[list[str]] = typer.Option(None, "--set", help=SET_HELP),
    model: Optional[str] = typer.Option(None, "--model", help=MODEL_HELP),
    keep_adapters: bool = typer.Option(False, "--keep-adapters", help=KEEP_ADAPTERS_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bars"),
    deadline: Optional[str] = typer.Option(None, "--deadline", help=DEADLINE_HELP),
    fallback: str = typer.Option("search", "--fallback", help=FALLBACK_HELP),
) -> None:
    """Solve every task and write a complete Kaggle submission (every task id, both attempts), even past failures."""
    from arcvdm.jobs import submit as submit_job

    config = _config(solver, sets, model, keep_adapters)
    report = submit_job(source, config, output, out, progress=not quiet, echo=_echo_err,
                        deadline=_deadline_seconds(deadline), fallback=fallback)
    failed = len(report.outcome.failures)
    if report.process is not None and not report.process.is_main:  # under accelerate launch: rank 0 writes it
        typer.echo(f"{report.process.label}: solved {len(report.outcome.solved_now)} task(s); the main process writes {output}")
        raise typer.Exit(report.exit_code)
    typer.echo(f"wrote {output} ({len(report.tasks)} tasks, {failed} failed and filled with fallback attempts)")
    raise typer.Exit(report.exit_code)


@app.command()
@user_errors
def score(
    submission: Path = typer.Argument(..., help="submission.json to score"),
    answers: str = typer.Argument(..., help="Kaggle solutions file, dataset name (e.g. arc1-eval), or task files with outputs"),
) -> None:
    """Print the ARC Prize score (per task: solved test outputs / test outputs, mean over tasks) and the per-output average.

    Against image tasks (segmentation, pose): mIoU of attempt 1 for masks, PCK@0.2 for keypoints."""
    from arcvdm.jobs import score_file

    result = score_file(submission, answers)
    typer.echo(result.line())
    for _, reason in result.unread:  # answer files that could not be read were not scored
        typer.echo(f"error: {reason}", err=True)
    raise typer.Exit(2 if result.unread else 0)


@app.command("eval")
@user_errors
def evaluate(
    dataset: str = typer.Argument(..., help="dataset name (arc1-train, arc1-eval, arc2-train, arc2-eval) or task files with outputs"),
    solver: str = typer.Option("default", "--solver", "-s", help=SOLVER_HELP),
    limit: Optional[int] = typer.Option(None, "--limit", help="evaluate only the first N tasks"),
    tasks: Optional[str] = typer.Option(None, "--tasks", help="comma-separated task ids"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="run folder (default runs/<solver>/<dataset>); rerun to resume"),
    sets: Optional[list[str]] = typer.Option(None, "--set", help=SET_HELP),
    model: Optional[str] = typer.Option(None, "--model", help=MODEL_HELP),
    keep_adapters: bool = typer.Option(False, "--keep-adapters", help=KEEP_ADAPTERS_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bars"),
    deadline: Optional[str] = typer.Option(None, "--deadline", help=DEADLINE_HELP),
    fallback: str = typer.Option("search", "--fallback", help=FALLBACK_HELP),
) -> None:
    """Solve and score: print pass@2 (ARC Prize rule), seconds per task (median and total) and peak memory.

    On image tasks (segmentation, pose) the score is mIoU for masks and PCK@0.2 for keypoints."""
    import statistics

    from arcvdm.jobs import solve_tasks

    config = _config(solver, sets, model, keep_adapters)
    ids = tasks.split(",") if tasks else None
    report = solve_tasks(dataset, config, out, ids=ids, limit=limit, progress=not quiet, keep_artifacts=False, echo=_echo_err,
                         deadline=_deadline_seconds(deadline), fallback=fallback)
    secs = [r.seconds for r in report.outcome.results.values()]
    if report.score is not None:
        typer.echo(report.score.line())
    if secs:
        typer.echo(f"seconds per task: median {statistics.median(secs):.1f}, total {sum(secs):.1f} over {len(secs)} tasks")
    typer.echo(f"peak memory: {report.peak_memory_mb:.0f} MiB; failed tasks: {len(report.outcome.failures)}; run folder {report.run_dir}")
    raise typer.Exit(report.exit_code)


@app.command("render")
@user_errors
def render_cmd(
    path: str = typer.Argument(..., help="task file, directory or dataset name"),
    out: Path = typer.Option(Path("renders"), "--out", "-o", help="folder for the frames"),
    solver: str = typer.Option("default", "--solver", "-s", help=SOLVER_HELP),
    sets: Optional[list[str]] = typer.Option(None, "--set", help=SET_HELP),
) -> None:
    """Write the frames and clips a task becomes (PNG strips, one per training clip), for inspection."""
    from arcvdm.jobs import render

    written = render(path, _config(solver, sets, None), out, echo=_echo_err)
    typer.echo(f"wrote {len(written)} clip strips under {out}")


@app.command()
def solvers() -> None:
    """List the installed solver recipes with their descriptions (a broken recipe: one error line, exit 2)."""
    from arcvdm import config

    broken = 0
    for name in config.recipe_names():
        try:
            desc = config.load_recipe(name).description.strip().splitlines()
        except ArcvdmError as err:
            typer.echo(f"error: {err}", err=True)
            broken += 1
            continue
        typer.echo(f"{name:20s} {desc[0] if desc else ''}")
    raise typer.Exit(2 if broken else 0)


@app.command()
@user_errors
def pretrain(
    out: Path = typer.Option(Path("runs/pretrain"), "--out", "-o", help="pretraining folder; an existing checkpoint there is resumed"),
    minutes: float = typer.Option(30.0, "--minutes", help="wall-clock minutes for this stretch (checkpoints as it goes)"),
    preset: str = typer.Option("cell-s", "--preset", help="architecture (arcvdm.backbones.embedded.PRESETS)"),
    batch_size: int = typer.Option(8, "--batch-size", help="clips per step"),
    lr: float = typer.Option(3e-4, "--lr", help="AdamW learning rate after warm-up"),
    seed: int = typer.Option(0, "--seed", help="seed of initialisation, data order and noise"),
    max_tokens: int = typer.Option(1024, "--max-tokens", help="fewer context pairs when a clip would exceed this many tokens"),
    export_weights: bool = typer.Option(False, "--export", help="only copy the latest checkpoint (and a model card) into the package"),
    init: Optional[Path] = typer.Option(None, "--init", help="with no checkpoint in --out: continue from these exported weights (e.g. arcvdm/weights/embedded)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Pretrain the embedded default model on ARC training tasks (no dev/eval content); resumable."""
    from arcvdm.pretrain import PretrainConfig, export, pretrain as pretrain_job

    if export_weights:
        typer.echo(f"exported to {export(out)}")
        return
    cfg = PretrainConfig(preset=preset, batch_size=batch_size, lr=lr, seed=seed, max_tokens=max_tokens)
    summary = pretrain_job(out, minutes, cfg, progress=not quiet, echo=_echo_err, init=init)
    typer.echo(f"step {summary['step']}, {summary['hours']:.2f} h in all, dev loss {summary['dev_loss']:.4f}; checkpoint in {out / 'checkpoint'}")


@app.command()
@user_errors
def show(
    path: str = typer.Argument(..., help="task file, directory of task files, challenges file, or dataset name"),
    task: Optional[str] = typer.Option(None, "--task", help="task id to draw, when the source holds several"),
    run: Optional[Path] = typer.Option(None, "--run", help="run folder: add the task's two attempts, marked correct or wrong"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="picture to write, .png or .svg (default <task id>.png)"),
    solutions: Optional[str] = typer.Option(None, "--solutions", help="Kaggle solutions file that goes with a challenges file"),
) -> None:
    """Draw a task's demonstrations and test inputs in the ARC palette; with --run, its attempts beside the true outputs."""
    from arcvdm.runs import RunDir

    if run is not None:
        RunDir.existing(run)  # a wrong folder fails before matplotlib is imported
    from arcvdm.plots.show import show_task  # any task, drawn by its encoder (image tasks: image, target, prediction)

    written = show_task(path, task, run, out, solutions)
    typer.echo(f"wrote {written}")


@app.command()
@user_errors
def report(
    run_dir: Path = typer.Argument(..., help="run folder written by `arcvdm solve` / `arcvdm eval`"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="HTML file to write (default RUN_DIR/report.html)"),
    tasks: Optional[str] = typer.Option(None, "--tasks", help="task source with the true outputs (file, directory or dataset name), to mark tasks solved"),
    threshold: float = typer.Option(30.0, "--threshold", help="RGB distance above which a decoded cell's colour counts as ambiguous"),
    max_pictured: int = typer.Option(50, "--max-pictured", help="draw pictures for at most this many tasks (every task gets a table row)"),
    solutions: Optional[str] = typer.Option(None, "--solutions", help="Kaggle solutions file that goes with a challenges file given to --tasks"),
) -> None:
    """Write one self-contained HTML page: a summary table and, per task, its clips, decoding checks, votes and loss curve."""
    from arcvdm.runs import RunDir

    RunDir.existing(run_dir)  # a wrong folder fails before matplotlib is imported
    from arcvdm.plots.report import write_report  # any run (segmentation / pose runs: mIoU / PCK per task)

    written = write_report(run_dir, out, tasks, threshold, max_pictured, solutions=solutions)
    typer.echo(f"wrote {written}")


@app.command("plan")
@user_errors
def plan_cmd(
    path: str = typer.Argument(..., help="task file, directory of task files, challenges file, or dataset name"),
    solver: str = typer.Option("default", "--solver", "-s", help=SOLVER_HELP),
    sets: Optional[list[str]] = typer.Option(None, "--set", help=SET_HELP),
    model: Optional[str] = typer.Option(None, "--model", help="weights folder; for real families only its transformer/ and vae/ config.json are read"),
    limit: int = typer.Option(1, "--limit", help="plan the first N tasks"),
) -> None:
    """Print what a recipe builds for a task (frames, latent shape, tokens, LoRA size) and an estimate of memory and FLOPs per step."""
    from arcvdm.plan import plan
    from arcvdm.sources import load_tasks

    config = _config(solver, sets, model)
    for task in load_tasks(path).tasks[:limit]:
        for line in plan(config, task).lines():
            typer.echo(line)


@app.command("bundle")
@user_errors
def bundle_cmd(
    out: Path = typer.Argument(..., help="folder to write (upload it as a Kaggle dataset)"),
    solver: str = typer.Option("search", "--solver", "-s", help=SOLVER_HELP + "; the one run.py uses"),
    weights_dataset: Optional[str] = typer.Option(None, "--weights-dataset", help="weights folder inside a separate Kaggle dataset, e.g. /kaggle/input/wan22/Wan2.2-TI2V-5B-Diffusers (never bundled)"),
    deadline: str = typer.Option("11h", "--deadline", help="run.py's whole budget from its start (Kaggle stops a notebook at 12h)"),
    python: str = typer.Option("3.11", "--python", help="Kaggle's CPython version (the wheels are for it)"),
    torch: str = typer.Option("cuda", "--torch", help="torch build: cuda (PyPI's Linux wheel, GPU and CPU) or cpu (small, CPU only)"),
    no_wheels: bool = typer.Option(False, "--no-wheels", help="write everything but the wheels (no network, no build)"),
) -> None:
    """Write an offline Kaggle bundle: wheels (downloaded here), recipes, run.py and a notebook."""
    from arcvdm.bundle import BundleSpec, write_bundle

    spec = BundleSpec(solver=solver, weights_dataset=weights_dataset, deadline=deadline, python=python, torch=torch)
    written = write_bundle(out, spec, wheels=not no_wheels, echo=_echo_err)
    typer.echo(f"wrote {written} ({len(spec.wheels)} wheels); upload it as a Kaggle dataset")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
