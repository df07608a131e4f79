"""The ``arcvdm`` command line. Each command parses its options and calls one function in ``arcvdm.jobs``.

Errors a user can cause print one line (``error: ...``) and exit with code 2; see ``arcvdm.errors``.
Every command reads its arguments and files before it imports torch or matplotlib, so bad input is
answered at once (``benchmarks/reject.py`` times it).

Option names keep one meaning everywhere: ``--out`` is a folder a command writes into (a run folder,
renders, a pretraining folder); ``--output`` / ``-o`` is a file (a submission, a picture, an HTML page).
The old spellings (``-o`` for a folder, ``--out`` for a file) still work, with a warning.
"""

from __future__ import annotations

import functools
import re
import shutil
import textwrap
from pathlib import Path
from typing import Callable, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from arcvdm.errors import ArcvdmError, ConfigError


class _FlagsTakeNoValue:
    """typer prints a type beside every option, ``<bool>`` beside flags too (``--quiet <bool>``), which reads as
    if a flag took a value. Flags get an empty metavar here, ``--help`` included."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        return params


class Command(_FlagsTakeNoValue, TyperCommand):
    pass


class Group(_FlagsTakeNoValue, TyperGroup):
    pass


app = typer.Typer(
    name="arcvdm",
    help="Solve ARC-AGI tasks with a frozen video diffusion model and a per-task LoRA.",
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
command = functools.partial(app.command, cls=Command)

SOLVER_HELP = "solver recipe: an installed name (see `arcvdm solvers`) or a path to a .toml file"
SET_HELP = "override a recipe setting, e.g. --set train.steps=50 (repeatable; keys must exist)"
MODEL_HELP = "local diffusers-format weights folder for the recipe's backbone (sets backbone.path)"
DEADLINE_HELP = ("whole-run time limit from now, e.g. 11h, 30m, 90s: tasks that no longer fit get the --fallback "
                 "recipe or their test inputs, so the answers are complete in time (cut tasks are logged)")
FALLBACK_HELP = "cheaper recipe for tasks cut by --deadline (default: search, program search only)"
THREADS_HELP = ("CPU threads for torch (default: every core but one, for ARC and image tasks alike). Use 1 per process when several arcvdm "
                "processes share the cores: oversubscribed threads can run 10x slower.")
KEEP_ADAPTERS_HELP = "keep each task's trained LoRA in <run>/adapters/<task>/ (arcvdm and diffusers load_lora_weights formats)"
OLD_O = "; -o is the old spelling (deprecated: -o names a file a command writes)"
OLD_OUT = "; --out is the old spelling (deprecated: --out names a folder a command writes into)"


# -- options shared by several commands (a fresh OptionInfo each time: typer keeps one per parameter) --
def solver_option(default: str = "default", extra: str = ""):
    return typer.Option(default, "--solver", "-s", metavar="NAME", help=SOLVER_HELP + extra)


def sets_option():
    return typer.Option(None, "--set", metavar="SECTION.KEY=VALUE", help=SET_HELP)


def model_option(text: str = MODEL_HELP):
    return typer.Option(None, "--model", metavar="FOLDER", help=text)


def threads_option():
    return typer.Option(None, "--threads", metavar="N", help=THREADS_HELP)


def quiet_option(text: str = "no progress bars"):
    return typer.Option(False, "--quiet", "-q", help=text)


def keep_adapters_option():
    return typer.Option(False, "--keep-adapters", help=KEEP_ADAPTERS_HELP)


def deadline_option():
    return typer.Option(None, "--deadline", metavar="DURATION", help=DEADLINE_HELP)


def fallback_option():
    return typer.Option("search", "--fallback", metavar="NAME", help=FALLBACK_HELP)


def old_o_option():
    return typer.Option(None, "-o", hidden=True, metavar="FOLDER")


def old_out_option():
    return typer.Option(None, "--out", hidden=True, metavar="FILE")


def use_threads(threads: Optional[int]) -> None:
    """``--threads``: torch's CPU threads, set before torch is imported (``arcvdm.threads``: the one policy)."""
    from arcvdm.threads import choose_threads

    choose_threads(threads)


def renamed(value, old_value, new_name: str, old_name: str):
    """The value of an option given under its new name or its deprecated old one (with a warning), not both."""
    if old_value is None:
        return value
    if value is not None:
        raise ConfigError(f"{old_name} and {new_name} name the same thing; give {new_name} only")
    typer.echo(f"warning: {old_name} here is deprecated; write {new_name} {old_value}", err=True)
    return old_value


@app.callback()
def options(threads: Optional[int] = threads_option()) -> None:
    """Solve ARC-AGI tasks with a frozen video diffusion model and a per-task LoRA."""
    try:
        use_threads(threads)
    except ConfigError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None


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


def _config(solver: str, sets: Optional[list[str]], model: Optional[str], keep_adapters: bool = False):
    from arcvdm.jobs import resolve_config

    return resolve_config(solver, list(sets or []) + (["lora.keep=true"] if keep_adapters else []), model)


def _deadline_seconds(deadline: Optional[str]) -> Optional[float]:
    from arcvdm.deadline import parse_duration

    return None if deadline is None else parse_duration(deadline)


@command()
@user_errors
def solve(
    path: str = typer.Argument(..., metavar="SOURCE", help="task file, directory of task files, challenges file, or dataset name"),
    solver: str = solver_option(),
    out: Optional[Path] = typer.Option(None, "--out", metavar="FOLDER",
                                       help="run folder (default runs/<solver>/<source>); rerun to resume" + OLD_O),
    old_o: Optional[Path] = old_o_option(),
    sets: Optional[list[str]] = sets_option(),
    model: Optional[str] = model_option(),
    keep_adapters: bool = keep_adapters_option(),
    tasks: Optional[str] = typer.Option(None, "--tasks", metavar="ID,ID,...", help="comma-separated task ids to solve"),
    limit: Optional[int] = typer.Option(None, "--limit", metavar="N", help="solve only the first N tasks"),
    quiet: bool = quiet_option(),
    no_plots: bool = typer.Option(False, "--no-plots", help="skip the debugging pictures (written by default for a single task)"),
    deadline: Optional[str] = deadline_option(),
    fallback: str = fallback_option(),
    threads: Optional[int] = threads_option(),
) -> None:
    """Solve ARC tasks: print each test input's two attempts and write per-task results to a run folder.

    For a single task, debugging pictures (task, clips, decoding check, vote, loss) go to <run>/plots/<task>.
    """
    use_threads(threads)
    out = renamed(out, old_o, "--out", "-o")
    from arcvdm.jobs import solve_tasks
    from arcvdm.tasks import shown_id

    config = _config(solver, sets, model, keep_adapters)
    ids = tasks.split(",") if tasks else None
    report = solve_tasks(path, config, out, ids=ids, limit=limit, progress=not quiet, echo=_echo_err, plots=not no_plots,
                         deadline=_deadline_seconds(deadline), fallback=fallback)
    for task in report.tasks:
        result = report.outcome.results.get(task.id)
        if result is None:
            continue
        for n, pred in enumerate(result.predictions, start=1):   # test inputs are counted from 1 (README glossary)
            for k, grid in enumerate(pred.attempts, start=1):
                typer.echo(f"{shown_id(task.id)} test {n}: attempt_{k} ({grid.shape[0]}x{grid.shape[1]}; {pred.source_of(grid)})")
                typer.echo(_grid_text(grid))
    if report.score is not None and report.outcome.results:
        typer.echo(report.score.line())
    if report.plots:
        typer.echo(f"pictures in {report.plots[0].parent}")
    typer.echo(f"results in {report.run_dir}")
    raise typer.Exit(report.exit_code)


@command()
@user_errors
def submit(
    source: str = typer.Argument(..., metavar="SOURCE", help="Kaggle challenges file, task directory, or dataset name"),
    output: Path = typer.Option(Path("submissions/submission.json"), "--output", "-o", metavar="FILE", help="submission file to write"),
    solver: str = solver_option(),
    out: Optional[Path] = typer.Option(None, "--out", metavar="FOLDER", help="run folder (default runs/<solver>/<source>); rerun to resume"),
    sets: Optional[list[str]] = sets_option(),
    model: Optional[str] = model_option(),
    keep_adapters: bool = keep_adapters_option(),
    quiet: bool = quiet_option(),
    deadline: Optional[str] = deadline_option(),
    fallback: str = fallback_option(),
    threads: Optional[int] = threads_option(),
) -> None:
    """Solve every task and write a complete Kaggle submission (every task id, both attempts), even past failures."""
    use_threads(threads)
    from arcvdm.jobs import describe_submission, submit as submit_job

    config = _config(solver, sets, model, keep_adapters)
    report = submit_job(source, config, output, out, progress=not quiet, echo=_echo_err,
                        deadline=_deadline_seconds(deadline), fallback=fallback)
    if report.process is not None and not report.process.is_main:  # under accelerate launch: rank 0 writes it
        typer.echo(f"{report.process.label}: solved {len(report.outcome.solved_now)} task(s); the main process writes {output}")
        raise typer.Exit(report.exit_code)
    typer.echo(f"wrote {output}: {describe_submission(report)}")
    raise typer.Exit(report.exit_code)


@command()
@user_errors
def score(
    submission: Path = typer.Argument(..., metavar="SUBMISSION", help="submission.json to score"),
    answers: str = typer.Argument(..., metavar="ANSWERS",
                                  help="Kaggle solutions file, dataset name (e.g. arc1-eval), or task file(s) with outputs"),
) -> None:
    """Print the ARC Prize score (per task: solved test outputs / test outputs, mean over tasks) and the per-output average.

    Against image tasks (segmentation, pose): mIoU of attempt 1 for masks, PCK@0.2 for keypoints."""
    from arcvdm.jobs import score_file

    result = score_file(submission, answers)
    typer.echo(result.line())
    for _, reason in result.unread:  # answer files that could not be read were not scored
        typer.echo(f"error: {reason}", err=True)
    raise typer.Exit(2 if result.unread else 0)


@command("eval")
@user_errors
def evaluate(
    dataset: str = typer.Argument(..., metavar="SOURCE",
                                  help="dataset name (arc1-train, arc1-eval, arc2-train, arc2-eval) or task files with outputs"),
    solver: str = solver_option(),
    limit: Optional[int] = typer.Option(None, "--limit", metavar="N", help="evaluate only the first N tasks"),
    tasks: Optional[str] = typer.Option(None, "--tasks", metavar="ID,ID,...", help="comma-separated task ids"),
    out: Optional[Path] = typer.Option(None, "--out", metavar="FOLDER",
                                       help="run folder (default runs/<solver>/<dataset>); rerun to resume" + OLD_O),
    old_o: Optional[Path] = old_o_option(),
    sets: Optional[list[str]] = sets_option(),
    model: Optional[str] = model_option(),
    keep_adapters: bool = keep_adapters_option(),
    quiet: bool = quiet_option(),
    deadline: Optional[str] = deadline_option(),
    fallback: str = fallback_option(),
    threads: Optional[int] = threads_option(),
) -> None:
    """Solve and score: print pass@2 (ARC Prize rule), seconds per task (median and total) and peak memory.

    On image tasks (segmentation, pose) the score is mIoU for masks and PCK@0.2 for keypoints."""
    use_threads(threads)
    out = renamed(out, old_o, "--out", "-o")
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


@command("render")
@user_errors
def render_cmd(
    path: str = typer.Argument(..., metavar="SOURCE", help="task file, directory or dataset name"),
    out: Optional[Path] = typer.Option(None, "--out", metavar="FOLDER", help="folder for the frames (default runs/renders)" + OLD_O),
    old_o: Optional[Path] = old_o_option(),
    solver: str = solver_option(),
    sets: Optional[list[str]] = sets_option(),
    threads: Optional[int] = threads_option(),
) -> None:
    """Write the frames and clips a task becomes (PNG strips, one per training clip), for inspection."""
    use_threads(threads)
    out = renamed(out, old_o, "--out", "-o") or Path("runs") / "renders"
    from arcvdm.jobs import render

    written = render(path, _config(solver, sets, None), out, echo=_echo_err)
    typer.echo(f"wrote {len(written)} clip strips under {out}")


def first_sentence(text: str) -> str:
    """The description's first sentence, on one line (a full stop inside a number, 1.55M, does not end it)."""
    flat = " ".join(text.split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z(`])", flat, maxsplit=1)[0]


@command()
def solvers(
    full: bool = typer.Option(False, "--full", help="print each recipe's whole description, not its first sentence"),
) -> None:
    """List the installed solver recipes with their descriptions (a broken recipe: one error line, exit 2)."""
    from arcvdm import config

    names = config.recipe_names()
    indent = max(len(n) for n in names) + 2
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    broken = 0
    for name in names:
        try:
            description = config.load_recipe(name).description.strip()
        except ArcvdmError as err:
            typer.echo(f"error: {err}", err=True)
            broken += 1
            continue
        text = " ".join(description.split()) if full else first_sentence(description)
        typer.echo(textwrap.fill(text, width, initial_indent=name.ljust(indent), subsequent_indent=" " * indent))
    raise typer.Exit(2 if broken else 0)


@command()
@user_errors
def pretrain(
    out: Optional[Path] = typer.Option(None, "--out", metavar="FOLDER",
                                       help="pretraining folder (default runs/pretrain); an existing checkpoint there is resumed" + OLD_O),
    old_o: Optional[Path] = old_o_option(),
    minutes: float = typer.Option(30.0, "--minutes", metavar="MINUTES", help="wall-clock minutes for this stretch (checkpoints as it goes)"),
    preset: str = typer.Option("cell-s", "--preset", metavar="NAME", help="architecture: cell-xs (0.15M parameters), cell-s (1.5M, shipped), cell-m (5.1M)"),
    generated: Optional[Path] = typer.Option(None, "--generated", metavar="FOLDER",
                                             help="also train on the generated tasks in FOLDER (written by `arcvdm generate`)"),
    generated_share: float = typer.Option(0.5, "--generated-share", metavar="SHARE", help="share of batches drawn from --generated (0 to 1)"),
    batch_size: int = typer.Option(8, "--batch-size", metavar="N", help="clips per step"),
    lr: float = typer.Option(3e-4, "--lr", metavar="RATE", help="AdamW learning rate after warm-up"),
    seed: int = typer.Option(0, "--seed", metavar="N", help="seed of initialisation, data order and noise"),
    max_tokens: int = typer.Option(1024, "--max-tokens", metavar="N", help="fewer context pairs when a clip would exceed this many tokens"),
    export_weights: bool = typer.Option(False, "--export", help="only copy the latest checkpoint (and a model card) into the package"),
    init: Optional[Path] = typer.Option(None, "--init", metavar="FOLDER",
                                        help="with no checkpoint in --out: continue from these exported weights (e.g. arcvdm/weights/embedded)"),
    quiet: bool = quiet_option("no progress bar"),
    threads: Optional[int] = threads_option(),
) -> None:
    """Pretrain the embedded default model on ARC training tasks (no dev/eval content); resumable."""
    use_threads(threads)
    out = renamed(out, old_o, "--out", "-o") or Path("runs") / "pretrain"
    from arcvdm.jobs import pretrain as pretrain_job

    settings = dict(preset=preset, batch_size=batch_size, lr=lr, seed=seed, max_tokens=max_tokens,
                    generated=str(generated) if generated else "", generated_share=generated_share if generated else 0.5)
    done = pretrain_job(out, minutes, settings, init=init, export_only=export_weights, progress=not quiet, echo=_echo_err)
    if export_weights:
        typer.echo(f"exported to {done}")
        return
    typer.echo(f"step {done['step']}, {done['hours']:.2f} h in all, dev loss {done['dev_loss']:.4f}; checkpoint in {out / 'checkpoint'}")


@command()
@user_errors
def show(
    path: str = typer.Argument(..., metavar="SOURCE", help="task file, directory of task files, challenges file, or dataset name"),
    task: Optional[str] = typer.Option(None, "--task", metavar="ID", help="task id to draw, when the source holds several"),
    run: Optional[Path] = typer.Option(None, "--run", metavar="FOLDER", help="run folder: add the task's two attempts, marked correct or wrong"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="picture to write, .png or .svg (default runs/show/<task id>.png)" + OLD_OUT),
    old_out: Optional[Path] = old_out_option(),
    solutions: Optional[str] = typer.Option(None, "--solutions", metavar="FILE", help="Kaggle solutions file that goes with a challenges file"),
) -> None:
    """Draw a task's demonstrations and test inputs in the ARC palette; with --run, its attempts beside the true outputs."""
    from arcvdm.jobs import show as show_job

    written = show_job(path, task, run, renamed(output, old_out, "--output", "--out"), solutions)
    typer.echo(f"wrote {written}")


@command()
@user_errors
def report(
    run_dir: Path = typer.Argument(..., metavar="RUN", help="run folder written by `arcvdm solve` / `arcvdm eval`"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="HTML file to write (default RUN/report.html)" + OLD_OUT),
    old_out: Optional[Path] = old_out_option(),
    tasks: Optional[str] = typer.Option(None, "--tasks", metavar="SOURCE",
                                        help="task source with the true outputs (file, directory or dataset name), to mark tasks solved "
                                             "(default: the source the run recorded in its summary.json)"),
    threshold: float = typer.Option(30.0, "--threshold", metavar="RGB", help="RGB distance above which a decoded cell's colour counts as ambiguous"),
    max_pictured: int = typer.Option(50, "--max-pictured", metavar="N", help="draw pictures for at most this many tasks (every task gets a table row)"),
    solutions: Optional[str] = typer.Option(None, "--solutions", metavar="FILE", help="Kaggle solutions file that goes with a challenges file given to --tasks"),
) -> None:
    """Write one self-contained HTML page: a summary table and, per task, its clips, decoding checks, votes and loss curve."""
    from arcvdm.jobs import report as report_job

    written = report_job(run_dir, renamed(output, old_out, "--output", "--out"), tasks, threshold, max_pictured, solutions)
    typer.echo(f"wrote {written}")


@command()
@user_errors
def generate(
    count: int = typer.Option(..., "--count", "-n", metavar="N", help="tasks to keep"),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="folder to write into: one <id>.json task file per task, "
                             "index.jsonl (programs) and generate.json (config and counts)"),
    seed: int = typer.Option(0, "--seed", metavar="S", help="random seed: the same seed gives the same tasks"),
    depth: str = typer.Option("1-3", "--depth", metavar="D", help="program steps: a number 1-3 or a range such as 1-3"),
    kinds: Optional[str] = typer.Option(None, "--kinds", metavar="K1,K2",
                                        help="input kinds programs start from, comma-separated (default: all; "
                                             "see arcvdm.generate.inputs.INPUTS)"),
    kaggle: bool = typer.Option(False, "--kaggle", help="also write DIR/kaggle/challenges.json and solutions.json"),
    quiet: bool = quiet_option("no progress bar"),
) -> None:
    """Generate synthetic ARC tasks: random programs (1-3 steps over the battery's operations and the search's
    primitives) run on random input grids. A task is kept when its outputs are valid, differ from the inputs,
    vary across its 3-5 examples and it is no near-duplicate (up to rotation, reflection and colour renaming) of
    a kept task; a task sharing an example with an ARC-AGI-1/2 evaluation or dev task is dropped."""
    from arcvdm.jobs import generate as generate_job

    made, written = generate_job(out, count, seed, depth, kinds, kaggle, progress=not quiet)
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(made.rejected.items())) or "none"
    typer.echo(f"kept {len(made.tasks)} task(s) in {made.seconds:.1f} s ({made.per_second:.1f} tasks/s); "
               f"rejected draws: {rejected}; dropped for overlap with evaluation/dev tasks: {made.dropped}")
    typer.echo(f"wrote {out} ({len(written)} file(s), index.jsonl, generate.json)")


@command()
@user_errors
def gallery(
    folder: Path = typer.Argument(..., metavar="DIR", help="folder written by `arcvdm generate`"),
    count: int = typer.Option(24, "--count", "-n", metavar="N", help="tasks to show"),
    seed: int = typer.Option(0, "--seed", metavar="S", help="seed of the sample"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="HTML file to write (default DIR/gallery.html)"),
) -> None:
    """Write one self-contained HTML page with a sample of generated tasks, each drawn with its program."""
    from arcvdm.jobs import gallery as gallery_job

    typer.echo(f"wrote {gallery_job(folder, output, count, seed)}")


@command("plan")
@user_errors
def plan_cmd(
    path: str = typer.Argument(..., metavar="SOURCE", help="task file, directory of task files, challenges file, or dataset name"),
    solver: str = solver_option(),
    sets: Optional[list[str]] = sets_option(),
    model: Optional[str] = model_option("weights folder; for real families only its transformer/ and vae/ config.json are read"),
    limit: int = typer.Option(1, "--limit", metavar="N", help="plan the first N tasks"),
    threads: Optional[int] = threads_option(),
) -> None:
    """Print what a recipe builds for a task (frames, latent shape, tokens, LoRA size) and an estimate of memory and FLOPs per step.

    A recipe without a VDM (search) has nothing to plan: one line says so, exit code 0."""
    use_threads(threads)
    from arcvdm.jobs import plan_lines

    for line in plan_lines(path, _config(solver, sets, model), limit):
        typer.echo(line)


@command("bundle")
@user_errors
def bundle_cmd(
    out: Path = typer.Argument(..., metavar="OUT", help="folder to write (upload it as a Kaggle dataset)"),
    solver: str = solver_option("search", "; the one run.py uses"),
    weights_dataset: Optional[str] = typer.Option(None, "--weights-dataset", metavar="FOLDER",
                                                  help="weights folder inside a separate Kaggle dataset, e.g. /kaggle/input/wan22/Wan2.2-TI2V-5B-Diffusers (never bundled)"),
    deadline: str = typer.Option("11h", "--deadline", metavar="DURATION", help="run.py's whole budget from its start, under 12h (Kaggle stops a notebook at 12h)"),
    python: str = typer.Option("3.11", "--python", metavar="X.Y", help="Kaggle's CPython version, e.g. 3.11 (the wheels are for it)"),
    torch: str = typer.Option("cuda", "--torch", metavar="BUILD", help="torch build: cuda (PyPI's Linux wheel, GPU and CPU) or cpu (small, CPU only)"),
    no_wheels: bool = typer.Option(False, "--no-wheels", help="write everything but the wheels (no network, no build)"),
) -> None:
    """Write an offline Kaggle bundle: wheels (downloaded here), recipes, run.py and a notebook."""
    from arcvdm.bundle import BundleSpec, write_bundle

    spec = BundleSpec(solver=solver, weights_dataset=weights_dataset, deadline=deadline, python=python, torch=torch)
    written = write_bundle(out, spec, wheels=not no_wheels, echo=_echo_err)
    typer.echo(f"wrote {written} ({len(spec.wheels)} wheels); upload it as a Kaggle dataset")


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="arcvdm")


if __name__ == "__main__":  # pragma: no cover
    main()
