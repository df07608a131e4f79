"""The path users run, end to end through the CLI: the embedded default recipe (context pairs, max_tokens).

Contracts: the same command with the same seed gives identical attempts (every budget that decides
an answer is a count); a challenges file that carries the test outputs gives the same attempts as one
without them (no leakage); the clips really hold demonstrations in context.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arcvdm.cli import app
from arcvdm.jobs import resolve_config

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"
TASK_ID = "d037b0a7"
# The default recipe as it is, with a few LoRA steps, fewer sampled views and a smaller search budget (a
# count: still the same answers on every run) so the test stays fast.
FEW = ["--set", "train.steps=4", "--set", "sample.views=2", "--set", "sample.num_samples=2",
       "--set", "search.max_applications=20000", "-q", "--no-plots"]

runner = CliRunner()


def _solve(source: Path, out: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["solve", str(source), "-o", str(out), *FEW, *extra])
    assert result.exit_code == 0, result.output
    return json.loads((out / "results" / f"{TASK_ID}.json").read_text())


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _solve(DATA / f"{TASK_ID}.json", tmp_path_factory.mktemp("repro") / "a")


def test_default_recipe_is_the_embedded_model_with_context_and_counted_budgets() -> None:
    config = resolve_config("default")
    assert config.backbone.name == "embedded"
    assert config.video.context > 0 and config.video.max_tokens is not None
    assert config.train.seconds is None, "a wall-clock budget makes answers depend on machine speed"


def test_the_default_path_trains_on_clips_with_demonstrations_in_context(first: dict) -> None:
    assert first["context"] >= 1          # d037b0a7 has 3 demonstrations: each clip shows others first
    assert first["train_steps"] == 4 and len(first["losses"]) == 4
    assert first["notes"] == []           # no safety cap fired
    assert len(first["predictions"]) == 1


def test_two_fresh_runs_give_identical_attempts(first: dict, tmp_path: Path) -> None:
    second = _solve(DATA / f"{TASK_ID}.json", tmp_path / "b")
    assert second["predictions"] == first["predictions"]
    assert second["losses"] == first["losses"]


def test_test_outputs_in_the_input_change_no_attempt(first: dict, tmp_path: Path) -> None:
    task = json.loads((DATA / f"{TASK_ID}.json").read_text())
    assert all("output" in t for t in task["test"])  # the sample file carries its answer
    challenges = tmp_path / "challenges.json"
    challenges.write_text(json.dumps({TASK_ID: {"train": task["train"], "test": [{"input": t["input"]} for t in task["test"]]}}))
    # Hidden answers (challenges file alone) vs. answers given (task file with outputs, solved above).
    hidden = _solve(challenges, tmp_path / "hidden")
    assert hidden["predictions"] == first["predictions"]


def test_keep_adapters_saves_each_tasks_lora_in_the_run_folder(tmp_path: Path) -> None:
    """`--keep-adapters`: the task's adapter lands in <run>/adapters/<task>/ in both formats, loadable."""
    from arcvdm import lora
    from arcvdm.backbones import build_backbone

    out = tmp_path / "run"
    result = runner.invoke(app, ["solve", str(DATA / f"{TASK_ID}.json"), "-o", str(out), *FEW, "--keep-adapters"])
    assert result.exit_code == 0, result.output
    folder = out / "adapters" / TASK_ID
    assert (folder / lora.WEIGHTS_FILE).is_file() and (folder / lora.DIFFUSERS_FILE).is_file()
    backbone = build_backbone(resolve_config("default").backbone)
    lora.load(backbone.denoiser, folder)   # arcvdm's own format loads back onto the embedded model
    assert getattr(backbone.denoiser, "peft_config", None)


def test_token_budget_gives_large_tasks_fewer_steps_by_size_alone() -> None:
    """train.token_budget: steps = min(steps, budget // (batch x tokens per clip)): a function of the task."""
    import numpy as np

    from arcvdm.solve import Solver
    from arcvdm.tasks import Example, Task

    def square(side: int) -> Task:
        g = np.zeros((side, side), dtype=np.uint8)
        return Task(f"sq{side}", (Example(g, g), Example(g, g), Example(g, g)), (Example(g),))

    solver = Solver(resolve_config("default", ["train.token_budget=100000"]))
    small, large = (solver.prepare(square(s)) for s in (3, 20))
    assert solver.train_steps(small) == 250
    clip = solver.backbone.geometry().tokens(large.num_frames, large.layout.height, large.layout.width)
    assert solver.train_steps(large) == 100000 // (solver.config.train.batch_size * clip) < 250
    assert Solver(resolve_config("default", ["train.token_budget=none"])).train_steps(large) == 250
