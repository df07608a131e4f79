"""The portfolio: search and VDM candidates pooled, judged by the VDM's denoising loss, ranked by one rule.

Contracts: the rank rule (programs first; judge loss, then program length, then search order; VDM
candidates by loss, then votes, then confidence; a stable key last); the judge gives equal candidates
equal losses (shared draws) and is deterministic; a recipe without the VDM never builds a backbone;
no leakage on the whole new path; every attempt records where it came from.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from arcvdm.cli import app
from arcvdm.grids import grid_key
from arcvdm.jobs import resolve_config
from arcvdm.judge import judge
from arcvdm.rank import pool, rank
from arcvdm.solve import Solver
from arcvdm.tasks import Example, Task
from arcvdm.vote import Candidate

DATA = Path(__file__).resolve().parent.parent / "data" / "tasks"


def _g(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


A, B, C, D = _g([[1]]), _g([[2]]), _g([[3]]), _g([[4, 4]])

# "Flip the grid upside down": a depth-1 program solves it.
FLIP = Task(
    "flip0001",
    train=(
        Example(_g([[1, 0], [0, 0]]), _g([[0, 0], [1, 0]])),
        Example(_g([[0, 2], [0, 0], [3, 0]]), _g([[3, 0], [0, 0], [0, 2]])),
        Example(_g([[5, 5, 0], [0, 0, 0]]), _g([[0, 0, 0], [5, 5, 0]])),
    ),
    test=(Example(_g([[0, 7], [0, 0], [0, 0]]), _g([[0, 0], [0, 0], [0, 7]])),),
)
TOY_PORTFOLIO = [
    "search.enabled=true", "score.enabled=true", "score.views=2", "score.draws=2",
    "train.steps=2", "sample.num_steps=1", "sample.num_samples=2", "views.num_views=2",
    "search.max_applications=20000",  # a flip is found at depth 1; the full budget would only cost time
    # the toy VDM is untrained, its losses are noise: programs keep the search's order (rank tests cover
    # ordering by loss), so the whole-path test does not depend on which wrong program the noise favours
    "score.programs_by_loss=false",
]


# -- the rank rule ------------------------------------------------------------------------------------
def test_programs_come_first_then_vdm_candidates() -> None:
    ranked = rank(pool([(A, ["p1"], 3)], [Candidate(B, votes=9, score=0.9, sources=["vdm"])]))
    assert [grid_key(c.grid) for c in ranked] == [grid_key(A), grid_key(B)]


def test_programs_by_judge_loss_then_search_order() -> None:
    # the search's order is its own ranking (shorter first, overlays of pieces and idle answers last), so an
    # answer listed first keeps its place even when a later one has a shorter program
    cands = pool([(A, ["pieces(a ; b)"], 3), (B, ["short"], 1), (C, ["short2"], 1)], [])
    assert [c.programs[0] for c in rank(cands)] == ["pieces(a ; b)", "short", "short2"]   # unjudged: search order
    cands[0].vdm_loss, cands[1].vdm_loss, cands[2].vdm_loss = 0.5, 0.1, 0.3
    assert [c.programs[0] for c in rank(cands)] == ["short", "short2", "pieces(a ; b)"]   # judged: loss first
    assert [c.programs[0] for c in rank(cands, programs_by_loss=False)] == ["pieces(a ; b)", "short", "short2"]


def test_vdm_candidates_by_loss_then_votes_then_confidence_then_key() -> None:
    few, many, sure = Candidate(A, 1, 0.1), Candidate(B, 5, 0.1), Candidate(C, 5, 0.9)
    assert [c.votes for c in rank([few, many, sure])] == [5, 5, 1] and rank([few, many, sure])[0] is sure
    few.vdm_loss = 0.01
    assert rank([few, many, sure])[0] is few                                          # judged beats unjudged
    tie = [Candidate(D, 1, 0.5), Candidate(A, 1, 0.5)]
    assert [grid_key(c.grid) for c in rank(tie)] == sorted(grid_key(c.grid) for c in tie)


def test_a_grid_from_both_proposers_keeps_both_sources() -> None:
    [both] = pool([(A, ["p1", "p2"], 2)], [Candidate(A.copy(), votes=3, score=0.5, views=[0, 1, 1], sources=["vdm"])])
    assert both.sources == ["search", "vdm"] and both.programs == ["p1", "p2"] and both.votes == 3
    assert both.label().startswith("program [2]: p1 (+1 more); vdm: 3 vote(s)")


# -- the judge ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def toy_solver() -> Solver:
    return Solver(resolve_config("toy", TOY_PORTFOLIO))


def test_shared_draws_give_equal_candidates_equal_losses(toy_solver: Solver) -> None:
    prep = toy_solver.prepare(FLIP.public())
    truth, wrong = FLIP.test[0].output, FLIP.test[0].input
    cands = [[Candidate(truth.copy()), Candidate(wrong.copy()), Candidate(truth.copy())]]
    assert judge(toy_solver.backbone, toy_solver.encoder, toy_solver.clip, prep, cands, toy_solver.config.score) == 3
    first, other, again = (c.vdm_loss for c in cands[0])
    assert first == again and first != other and np.isfinite(first)
    # The draws come from the seed alone: the same clip, the same seed, the same loss; another seed differs.
    video = toy_solver.backbone.encode_clip(torch.zeros(1, 3, prep.num_frames, prep.layout.height, prep.layout.width), 1)
    loss = toy_solver.backbone.denoising_loss
    assert loss(video, prep.num_clean, 2, 7) == loss(video, prep.num_clean, 2, 7)
    assert loss(video, prep.num_clean, 2, 7) != loss(video, prep.num_clean, 2, 8)


def test_a_candidate_larger_than_the_lattice_is_not_judged(toy_solver: Solver) -> None:
    prep = toy_solver.prepare(FLIP.public())
    huge = Candidate(np.zeros((prep.layout.rows + 1, 2), dtype=np.uint8))
    assert judge(toy_solver.backbone, toy_solver.encoder, toy_solver.clip, prep, [[huge]], toy_solver.config.score) == 0 and huge.vdm_loss is None


# -- the whole path -----------------------------------------------------------------------------------
def test_portfolio_solves_with_search_and_records_sources(toy_solver: Solver) -> None:
    result = toy_solver.solve(FLIP, progress=False)
    pred = result.predictions[0]
    assert grid_key(pred.attempt_1) == grid_key(FLIP.test[0].output)     # the program's answer comes first
    top = pred.candidates[0]
    assert "search" in top.sources and top.programs and top.vdm_loss is not None
    assert any("vdm" in c.sources for c in pred.candidates)              # the VDM proposed too
    assert result.search["fitted_all"] and result.search["programs"]
    back = type(result).from_json(json.loads(json.dumps(result.to_json())))
    assert back.predictions[0].candidates[0].programs == top.programs and back.search == result.search


def test_no_leakage_on_the_portfolio_path(toy_solver: Solver) -> None:
    with_answers = toy_solver.solve(FLIP, progress=False)
    torch.manual_seed(4321)
    without = toy_solver.solve(FLIP.public(), progress=False)
    for a, b in zip(with_answers.predictions, without.predictions):
        assert [(grid_key(c.grid), c.votes, c.vdm_loss, c.programs) for c in a.candidates] == [
            (grid_key(c.grid), c.votes, c.vdm_loss, c.programs) for c in b.candidates
        ]


def test_the_search_recipe_builds_no_backbone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import arcvdm.solve

    def no_backbone(*args, **kwargs):
        raise AssertionError("the search recipe must not build a backbone")

    monkeypatch.setattr(arcvdm.solve, "build_backbone", no_backbone)
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["solve", str(DATA / "25ff71a9.json"), "--solver", "search", "-o", str(out), "-q", "--no-plots",
                                   "--set", "search.max_applications=20000"])
    assert result.exit_code == 0, result.output
    assert "attempt_1 (3x3; program" in result.stdout
    saved = json.loads((out / "results" / "25ff71a9.json").read_text())
    assert saved["losses"] == [] and saved["search"]["expanded"] > 0
    assert saved["predictions"][0]["candidates"][0]["sources"] == ["search"]


# family -> clip frames and canvas side the family accepts (as in test_families.py)
JUDGED = {"toy-wan22": (5, 32), "toy-wan21": (5, 32), "toy-cogvideox": (9, 32), "toy-ltx": (9, 64), "embedded-random": (2, None)}


@pytest.mark.parametrize("family", list(JUDGED))
def test_every_family_judges_the_same_way(family: str) -> None:
    """One Backbone method scores for every family: equal candidates get equal, finite losses."""
    frames, side = JUDGED[family]
    overrides = [f'backbone.name="{family}"', "score.views=1", "score.draws=2", f"video.output_frames={frames - 1}"]
    if side is not None:
        overrides += [f"backbone.height={side}", f"backbone.width={side}"]
    else:
        overrides += ["encoder.cell_px=1", "encoder.line_px=0"]
    solver = Solver(resolve_config("toy", TOY_PORTFOLIO + overrides))
    prep = solver.prepare(FLIP.public())
    cands = [[Candidate(FLIP.test[0].output.copy()), Candidate(FLIP.test[0].output.copy()), Candidate(FLIP.test[0].input.copy())]]
    assert judge(solver.backbone, solver.encoder, solver.clip, prep, cands, solver.config.score) == 3
    losses = [c.vdm_loss for c in cands[0]]
    assert losses[0] == losses[1] and all(np.isfinite(losses))
