"""Several processes on one run folder: claims, ``accelerate launch``, a killed process, the deadline.

The two-process test really runs ``accelerate launch --multi_gpu --num_processes 2 -m arcvdm.cli submit`` on
this CPU-only machine: accelerate hands the processes to torchrun, and ``arcvdm.distributed`` asks for the
gloo backend (``PartialState(cpu=True)``); accelerate's own ``--cpu`` mode starts several processes only
through mpirun. Every solve uses the ``toy`` recipe at one training and one sampling step (about half a
second a task), so the file runs in about a minute.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arcvdm.claims import Claim, Claims
from arcvdm.cli import app
from arcvdm.deadline import Deadline, parse_duration
from arcvdm.distributed import ProcessInfo, plain_process
from arcvdm.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "tasks"
IDS = sorted(p.stem for p in DATA.glob("*.json"))   # 25ff71a9, a85d4709, d037b0a7, d10ecb37
# The toy VDM (random weights) at one LoRA step and one sampling step: the real code path, LoRA training
# through accelerate's Accelerator included, in about half a second a task.
FAST = ["--solver", "toy", "--set", "train.steps=1", "--set", "sample.num_steps=1", "-q"]
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}

runner = CliRunner()


def finished_lines(run: Path) -> list[str]:
    return [line for line in (run / "log.txt").read_text().splitlines() if " finished " in line]


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The submission of one plain process: the reference every other way of running must reproduce."""
    base = tmp_path_factory.mktemp("single")
    result = runner.invoke(app, ["submit", str(DATA), "-o", str(base / "sub.json"), "--out", str(base / "run"), *FAST])
    assert result.exit_code == 0, result.output
    return json.loads((base / "sub.json").read_text())


def test_two_accelerate_processes_give_the_single_process_submission(single: dict, tmp_path: Path) -> None:
    run, sub = tmp_path / "run", tmp_path / "sub.json"
    cmd = ["accelerate", "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no",
           "-m", "arcvdm.cli", "submit", str(DATA), "-o", str(sub), "--out", str(run), *FAST]
    done = subprocess.run(cmd, env=ENV, cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(sub.read_text()) == single
    # Each task finished exactly once, and the log names the process that did it; both processes worked.
    lines = finished_lines(run)
    assert sorted(line.split(" finished ")[1].split()[0] for line in lines) == IDS
    assert any("by process 0/2" in line for line in lines) and any("by process 1/2" in line for line in lines)
    assert list((run / "claims").iterdir()) == []           # every claim released with its result
    assert json.loads((run / "summary.json").read_text())["finished"] == len(IDS)


KILLABLE = """
import sys, time
import arcvdm.solve
real = arcvdm.solve.Solver.solve
def stuck(self, task, **kwargs):
    if task.id == "d037b0a7":
        time.sleep(600)   # killed here, holding the claim of d037b0a7
    return real(self, task, **kwargs)
arcvdm.solve.Solver.solve = stuck
from arcvdm.cli import app
app(sys.argv[1:])
"""


def test_a_killed_process_is_taken_over_and_nothing_is_solved_twice(single: dict, tmp_path: Path) -> None:
    run, sub = tmp_path / "run", tmp_path / "sub.json"
    args = ["submit", str(DATA), "-o", str(sub), "--out", str(run), *FAST]
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, *args], env=ENV, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        claim = run / "claims" / "d037b0a7.json"
        deadline = time.monotonic() + 120
        while not (claim.is_file() and claim.stat().st_size > 0):
            assert proc.poll() is None and time.monotonic() < deadline, "the process never reached d037b0a7"
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    before = {p.name: p.stat().st_mtime_ns for p in (run / "results").glob("*.json")}
    assert sorted(before) == ["25ff71a9.json", "a85d4709.json"]

    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(sub.read_text()) == single
    log = (run / "log.txt").read_text()
    assert f"took over d037b0a7: owner pid {proc.pid}" in log
    for name, stamp in before.items():  # finished results are never redone
        assert (run / "results" / name).stat().st_mtime_ns == stamp
    assert sorted(line.split(" finished ")[1].split()[0] for line in finished_lines(run)) == IDS


def _me(session: str = "s1", pid: int | None = None) -> ProcessInfo:
    me = plain_process()
    return ProcessInfo(0, 1, 0, me.host, os.getpid() if pid is None else pid, None, session)


def _plant(claims: Claims, task_id: str, **changes) -> None:
    fields = {"task_id": task_id, "host": claims.me.host, "pid": os.getppid(), "rank": 0, "session": "other",
              "started": time.time(), **changes}
    claims.path(task_id).write_text(json.dumps(Claim(**fields).__dict__))


@pytest.mark.parametrize(
    "case, planted, age, taken, reason",
    [
        ("live owner on this host", {}, 0, False, None),
        ("owner pid gone", {"pid": 2**22 + 12345}, 0, True, "is gone"),
        ("no heartbeat, other host", {"host": "elsewhere"}, 700, True, "no heartbeat"),
        ("heartbeat fresh, other host", {"host": "elsewhere"}, 10, False, None),
        ("same pid, earlier session", {"pid": "self"}, 0, True, "earlier run in this process"),
        ("failed in this launch", {"state": "failed", "reason": "bad", "session": "s1"}, 0, False, None),
        ("failed in an earlier run", {"state": "failed", "reason": "bad"}, 0, True, "failed in an earlier run"),
    ],
)
def test_which_claims_are_taken_over(tmp_path: Path, case: str, planted: dict, age: float, taken: bool, reason) -> None:
    claims = Claims(tmp_path, _me())
    if planted.get("pid") == "self":
        planted = {**planted, "pid": os.getpid()}
    _plant(claims, "t", **planted)
    stamp = time.time() - age
    os.utime(claims.path("t"), (stamp, stamp))
    got, why = claims.acquire("t")
    assert got is taken, case
    assert (why is None) if reason is None else (reason in why), (case, why)
    if taken:
        assert claims.read("t").session == "s1"  # the claim is ours now
    claims.close()


def test_a_takeover_in_progress_elsewhere_is_left_alone(tmp_path: Path) -> None:
    first, second = Claims(tmp_path, _me("a")), Claims(tmp_path, _me("b", pid=os.getppid()))
    _plant(first, "t", pid=2**22 + 12345)                  # a dead owner
    lock = first.dir / "t.takeover"
    lock.touch()                                            # another process is taking it over right now
    assert second.acquire("t") == (False, None)
    lock.unlink()
    got, why = first.acquire("t")
    assert got and "is gone" in why
    assert second.acquire("t") == (False, None)            # now held by a live owner (this test)
    assert first.read("t").session == "a" and not lock.exists()


def test_a_failed_task_is_recorded_in_its_claim_for_this_launch_only(tmp_path: Path) -> None:
    claims = Claims(tmp_path, _me("a"))
    assert claims.acquire("t") == (True, None)
    claims.mark_failed("t", "task t: bad grid", crashed=False)
    assert claims.failed_here("t").reason == "task t: bad grid"
    later = Claims(tmp_path, _me("b"))
    assert later.failed_here("t") is None and later.acquire("t")[0] is True


@pytest.mark.parametrize("text, seconds", [("11h", 39600), ("30m", 1800), ("90s", 90), ("1h30m", 5400), ("2.5h", 9000)])
def test_deadline_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "11", "11x", "h", "0s", "1h-3m"])
def test_bad_deadline_durations_name_the_value(text: str) -> None:
    with pytest.raises(ConfigError, match="--deadline"):
        parse_duration(text)


@pytest.mark.parametrize(
    "left, full, tasks_after, processes, mode",
    [
        (3600, [], 10, 1, "full"),           # nothing known yet: go ahead
        (3600, [600], 5, 1, "full"),         # 600 + 5 * 30 fits
        (3600, [600], 200, 1, "fallback"),   # 600 + 200 * 30 does not: cheaper from now on
        (3600, [600], 200, 8, "full"),       # ... but it does with 8 processes sharing the rest
        (20, [600], 0, 1, "input"),          # not even the fallback fits
        (-5, [], 0, 1, "input"),             # inside the margin
    ],
)
def test_deadline_choices(left: float, full: list, tasks_after: int, processes: int, mode: str) -> None:
    clock = Deadline(10_000.0, start=0.0, full_seconds=full)
    now = clock.seconds - clock.margin - left
    assert clock.choose(tasks_after, processes, now=now) == mode


def test_a_tiny_deadline_still_writes_a_complete_submission_and_records_the_cuts(single: dict, tmp_path: Path) -> None:
    run, sub = tmp_path / "run", tmp_path / "sub.json"
    result = runner.invoke(app, ["submit", str(DATA), "-o", str(sub), "--out", str(run), "--deadline", "1s", *FAST])
    assert result.exit_code == 0, result.output
    written = json.loads(sub.read_text())
    assert sorted(written) == sorted(single) and all(len(written[t]) == len(single[t]) for t in single)
    cut = json.loads((run / "summary.json").read_text())["cut_by_deadline"]
    assert sorted(cut) == IDS and all("test inputs" in why for why in cut.values())
    for task_id in IDS:
        notes = json.loads((run / "results" / f"{task_id}.json").read_text())["notes"]
        assert any(n.startswith("deadline:") for n in notes)
    assert (run / "log.txt").read_text().count("cut ") == len(IDS)


def test_the_fallback_recipe_answers_a_cut_task(tmp_path: Path) -> None:
    from arcvdm.jobs import resolve_config, within_deadline
    from arcvdm.runs import RunDir
    from arcvdm.sources import load_tasks

    def must_not_solve(task):
        raise AssertionError("the full recipe ran past the deadline")

    from arcvdm.deadline import input_result

    tasks = load_tasks(str(DATA)).tasks
    run = RunDir(tmp_path / "run")
    cheap = resolve_config("search", ["search.max_depth=1", "search.max_applications=300"])
    run.open(cheap)
    earlier = input_result(tasks[0], "a full solve from an earlier run")
    earlier.seconds = 7200.0                            # a full task took longer than the whole budget
    run.save_result(earlier)
    clock = Deadline(3600.0)
    result = within_deadline(must_not_solve, clock, cheap, tasks, run, plain_process())(tasks[2])
    assert clock.full_seconds == [7200.0]               # learnt from the resumed run's result
    assert any("answered by the 'search' recipe" in n for n in result.notes)
    assert result.predictions[0].candidates, "the fallback proposed its own answers"


@pytest.mark.parametrize("recipe, launched, placed", [
    (None, "cuda:3", "cuda:3"), ("cuda", "cuda:3", "cuda:3"), ("cpu", "cuda:3", "cpu"), ("cuda:1", "cuda:3", "cuda:1"),
    (None, None, None),   # not launched: the recipe's rule (cuda when available) as before
])
def test_each_launched_process_builds_on_its_own_device(recipe, launched, placed) -> None:
    import dataclasses

    from arcvdm.distributed import device_config
    from arcvdm.jobs import resolve_config

    config = resolve_config("toy")
    config = dataclasses.replace(config, backbone=dataclasses.replace(config.backbone, device=recipe))
    process = dataclasses.replace(plain_process(), rank=3, world=4, local_rank=3, device=launched)
    assert device_config(config, process).backbone.device == placed
    assert config.backbone.device == recipe   # the run folder's config.json is left as the recipe says


def test_a_bad_deadline_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["submit", str(DATA), "-o", str(tmp_path / "s.json"), "--deadline", "soon", *FAST])
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        "error: --deadline 'soon': write a duration as hours, minutes and seconds, e.g. 11h, 30m, 90s or 1h30m"
    ]
