"""Results: what solving one task produced, and its JSON form (a light module: no torch import).

``TaskResult.to_json`` / ``TaskResult.from_json`` are an exact round trip for everything but
``artifacts`` (frames kept for plots, stored beside the JSON as ``.npz`` by ``arcvdm.runs``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from arcvdm.grids import Grid, to_list
from arcvdm.vote import Candidate


@dataclass
class TestPrediction:
    """Two attempts for one test input, and the ranked candidates they came from."""

    attempt_1: Grid
    attempt_2: Grid
    candidates: list[Candidate]

    def source_of(self, grid: Grid) -> str:
        """Where an attempt came from: its candidate's label, or the fallback (the test input, copied)."""
        for cand in self.candidates:
            if cand.grid.shape == grid.shape and bool(np.array_equal(cand.grid, grid)):
                return cand.label()
        return "fallback: the test input"


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
