"""View-averaged cells: per-cell colour distributions pooled across samples and views.

Contracts: ``invert_cells`` undoes a view exactly (round trip with ``apply_grid``); the average takes
the most common size; ``likely_grids`` starts with the per-cell argmax, returns distinct grids in
order of likelihood, and flips the least confident cells first; the solver adds these candidates
and scores every VDM candidate of that size.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from arcvdm.cells import average, likely_grids, log_likelihood
from arcvdm.encoders.arc_grid import ArcGridEncoder, colour_distribution, make_layout
from arcvdm.encoders.base import Canvas
from arcvdm.jobs import resolve_config
from arcvdm.palette import CLASS_RGB
from arcvdm.solve import Solver
from arcvdm.tasks import Example, Task
from arcvdm.views import View, apply_grid, invert_cells


def onehot(grid: np.ndarray) -> np.ndarray:
    return np.eye(10)[grid]


@settings(max_examples=60, deadline=None)
@given(
    d8=st.integers(0, 7),
    colours=st.permutations(list(range(10))),
    h=st.integers(1, 6),
    w=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_invert_cells_undoes_a_view(d8: int, colours: list[int], h: int, w: int, seed: int) -> None:
    grid = np.random.default_rng(seed).integers(0, 10, (h, w)).astype(np.uint8)
    view = View(d8, tuple(colours))
    back = invert_cells(view, onehot(apply_grid(view, grid)))
    assert back.shape == (h, w, 10)
    np.testing.assert_array_equal(back.argmax(-1), grid)
    np.testing.assert_allclose(back.sum(-1), 1.0)


def test_exact_palette_colours_read_as_near_certain() -> None:
    probs = colour_distribution(CLASS_RGB[:10].astype(np.float32)[None])      # (1, 10, 10)
    assert (probs[0].argmax(-1) == np.arange(10)).all() and probs[0].max(-1).min() > 0.85


def test_the_average_takes_the_most_common_size() -> None:
    a, b = onehot(np.array([[1, 2]], np.uint8)), onehot(np.array([[1, 3]], np.uint8))
    other = onehot(np.zeros((3, 3), np.uint8))
    avg = average([other, a, b, a])
    assert avg.shape == (1, 2) and avg.samples == 3
    np.testing.assert_allclose(avg.probs[0, 1, [2, 3]], [2 / 3, 1 / 3])
    assert average([]) is None


def test_likely_grids_start_with_the_argmax_and_flip_unsure_cells_first() -> None:
    probs = np.full((2, 2, 10), 0.0)
    probs[..., 1] = [[0.9, 0.55], [0.8, 0.99]]        # the top-right cell is the least sure
    probs[..., 4] = 1.0 - probs[..., 1]
    grids = likely_grids(average([probs]), 4)
    assert len(grids) == 4 and len({g.tobytes() for g in grids}) == 4
    np.testing.assert_array_equal(grids[0], [[1, 1], [1, 1]])
    np.testing.assert_array_equal(grids[1], [[1, 4], [1, 1]])
    scores = [log_likelihood(average([probs]), g) for g in grids]
    assert scores == sorted(scores, reverse=True)
    assert log_likelihood(average([probs]), np.zeros((3, 3), np.uint8)) is None


def test_the_solver_adds_cell_candidates_and_scores_vdm_candidates() -> None:
    g = lambda rows: np.array(rows, dtype=np.uint8)  # noqa: E731
    task = Task("cells001", (Example(g([[1, 0]]), g([[0, 1]])), Example(g([[2, 0]]), g([[0, 2]]))), (Example(g([[3, 0]])),))
    cfg = resolve_config("toy", ["sample.average_cells=true", "sample.cell_candidates=3", "train.steps=1",
                                 "sample.num_steps=1", "views.num_views=2", "sample.num_samples=2"])
    pred = Solver(cfg).solve(task, progress=False).predictions[0]
    assert any("cells" in c.sources for c in pred.candidates)
    assert all(c.cell_logp is not None for c in pred.candidates if "cells" in c.sources)
    logps = [c.cell_logp for c in pred.candidates if c.cell_logp is not None]
    assert logps == sorted(logps, reverse=True)       # the rank rule orders VDM candidates by it


def test_the_encoder_reads_a_rendered_grid_back_as_certain_cells() -> None:
    enc = ArcGridEncoder(cell_px=3, line_px=1)
    layout = make_layout(4, Canvas(None, None), 3, 1)
    grid = np.array([[1, 2, 3], [4, 5, 6]], np.uint8)
    probs = enc.cell_distribution(layout, enc.output_frame(layout, grid), grid.shape)
    np.testing.assert_array_equal(probs.argmax(-1), grid)
