"""Writing generated tasks: one ARC task file per task, an index of their programs, the run's record, and
optionally a Kaggle challenges + solutions pair.

A folder ``DIR`` after ``arcvdm generate --out DIR`` holds:

- ``<id>.json`` per task: ``{"train": [{"input", "output"}], "test": [{"input", "output"}]}`` (test outputs
  included), loadable by ``arcvdm.tasks.load_directory`` and every command that takes a task folder;
- ``index.jsonl``: one line per task, ``{"id", "program", "depth", "families", "kind", "seed", "attempt"}``;
- ``generate.json``: the config and the counts (kept, rejected by reason, dropped for overlap, kept by depth
  and by family, seconds, tasks per second); ``tasks.load_directory`` skips it (``tasks.NOT_TASK_FILES``);
- with ``kaggle``: ``kaggle/challenges.json`` and ``kaggle/solutions.json`` (``tasks.load_file`` reads the pair).

Task files are written with sorted keys and no timing in them, so one seed gives byte-identical files.
``TaskWriter`` writes each task file and index line as the engine keeps the task, and ``generate.json`` first
(``"complete": false``) and again at the end: an interrupted run leaves every task it made on disk, and its
folder can be written again.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from arcvdm.errors import ConfigError
from arcvdm.generate.engine import GenerateConfig, Generated, GeneratedTask
from arcvdm.grids import to_list
from arcvdm.tasks import NOT_TASK_FILES, Task, id_file_stem

INDEX = "index.jsonl"
RECORD = NOT_TASK_FILES[0]    # "generate.json", which tasks.load_directory skips
KAGGLE = "kaggle"


def task_json(task: Task) -> dict:
    """A task in the ARC file layout, test outputs included."""
    return {split: [{"input": to_list(ex.input), "output": to_list(ex.output)} for ex in examples]
            for split, examples in (("train", task.train), ("test", task.test))}


def prepare_folder(out: Path) -> None:
    """``out`` may be new, empty, or a folder an earlier ``arcvdm generate`` wrote (its task files are then
    removed first, so no stale task survives); anything else is refused."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: --out names a folder to write tasks into, but this is a file")
    if not out.exists():
        out.mkdir(parents=True)
        return
    if not any(out.iterdir()):
        return
    if not (out / RECORD).is_file():
        raise ConfigError(f"{out}: --out names a folder that already holds files and no {RECORD}; "
                          "give a new or empty folder (or one an earlier `arcvdm generate` wrote)")
    for entry in read_index(out):
        (out / f"{id_file_stem(entry['id'])}.json").unlink(missing_ok=True)


class TaskWriter:
    """Writes one generation run into ``out`` as it goes: ``add`` per kept task, ``finish`` at the end."""

    def __init__(self, out: Path, cfg: GenerateConfig):
        self.out, self.cfg = Path(out), cfg
        prepare_folder(self.out)
        self.written: list[Path] = []
        self._write_record({"config": cfg.to_json(), "complete": False})
        self.index = open(self.out / INDEX, "w", encoding="utf-8")

    def _write_record(self, record: dict) -> None:
        (self.out / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")

    def add(self, made: GeneratedTask) -> None:
        """The task's file and its index line (flushed: on disk when this returns)."""
        path = self.out / f"{id_file_stem(made.task.id)}.json"
        path.write_text(json.dumps(task_json(made.task), sort_keys=True) + "\n", encoding="utf-8")
        self.written.append(path)
        self.index.write(json.dumps({"id": made.task.id, "program": made.program, "depth": made.depth,
                                     "families": list(made.families), "kind": made.kind, "seed": self.cfg.seed,
                                     "attempt": made.attempt}) + "\n")
        self.index.flush()

    def finish(self, generated: Generated, kaggle: bool = False) -> list[Path]:
        """Close the index; write the Kaggle pair (``kaggle``) and the complete record; every path written."""
        self.index.close()
        if kaggle:
            self.written += write_kaggle(generated, self.out / KAGGLE)
        self._write_record({
            "config": self.cfg.to_json(),
            "complete": True,
            "kept": len(generated.tasks),
            "rejected": dict(sorted(generated.rejected.items())),
            "dropped_for_overlap": generated.dropped,
            "by_depth": dict(sorted(Counter(m.depth for m in generated.tasks).items())),
            "by_family": dict(Counter(f for m in generated.tasks for f in m.families).most_common()),
            "seconds": round(generated.seconds, 3),
            "tasks_per_second": round(generated.per_second, 2),
        })
        return self.written


def write_generated(generated: Generated, cfg: GenerateConfig, out: Path, kaggle: bool = False) -> list[Path]:
    """Write every task of ``generated`` and the index, record and (``kaggle``) challenges pair into ``out``."""
    writer = TaskWriter(out, cfg)
    for made in generated.tasks:
        writer.add(made)
    return writer.finish(generated, kaggle)


def write_kaggle(generated: Generated, folder: Path) -> list[Path]:
    """``challenges.json`` ({id: task without test outputs}) and ``solutions.json`` ({id: [test output, ...]})."""
    folder.mkdir(parents=True, exist_ok=True)
    challenges, solutions = {}, {}
    for made in generated.tasks:
        data = task_json(made.task)
        challenges[made.task.id] = {"train": data["train"], "test": [{"input": ex["input"]} for ex in data["test"]]}
        solutions[made.task.id] = [ex["output"] for ex in data["test"]]
    paths = [folder / "challenges.json", folder / "solutions.json"]
    for path, data in zip(paths, (challenges, solutions)):
        path.write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")
    return paths


def read_index(folder: Path) -> list[dict]:
    """The ``index.jsonl`` lines of a generated folder ([] when it has none)."""
    path = Path(folder) / INDEX
    if not path.is_file():
        return []
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ConfigError(f"{path}, line {n}: not JSON ({err.msg})") from None
    return entries
