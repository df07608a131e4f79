"""Writing generated tasks and the commands: task files load back, the Kaggle pair loads back, one seed gives
byte-identical files, and `arcvdm generate` / `arcvdm gallery` answer bad input with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arcvdm.cli import app
from arcvdm.generate.engine import GenerateConfig, generate_tasks
from arcvdm.generate.write import read_index, write_generated
from arcvdm.grids import grids_equal
from arcvdm.tasks import load_directory, load_file

CFG = GenerateConfig(count=6, seed=5, kinds=("cells", "sparse", "shapes", "noise"))
runner = CliRunner()


def same_tasks(a, b) -> bool:
    by_id = {t.id: t for t in b}
    return len(a) == len(b) and all(
        all(grids_equal(x.input, y.input) and grids_equal(x.output, y.output)
            for x, y in zip(t.train + t.test, by_id[t.id].train + by_id[t.id].test)) for t in a)


def test_task_files_and_the_kaggle_pair_load_back(tmp_path: Path) -> None:
    made = generate_tasks(CFG, excluded=(set(), set()))
    write_generated(made, CFG, tmp_path, kaggle=True)
    loaded = load_directory(tmp_path)
    assert loaded.failures == [] and same_tasks([m.task for m in made.tasks], loaded.tasks)
    pair = load_file(tmp_path / "kaggle" / "challenges.json", tmp_path / "kaggle" / "solutions.json")
    assert pair.failures == [] and same_tasks([m.task for m in made.tasks], pair.tasks)
    index = read_index(tmp_path)
    assert [e["id"] for e in index] == [m.task.id for m in made.tasks]
    assert index[0]["program"] == made.tasks[0].program and index[0]["seed"] == 5
    record = json.loads((tmp_path / "generate.json").read_text())
    assert record["kept"] == 6 and record["config"]["seed"] == 5 and "dropped_for_overlap" in record


def test_the_same_seed_writes_byte_identical_task_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_generated(generate_tasks(CFG, excluded=(set(), set())), CFG, tmp_path / name)
    files = sorted(p.name for p in (tmp_path / "a").glob("gen-*.json"))
    assert len(files) == 6
    for name in files + ["index.jsonl"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_rewriting_a_generated_folder_leaves_no_stale_task(tmp_path: Path) -> None:
    write_generated(generate_tasks(CFG, excluded=(set(), set())), CFG, tmp_path)
    fewer = GenerateConfig(count=2, seed=9, kinds=CFG.kinds)
    write_generated(generate_tasks(fewer, excluded=(set(), set())), fewer, tmp_path)
    assert len(load_directory(tmp_path).tasks) == 2


def test_generate_command_writes_tasks_and_prints_counts(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    result = runner.invoke(app, ["generate", "--count", "4", "--seed", "1", "--out", str(out), "--kinds", "cells,noise",
                                 "--kaggle", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "kept 4 task(s)" in result.stdout and "tasks/s" in result.stdout
    assert len(list(out.glob("gen-1-*.json"))) == 4 and (out / "kaggle" / "solutions.json").is_file()
    shown = runner.invoke(app, ["show", str(out), "--task", "gen-1-000000", "--output", str(tmp_path / "t.png")])
    assert shown.exit_code == 0, shown.output
    page = runner.invoke(app, ["gallery", str(out), "--count", "2", "--output", str(tmp_path / "g.html")])
    assert page.exit_code == 0, page.output
    html = (tmp_path / "g.html").read_text()
    assert html.count("<section") == 2 and "data:image/png;base64," in html


def test_generate_refuses_bad_input_with_one_line(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    cases = [
        (["--count", "0", "--out", str(tmp_path / "x")], "count must be at least 1"),
        (["--count", "2", "--out", str(a_file)], "this is a file"),
        (["--count", "2", "--out", str(tmp_path / "y"), "--depth", "0-5"], "--depth"),
        (["--count", "2", "--out", str(tmp_path / "z"), "--kinds", "cells,nope"], "nope"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["generate", "--quiet", *args])
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert result.exit_code == 2 and len(errors) == 1 and message in errors[0], (args, result.output)
        assert "Traceback" not in result.output


def test_the_cli_help_names_the_rules() -> None:
    result = runner.invoke(app, ["generate", "--help"])
    assert result.exit_code == 0 and "near-duplicate" in result.stdout and "--kaggle" in result.stdout


def test_an_interrupted_run_keeps_the_tasks_it_made_and_its_folder_can_be_written_again(tmp_path: Path) -> None:
    from arcvdm.generate.write import RECORD, TaskWriter

    writer = TaskWriter(tmp_path, CFG)

    def stop_after_three(made) -> None:
        writer.add(made)
        if len(writer.written) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_tasks(CFG, excluded=(set(), set()), on_kept=stop_after_three)
    writer.index.close()
    assert len(load_directory(tmp_path).tasks) == 3 and len(read_index(tmp_path)) == 3
    assert json.loads((tmp_path / RECORD).read_text())["complete"] is False
    write_generated(generate_tasks(CFG, excluded=(set(), set())), CFG, tmp_path)   # the same folder, again
    assert json.loads((tmp_path / RECORD).read_text())["complete"] is True
    assert len(load_directory(tmp_path).tasks) == CFG.count


def test_the_gallery_reads_only_its_sample_and_skips_broken_files(tmp_path: Path, monkeypatch) -> None:
    from arcvdm import tasks as tasks_module
    from arcvdm.generate.gallery import sample_tasks

    write_generated(generate_tasks(CFG, excluded=(set(), set())), CFG, tmp_path)
    (tmp_path / "broken.json").write_text("{not json")
    read = []
    real = tasks_module._read_json
    monkeypatch.setattr(tasks_module, "_read_json", lambda path: read.append(path.name) or real(path))
    picked = sample_tasks(tmp_path, 2, seed=3)
    assert len(picked) == 2 and len(read) <= 3, read   # 7 files: only the sample (and a broken draw) are read
    assert [t.id for t in picked] == sorted(t.id for t in picked)
    assert [t.id for t in sample_tasks(tmp_path, 2, seed=3)] == [t.id for t in picked]
    everything = sample_tasks(tmp_path, 50, seed=0)
    assert len(everything) == 6 and all(t.id.startswith("gen-") for t in everything)
