"""torch's CPU threads: one policy (``arcvdm.threads``) for ARC and image tasks, and ``--threads`` wins over it.

conftest.py pins one thread for the suite through OMP_NUM_THREADS; each test here removes it to see what a
user's command does, with a 2-core machine pretended (``os.cpu_count``), and puts torch's count back.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

import arcvdm.solve
from arcvdm.cli import app
from arcvdm.threads import choose_threads, torch_thread_policy

from test_vision import TOY_SEG, make_seg_task

TASK_FILE = Path(__file__).resolve().parent.parent / "data" / "tasks" / "d037b0a7.json"
runner = CliRunner()
TRAIN_LORA = arcvdm.solve.train_lora


@pytest.fixture
def two_cores(monkeypatch):
    """A 2-core machine, torch at its default (every core), no thread count chosen."""
    before = torch.get_num_threads()
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_torch_leaves_a_core_free_unless_threads_were_chosen(two_cores, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "2")   # chosen (--threads 2): left alone
    assert torch_thread_policy() == 2
    monkeypatch.delenv("OMP_NUM_THREADS")         # torch's default, every core: one is left free
    assert torch_thread_policy() == 1
    assert torch_thread_policy() == 1             # idempotent: never below one thread
    choose_threads(2)                             # --threads 2 after torch was imported
    assert torch.get_num_threads() == 2 and os.environ["OMP_NUM_THREADS"] == "2"


def threads_while_training(monkeypatch, args: list[str]) -> list[int]:
    """Solve through the CLI and return torch's thread count at each LoRA training (one per task)."""
    seen: list[int] = []

    def spy(*a, **k):
        seen.append(torch.get_num_threads())
        return TRAIN_LORA(*a, **k)

    monkeypatch.setattr(arcvdm.solve, "train_lora", spy)
    torch.set_num_threads(2)
    result = runner.invoke(app, ["solve", *args])
    assert result.exit_code == 0, result.output
    return seen


def test_image_tasks_train_with_the_thread_count_of_arc_tasks(two_cores, monkeypatch, tmp_path):
    toy = ["--solver", "toy", "--set", "train.steps=1", "--set", "sample.num_steps=1", "-q", "--no-plots"]
    # The default ARC command: the search in its worker while the VDM trains (the portfolio layout).
    arc = threads_while_training(monkeypatch, [str(TASK_FILE), *toy, "--set", "search.enabled=true",
                                               "--set", "search.max_applications=200", "--out", str(tmp_path / "arc")])
    vdm_only = threads_while_training(monkeypatch, [str(TASK_FILE), *toy, "--out", str(tmp_path / "vdm")])
    image = threads_while_training(monkeypatch, [str(make_seg_task(tmp_path)), *TOY_SEG, "--no-plots",
                                                 "--out", str(tmp_path / "seg")])
    assert arc == vdm_only == image == [1]
    # --threads is obeyed on image tasks as on ARC tasks.
    chosen = threads_while_training(monkeypatch, ["--threads", "2", str(make_seg_task(tmp_path, "other")), *TOY_SEG,
                                                  "--no-plots", "--out", str(tmp_path / "seg2")])
    assert chosen == [2]
