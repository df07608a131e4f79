"""The task picture of ARC grids: demonstrations and test inputs side by side, and a run's attempts beside them.

All grids of a task share one cell size, so a change of size between input and output shows.

One row per example. A demonstration row shows input -> output. A test row shows the input, and
when a result is given, attempt 1, attempt 2 and (when the task knows it) the true output; each
attempt is framed green (correct) or red (wrong). ``plot_task`` is the grid encoder's pictures hook
(``Encoder.plot_task``); ``arcvdm show`` reaches it through ``arcvdm.plots.show``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from arcvdm.errors import ArcvdmError
from arcvdm.grids import grids_equal
from arcvdm.plots.grids import TEXT, blank, draw_grid, mark, panel_figure
from arcvdm.tasks import Task

if TYPE_CHECKING:
    from arcvdm.results import TaskResult


def common_box(grids: list[np.ndarray]) -> int:
    """Side, in cells, of a panel that holds every grid: drawn with it, all grids share one cell size."""
    return max(max(g.shape) for g in grids)


def panel_size(grids: list[np.ndarray]) -> float:
    """Panel side in inches: 1.6 for small grids, growing so a 30x30 grid gets ~10 px per cell."""
    return float(np.clip(1.2 + 0.07 * common_box(grids), 1.6, 3.3))


def plot_task(task: Task, result: "TaskResult | None" = None) -> Figure:
    """The task's demonstrations and test inputs; with ``result``, its attempts marked right or wrong."""
    if result is not None and len(result.predictions) != len(task.test):
        raise ArcvdmError(
            f"task {task.id}: the result holds {len(result.predictions)} prediction(s) but the task has "
            f"{len(task.test)} test input(s); is it the same task?"
        )
    grids = [g for ex in (*task.train, *task.test) for g in (ex.input, ex.output) if g is not None]
    if result is not None:
        grids += [g for p in result.predictions for g in (p.attempt_1, p.attempt_2)]
    box = common_box(grids)
    known = any(ex.output is not None for ex in task.test)
    ncols = 2 if result is None else (4 if known else 3)
    rows = len(task.train) + len(task.test)
    panels = panel_figure(rows, ncols, panel=panel_size(grids), left=0.8, top=0.45, min_width=4.8)
    fig, axes = panels.figure, panels.axes
    what = "demonstrations and test inputs" if result is None else "demonstrations, test inputs and attempts"
    fig.suptitle(f"task {task.id}: {what}", x=0.01, y=1.0 - 0.1 / fig.get_figheight(), ha="left",
                 va="top", fontsize=11, color=TEXT)

    def row_label(r: int, text: str) -> None:
        ax = axes[r, 0]
        ax.text(-0.08, 0.5, text, transform=ax.transAxes, ha="right", va="center", fontsize=10, color=TEXT)

    for i, ex in enumerate(task.train):
        row_label(i, f"demo {i + 1}")
        draw_grid(axes[i, 0], ex.input, "input", box=box)
        draw_grid(axes[i, 1], ex.output, "output", box=box)
        for c in range(2, ncols):
            blank(axes[i, c])
    for j, ex in enumerate(task.test):
        r = len(task.train) + j
        row_label(r, f"test {j + 1}")
        draw_grid(axes[r, 0], ex.input, "test input", box=box)
        if result is None:
            if ex.output is not None:
                draw_grid(axes[r, 1], ex.output, "true output", box=box)
            else:
                blank(axes[r, 1], "output unknown")
            continue
        pred = result.predictions[j]
        for c, (name, grid) in enumerate((("attempt 1", pred.attempt_1), ("attempt 2", pred.attempt_2)), start=1):
            draw_grid(axes[r, c], grid, name, box=box)
            verdict = mark(axes[r, c], grids_equal(grid, ex.output) if ex.output is not None else None)
            h, w = grid.shape
            head = f"{name} {h}x{w}" + (f": {verdict}" if verdict else "")
            source = pred.source_of(grid)
            source = source if len(source) <= 34 else source[:31] + "..."
            axes[r, c].set_title(f"{head}\n{source}", fontsize=8, color=TEXT)
        if ncols == 4:
            if ex.output is not None:
                draw_grid(axes[r, 3], ex.output, "true output", box=box)
            else:
                blank(axes[r, 3], "output unknown")
    return fig
