"""The command line, through typer's CliRunner: outputs, resume, exit codes and one-line errors.

Exit codes: 0 all good; 2 bad input (one ``error:`` line, no traceback); 1 a task crashed (a bug;
the other tasks still finish and keep their results).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import arcvdm.solve
from arcvdm.cli import app
from arcvdm.config import to_dict
from arcvdm.jobs import resolve_config
from arcvdm.provenance import code_commit
from arcvdm.solve import TaskResult

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"
TASK_FILE = DATA / "d037b0a7.json"
GOOD_IDS = sorted(p.stem for p in DATA.glob("*.json"))
TINY = ["train.steps=1", "sample.num_steps=1"]
TINY_ARGS = ["--solver", "toy", "--set", TINY[0], "--set", TINY[1], "-q"]

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def assert_clean_failure(result, code: int = 2) -> str:
    """Exit ``code`` with exactly one 'error:' line and no traceback; returns that line."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = error_lines(result)
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a command writes by default (runs/, submissions/) lands in the repository."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory):
    """One `arcvdm solve` of a sample task into a fresh run folder."""
    out = tmp_path_factory.mktemp("cli") / "run"
    return invoke("solve", TASK_FILE, *TINY_ARGS, "--out", out), out


@pytest.fixture(scope="module")
def task_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample tasks plus one malformed file."""
    folder = tmp_path_factory.mktemp("tasks")
    for f in DATA.glob("*.json"):
        shutil.copy(f, folder / f.name)
    (folder / "bad.json").write_text('{"train": [{"input": [[1, 2]', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def submitted(task_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("submit")
    sub = base / "submission.json"
    return invoke("submit", task_dir, "-o", sub, "--out", base / "run", *TINY_ARGS), sub


def test_help_lists_the_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("solve", "submit", "score", "eval", "render", "solvers"):
        assert command in result.output


def test_solvers_lists_the_recipes() -> None:
    result = invoke("solvers")
    assert result.exit_code == 0
    assert "toy" in result.output and "default" in result.output


def test_solve_prints_attempts_and_writes_the_run_folder(solved) -> None:
    result, out = solved
    assert result.exit_code == 0, result.output
    assert "d037b0a7 test 1: attempt_1" in result.stdout
    assert "d037b0a7 test 1: attempt_2" in result.stdout
    assert "ARC Prize score" in result.stdout  # the sample task ships its test output
    config = json.loads((out / "config.json").read_text())
    assert config == to_dict(resolve_config("toy", TINY))
    res = TaskResult.from_json(json.loads((out / "results" / "d037b0a7.json").read_text()))
    assert res.task_id == "d037b0a7" and len(res.predictions) == 1
    assert res.predictions[0].attempt_1.shape[0] >= 1
    summary = json.loads((out / "summary.json").read_text())
    assert summary["finished"] == 1 and summary["failed"] == 0
    # the code that made the run: this checkout's commit, in the summary and the log
    assert summary["code"] == code_commit()
    assert f"code {code_commit()}" in (out / "log.txt").read_text()


def test_solve_again_resumes_without_solving(solved, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = solved
    result_file = out / "results" / "d037b0a7.json"
    before = result_file.stat().st_mtime_ns

    def must_not_solve(self, task, **kwargs):
        raise AssertionError(f"resumed run solved {task.id} again")

    monkeypatch.setattr(arcvdm.solve.Solver, "solve", must_not_solve)
    result = invoke("solve", TASK_FILE, *TINY_ARGS, "--out", out)
    assert result.exit_code == 0, result.output
    assert result_file.stat().st_mtime_ns == before
    assert "resuming" in (out / "log.txt").read_text()
    assert "d037b0a7 test 1: attempt_1" in result.stdout  # the stored attempts are still printed


def test_a_changed_setting_on_the_same_run_folder_is_refused(solved) -> None:
    _, out = solved
    config_before = (out / "config.json").read_text()
    result = invoke("solve", TASK_FILE, "--solver", "toy", "--set", "train.steps=2", "--set", TINY[1], "-q", "--out", out)
    line = assert_clean_failure(result)
    assert "differs in: train" in line and "sample" not in line.split("differs in:")[1]
    assert (out / "config.json").read_text() == config_before


def test_submit_past_a_malformed_file(submitted, task_dir: Path) -> None:
    result, sub = submitted
    line = assert_clean_failure(result)
    assert "bad.json" in line
    data = json.loads(sub.read_text())
    # the message counts what the file holds: every task, the unreadable one included
    assert len(data) == len(GOOD_IDS) + 1
    assert f"{len(GOOD_IDS) + 1} tasks: {len(GOOD_IDS)} solved by the run, 1 failed to load (1x1 placeholder attempts)" in result.stdout
    assert set(GOOD_IDS) <= set(data)
    for tid in GOOD_IDS:
        num_tests = len(json.loads((task_dir / f"{tid}.json").read_text())["test"])
        assert len(data[tid]) == num_tests
        for e in data[tid]:
            assert set(e) == {"attempt_1", "attempt_2"}
            assert all(isinstance(row, list) and row for row in e["attempt_1"] + e["attempt_2"])


def test_score_a_submission_against_task_files(submitted, task_dir: Path) -> None:
    _, sub = submitted
    result = invoke("score", sub, task_dir)
    assert "ARC Prize score" in result.stdout
    assert f"over {len(GOOD_IDS)} tasks" in result.stdout
    # The malformed answer file is reported, not silently left out of the score.
    line = assert_clean_failure(result)
    assert "bad.json" in line


def test_score_against_clean_task_files(submitted, tmp_path: Path) -> None:
    _, sub = submitted
    # The submission lists the unloadable task too (complete); scoring it against tasks without it is refused.
    line = assert_clean_failure(invoke("score", sub, DATA))
    assert "bad" in line and "does not" in line
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({k: v for k, v in json.loads(sub.read_text()).items() if k != "bad"}))
    result = invoke("score", clean, DATA)
    assert result.exit_code == 0, result.output
    assert "ARC Prize score" in result.stdout and f"over {len(GOOD_IDS)} tasks" in result.stdout


def _write_bad_json(folder: Path) -> Path:
    path = folder / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    return path


# (case, arguments, what the one error line must name)
BAD_INPUTS = [
    ("unknown-solver", ["solve", TASK_FILE, "--solver", "nosuchsolver"], "nosuchsolver"),
    ("unknown-dataset", ["solve", "arc9-eval", *TINY_ARGS], "arc9-eval"),
    ("missing-file", ["solve", "/nonexistent/task.json", *TINY_ARGS], "/nonexistent/task.json"),
    ("malformed-json", ["solve", "BAD_JSON", *TINY_ARGS], "broken.json"),
    ("unknown-key", ["solve", TASK_FILE, "--solver", "toy", "--set", "nonexistent.key=1"], "nonexistent"),
    (
        "missing-weights",
        ["solve", TASK_FILE, "--solver", "toy", "--set", 'backbone.name="wan22"', "--model", "/nonexistent", "-q"],
        "weights folder /nonexistent",
    ),
    ("score-missing-submission", ["score", "/nonexistent/submission.json", DATA], "/nonexistent/submission.json"),
]


@pytest.mark.parametrize(("case", "args", "fragment"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_one_error_line_and_exit_2(tmp_path: Path, case: str, args: list, fragment: str) -> None:
    args = [_write_bad_json(tmp_path) if a == "BAD_JSON" else a for a in args]
    result = invoke(*args, "--out", tmp_path / "run") if args[0] == "solve" else invoke(*args)
    line = assert_clean_failure(result)
    assert fragment in line


def test_a_crash_in_one_task_keeps_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_solve = arcvdm.solve.Solver.solve

    def flaky(self, task, **kwargs):
        if task.id == "a85d4709":
            raise RuntimeError("boom")
        return real_solve(self, task, **kwargs)

    monkeypatch.setattr(arcvdm.solve.Solver, "solve", flaky)
    out = tmp_path / "run"
    result = invoke("solve", DATA, *TINY_ARGS, "--out", out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [line] = error_lines(result)
    assert "a85d4709" in line and "RuntimeError" in line and "log.txt" in line
    assert sorted(p.stem for p in (out / "results").glob("*.json")) == [i for i in GOOD_IDS if i != "a85d4709"]
    log = (out / "log.txt").read_text()
    assert "CRASHED a85d4709" in log and "Traceback" in log and "boom" in log
    summary = json.loads((out / "summary.json").read_text())
    assert summary["finished"] == len(GOOD_IDS) - 1 and "a85d4709" in summary["failures"]


# -- options in any position, readable help, one meaning per option name ------------------------------
TORCH_COMMANDS = {  # a command that runs torch -> arguments that stop at a missing file, before any work
    "solve": ["solve", "/nonexistent/task.json"],
    "submit": ["submit", "/nonexistent/challenges.json"],
    "eval": ["eval", "/nonexistent/tasks"],
    "render": ["render", "/nonexistent/task.json"],
    "plan": ["plan", "/nonexistent/task.json"],
    "pretrain": ["pretrain", "--init", "/nonexistent/weights"],
}


@pytest.mark.parametrize("name", sorted(TORCH_COMMANDS))
def test_threads_is_accepted_after_every_command_that_runs_torch(name: str) -> None:
    line = assert_clean_failure(invoke(*TORCH_COMMANDS[name], "--threads", "1"))
    assert "/nonexistent/" in line  # the option parsed, the missing file answered
    line = assert_clean_failure(invoke(*TORCH_COMMANDS[name], "--threads", "0"))
    assert "--threads must be at least 1, got 0" in line


def test_threads_before_the_command_still_works() -> None:
    line = assert_clean_failure(invoke("--threads", "1", *TORCH_COMMANDS["solve"]))
    assert "/nonexistent/task.json" in line


def _command_names() -> list[str]:
    from typer.main import get_command

    return sorted(get_command(app).commands)


@pytest.mark.parametrize("name", [None, *_command_names()])
def test_help_shows_what_to_type(name: str | None) -> None:
    result = runner.invoke(app, [name, "--help"] if name else ["--help"])
    assert result.exit_code == 0, result.output
    # a flag takes no value, so no type beside it; a list option shows what one item looks like
    assert "<bool>" not in result.output and "<list" not in result.output, result.output


def test_a_flag_is_a_flag_everywhere() -> None:
    from typer.main import get_command

    for name, command in get_command(app).commands.items():
        for param in command.params:
            if getattr(param, "is_flag", False):
                assert not param.hidden and param.default is False, (name, param.name)
    wrong = invoke("solve", TASK_FILE, "--quiet", "true")  # a flag takes no value: "true" is one argument too many
    assert wrong.exit_code == 2 and "unexpected extra argument" in wrong.output


def test_solvers_shows_whole_sentences() -> None:
    result = runner.invoke(app, ["solvers"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    entries: dict[str, str] = {}
    for line in result.stdout.splitlines():
        assert len(line) <= 100, line
        if line.startswith(" "):
            entries[last] += " " + line.strip()
        else:
            last, _, text = line.partition(" ")
            entries[last] = text.strip()
    assert entries["default"].endswith("shipped with arcvdm).")  # the line used to stop at "shipped"
    assert all(text.endswith((".", ")")) for text in entries.values()), entries
    full = runner.invoke(app, ["solvers", "--full"])
    assert "Command: arcvdm solve TASK." in " ".join(full.stdout.split())


def test_a_wrong_type_in_set_names_the_key_and_the_type() -> None:
    line = assert_clean_failure(invoke("solve", TASK_FILE, "--solver", "toy", "--set", "train.steps=abc"))
    assert line == "error: --set train.steps: 'abc' is not an integer"
    line = assert_clean_failure(invoke("solve", TASK_FILE, "--solver", "toy", "--set", "backbone.height=big"))
    assert line.endswith("backbone.height: 'big' is not an integer or none")


def test_out_names_a_folder_and_o_a_file(tmp_path: Path) -> None:
    # pretrain --export stops at once when the folder holds no checkpoint, and names the folder it read
    folder = tmp_path / "pretraining"
    line = assert_clean_failure(invoke("pretrain", "--export", "--out", folder))
    assert str(folder) in line
    old = invoke("pretrain", "--export", "-o", folder)  # the old spelling still reaches the same option
    assert assert_clean_failure(old) == line
    assert f"warning: -o here is deprecated; write --out {folder}" in old.stderr
    both = assert_clean_failure(invoke("pretrain", "--export", "-o", folder, "--out", folder))
    assert "give --out only" in both
    from typer.main import get_command

    for name in ("solve", "eval", "render", "pretrain"):  # the --help of --out says so
        [out_option] = [p for p in get_command(app).commands[name].params if "--out" in p.opts]
        assert "-o is the old spelling (deprecated" in out_option.help
    # show writes a file: --output / -o; --out is its old spelling
    picture = tmp_path / "task.svg"
    shown = invoke("show", TASK_FILE, "--out", picture)
    assert shown.exit_code == 0, shown.output
    assert picture.is_file() and "deprecated" in shown.stderr


def test_show_writes_under_runs_by_default(tmp_path: Path) -> None:
    result = invoke("show", TASK_FILE)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "runs" / "show" / "d037b0a7.png").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs"]


def test_python_dash_m_arcvdm_is_the_command() -> None:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-m", "arcvdm", "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Usage: arcvdm" in done.stdout and "solve" in done.stdout


def test_score_against_one_task_file(tmp_path: Path) -> None:
    task = json.loads(TASK_FILE.read_text())
    sub = tmp_path / "sub.json"
    sub.write_text(json.dumps({"d037b0a7": [{"attempt_1": t["output"], "attempt_2": t["output"]} for t in task["test"]]}))
    result = invoke("score", sub, TASK_FILE)
    assert result.exit_code == 0, result.output
    assert "ARC Prize score 100.00% over 1 tasks" in result.stdout


def test_plan_says_at_once_that_a_recipe_without_a_vdm_has_nothing_to_plan() -> None:
    result = invoke("plan", TASK_FILE, "--solver", "search")
    assert result.exit_code == 0, result.output
    assert "nothing to plan" in result.stdout and "runs no VDM" in result.stdout
    line = assert_clean_failure(invoke("plan", "/nonexistent/task.json", "--solver", "search"))
    assert "/nonexistent/task.json" in line  # a bad path is still bad input
