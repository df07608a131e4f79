"""The library functions behind the CLI: one per command, usable from Python too.

Each takes plain values (paths, names, options) and returns a small result; the CLI only parses
options, calls one of these, and prints. Heavy imports (torch, diffusers) happen inside, so
``arcvdm --help`` and ``arcvdm score`` start fast.
"""

from __future__ import annotations

import json
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from arcvdm.config import PretrainConfig, SolverConfig, apply_overrides, check_generated_folder, load_recipe
from arcvdm.errors import ArcvdmError, ConfigError
from arcvdm.jsonio import read_json
from arcvdm.sources import load_tasks, pick_task, portable_source
from arcvdm.tasks import LoadedTasks, Task, id_file_stem, select

DEFAULT_SOLVER = "default"


def resolve_config(solver: str = DEFAULT_SOLVER, overrides: list[str] | None = None, model: str | None = None) -> SolverConfig:
    """A recipe by name or path, with ``section.key=value`` overrides and an optional weights folder."""
    config = load_recipe(solver)
    extra = list(overrides or [])
    if model is not None:
        extra.append(f'backbone.path="{model}"')
    return apply_overrides(config, extra) if extra else config


def default_run_dir(config: SolverConfig, source: str) -> Path:
    """``runs/<solver>/<source>``: the same command maps to the same folder, so a rerun resumes."""
    stem = Path(source).stem if not source.endswith("/") else Path(source.rstrip("/")).name
    return Path("runs") / config.name / (stem or "tasks")


@dataclass
class RunReport:
    run_dir: Path
    tasks: list[Task]
    outcome: object                       # runs.RunOutcome
    load_failures: list[tuple[str, str]] = field(default_factory=list)
    failed_tests: dict[str, int] = field(default_factory=dict)   # unloadable task id -> its test inputs
    score: object | None = None           # submission.Score, when solutions are known
    peak_memory_mb: float = 0.0
    wall_seconds: float = 0.0
    plots: list[Path] = field(default_factory=list)
    process: object | None = None         # distributed.ProcessInfo of the process that ran it
    cut: dict[str, str] = field(default_factory=dict)   # task id -> why the deadline cut it

    @property
    def exit_code(self) -> int:
        """0 all good; 2 a task could not be read or broke a rule (bad input); 1 a task crashed (bug).

        A launch's other processes always end with 0 once their share is done: a launcher tears down the
        whole launch when one process fails, and the main process reports every task's failure anyway.
        """
        if self.process is not None and not self.process.is_main:
            return 0
        if self.outcome.crashed:
            return 1
        return 2 if self.outcome.failures else 0


def _peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB
    try:
        import torch

        if torch.cuda.is_available():
            peak = max(peak, torch.cuda.max_memory_allocated() / 2**20)
    except ImportError:
        pass
    return peak


def solve_tasks(
    source: str,
    config: SolverConfig,
    out: Path | None = None,
    solutions: str | None = None,
    ids: list[str] | None = None,
    limit: int | None = None,
    progress: bool = True,
    keep_artifacts: bool = True,
    echo: Callable[[str], None] = print,
    plots: bool = False,
    deadline: float | None = None,
    fallback: str = "search",
) -> RunReport:
    """Solve tasks from any source into a durable run folder (resuming if it exists).

    With ``plots`` and a single task, the debugging pictures go to ``<run>/plots/<task_id>/``.
    Under ``accelerate launch`` each process claims tasks from the run folder and builds its backbone on
    its own device; the main process waits for the others and reports every task. ``deadline`` (seconds
    from now) answers the tasks that no longer fit with the ``fallback`` recipe or the test inputs.
    """
    from arcvdm.deadline import Deadline
    from arcvdm.runs import RunDir, run_tasks

    clock = Deadline(deadline, fallback=fallback) if deadline is not None else None
    fallback_config = load_recipe(fallback) if clock is not None else None  # a bad name fails before any work

    # Every input is checked before torch is imported (a bad path answers in about a second).
    loaded: LoadedTasks = select(load_tasks(source, solutions), ids, limit)
    from arcvdm.vision.solve import check_recipe  # image tasks need an image recipe, and the reverse

    check_recipe(config, loaded.tasks)
    run = RunDir(out if out is not None else default_run_dir(config, source))
    run.open(config)
    from arcvdm.claims import Claims
    from arcvdm.distributed import current_process, device_config
    from arcvdm.solve import Solver

    process = current_process()
    run.log(f"run: solver={config.name} source={source} tasks={len(loaded.tasks)} {process.label}"
            + (f" deadline={deadline:.0f}s fallback={fallback}" if clock is not None else ""))
    start = time.perf_counter()
    # Build the backbone once, before the first task, and only if a task is left to solve (a resumed
    # run may need none). A build error (missing weights, bad recipe) stops the whole run here.
    pending = [t for t in loaded.tasks if not run.is_finished(t.id)]
    solver = Solver(device_config(config, process), adapters_dir=run.path / "adapters") if pending else None

    def solve_one(task: Task):
        return solver.solve(task, progress=progress, keep_artifacts=keep_artifacts)

    if clock is not None:
        solve_one = within_deadline(solve_one, clock, fallback_config, loaded.tasks, run, process)
    claims = Claims(run.path, process)
    try:
        outcome = run_tasks(loaded.tasks, run, solve_one, loaded.failures, progress, echo, claims=claims,
                            wait_for_others=process.is_main, stop_waiting=clock.expired if clock else None)
    finally:
        claims.close()
    report = RunReport(run.path, loaded.tasks, outcome, loaded.failures, loaded.failed_tests, process=process)
    if not process.is_main:  # its share is done; the main process scores and summarises the whole run
        report.wall_seconds = time.perf_counter() - start
        report.peak_memory_mb = _peak_memory_mb()
        return report
    report.cut = deadline_cuts(outcome, run)
    report.wall_seconds = time.perf_counter() - start
    report.peak_memory_mb = _peak_memory_mb()
    previous = run.path / "summary.json"
    if previous.is_file() and not outcome.solved_now:
        # A fully resumed run built no model: keep the peak of the run that did the work.
        report.peak_memory_mb = max(report.peak_memory_mb, read_json(previous, "run summary").get("peak_memory_mb", 0.0))
    scorable = [t for t in loaded.tasks if t.has_solutions]
    # Where the tasks came from, readable from any folder: `arcvdm report` takes the truth from it.
    extra = {"wall_seconds": report.wall_seconds, "peak_memory_mb": report.peak_memory_mb,
             "source": portable_source(source), "solutions": portable_source(solutions)}
    if clock is not None or report.cut:
        extra["cut_by_deadline"] = report.cut
    if scorable and len(scorable) == len(loaded.tasks) and config.encoder.name in ("segmentation", "pose"):
        from arcvdm.vision.metrics import score_results  # image tasks: mIoU / PCK instead of exact grids

        report.score = score_results(outcome.results, loaded.tasks)
        extra.update(report.score.summary())
    elif scorable and len(scorable) == len(loaded.tasks):
        from arcvdm.submission import answers_from_tasks, score

        report.score = score(submission_from(outcome.results, loaded.tasks), answers_from_tasks(loaded.tasks))
        extra.update(arc_prize_score=report.score.arc_prize, per_output_score=report.score.per_output,
                     solved={k: v for k, v in report.score.per_task.items()})
    run.write_summary(outcome, extra)
    if plots and len(loaded.tasks) == 1 and loaded.tasks[0].id in outcome.results:
        report.plots = _plot_one(run, loaded.tasks[0], echo)
    return report


def within_deadline(solve_one: Callable, clock, fallback_config: SolverConfig, tasks: list[Task], run, process) -> Callable:
    """``solve_one`` behind the deadline: each task is solved fully, by the fallback recipe, or by its inputs."""
    from arcvdm.deadline import input_result
    from arcvdm.solve import Solver

    cheap: list = []  # the fallback Solver, built the first time a task needs it
    for task in tasks:  # a resumed run already knows what a full task costs
        try:
            done = run.load_result(task.id)
        except ArcvdmError:
            continue
        if done is not None and not any(n.startswith("deadline:") for n in done.notes):
            clock.full_seconds.append(done.seconds)

    def solve(task: Task):
        after = sum(1 for t in tasks if t.id != task.id and not run.result_path(t.id).is_file())
        mode = clock.choose(after, process.world)
        if mode == "full":
            result = solve_one(task)
            clock.full_seconds.append(result.seconds)
            return result
        left = clock.left()
        note = clock.note(mode, left)
        run.log(f"cut {task.id} ({mode}) by {process.label}: {left:.0f}s left, {after} other task(s) unfinished")
        if mode == "input":
            return input_result(task, note)
        if not cheap:
            cheap.append(Solver(fallback_config))
        result = cheap[0].solve(task, progress=False, keep_artifacts=False)
        clock.fallback_seconds.append(result.seconds)
        result.notes.append(note)
        return result

    return solve


def deadline_cuts(outcome, run) -> dict[str, str]:
    """Task id -> why the deadline cut it: results answered cheaply (any process), tasks still running at the end."""
    from arcvdm.deadline import cut_tasks

    cut = cut_tasks(outcome.results)
    for task_id in outcome.unfinished:
        cut[task_id] = "deadline: still being solved by another process when the deadline came; test inputs submitted"
        run.log(f"cut {task_id}: {cut[task_id]}")
    return cut


def _plot_one(run, task: Task, echo: Callable[[str], None]) -> list[Path]:
    """Pictures of one solved task; a plotting problem is logged, never fatal to the run."""
    from arcvdm.plots import plot_run_task  # any encoder's run: its own task picture (arcvdm.plots.run)

    try:
        return plot_run_task(run.path, task.id, run.path / "plots" / id_file_stem(task.id), task=task)
    except Exception as err:  # plots are a convenience: keep the results whatever happens here
        run.log(f"plots for {task.id} failed: {type(err).__name__}: {err}")
        echo(f"warning: plots for {task.id} failed ({type(err).__name__}: {err}); results are unaffected")
        return []


def submission_from(results: dict, tasks: list[Task], failed_tests: dict[str, int] | None = None) -> dict:
    """A complete submission: solved tasks' attempts, fallback entries for failed ones, and a 1x1 placeholder
    entry per test input of each task that could not even be loaded (its id still appears)."""
    import numpy as np

    from arcvdm.submission import entry, fallback_entries

    sub = {}
    placeholder = np.zeros((1, 1), dtype=np.uint8)
    for task_id, count in (failed_tests or {}).items():
        sub[task_id] = [entry(placeholder, placeholder) for _ in range(count)]
    for task in tasks:
        res = results.get(task.id)
        if res is None or len(res.predictions) != len(task.test):
            sub[task.id] = fallback_entries(task)
        else:
            sub[task.id] = [entry(p.attempt_1, p.attempt_2) for p in res.predictions]
    return sub


def submit(source: str, config: SolverConfig, output: Path, out: Path | None = None, progress: bool = True,
           echo: Callable[[str], None] = print, deadline: float | None = None, fallback: str = "search") -> RunReport:
    """Solve and write a complete Kaggle submission (every task id, both attempts), even past failures.

    Under ``accelerate launch`` only the main process writes it, once every task is done (or the deadline
    came); it is the same file a single process writes.
    """
    from arcvdm.submission import write_submission

    report = solve_tasks(source, config, out, progress=progress, keep_artifacts=False, echo=echo,
                         deadline=deadline, fallback=fallback)
    if report.process is None or report.process.is_main:
        write_submission(submission_from(report.outcome.results, report.tasks, report.failed_tests), output)
    return report


def describe_submission(report: RunReport) -> str:
    """What the written submission holds, counted as ``submission_from`` fills it, e.g.
    "3 tasks: 1 solved by the run, 2 failed to load (1x1 placeholder attempts)"."""
    results = report.outcome.results
    answered = [t.id for t in report.tasks
                if t.id in results and len(results[t.id].predictions) == len(t.test)]
    cut = [i for i in answered if i in report.cut]
    parts = [
        (len(answered) - len(cut), "solved by the run"),
        (len(cut), "answered cheaply under --deadline (fallback recipe or test inputs)"),
        (len(report.tasks) - len(answered), "failed while solving (their test inputs as attempts)"),
        (len(report.failed_tests), "failed to load (1x1 placeholder attempts)"),
    ]
    total = len(report.tasks) + len(report.failed_tests)
    return f"{total} task{'s' if total != 1 else ''}: " + ", ".join(f"{n} {what}" for n, what in parts if n)


def score_file(submission_path: Path, answers: str) -> object:
    """Score a submission file against a solutions file, a dataset name, or task files with outputs."""
    from arcvdm.submission import check_matches, load_answers, read_submission, score
    from arcvdm.vision.tasks import is_image_source

    if is_image_source(answers):  # image tasks: mIoU for masks, PCK for keypoints
        from arcvdm.vision.metrics import score_submission_file

        return score_submission_file(submission_path, answers)
    sub = read_submission(submission_path)
    unread: list[tuple[str, str]] = []
    truth = load_answers(answers, unread)  # a bad answer file is reported in Score.unread, not hidden
    check_matches(sub, truth, str(submission_path), str(answers), {tid for tid, _ in unread})
    result = score(sub, truth)
    result.unread = unread
    return result


def render(source: str, config: SolverConfig, out: Path, echo: Callable[[str], None] = print) -> list[Path]:
    """Write the training clips a task becomes (one PNG strip per clip, and an .npz of all frames)."""
    loaded = load_tasks(source)  # a bad source fails here, before torch and matplotlib are imported
    _check_folder(Path(out), "--out")
    import numpy as np
    from matplotlib.image import imsave

    from arcvdm.solve import Solver

    for task_id, reason in loaded.failures:
        echo(f"error: {reason}")
    solver = Solver(config)
    written = []
    for task in loaded.tasks:
        prep = solver.prepare(task.public())
        folder = Path(out) / id_file_stem(task.id)
        folder.mkdir(parents=True, exist_ok=True)
        for i, (video, view) in enumerate(zip(prep.videos, prep.owners)):
            strip = np.concatenate(list(video), axis=1)  # frames side by side: (H, F*W, 3)
            path = folder / f"clip{i:03d}_view{view}.png"
            imsave(path, strip)
            written.append(path)
        np.savez_compressed(folder / "clips.npz", videos=np.stack(prep.videos), owners=np.array(prep.owners))
        (folder / "layout.json").write_text(json.dumps({"layout": prep.layout.__dict__, "views": [v.describe() for v in prep.views]}, indent=2))
    return written


def _check_folder(path: Path, option: str) -> None:
    """A folder to write into may exist, but not as a file."""
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{path}: {option} names a folder to write into, but this is a file")


SHOW_DIR = Path("runs") / "show"   # `arcvdm show` pictures, unless --output names a file


def show(source: str, task_id: str | None = None, run_dir: Path | None = None, out: Path | None = None,
         solutions: str | None = None) -> Path:
    """Draw one task, and with ``run_dir`` its attempts from that run, to ``out`` (default runs/show/<task>.png).

    The source, the task and the run's result are read before matplotlib is imported, so bad input is
    answered at once.
    """
    task = pick_task(source, task_id, solutions)
    if run_dir is not None:
        from arcvdm.runs import RunDir

        RunDir.existing(Path(run_dir)).require_result(task.id)
    out = Path(out) if out is not None else SHOW_DIR / f"{id_file_stem(task.id)}.png"
    from arcvdm.plots.show import draw_task  # any task, drawn by its encoder (image tasks: image, target, prediction)

    return draw_task(task, run_dir, out)


def report(run_dir: Path, out: Path | None = None, tasks: str | None = None, threshold: float = 30.0,
           max_pictured: int = 50, solutions: str | None = None) -> Path:
    """Write a run's HTML page (``arcvdm report``); the run folder and ``tasks`` are read before matplotlib."""
    from arcvdm.runs import RunDir

    RunDir.existing(Path(run_dir))
    if tasks is not None:
        load_tasks(tasks, solutions)
    if max_pictured < 0:
        raise ConfigError(f"--max-pictured must be 0 or more, got {max_pictured}")
    from arcvdm.plots.report import write_report  # any run (segmentation / pose runs: mIoU / PCK per task)

    return write_report(run_dir, out, tasks, threshold, max_pictured, solutions=solutions)


def plan_lines(source: str, config: SolverConfig, limit: int = 1) -> list[str]:
    """What ``config`` builds for the first ``limit`` tasks of ``source`` (``arcvdm plan``), line by line.

    A recipe that runs no VDM (``search``) has nothing to plan: one line says so, before torch is imported.
    """
    loaded = select(load_tasks(source), None, limit)
    if not config.uses_vdm:
        return [f"recipe {config.name} runs no VDM (sample.enabled and score.enabled are false): nothing to plan; "
                "its program search needs no model, its budget is search.max_applications (a count)"]
    from arcvdm.plan import plan

    return [line for task in loaded.tasks for line in plan(config, task).lines()]


def pretrain(out: Path, minutes: float, settings: dict, init: Path | None = None, export_only: bool = False,
             progress: bool = True, echo: Callable[[str], None] = print) -> dict | Path:
    """``arcvdm pretrain``: train (``settings`` fill ``PretrainConfig``) or, with ``export_only``, export.

    The folders are checked before torch is imported: ``init`` counts only when ``out`` holds no checkpoint.
    """
    from arcvdm.weights import check_exported

    _check_folder(Path(out), "--out")
    has_checkpoint = (Path(out) / "checkpoint").is_dir()
    if export_only and not has_checkpoint:
        raise ConfigError(f"{out}: no checkpoint to export; run `arcvdm pretrain --out {out}` first")
    if not export_only and init is not None and not has_checkpoint:
        check_exported(Path(init))
    if not export_only and minutes <= 0:
        raise ConfigError(f"--minutes must be more than 0, got {minutes}")
    if export_only:
        from arcvdm import pretrain as trainer

        return trainer.export(Path(out))
    cfg = PretrainConfig(**settings)
    if cfg.generated:
        check_generated_folder(cfg.generated)
    from arcvdm import pretrain as trainer

    return trainer.pretrain(Path(out), minutes, cfg, progress=progress, echo=echo, init=init)


def parse_depth(text: str) -> tuple[int, int]:
    """``--depth``: one number ("2") or a range ("1-3") of program steps, 1 to 3."""
    parts = text.split("-")
    try:
        low, high = (int(parts[0]), int(parts[-1])) if len(parts) in (1, 2) else (0, 0)
    except ValueError:
        low = high = 0
    if not 1 <= low <= high <= 3:
        raise ConfigError(f"--depth {text!r}: give a number of program steps 1-3 or a range such as 1-3")
    return low, high


def generate(out: Path, count: int, seed: int = 0, depth: str = "1-3", kinds: str | None = None,
             kaggle: bool = False, progress: bool = True) -> tuple[object, list[Path]]:
    """Generate ``count`` tasks with ``seed`` and write them into ``out`` (``arcvdm.generate.write``);
    returns (``engine.Generated``, written paths). ``kinds``: comma-separated input kinds (default all)."""
    from tqdm.auto import tqdm

    from arcvdm.generate.engine import GenerateConfig, generate_tasks
    from arcvdm.generate.inputs import INPUTS
    from arcvdm.generate.write import TaskWriter

    low, high = parse_depth(depth)
    chosen = tuple(k for k in kinds.split(",") if k) if kinds else tuple(INPUTS)
    cfg = GenerateConfig(count=count, seed=seed, min_depth=low, max_depth=high, kinds=chosen)
    writer = TaskWriter(Path(out), cfg)  # a bad --out is refused before any task is drawn
    with tqdm(total=count, desc="generate", unit="task", disable=not progress) as bar:
        generated = generate_tasks(cfg, progress=bar.update, on_kept=writer.add)
    return generated, writer.finish(generated, kaggle)


def gallery(folder: Path, output: Path | None = None, count: int = 24, seed: int = 0) -> Path:
    """Write the HTML gallery of a generated folder (``arcvdm.generate.gallery``)."""
    from arcvdm.generate.gallery import write_gallery

    return write_gallery(folder, output, count, seed)
