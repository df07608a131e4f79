"""The README's set-up commands are the ones CI and users run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_ci_runs_the_readme_test_command():
    test_command = _bash_blocks()[1].strip()
    assert test_command.startswith("pip install torch==2.13.0 && ")
    tail = test_command.split("&& ")[-1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "torch==2.13.0" in ci and '-e ".[test]"' in ci
    assert tail in ci


def test_quickstart_solves_a_sample_task_that_exists():
    quickstart = _bash_blocks()[0].strip()
    assert quickstart.startswith("pip install torch==2.13.0 && pip install . && arcvdm solve ")
    task = quickstart.split("arcvdm solve ")[1].split()[0]
    assert (ROOT / task).is_file()
