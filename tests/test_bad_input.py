"""Bad input, every command: one ``error:`` line naming the file or key and the rule, exit 2, nothing lost.

One table, one row per case. Each row builds its input in a temporary folder (``setup``), runs the
command through typer's CliRunner, and checks: exit code 2, exactly one ``error:`` line, no traceback,
the line names what the row says, and every file that was there before (finished results, configs)
is still there, byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from typer.testing import CliRunner

from arcvdm.cli import app
from arcvdm.results import TaskResult, TestPrediction as Prediction
from arcvdm.vote import Candidate

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"
TASK_FILE = DATA / "d037b0a7.json"
TINY = ["--solver", "toy", "--set", "train.steps=1", "--set", "sample.num_steps=1", "-q"]

runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def task_json(**changes) -> dict:
    data = json.loads(TASK_FILE.read_text())
    data.update(changes)
    return data


def a_run(folder: Path) -> Path:
    """A run folder holding one finished result for d037b0a7 (no model needed)."""
    run = folder / "run"
    grid = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    result = TaskResult("d037b0a7", [Prediction(grid, grid, [Candidate(grid, 1, 0.5, [0])])])
    write(run / "results" / "d037b0a7.json", json.dumps(result.to_json()))
    write(run / "config.json", "{}")
    return run


def a_submission(folder: Path, entries: dict) -> Path:
    return write(folder / "sub.json", json.dumps(entries))


def sample_answers() -> dict:
    """The sample tasks' test outputs as a Kaggle solutions object."""
    out = {}
    for f in sorted(DATA.glob("*.json")):
        out[f.stem] = [ex["output"] for ex in json.loads(f.read_text())["test"]]
    return out


def right_submission() -> dict:
    return {tid: [{"attempt_1": g, "attempt_2": g} for g in grids] for tid, grids in sample_answers().items()}


def _solutions(folder: Path) -> Path:
    return write(folder / "solutions.json", json.dumps(sample_answers()))


def _without(entries: dict, tid: str) -> dict:
    return {k: v for k, v in entries.items() if k != tid}


# Each row: (case, setup(tmp) -> argument list, fragments the one error line must contain)
Setup = Callable[[Path], list]
CASES: list[tuple[str, Setup, list[str]]] = [
    # -- solve: sources, tasks and grids ------------------------------------------------------------
    ("solve-missing-file", lambda t: ["solve", t / "nope.json", *TINY], ["nope.json", "no such file"]),
    ("solve-unknown-dataset", lambda t: ["solve", "arc9-eval", *TINY], ["arc9-eval", "dataset"]),
    ("solve-malformed-json", lambda t: ["solve", write(t / "b.json", "{oops"), *TINY], ["b.json", "malformed JSON"]),
    ("solve-bad-colour", lambda t: ["solve", write(t / "c.json", json.dumps(task_json(test=[{"input": [[0, 12]]}]))), *TINY],
     ["c.json", "test[0].input", "12", "colours must be integers 0-9"]),
    ("solve-ragged-grid", lambda t: ["solve", write(t / "r.json", json.dumps(task_json(test=[{"input": [[0, 1], [2]]}]))), *TINY],
     ["r.json", "ragged"]),
    ("solve-too-large-grid", lambda t: ["solve", write(t / "l.json", json.dumps(task_json(test=[{"input": [[0] * 31]}]))), *TINY],
     ["l.json", "1x31", "at most 30x30"]),
    ("solve-no-train", lambda t: ["solve", write(t / "n.json", json.dumps(task_json(train=[]))), *TINY], ["n.json", "'train'"]),
    ("solve-unknown-task-id", lambda t: ["solve", DATA, *TINY, "--tasks", "zzzz0000"], ["zzzz0000", "not found"]),
    ("solve-limit-zero", lambda t: ["solve", DATA, *TINY, "--limit", "0"], ["--limit", "at least 1"]),
    # -- recipes and --set ------------------------------------------------------------------------------
    ("unknown-solver", lambda t: ["solve", TASK_FILE, "--solver", "nosuchsolver"], ["nosuchsolver", "unknown solver"]),
    ("recipe-malformed-toml", lambda t: ["solve", TASK_FILE, "--solver", write(t / "bad.toml", "[train\nsteps = 1")],
     ["bad.toml", "malformed TOML"]),
    ("recipe-unknown-key", lambda t: ["solve", TASK_FILE, "--solver", write(t / "k.toml", "[train]\nstepz = 3\n")],
     ["k.toml", "stepz", "unknown setting"]),
    ("recipe-wrong-type", lambda t: ["solve", TASK_FILE, "--solver", write(t / "w.toml", '[train]\nsteps = "many"\n')],
     ["w.toml: train.steps: 'many' is not an integer"]),
    ("recipe-missing-file", lambda t: ["solve", TASK_FILE, "--solver", t / "gone.toml"], ["gone.toml", "no such recipe"]),
    ("set-unknown-key", lambda t: ["solve", TASK_FILE, "--solver", "toy", "--set", "train.stepz=1"], ["stepz", "unknown key"]),
    ("set-unknown-section", lambda t: ["solve", TASK_FILE, "--solver", "toy", "--set", "trian.steps=1"], ["trian", "not a section"]),
    ("set-wrong-type", lambda t: ["solve", TASK_FILE, "--solver", "toy", "--set", "train.steps=fast"],
     ["--set train.steps: 'fast' is not an integer"]),
    ("set-out-of-range", lambda t: ["solve", TASK_FILE, "--solver", "toy", "--set", "train.steps=-3"], ["steps >= 0", "-3"]),
    ("set-bad-choice", lambda t: ["solve", TASK_FILE, "--solver", "toy", "--set", 'backbone.dtype="float16"'],
     ["backbone.dtype", "float16"]),
    ("set-no-equals", lambda t: ["solve", TASK_FILE, "--solver", "toy", "--set", "train.steps"], ["train.steps", "section.key=value"]),
    ("missing-weights", lambda t: ["solve", TASK_FILE, "--solver", "toy", "--set", 'backbone.name="wan22"', "--model", t / "none", "-q"],
     ["weights folder", "none"]),
    # -- score: submissions and solutions ---------------------------------------------------------------
    ("score-missing-submission", lambda t: ["score", t / "none.json", DATA], ["none.json", "no such submission"]),
    ("score-malformed-submission", lambda t: ["score", write(t / "s.json", "[{"), DATA], ["s.json", "malformed JSON"]),
    ("score-submission-not-object", lambda t: ["score", a_submission(t, []), DATA], ["sub.json", "must be an object"]),
    ("score-wrong-nesting", lambda t: ["score", a_submission(t, {**right_submission(), "d037b0a7": {"attempt_1": [[0]]}}), DATA],
     ["sub.json", "d037b0a7", "list of attempt entries"]),
    ("score-missing-attempt", lambda t: ["score", a_submission(t, {**right_submission(), "d037b0a7": [{"attempt_1": [[0]]}]}), DATA],
     ["sub.json", "d037b0a7", "attempt_2"]),
    ("score-non-grid-attempt", lambda t: ["score", a_submission(t, {**right_submission(), "d037b0a7": [{"attempt_1": 5, "attempt_2": [[0]]}]}), DATA],
     ["sub.json", "d037b0a7", "attempt_1", "grid"]),
    ("score-bad-colour-attempt", lambda t: ["score", a_submission(t, {**right_submission(), "d037b0a7": [{"attempt_1": [[10]], "attempt_2": [[0]]}]}), DATA],
     ["sub.json", "d037b0a7", "colours"]),
    ("score-missing-task", lambda t: ["score", a_submission(t, _without(right_submission(), "a85d4709")), DATA],
     ["sub.json", "lacks 1 task", "a85d4709"]),
    ("score-extra-task", lambda t: ["score", a_submission(t, {**right_submission(), "zz99": [{"attempt_1": [[0]], "attempt_2": [[0]]}]}), DATA],
     ["sub.json", "zz99", "does not"]),
    ("score-wrong-entry-count", lambda t: ["score", a_submission(t, {**right_submission(), "d037b0a7": right_submission()["d037b0a7"] * 2}), DATA],
     ["sub.json", "d037b0a7", "2 attempt entries", "1 test output"]),
    ("score-malformed-solutions", lambda t: ["score", a_submission(t, right_submission()), write(t / "sol.json", "{")],
     ["sol.json", "malformed JSON"]),
    ("score-solutions-missing", lambda t: ["score", a_submission(t, right_submission()), t / "nosol.json"], ["nosol.json"]),
    # -- show / report: run folders and result files ---------------------------------------------------
    ("show-missing-run", lambda t: ["show", TASK_FILE, "--run", t / "norun", "-o", t / "p.png"], ["norun", "no such run folder"]),
    ("show-task-not-in-run", lambda t: ["show", DATA / "a85d4709.json", "--run", a_run(t), "-o", t / "p.png"],
     ["a85d4709", "holds no result", "d037b0a7"]),
    ("show-corrupt-result", lambda t: ["show", TASK_FILE, "--run", _corrupt(a_run(t)), "-o", t / "p.png"],
     ["d037b0a7.json", "malformed JSON in result file"]),
    ("show-foreign-result", lambda t: ["show", TASK_FILE, "--run", _foreign(a_run(t)), "-o", t / "p.png"],
     ["d037b0a7.json", "corrupt result file"]),
    ("report-not-a-run", lambda t: ["report", write(t / "empty" / "x.txt", "").parent], ["empty", "not a run folder"]),
    ("report-corrupt-result", lambda t: ["report", _corrupt(a_run(t))], ["d037b0a7.json", "malformed JSON"]),
    ("report-corrupt-summary", lambda t: ["report", _with(a_run(t), "summary.json", "{")], ["summary.json", "malformed JSON"]),
    ("report-corrupt-config", lambda t: ["report", _with(a_run(t), "config.json", "[")], ["config.json", "malformed JSON"]),
    # -- pretrain --init ---------------------------------------------------------------------------------
    ("pretrain-init-missing", lambda t: ["pretrain", "--out", t / "p", "--init", t / "noweights", "--minutes", "0.01", "-q"],
     ["noweights", "no such"]),
    ("pretrain-init-not-weights", lambda t: ["pretrain", "--out", t / "p", "--init", write(t / "w" / "notes.txt", "").parent, "--minutes", "0.01", "-q"],
     ["config.json"]),
    ("pretrain-init-corrupt", lambda t: ["pretrain", "--out", t / "p", "--init", _corrupt_weights(t), "--minutes", "0.01", "-q"],
     ["diffusion_pytorch_model.safetensors"]),
    # -- pretrain --generated -----------------------------------------------------------------------------
    ("pretrain-generated-missing", lambda t: ["pretrain", "--out", t / "p", "--generated", t / "nogen", "--minutes", "0.01", "-q"],
     ["--generated", "nogen", "not a folder"]),
    ("pretrain-generated-share", lambda t: ["pretrain", "--out", t / "p", "--generated", (t / "gen").mkdir() or t / "gen",
                                            "--generated-share", "1.5", "--minutes", "0.01", "-q"],
     ["--generated-share", "1.5"]),
]


def _with(run: Path, name: str, text: str) -> Path:
    write(run / name, text)
    return run


def _corrupt(run: Path) -> Path:
    write(run / "results" / "d037b0a7.json", '{"task_id": "d037b0a7", "predictions": [')
    return run


def _foreign(run: Path) -> Path:
    write(run / "results" / "d037b0a7.json", '{"hello": "world"}')
    return run


def _corrupt_weights(tmp: Path) -> Path:
    """A copy of the shipped embedded weights with the safetensors file cut short."""
    from arcvdm.backbones.embedded import shipped_weights

    folder = tmp / "weights"
    shutil.copytree(shipped_weights(), folder)
    blob = folder / "diffusion_pytorch_model.safetensors"
    blob.write_bytes(blob.read_bytes()[:1000])
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("case", "setup", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_error_line_exit_2_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, setup: Setup, fragments: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    args = [str(a) for a in setup(inputs)]
    if args[0] == "solve":
        args += ["--out", str(tmp_path / "out")]
    before = _snapshot(inputs)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    after = _snapshot(inputs)
    assert {k: after.get(k) for k in before} == before  # every file that was there is still there, unchanged


def test_solvers_reports_a_malformed_recipe_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import arcvdm.config

    real = arcvdm.config.load_recipe

    def broken(name: str):
        if name == "toy":
            raise arcvdm.config.ConfigError("solvers/toy.toml: malformed TOML: Expected '=' (at line 3, column 7)")
        return real(name)

    monkeypatch.setattr(arcvdm.config, "load_recipe", broken)
    result = runner.invoke(app, ["solvers"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert lines == ["error: solvers/toy.toml: malformed TOML: Expected '=' (at line 3, column 7)"]
    assert "default" in result.stdout  # the good recipes are still listed


def test_a_corrupt_result_file_is_kept_aside_and_the_task_solved_again(tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = runner.invoke(app, ["solve", str(TASK_FILE), *TINY, "--out", str(out), "--no-plots"])
    assert first.exit_code == 0, first.output
    good = (out / "results" / "d037b0a7.json").read_text()
    (out / "results" / "d037b0a7.json").write_text(good[:40])
    again = runner.invoke(app, ["solve", str(TASK_FILE), *TINY, "--out", str(out), "--no-plots"])
    assert again.exit_code == 0, again.output
    assert "corrupt" in again.stderr and "solving task d037b0a7 again" in again.stderr
    assert (out / "results" / "d037b0a7.json.corrupt").read_text() == good[:40]   # the damaged file is kept
    redone = json.loads((out / "results" / "d037b0a7.json").read_text())
    assert redone["predictions"] == json.loads(good)["predictions"]  # same seed, same answers


def test_submit_with_bad_tasks_writes_every_id_and_names_each_bad_task(tmp_path: Path) -> None:
    good = json.loads(TASK_FILE.read_text())
    challenges = {
        "good0001": {"train": good["train"], "test": [{"input": t["input"]} for t in good["test"]]},
        "badcolor": {"train": good["train"], "test": [{"input": [[0, 11]]}, {"input": [[1]]}]},
        "notatask": [1, 2, 3],
    }
    path = write(tmp_path / "challenges.json", json.dumps(challenges))
    sub = tmp_path / "submission.json"
    result = runner.invoke(app, ["submit", str(path), "-o", str(sub), "--out", str(tmp_path / "run"), *TINY])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "badcolor" in errors[0] and "notatask" in errors[1]
    data = json.loads(sub.read_text())
    assert list(sorted(data)) == sorted(challenges)               # complete: every task id
    assert len(data["badcolor"]) == 2 and len(data["notatask"]) == 1 and len(data["good0001"]) == 1
    for entries in data.values():
        for e in entries:
            assert set(e) == {"attempt_1", "attempt_2"}
    assert (tmp_path / "run" / "results" / "good0001.json").is_file()   # the good task's result is kept


def test_a_right_submission_scores_one(tmp_path: Path) -> None:
    """The table's score rows fail because of their one defect: the same submission, intact, scores 100%."""
    sub = a_submission(tmp_path, right_submission())
    for answers in (DATA, _solutions(tmp_path)):
        result = runner.invoke(app, ["score", str(sub), str(answers)])
        assert result.exit_code == 0, result.output
        assert "ARC Prize score 100.00%" in result.stdout



# One fresh interpreter runs every command on a missing file (benchmarks/reject.py's cases) and notes, after
# each, which heavy modules are loaded: none may be, or the error came after seconds of imports.
REJECT_ALL = """
import json, sys
from typer.testing import CliRunner
from arcvdm.cli import app
cases, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
seen = []
for name, argv in cases.items():
    result = CliRunner().invoke(app, argv)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    seen.append([name, result.exit_code, len(errors), [m for m in heavy if m in sys.modules]])
print(json.dumps(seen))
"""


def test_every_command_rejects_a_missing_file_before_importing_torch_or_matplotlib(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "benchmarks"))
    try:
        import reject
    finally:
        sys.path.remove(str(root / "benchmarks"))
    cases = reject.cases(tmp_path)
    assert {argv[0] for argv in cases.values()} >= {"solve", "submit", "eval", "score", "render", "show", "report",
                                                     "plan", "bundle", "pretrain"}
    done = subprocess.run([sys.executable, "-c", REJECT_ALL, json.dumps(cases), json.dumps(reject.HEAVY)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    for name, code, errors, imported in json.loads(done.stdout):
        assert (code, errors) == (2, 1), name
        assert imported == [], f"{name}: imported {imported} before rejecting a missing file"
