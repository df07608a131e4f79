"""Durable runs: a folder per run, one result file per task written as soon as the task finishes.

Layout of a run folder::

    config.json              the resolved solver config (a rerun must match it to resume)
    log.txt                  one line per event (the code's commit at each start); full tracebacks of crashed tasks
    results/<stem>.json      a finished task (TaskResult.to_json), written atomically
    results/<stem>.npz       frames kept for plots (optional)
    claims/<stem>.json       a task some process is solving now, or that failed (``arcvdm.claims``)

``<stem>`` is the task id when it is a plain file name, else a hashed name (``tasks.id_file_stem``):
a task id never chooses where a file goes, and every file stays inside the run folder.
    summary.json             counts, seconds, failures, the code's commit, the task source (``source``,
                             ``solutions``: absolute paths or a dataset name) and, when the truth is known,
                             the score (rewritten at the end of each run; ``arcvdm report`` reads it)

Running the same command again resumes: tasks with a result file are loaded, not solved again.
A task that fails (bad input or a crash) is logged and listed in the summary; the others go on.
Any number of processes may work on one run folder at once (``accelerate launch``, a second user, a
rerun next to a crashed one): each task is claimed before it is solved, so none is solved twice, and
the log names the process that finished each task.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm.auto import tqdm

from arcvdm.claims import Claims
from arcvdm.config import SolverConfig, to_dict
from arcvdm.distributed import plain_process
from arcvdm.errors import ArcvdmError, ConfigError
from arcvdm.results import RESULTS_DIR, TaskResult, finished_ids, read_result, result_path, run_folder
from arcvdm.jsonio import read_json, write_json_atomic
from arcvdm.provenance import code_commit, code_version
from arcvdm.tasks import Task, id_file_stem, shown_id


@dataclass
class RunOutcome:
    results: dict[str, TaskResult] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)   # task id -> one-line reason
    solved_now: list[str] = field(default_factory=list)      # ids solved in this invocation (not resumed)
    crashed: bool = False                                     # a failure was a bug, not bad input
    unfinished: list[str] = field(default_factory=list)       # ids still running in other processes when this one stopped


class RunDir:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.results_dir = self.path / RESULTS_DIR

    @classmethod
    def existing(cls, path: Path) -> "RunDir":
        """The run folder at ``path``, which must already hold ``results/`` (for readers: show, report)."""
        return cls(run_folder(path))

    def open(self, config: SolverConfig) -> None:
        """Create the folder, or check that an existing one was made with the same config."""
        self.results_dir.mkdir(parents=True, exist_ok=True)
        cfg_path = self.path / "config.json"
        resolved = to_dict(config)
        if cfg_path.is_file():
            previous = read_json(cfg_path, "run config", ConfigError)
            if previous != resolved:
                changed = sorted(k for k in resolved if previous.get(k) != resolved[k])
                raise ConfigError(
                    f"{self.path}: run folder was made with a different config (differs in: {', '.join(changed)}); "
                    "choose another --out to start a new run"
                )
        else:
            write_json_atomic(cfg_path, resolved)
        self.log(f"code {code_commit()} (arcvdm {code_version()})")

    def log(self, message: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with open(self.path / "log.txt", "a", encoding="utf-8") as f:
            f.write(f"{stamp} {message}\n")

    def result_path(self, task_id: str) -> Path:
        return result_path(self.path, task_id)

    def artifacts_path(self, task_id: str) -> Path:
        return self.results_dir / f"{id_file_stem(task_id)}.npz"

    def load_result(self, task_id: str) -> TaskResult | None:
        """The task's finished result, None when there is none; a corrupt file is an error naming it."""
        path = self.result_path(task_id)
        if not path.is_file():
            return None
        return read_result(path)

    def require_result(self, task_id: str) -> TaskResult:
        """The task's finished result; a missing one is an error naming the file and the tasks the run holds."""
        result = self.load_result(task_id)
        if result is None:
            held = [p.stem for p in sorted(self.results_dir.glob("*.json"))]  # file names: no file is parsed
            listing = ", ".join(held[:8]) + (", ..." if len(held) > 8 else "") if held else "none"
            raise ArcvdmError(f"{self.result_path(task_id)}: the run holds no result for task {task_id} (it holds: {listing})")
        return result

    def is_finished(self, task_id: str) -> bool:
        """True when the task has a readable result (a corrupt one will be solved again)."""
        try:
            return self.load_result(task_id) is not None
        except ArcvdmError:
            return False

    def finished_ids(self) -> list[str]:
        """Task ids of every result file in the run (read from the files), sorted."""
        return finished_ids(self.path)

    def save_result(self, result: TaskResult) -> None:
        if result.artifacts:
            final = self.artifacts_path(result.task_id)
            tmp = final.with_name(f".{final.stem}.tmp.npz")
            np.savez_compressed(tmp, **result.artifacts)
            tmp.replace(final)
        write_json_atomic(self.result_path(result.task_id), result.to_json())

    def load_artifacts(self, task_id: str) -> dict[str, np.ndarray]:
        path = self.artifacts_path(task_id)
        if not path.is_file():
            return {}
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (OSError, ValueError) as err:
            raise ArcvdmError(f"{path}: unreadable frames file ({err}); delete it to draw without frames") from None

    def write_summary(self, outcome: RunOutcome, extra: dict | None = None) -> None:
        seconds = [r.seconds for r in outcome.results.values()]
        summary = {
            "finished": len(outcome.results),
            "failed": len(outcome.failures),
            "failures": outcome.failures,
            "seconds_total": sum(seconds),
            "seconds_median": float(np.median(seconds)) if seconds else 0.0,
            "code": code_commit(),
            "version": code_version(),
            **(extra or {}),
        }
        write_json_atomic(self.path / "summary.json", summary)


def _load_or_none(run: RunDir, task_id: str) -> TaskResult | None:
    """The finished result, or None when there is none or it is damaged (handled once the task is claimed)."""
    try:
        return run.load_result(task_id)
    except ArcvdmError:
        return None


def run_tasks(
    tasks: list[Task],
    run: RunDir,
    solve: Callable[[Task], TaskResult],
    load_failures: list[tuple[str, str]] | None = None,
    progress: bool = True,
    echo: Callable[[str], None] = print,
    claims: Claims | None = None,
    wait_for_others: bool = True,
    stop_waiting: Callable[[], bool] | None = None,
    poll_seconds: float = 2.0,
) -> RunOutcome:
    """Solve every task not already finished in ``run``; keep going past failures.

    Each task is claimed first (``claims``; a private set when None), so any number of processes can work
    on one run folder: each solves what it claims, and tasks claimed by others are waited for when
    ``wait_for_others`` (the main process; a launch's other processes leave once nothing is left to claim).
    ``stop_waiting`` (e.g. a deadline) ends that wait; the tasks still running elsewhere are then listed
    in ``outcome.unfinished``.
    """
    own_claims = claims is None
    claims = claims or Claims(run.path, plain_process())
    me = claims.me
    outcome = RunOutcome()
    for task_id, reason in load_failures or []:
        outcome.failures[task_id] = reason
        if me.is_main:  # every process read the same files: the main one reports them
            run.log(f"FAILED to load {shown_id(task_id)}: {reason}")
            echo(f"error: {reason}")
    pending = []
    for task in tasks:
        done = _load_or_none(run, task.id)
        if done is not None:
            outcome.results[task.id] = done
        else:
            pending.append(task)
    if outcome.results:
        run.log(f"resuming: {len(outcome.results)} task(s) already finished, {len(pending)} to go ({me.label})")
    total = len(tasks)
    bar = tqdm(total=total, initial=len(outcome.results), desc=f"tasks p{me.rank}" if me.launched else "tasks",
               unit="task", disable=not progress or total < 2, position=me.local_rank if me.launched else None)
    try:
        while pending:
            waiting: list[Task] = []
            for task in pending:
                got, takeover = claims.acquire(task.id)
                if not got:
                    waiting.append(task)
                    continue
                if takeover:
                    run.log(f"{me.label} took over {shown_id(task.id)}: {takeover}")
                _solve_claimed(task, run, solve, claims, outcome, echo)
                bar.n = len(outcome.results) + _count_finished_elsewhere(run, tasks, outcome)
                bar.set_postfix(mine=len(outcome.solved_now), refresh=False)
                bar.refresh()
            pending = _still_pending(waiting, run, claims, outcome)
            if not pending:
                break
            if not wait_for_others:
                run.log(f"{me.label}: nothing left to claim; {len(pending)} task(s) still running in other processes")
                outcome.unfinished = [t.id for t in pending]
                break
            if stop_waiting is not None and stop_waiting():
                outcome.unfinished = [t.id for t in pending]
                run.log(f"{me.label}: stopped waiting for {len(pending)} task(s) still running elsewhere: "
                        + ", ".join(shown_id(t.id) for t in pending))
                break
            bar.n = len(outcome.results)
            bar.refresh()
            time.sleep(poll_seconds)
    finally:
        bar.close()
        if own_claims:
            claims.close()
    run.log(f"{me.label}: solved {len(outcome.solved_now)} task(s); {len(outcome.results)}/{total} done overall"
            + (f", {len(outcome.failures)} failed" if outcome.failures else ""))
    return outcome


def _count_finished_elsewhere(run: RunDir, tasks: list[Task], outcome: RunOutcome) -> int:
    """Result files written by other processes that this one has not read yet (for the overall progress)."""
    return sum(1 for t in tasks if t.id not in outcome.results and run.result_path(t.id).is_file())


def _still_pending(waiting: list[Task], run: RunDir, claims: Claims, outcome: RunOutcome) -> list[Task]:
    """Of the tasks claimed by others: read the finished ones, record the ones that failed in this launch."""
    left = []
    for task in waiting:
        done = _load_or_none(run, task.id)
        failed = claims.failed_here(task.id) if done is None else None
        if done is not None:
            outcome.results[task.id] = done
        elif failed is not None:
            outcome.failures[task.id] = failed.reason
            outcome.crashed |= failed.crashed
        else:
            left.append(task)
    return left


def _solve_claimed(task: Task, run: RunDir, solve: Callable[[Task], TaskResult], claims: Claims,
                   outcome: RunOutcome, echo: Callable[[str], None]) -> None:
    """Solve one claimed task (unless another process finished it meanwhile) and save or record the failure."""
    me = claims.me
    try:
        done = run.load_result(task.id)
    except ArcvdmError as err:  # keep the damaged file aside, never delete it, and solve the task again
        aside = run.result_path(task.id).with_suffix(".json.corrupt")
        run.result_path(task.id).replace(aside)
        run.log(f"{err}; moved to {aside.name}, solving {shown_id(task.id)} again")
        echo(f"warning: {err}; moved to {aside.name}, solving task {shown_id(task.id)} again")
        done = None
    if done is not None:  # finished by another process between our look and our claim
        claims.release(task.id)
        outcome.results[task.id] = done
        return
    try:
        result = solve(task)
    except ArcvdmError as err:
        outcome.failures[task.id] = str(err)
        claims.mark_failed(task.id, str(err), crashed=False)
        run.log(f"FAILED {shown_id(task.id)}: {err} ({me.label})")
        echo(f"error: task {shown_id(task.id)}: {err}")
        return
    except Exception as err:  # a bug: keep the traceback in the log, keep the run going
        outcome.failures[task.id] = f"{type(err).__name__}: {err}"
        outcome.crashed = True
        claims.mark_failed(task.id, outcome.failures[task.id], crashed=True)
        run.log(f"CRASHED {shown_id(task.id)}: {type(err).__name__}: {err} ({me.label})\n{traceback.format_exc()}")
        echo(f"error: task {shown_id(task.id)} crashed ({type(err).__name__}: {err}); traceback in {run.path / 'log.txt'}")
        return
    run.save_result(result)
    claims.release(task.id)
    run.log(f"finished {shown_id(task.id)} in {result.seconds:.1f}s by {me.label}")
    for note in result.notes:
        run.log(f"note {shown_id(task.id)}: {note}")
        echo(f"warning: task {shown_id(task.id)}: {note}")
    outcome.results[task.id] = result
    outcome.solved_now.append(task.id)
