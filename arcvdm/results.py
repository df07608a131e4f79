"""Results: what solving one task produced, its JSON form, and reading it back from a run folder.

``TaskResult.to_json`` / ``TaskResult.from_json`` are an exact round trip for everything but
``artifacts`` (frames kept for plots, stored beside the JSON as ``.npz`` by ``arcvdm.runs``).

A run folder (``arcvdm.runs`` writes it) keeps one ``results/<stem>.json`` per finished task. The readers
here (``load_task_result``, ``finished_ids``) are what ``arcvdm show``, the run pictures and the report use;
they import neither torch nor the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from arcvdm.candidate import Candidate
from arcvdm.errors import ArcvdmError
from arcvdm.grids import Grid, to_list
from arcvdm.jsonio import read_json
from arcvdm.tasks import id_file_stem

RESULTS_DIR = "results"   # a run folder's sub-folder of result files


@dataclass
class TestPrediction:
    """Two attempts for one test input, and the ranked candidates they came from."""

    attempt_1: Grid
    attempt_2: Grid
    candidates: list[Candidate]

    @property
    def attempts(self) -> tuple[Grid, Grid]:
        return self.attempt_1, self.attempt_2

    def candidate_of(self, grid: Grid) -> Candidate | None:
        """The ranked candidate an attempt is, None for the fallback (the test input, copied)."""
        for cand in self.candidates:
            if cand.grid.shape == grid.shape and bool(np.array_equal(cand.grid, grid)):
                return cand
        return None

    def source_of(self, grid: Grid) -> str:
        """Where an attempt came from: its candidate's label, or the fallback (the test input, copied)."""
        cand = self.candidate_of(grid)
        return cand.label() if cand is not None else "fallback: the test input"


@dataclass
class TaskResult:
    """Everything one solve produced. ``artifacts`` (frames for plots) is not part of the JSON form."""

    task_id: str
    predictions: list[TestPrediction]
    losses: list[float] = field(default_factory=list)
    train_seconds: float = 0.0
    seconds: float = 0.0
    views: list[str] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)   # what a user should know, e.g. a safety cap that fired
    context: int = 0                                  # demonstration pairs shown before the query in each clip
    train_steps: int = 0                              # LoRA steps taken
    search: dict[str, Any] = field(default_factory=dict)  # the proposer's summary: states, programs found
    timings: dict[str, float] = field(default_factory=dict)  # seconds per solve step (search, train, sample, judge)
    artifacts: dict[str, np.ndarray] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "predictions": [
                {
                    "attempt_1": to_list(p.attempt_1),
                    "attempt_2": to_list(p.attempt_2),
                    "candidates": [candidate_to_json(c) for c in p.candidates],
                }
                for p in self.predictions
            ],
            "losses": self.losses,
            "train_seconds": self.train_seconds,
            "seconds": self.seconds,
            "views": self.views,
            "layout": self.layout,
            "error": self.error,
            "notes": self.notes,
            "context": self.context,
            "train_steps": self.train_steps,
            "search": self.search,
            "timings": self.timings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TaskResult":

        predictions = [
            TestPrediction(
                _grid(p["attempt_1"]),
                _grid(p["attempt_2"]),
                [candidate_from_json(c) for c in p["candidates"]],
            )
            for p in data["predictions"]
        ]
        return cls(
            data["task_id"], predictions, list(data["losses"]), data["train_seconds"], data["seconds"],
            list(data["views"]), dict(data["layout"]), data.get("error"), list(data.get("notes", [])),
            int(data.get("context", 0)), int(data.get("train_steps", 0)), dict(data.get("search", {})),
            dict(data.get("timings", {})),
        )




def _grid(rows: list[list[int]]) -> Grid:
    return np.array(rows, dtype=np.uint8)


def candidate_to_json(c: Candidate) -> dict[str, Any]:
    return {
        "grid": to_list(c.grid), "votes": c.votes, "score": c.score, "views": c.views, "sources": c.sources,
        "programs": c.programs, "program_length": c.program_length, "search_rank": c.search_rank,
        "vdm_loss": c.vdm_loss, "cell_logp": c.cell_logp,
    }


def candidate_from_json(c: dict[str, Any]) -> Candidate:
    """The inverse of ``candidate_to_json`` (files written before sources existed read as VDM votes)."""
    return Candidate(
        _grid(c["grid"]), c["votes"], c["score"], list(c["views"]), list(c.get("sources", ["vdm"])),
        list(c.get("programs", [])), c.get("program_length"), c.get("search_rank"), c.get("vdm_loss"),
        c.get("cell_logp"),
    )


# -- a run folder's results -------------------------------------------------------------------------
def run_folder(path: Path) -> Path:
    """``path`` itself, when it is a run folder that holds ``results/``; else an error saying which is missing."""
    path = Path(path)
    if not path.is_dir():
        raise ArcvdmError(f"{path}: no such run folder")
    if not (path / RESULTS_DIR).is_dir():
        raise ArcvdmError(f"{path}: not a run folder (no {RESULTS_DIR}/ inside)")
    return path


def result_path(run_dir: Path, task_id: str) -> Path:
    """Where a run folder keeps a task's result (the id only names the file through ``id_file_stem``)."""
    return Path(run_dir) / RESULTS_DIR / f"{id_file_stem(task_id)}.json"


def read_result(path: Path) -> TaskResult:
    """A result file, validated; a corrupt or foreign file is an ``ArcvdmError`` naming it."""
    data = read_json(path, "result file")
    try:
        return TaskResult.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
        raise ArcvdmError(f"{path}: corrupt result file (not a task result: {type(err).__name__}: {err})") from None


def finished_ids(run_dir: Path) -> list[str]:
    """Task ids of every result file in a run folder (read from the files), sorted."""
    folder = Path(run_dir) / RESULTS_DIR
    if not folder.is_dir():
        return []
    return sorted(read_result(p).task_id for p in folder.glob("*.json"))


def load_task_result(run_dir: Path, task_id: str) -> TaskResult:
    """A task's result from a run folder, or an error naming the file and the tasks the run holds."""
    path = result_path(run_folder(run_dir), task_id)
    if not path.is_file():
        held = finished_ids(run_dir)
        listing = ", ".join(held[:8]) + (", ..." if len(held) > 8 else "") if held else "none"
        raise ArcvdmError(f"{path}: the run holds no result for task {task_id} (it holds: {listing})")
    return read_result(path)
