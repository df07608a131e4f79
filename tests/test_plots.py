"""Pictures: exact palette colours, visible one-cell objects, the decoding check, files and the HTML report.

Grids are read back from the rendered figure at each cell's centre (through the axes' own data ->
pixel transform), so the test checks what a user sees, not what we meant to draw. One tiny toy run
(2 LoRA steps, 1 sampling step) feeds the run-folder, `show` and `report` tests.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image, ImageSequence
from typer.testing import CliRunner

from arcvdm.cli import app
from arcvdm.encoders.arc_grid import GridLayout, make_layout, render_grid
from arcvdm.encoders.base import Canvas
from arcvdm.errors import ArcvdmError, ConfigError
from arcvdm.palette import ARC_COLOURS, CLASS_RGB, PAD_INDEX
from arcvdm.plots import (
    check_decoding, draw_grid, frame_roles, gif_bytes, plot_decoding, plot_losses, plot_run_task, plot_task,
    plot_votes, save_figure,
)
from arcvdm.plots.grids import panel_figure
from arcvdm.sources import load_tasks
from arcvdm.tasks import Example, Task
from arcvdm.vote import Candidate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "tasks"
TASK_ID = "d037b0a7"
TASK_FILE = DATA / f"{TASK_ID}.json"
runner = CliRunner()


def render(fig) -> np.ndarray:
    """The figure as Agg draws it: (H, W, 3) uint8."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def cell_centre_pixels(ax, pixels: np.ndarray, rows: int, cols: int, reach: int = 0) -> np.ndarray:
    """Pixels around each cell centre, (rows, cols, (2*reach+1)**2, 3), via the axes' transform."""
    height = pixels.shape[0]
    out = np.empty((rows, cols, (2 * reach + 1) ** 2, 3), dtype=np.uint8)
    for r in range(rows):
        for c in range(cols):
            x, y = ax.transData.transform((c + 0.5, r + 0.5))
            px, py = int(np.floor(x)), int(np.floor(height - y))
            patch = pixels[py - reach : py + reach + 1, px - reach : px + reach + 1]
            out[r, c] = patch.reshape(-1, 3)
    return out


# -- exact colours ---------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, panel, box", [((3, 4), 1.6, None), ((30, 30), 3.3, None), ((5, 2), 3.3, 30)])
def test_plotted_grid_cell_centres_have_exact_palette_rgb(shape, panel, box) -> None:
    rng = np.random.default_rng(0)
    grid = rng.integers(0, 10, shape).astype(np.uint8)
    grid.flat[: min(grid.size, 10)] = np.arange(min(grid.size, 10))  # every colour present where it fits
    panels = panel_figure(1, 1, panel=panel)
    ax = panels.axes[0, 0]
    draw_grid(ax, grid, "grid", box=box)
    centres = cell_centre_pixels(ax, render(panels.figure), *shape)[:, :, 0]  # (h, w, 3)
    assert np.array_equal(centres, CLASS_RGB[grid])


def test_grid_lines_leave_one_cell_objects_visible_on_a_30x30_grid() -> None:
    grid = np.zeros((30, 30), dtype=np.uint8)
    spots = [(0, 0), (5, 5), (14, 22), (29, 29), (29, 0)]
    for k, (r, c) in enumerate(spots):
        grid[r, c] = k + 1
    panels = panel_figure(1, 1, panel=3.3)
    ax = panels.axes[0, 0]
    draw_grid(ax, grid)
    pixels = render(panels.figure)
    # A 5x5 block around each centre (of ~10x10 px cells) is the cell's own colour, untouched by lines.
    around = cell_centre_pixels(ax, pixels, 30, 30, reach=2)
    for k, (r, c) in enumerate(spots):
        assert (around[r, c] == ARC_COLOURS[k + 1]).all(), (r, c)
    assert (around[grid == 0] == 0).all()


def test_pad_cells_are_drawn_in_the_pad_colour() -> None:
    classes = np.array([[1, PAD_INDEX], [PAD_INDEX, 2]])
    panels = panel_figure(1, 1, panel=1.6)
    from arcvdm.plots import draw_classes

    draw_classes(panels.axes[0, 0], classes)
    centres = cell_centre_pixels(panels.axes[0, 0], render(panels.figure), 2, 2)[:, :, 0]
    assert np.array_equal(centres, CLASS_RGB[classes])


# -- files -----------------------------------------------------------------------------------------
def test_save_figure_writes_png_and_svg_and_names_a_bad_extension(tmp_path: Path) -> None:
    fig = plot_losses([1.0, 0.5, 0.25])
    png, svg = save_figure(fig, tmp_path / "a" / "loss.png"), save_figure(fig, tmp_path / "loss.svg")
    assert Image.open(png).format == "PNG"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(ConfigError, match=r"\.jpg"):
        save_figure(fig, tmp_path / "loss.jpg")


def test_gif_shows_every_frame_in_exact_palette_colours() -> None:
    layout = make_layout(3, Canvas(None, None, 16), 5, 1)
    grids = [np.full((3, 3), k, dtype=np.uint8) for k in (1, 2, 3)]
    frames = np.stack([render_grid(layout, g) for g in grids])   # (3, 16, 16, 3), all distinct
    gif = Image.open(io.BytesIO(gif_bytes(frames)))
    decoded = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(gif)]
    assert len(decoded) == 3
    zoom = decoded[0].shape[0] // frames.shape[1]
    assert zoom >= 2
    for got, want in zip(decoded, frames):
        assert np.array_equal(got[::zoom, ::zoom], want)


def test_frame_roles_follow_the_clip_arrangement() -> None:
    video = {"input_frames": 1, "output_frames": 4, "context": 1}
    assert frame_roles(5, video, generated=False) == ["0: input", "1: output", "2: output", "3: output", "4: output"]
    # 10 frames = one demonstration pair then the query: 6 given, 4 generated.
    roles = frame_roles(10, video, generated=True)
    assert [r.split(": ")[1] for r in roles] == ["given"] * 6 + ["generated"] * 4
    assert frame_roles(7, video, generated=True) == [f"frame {k}" for k in range(7)]  # does not fit: plain numbers


# -- decoding check --------------------------------------------------------------------------------
def test_decoding_check_flags_exactly_the_cells_between_two_colours() -> None:
    layout = make_layout(5, Canvas(None, None, 16), 6, 1)
    grid = np.array([[2, 7, 0], [1, 1, 3]], dtype=np.uint8)
    frame = render_grid(layout, grid)
    clean = check_decoding(layout, frame)
    assert clean.num_ambiguous == 0 and np.array_equal(clean.grid, grid)
    # Cell (0, 1): halfway between red (2) and orange (7), 36.6 from each.
    y, x = layout.line, layout.line + layout.pitch
    frame[y : y + layout.cell, x : x + layout.cell] = (np.array(ARC_COLOURS[2]) + ARC_COLOURS[7]) // 2
    check = check_decoding(layout, frame, threshold=30.0)
    assert list(zip(*np.nonzero(check.ambiguous))) == [(0, 1)]
    assert check_decoding(layout, frame, threshold=40.0).num_ambiguous == 0
    with pytest.raises(ConfigError, match="-1"):
        check_decoding(layout, frame, threshold=-1)


def test_decoding_picture_has_one_row_per_sample(tmp_path: Path) -> None:
    layout = GridLayout(height=32, width=32, cell=9, line=1, rows=3, cols=3)
    frames = np.stack([render_grid(layout, np.eye(3, dtype=np.uint8) * k) for k in (1, 4)])
    fig = plot_decoding(layout, frames)
    assert len(fig.axes) == 2 * 3
    assert "0 ambiguous" in fig.axes[2].get_title()


# -- vote, training, task --------------------------------------------------------------------------
def test_vote_picture_ranks_candidates_and_marks_the_truth() -> None:
    a, b = np.zeros((2, 2), np.uint8), np.ones((2, 2), np.uint8)
    program = Candidate(b, programs=["rot90 | crop"], program_length=2, search_rank=0, vdm_loss=0.25)
    fig = plot_votes([Candidate(a, 3, 0.9, [0]), program], truth=b)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("#1 = attempt 1 (wrong)") and "3 vote(s), confidence 0.900" in titles[0]
    assert titles[1].startswith("#2 = attempt 2 (correct)")
    assert "program [2]: rot90 | crop" in titles[1] and "judge loss 0.2500" in titles[1]
    assert "no candidates" in plot_votes([]).axes[0].texts[0].get_text()


def test_loss_picture_handles_no_steps() -> None:
    assert "no training steps" in plot_losses([]).axes[0].texts[0].get_text()
    assert len(plot_losses(list(np.linspace(2, 1, 40))).axes[0].lines) == 2  # raw + moving average


def test_task_picture_refuses_a_result_of_another_task() -> None:
    task = load_tasks(TASK_FILE).tasks[0]
    other = Task("x", task.train, task.test * 2)
    from arcvdm.solve import TaskResult, TestPrediction

    result = TaskResult("x", [TestPrediction(ex.input, ex.input, []) for ex in other.test])
    with pytest.raises(ArcvdmError, match="2 prediction"):
        plot_task(task, result)


# -- a real (toy) run folder -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from arcvdm.jobs import resolve_config, solve_tasks

    out = tmp_path_factory.mktemp("plots") / "run"
    config = resolve_config("toy", ["train.steps=2", "sample.num_steps=1"])
    solve_tasks(str(TASK_FILE), config, out, progress=False, echo=lambda _: None)
    return out


def test_plot_run_task_writes_every_picture(run_dir: Path, tmp_path: Path) -> None:
    task = load_tasks(TASK_FILE).tasks[0]
    written = plot_run_task(run_dir, TASK_ID, tmp_path / "pics", task=task)
    names = sorted(p.name for p in written)
    assert names == sorted([
        "task.png", "losses.png", "train_clip.png", "train_clip.gif",
        "test1_video.png", "test1_video.gif", "test1_decoding.png", "test1_votes.png",
    ])
    for path in written:
        Image.open(path).verify()
    svg = plot_run_task(run_dir, TASK_ID, tmp_path / "svg", fmt="svg", gifs=False)
    assert all(p.suffix == ".svg" for p in svg) and "task.svg" not in [p.name for p in svg]  # no task given


def test_plot_run_task_names_a_missing_task(run_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ArcvdmError, match=rf"no result for task nope .*{TASK_ID}"):
        plot_run_task(run_dir, "nope", tmp_path)


def test_show_draws_the_task_and_the_run_attempts(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "show.png"
    result = runner.invoke(app, ["show", str(DATA), "--task", TASK_ID, "--run", str(run_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).format == "PNG"
    # Without --task, a multi-task source is refused with a one-line error naming the option.
    result = runner.invoke(app, ["show", str(DATA), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "--task" in result.output
    result = runner.invoke(app, ["show", str(TASK_FILE), "-o", str(tmp_path / "x.gif")])
    assert result.exit_code == 2 and ".gif" in result.output


DATA_URI = re.compile(r'src="data:image/(png|gif);base64,([A-Za-z0-9+/=]+)"')


def test_report_is_one_html_page_with_decodable_embedded_images(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(run_dir), "--tasks", str(TASK_FILE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<img" in page and 'src="http' not in page and "<script" not in page   # self-contained
    images = DATA_URI.findall(page)
    kinds = [kind for kind, _ in images]
    assert kinds.count("png") >= 5 and kinds.count("gif") == 2
    for kind, payload in images:
        img = Image.open(io.BytesIO(base64.b64decode(payload)))
        assert img.format == kind.upper()
        img.load()
        assert min(img.size) > 50
    # The summary row: the task, solved or not (the toy backbone's weights are random), its seconds.
    solved = json.loads((run_dir / "summary.json").read_text())["solved"][TASK_ID][0]
    row = re.search(rf'<tr><td><a href="#task-{TASK_ID}">{TASK_ID}</a></td>(.*?)</tr>', page).group(1)
    assert ("yes (1/1)" if solved else "no (0/1)") in row
    assert f'id="task-{TASK_ID}"' in page


def test_report_without_tasks_reads_the_truth_from_the_run(run_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from arcvdm.plots import build_report

    monkeypatch.chdir(tmp_path)   # the recorded source is an absolute path: any working folder will do
    page = build_report(run_dir)
    solved = json.loads((run_dir / "summary.json").read_text())["solved"][TASK_ID][0]
    row = re.search(rf'<tr><td><a href="#task-{TASK_ID}">{TASK_ID}</a></td>(.*?)</tr>', page).group(1)
    assert ("yes (1/1)" if solved else "no (0/1)") in row
    assert "unknown" not in page and "nowhere" not in page
    assert f"ground truth from {TASK_FILE}, the task source recorded in the run&#x27;s summary.json" in page
    assert 'alt="task"' in page   # the task picture needs the demonstrations: read from the recorded source


def copy_run(run_dir: Path, to: Path, **summary_changes) -> Path:
    """A copy of a run folder whose summary.json has keys changed (None: removed)."""
    import shutil

    shutil.copytree(run_dir, to)
    summary = json.loads((to / "summary.json").read_text())
    for key, value in summary_changes.items():
        if value is None:
            summary.pop(key, None)
        else:
            summary[key] = value
    (to / "summary.json").write_text(json.dumps(summary))
    return to


def test_report_falls_back_to_the_recorded_solved_status_and_says_so(run_dir: Path, tmp_path: Path) -> None:
    from arcvdm.plots import build_report

    moved = copy_run(run_dir, tmp_path / "moved", source=str(tmp_path / "gone.json"), solved={TASK_ID: [True]})
    page = build_report(moved, max_pictured=0)
    assert "yes (1/1)" in page and "gone.json" in page and "solved status as the run&#x27;s summary.json recorded it" in page
    old = copy_run(run_dir, tmp_path / "old", source=None, solutions=None, solved=None)   # a run from before both
    page = build_report(old, max_pictured=0)
    assert "<td>unknown</td>" in page and "recorded no task source" in page and "--tasks" in page


# -- test inputs are numbered from 1 everywhere a person reads them ----------------------------------
TWO_TESTS = {
    "train": [{"input": [[1, 0], [0, 0]], "output": [[0, 1], [0, 0]]},
              {"input": [[0, 0], [2, 0]], "output": [[0, 0], [0, 2]]}],
    "test": [{"input": [[3, 0], [0, 0]], "output": [[0, 3], [0, 0]]},
             {"input": [[0, 0], [4, 0]], "output": [[0, 0], [0, 4]]}],
}


def figure_texts(fig) -> str:
    from matplotlib.text import Text

    return " | ".join(t.get_text() for t in fig.findobj(Text))


def test_test_inputs_are_numbered_from_one_in_the_cli_pictures_files_and_report(tmp_path: Path, monkeypatch) -> None:
    from arcvdm.plots import task_pictures

    monkeypatch.chdir(tmp_path)
    Path("two.json").write_text(json.dumps(TWO_TESTS))
    result = runner.invoke(app, ["solve", "two.json", "--solver", "toy", "--set", "train.steps=2",
                                 "--set", "sample.num_steps=1", "--out", "run", "-q"])
    assert result.exit_code == 0, result.output
    # 1. The CLI.
    for n in (1, 2):
        assert f"two test {n}: attempt_1" in result.stdout and f"two test {n}: attempt_2" in result.stdout
    assert "test 0" not in result.stdout
    # 2. File names.
    files = sorted(p.name for p in (tmp_path / "run" / "plots" / "two").iterdir())
    assert {"test1_video.png", "test1_votes.png", "test2_video.png", "test2_votes.png", "test2_decoding.png"} <= set(files)
    assert not [f for f in files if f.startswith("test0")]
    # 3. Captions and every text drawn in the pictures.
    task = load_tasks(tmp_path / "two.json").tasks[0]
    pictures = task_pictures(tmp_path / "run", "two", task, gifs=False)
    drawn = " | ".join([p.caption for p in pictures] + [figure_texts(p.figure) for p in pictures])
    assert "test 1" in drawn and "test 2" in drawn and "test 0" not in drawn
    # 4. The report (truth from the run's recorded source, read from another folder).
    monkeypatch.chdir(ROOT)
    page = runner.invoke(app, ["report", str(tmp_path / "run")])
    assert page.exit_code == 0, page.output
    text = (tmp_path / "run" / "report.html").read_text()
    assert "test 1: " in text and "test 2: " in text and "test 0" not in text and "test0" not in text
    assert "ground truth from " + str(tmp_path / "two.json") in text


# -- a run without the VDM (recipe search) --------------------------------------------------------------
@pytest.fixture(scope="module")
def search_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from arcvdm.jobs import resolve_config, solve_tasks

    out = tmp_path_factory.mktemp("search") / "run"
    config = resolve_config("search", ["search.max_applications=3000"])
    solve_tasks(str(TASK_FILE), config, out, progress=False, echo=lambda _: None)
    return out


def test_report_of_a_search_run_shows_programs_not_vdm_columns(search_run: Path) -> None:
    from arcvdm.plots import build_report

    page = build_report(search_run)
    head = re.search(r"<table><tr>(.*?)</tr>", page).group(1)
    assert "training s" not in head and "final loss" not in head and "seconds" in head
    assert "vote(s)" not in page and 'alt="test1_votes"' not in page and 'alt="losses"' not in page
    # The programs behind each attempt: text and search view, as the result recorded them.
    result = json.loads((search_run / "results" / f"{TASK_ID}.json").read_text())
    best = result["predictions"][0]["candidates"][0]
    table = re.search(r"<th>search view</th></tr>(.*?)</table>", page, re.S).group(1)
    for prog in result["search"]["programs"]:
        if prog["answers"][0] == best["search_rank"]:
            assert f"<code>{html.escape(prog['text'])}</code>" in table
            assert f"<td>{prog['view']}</td>" in table
    assert "<td>test 1</td><td>1</td><td>3x3</td>" in table and "<td>test 1</td><td>2</td>" in table


def test_plots_of_a_search_run_hold_only_the_task_picture(search_run: Path, tmp_path: Path) -> None:
    task = load_tasks(TASK_FILE).tasks[0]
    written = plot_run_task(search_run, TASK_ID, tmp_path, task=task)
    assert [p.name for p in written] == ["task.png"]
