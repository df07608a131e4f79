"""The README's set-up commands are the ones CI and users run."""

from __future__ import annotations

import re
import shlex
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


# -- the README's commands, run as written -------------------------------------------------------------
# Settings that shrink a solve to toy size (one LoRA step, one view, one one-step sample) without changing
# which code runs; every solving command of a block gets the same ones, so a later command resumes the run.
TOY_SIZE = ["--set", "train.steps=1", "--set", "sample.num_steps=1", "--set", "views.num_views=1",
            "--set", "sample.num_samples=1", "-q"]


def _section_commands(title: str) -> list[list[str]]:
    """The ``arcvdm`` commands of the bash blocks in the README section ``## title``, as argument lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    return _commands("\n".join(re.findall(r"```bash\n(.*?)```", section, re.S)))


def _commands(block: str) -> list[list[str]]:
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            commands.append(words[:cut])
            words = words[cut + 1:]
    return [c for c in commands if c and c[0] == "arcvdm"]


def test_the_vision_commands_of_the_readme_run_as_written(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from arcvdm.cli import app

    commands = _section_commands("Segmentation and pose")
    assert len(commands) >= 6
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(ROOT / "data")
    for argv in commands:
        args = argv[1:] + (TOY_SIZE if argv[1] in ("solve", "eval", "submit") else [])
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, f"{' '.join(argv)}\n{result.output}"
    # everything they write lands under runs/, nothing at the top of the folder they run in
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "runs"]


def test_every_run_folder_the_readme_reads_is_made_by_an_earlier_command() -> None:
    from arcvdm.config import load_recipe
    from arcvdm.jobs import default_run_dir

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    made: set[str] = set()
    read = 0
    for argv in _commands("\n".join(re.findall(r"```bash\n(.*?)```", text, re.S))):
        opts = dict(zip(argv[2:], argv[3:]))  # option -> the word after it
        if argv[1] in ("solve", "eval", "submit"):
            solver = opts.get("--solver", "default")
            made.add(opts.get("--out") or str(default_run_dir(load_recipe(solver), argv[2])))
        elif argv[1] == "show" and "--run" in opts or argv[1] == "report":
            run = opts["--run"] if argv[1] == "show" else argv[2]
            assert run in made, f"`{' '.join(argv)}` reads {run}, which no earlier README command writes"
            read += 1
    assert read >= 4
