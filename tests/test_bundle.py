"""The offline Kaggle bundle: its layout, its run.py on two sample tasks, and the wheel download it plans.

These tests build bundles with ``--no-wheels`` (no network, no build) and run ``run.py --no-install``
against the arcvdm of this checkout. Fetching the wheels and installing them into a fresh virtual
environment with ``--no-index`` needs the package registry: that check is a by-hand command, recorded in
the README ("Many GPUs, many nodes, Kaggle").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arcvdm.bundle import KAGGLE_PLATFORMS, MARKER, TORCH_CPU_INDEX, download_commands, pinned_requirements, source_root
from arcvdm.cli import app
from arcvdm.config import recipe_names
from arcvdm.errors import ConfigError
from arcvdm.submission import read_submission

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "tasks"
TWO = ["d037b0a7", "25ff71a9"]

runner = CliRunner()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "arcvdm-bundle"
    result = runner.invoke(app, ["bundle", str(out), "--no-wheels", "--solver", "search",
                                 "--weights-dataset", "/kaggle/input/wan22/Wan2.2-TI2V-5B-Diffusers", "--deadline", "10h"])
    assert result.exit_code == 0, result.output
    return out


def test_bundle_layout(bundle: Path) -> None:
    assert sorted(p.name for p in bundle.iterdir()) == sorted(
        ["wheels", "solvers", "run.py", "arcvdm-kaggle.ipynb", MARKER, "README.md"])
    assert sorted(p.stem for p in (bundle / "solvers").glob("*.toml")) == sorted(recipe_names())
    spec = json.loads((bundle / MARKER).read_text())
    assert spec["solver"] == "search" and spec["deadline"] == "10h" and spec["wheels"] == []
    assert spec["weights_dataset"] == "/kaggle/input/wan22/Wan2.2-TI2V-5B-Diffusers"   # a path, never the weights
    assert spec["requirements"] == pinned_requirements(source_root())
    cells = json.loads((bundle / "arcvdm-kaggle.ipynb").read_text())["cells"]
    [code] = [c for c in cells if c["cell_type"] == "code"]
    assert MARKER in code["source"] and "run.py" in code["source"]


def test_run_py_writes_a_valid_submission_for_two_sample_tasks(bundle: Path, tmp_path: Path) -> None:
    challenges = {}
    for task_id in TWO:
        task = json.loads((DATA / f"{task_id}.json").read_text())
        challenges[task_id] = {"train": task["train"], "test": [{"input": t["input"]} for t in task["test"]]}
    path = tmp_path / "arc-agi_test_challenges.json"
    path.write_text(json.dumps(challenges))
    sub = tmp_path / "working" / "submission.json"
    cmd = [sys.executable, str(bundle / "run.py"), "--no-install", "--challenges", str(path), "--output", str(sub),
           "--work", str(tmp_path / "working" / "run"), "--processes", "1", "--model", "",
           "--set", "search.max_depth=1", "--set", "search.max_applications=300"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    written = read_submission(sub)
    assert sorted(written) == sorted(TWO)
    assert all(len(written[t]) == len(challenges[t]["test"]) for t in TWO)
    assert "--deadline" in done.stdout   # run.py passed what was left of its budget


def test_run_py_stops_an_overrunning_run_and_always_leaves_a_valid_file(tmp_path: Path) -> None:
    from arcvdm import kaggle_run

    started = time.monotonic()
    assert kaggle_run.run_until([sys.executable, "-c", "import time; time.sleep(60)"], 1.0) == 124
    assert time.monotonic() - started < 30
    challenges = tmp_path / "challenges.json"
    challenges.write_text(json.dumps({t: json.loads((DATA / f"{t}.json").read_text()) for t in TWO}))
    kaggle_run.fallback_submission(str(challenges), str(tmp_path / "out" / "submission.json"))
    written = read_submission(tmp_path / "out" / "submission.json")
    assert sorted(written) == sorted(TWO) and all(e["attempt_1"].shape == e["attempt_2"].shape for e in written["d037b0a7"])


def test_the_wheels_are_fetched_for_kaggle_linux_and_the_chosen_python() -> None:
    reqs = pinned_requirements(source_root())
    [cmd] = download_commands(reqs, Path("w"), "3.11", "cuda")
    assert cmd[:4] == [sys.executable, "-m", "pip", "download"] and "--only-binary=:all:" in cmd
    assert [cmd[i + 1] for i, a in enumerate(cmd) if a == "--platform"] == list(KAGGLE_PLATFORMS)
    assert cmd[cmd.index("--python-version") + 1] == "3.11" and cmd[cmd.index("--abi") + 1] == "cp311"
    assert set(reqs) <= set(cmd)
    torch_cmd, rest = download_commands(reqs, Path("w"), "3.12", "cpu")
    assert TORCH_CPU_INDEX in torch_cmd and "torch==2.13.0" in torch_cmd and "--no-deps" in torch_cmd
    assert "--find-links" in rest and set(reqs) <= set(rest)


def test_bad_bundle_options_are_one_error_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--torch 'rocm'"):
        download_commands([], tmp_path, "3.11", "rocm")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["bundle", str(tmp_path / "mine"), "--no-wheels"])
    assert result.exit_code == 2 and "not an arcvdm bundle" in result.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    result = runner.invoke(app, ["bundle", str(tmp_path / "b"), "--no-wheels", "--deadline", "tomorrow"])
    assert result.exit_code == 2 and "--deadline 'tomorrow'" in result.stderr


BAD_OPTIONS = [  # (case, extra arguments, what the one error line names)
    ("torch", ["--torch", "foo"], "--torch 'foo'"),
    ("python", ["--python", "abc"], "--python 'abc'"),
    ("old-python", ["--python", "3.9"], "--python '3.9'"),
    ("deadline-past-kaggle", ["--deadline", "13h"], "--deadline '13h': must be under 12h"),
    ("deadline-unreadable", ["--deadline", "tomorrow"], "--deadline 'tomorrow'"),
]


@pytest.mark.parametrize(("case", "extra", "fragment"), BAD_OPTIONS, ids=[c[0] for c in BAD_OPTIONS])
def test_bad_values_are_refused_before_anything_is_written(tmp_path: Path, case: str, extra: list, fragment: str) -> None:
    out = tmp_path / "bundle"
    result = runner.invoke(app, ["bundle", str(out), "--no-wheels", *extra])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and fragment in errors[0], result.output
    assert not out.exists()   # nothing written, no arcvdm-bundle.json holding the bad value


def test_a_file_in_the_way_is_one_error_line(tmp_path: Path) -> None:
    target = tmp_path / "bundle.zip"
    target.write_text("keep me")
    result = runner.invoke(app, ["bundle", str(target), "--no-wheels"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "is a file" in result.stderr and "Traceback" not in result.output
    assert target.read_text() == "keep me"


def test_a_failed_download_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import arcvdm.bundle

    # what pip does offline, after its retries: exits non-zero
    monkeypatch.setattr(arcvdm.bundle, "build_own_wheel", lambda root, dest: None)
    monkeypatch.setattr(arcvdm.bundle, "download_commands",
                        lambda *args: [[sys.executable, "-c", "import sys; sys.exit(1)"]])
    result = runner.invoke(app, ["bundle", str(tmp_path / "b")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "pip failed with exit code 1" in errors[0] and "--no-wheels" in errors[0]
