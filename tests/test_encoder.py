"""The ARC grid encoder: render/decode round trips, size read off the frame, no leakage in the layout.

Contract 4: decode(render(g)) == g for every grid 1x1 ... 30x30 and every colour, at every canvas a
backbone family uses. Contract 3: the layout is planned without reading any test output.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from arcvdm.encoders import ArcGridEncoder, Canvas
from arcvdm.encoders.arc_grid import decode_grid, lattice_cells_needed, make_layout, render_grid
from arcvdm.errors import BackboneRuleError
from arcvdm.palette import CLASS_RGB, LINE, PAD
from arcvdm.tasks import Example, Task

# (canvas, cell_px, line_px): the canvases the families and the embedded model use.
CANVASES = {
    "fixed-64-line0": (Canvas(64, 64), None, 0),
    "fixed-400-line2": (Canvas(400, 400), None, 2),         # the source paper's canvas
    "fixed-480x832-line2": (Canvas(480, 832), None, 2),      # Wan 480p
    "fitted-cell1-line0": (Canvas(None, None, 1), 1, 0),     # one pixel per cell
    "fitted-cell2-line1-m16": (Canvas(None, None, 16), 2, 1),
}

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def grids(draw, max_side: int = 30) -> np.ndarray:
    h = draw(st.integers(1, max_side))
    w = draw(st.integers(1, max_side))
    return draw(arrays(np.uint8, (h, w), elements=st.integers(0, 9)))


@st.composite
def grid_and_lattice(draw) -> tuple[np.ndarray, int]:
    """A grid and a lattice side that holds it (the lattice may be larger than the grid)."""
    g = draw(grids())
    cells = draw(st.integers(max(g.shape), 30))
    return g, cells


def _roundtrip(name: str, grid: np.ndarray, cells: int) -> None:
    canvas, cell_px, line_px = CANVASES[name]
    layout = make_layout(cells, canvas, cell_px, line_px)
    frame = render_grid(layout, grid)
    assert frame.shape == (layout.height, layout.width, 3) and frame.dtype == np.uint8
    if canvas.fixed:
        assert frame.shape[:2] == (canvas.height, canvas.width)
    else:
        assert frame.shape[0] % canvas.multiple_of == 0 and frame.shape[1] % canvas.multiple_of == 0
    decoded = decode_grid(layout, frame).answer
    assert decoded.shape == grid.shape
    np.testing.assert_array_equal(decoded, grid)


@pytest.mark.parametrize("name", list(CANVASES))
@SETTINGS
@given(case=grid_and_lattice())
@example(case=(np.full((30, 30), 9, dtype=np.uint8), 30))
@example(case=(np.zeros((1, 1), dtype=np.uint8), 30))
@example(case=(np.zeros((1, 30), dtype=np.uint8), 30))
def test_decode_inverts_render(name: str, case: tuple[np.ndarray, int]) -> None:
    grid, cells = case
    _roundtrip(name, grid, cells)


@pytest.mark.parametrize("name", list(CANVASES))
@pytest.mark.parametrize("colour", range(10))
@pytest.mark.parametrize("shape", [(1, 1), (30, 30), (7, 30)])
def test_every_colour_round_trips(name: str, colour: int, shape: tuple[int, int]) -> None:
    """Every colour, alone, at the smallest and largest sizes (a one-colour grid has no contrast to lean on)."""
    _roundtrip(name, np.full(shape, colour, dtype=np.uint8), 30)


@pytest.mark.parametrize("name", list(CANVASES))
def test_all_colours_in_one_30x30_grid(name: str) -> None:
    grid = (np.arange(30 * 30).reshape(30, 30) * 7 % 10).astype(np.uint8)
    _roundtrip(name, grid, 30)


def test_size_is_read_off_the_frame() -> None:
    """A 3x5 grid in a 10x10 lattice decodes as 3x5: nothing tells the decoder the size but the pad."""
    grid = np.array(
        [
            [0, 0, 1, 2, 0],
            [3, 0, 0, 0, 4],
            [0, 5, 0, 0, 0],
        ],
        dtype=np.uint8,
    )
    layout = make_layout(10, Canvas(64, 64), None, 0)
    assert (layout.rows, layout.cols) == (10, 10)
    frame = render_grid(layout, grid)
    decoded = decode_grid(layout, frame)
    assert decoded.answer.shape == (3, 5)
    np.testing.assert_array_equal(decoded.answer, grid)
    # The cells past the grid are drawn in PAD, so the extent is visible on the frame.
    pitch = layout.pitch
    assert tuple(frame[layout.line + 4 * pitch + 1, layout.line + 1]) == PAD
    assert tuple(frame[layout.line + 1, layout.line + 6 * pitch + 1]) == PAD


def test_an_all_black_grid_keeps_its_size() -> None:
    """Background-only grids (colour 0 everywhere) are a common ARC output; their size must survive too."""
    layout = make_layout(12, Canvas(400, 400), None, 2)
    for shape in [(1, 1), (2, 9), (12, 12), (12, 1)]:
        grid = np.zeros(shape, dtype=np.uint8)
        assert decode_grid(layout, render_grid(layout, grid)).answer.shape == shape


def test_grid_lines_are_drawn_between_cells() -> None:
    layout = make_layout(3, Canvas(None, None, 1), 4, 2)
    frame = render_grid(layout, np.array([[1, 2], [3, 4]], dtype=np.uint8))
    assert tuple(frame[0, 0]) == LINE                  # the frame line
    assert tuple(frame[layout.line, layout.line]) == tuple(CLASS_RGB[1])
    assert tuple(frame[layout.line, layout.line + layout.cell]) == LINE  # between cell (0,0) and (0,1)


@pytest.mark.parametrize("name", ["fixed-64-line0", "fixed-400-line2", "fitted-cell1-line0"])
@settings(max_examples=30, deadline=None)
@given(grid=grids(), seed=st.integers(0, 2**32 - 1))
def test_decode_is_robust_to_a_little_noise(name: str, grid: np.ndarray, seed: int) -> None:
    """Uniform noise of +-12 per channel (the closest two palette colours are 73 apart) still decodes exactly."""
    canvas, cell_px, line_px = CANVASES[name]
    layout = make_layout(30, canvas, cell_px, line_px)
    frame = render_grid(layout, grid).astype(np.int16)
    rng = np.random.default_rng(seed)
    noisy = np.clip(frame + rng.integers(-12, 13, size=frame.shape), 0, 255).astype(np.uint8)
    assert not np.array_equal(noisy, frame)
    np.testing.assert_array_equal(decode_grid(layout, noisy).answer, grid)


def test_confidence_drops_with_noise() -> None:
    layout = make_layout(5, Canvas(64, 64), None, 0)
    grid = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    clean = render_grid(layout, grid)
    noisy = np.clip(clean.astype(np.int16) + 10, 0, 255).astype(np.uint8)
    assert decode_grid(layout, clean).confidence == pytest.approx(1.0)
    assert decode_grid(layout, noisy).confidence < decode_grid(layout, clean).confidence


# -- layout: no leakage, errors ----------------------------------------------------------


def _g(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


# Demonstrations map 2x2 -> 2x2; the hidden test output is 6x6. A layout that read it would need 6 cells.
LEAKY_TASK = Task(
    "leaky",
    train=(
        Example(_g([[1, 0], [0, 1]]), _g([[0, 1], [1, 0]])),
        Example(_g([[2, 2], [0, 0]]), _g([[0, 0], [2, 2]])),
    ),
    test=(Example(_g([[3, 0], [0, 0]]), np.full((6, 6), 4, dtype=np.uint8)),),
)


def test_layout_never_reads_test_outputs() -> None:
    assert lattice_cells_needed(LEAKY_TASK) == lattice_cells_needed(LEAKY_TASK.public()) == 2
    encoder = ArcGridEncoder(cell_px=None, line_px=2)
    for canvas in (Canvas(64, 64), Canvas(400, 400)):
        assert encoder.plan(LEAKY_TASK, canvas) == encoder.plan(LEAKY_TASK.public(), canvas)


@settings(max_examples=40, deadline=None)
@given(
    demos=st.lists(st.tuples(grids(10), grids(10)), min_size=1, max_size=3),
    tests=st.lists(st.tuples(grids(10), grids(30)), min_size=1, max_size=2),
)
def test_lattice_is_the_same_with_or_without_test_outputs(demos, tests) -> None:
    task = Task(
        "t",
        tuple(Example(i, o) for i, o in demos),
        tuple(Example(i, o) for i, o in tests),
    )
    needed = lattice_cells_needed(task)
    assert needed == lattice_cells_needed(task.public())
    # It still holds every demonstration grid and every test input.
    sides = [max(g.shape) for i, o in demos for g in (i, o)] + [max(i.shape) for i, _ in tests]
    assert needed >= max(sides)


def test_lattice_scales_test_inputs_by_the_demonstrations_growth() -> None:
    """Outputs 3x the inputs in the demonstrations: a 4x4 test input needs a 12-cell lattice."""
    task = Task(
        "grow",
        train=(Example(_g([[1, 2], [3, 4]]), np.ones((6, 6), dtype=np.uint8)),),
        test=(Example(np.ones((4, 4), dtype=np.uint8)),),
    )
    assert lattice_cells_needed(task) == 12


def test_a_grid_too_large_for_the_layout_is_refused() -> None:
    layout = make_layout(3, Canvas(64, 64), None, 0)
    with pytest.raises(BackboneRuleError) as err:
        render_grid(layout, np.zeros((4, 2), dtype=np.uint8))
    message = str(err.value)
    assert "4x2" in message and f"{layout.rows}x{layout.cols}" in message


def test_a_lattice_too_large_for_the_canvas_is_refused() -> None:
    with pytest.raises(BackboneRuleError) as err:
        make_layout(30, Canvas(32, 32), None, 2)
    message = str(err.value)
    assert "30x30" in message and "32x32" in message


def test_decoding_a_frame_of_the_wrong_size_is_refused() -> None:
    layout = make_layout(5, Canvas(64, 64), None, 0)
    with pytest.raises(BackboneRuleError, match="64x64"):
        decode_grid(layout, np.zeros((32, 64, 3), dtype=np.uint8))
