"""Visual debugging: pictures of tasks, clips, decoding, votes and training, as files or one HTML page.

Files (one job each): ``grids`` (drawing primitives, exact palette colours, saving), ``task`` (an ARC
task and its attempts), ``show`` (``arcvdm show``), ``videos`` (frame strips, GIFs), ``decoding`` (last
frame beside the grid read off it), ``votes`` (candidates in rank order), ``training`` (loss curve),
``run`` (every picture of one task in a run folder), ``report`` (the HTML page; ``arcvdm report``).

One code path draws every encoder's runs: what depends on the kind of example (ARC grids, or images
with masks or keypoints) is drawn by the encoder's pictures hooks (``Encoder.plot_task``,
``Encoder.plot_candidates``; the image encoders' drawing is ``arcvdm.vision.plots``).

Only matplotlib's object-oriented API is used (no pyplot, no display, no backend switch).
"""

from arcvdm.plots.decoding import AMBIGUOUS_RGB_DISTANCE, DecodingCheck, check_decoding, plot_decoding
from arcvdm.plots.grids import draw_classes, draw_frame, draw_grid, figure_png, save_figure
from arcvdm.plots.report import build_report, write_report
from arcvdm.plots.run import Picture, plot_run_task, task_pictures
from arcvdm.plots.show import draw_task, pick_task, show_task
from arcvdm.plots.task import plot_task
from arcvdm.plots.training import plot_losses
from arcvdm.plots.videos import frame_roles, gif_bytes, plot_strip, write_gif
from arcvdm.plots.votes import plot_votes

__all__ = [
    "AMBIGUOUS_RGB_DISTANCE", "DecodingCheck", "Picture", "build_report", "check_decoding", "draw_classes",
    "draw_frame", "draw_task", "draw_grid", "figure_png", "frame_roles", "gif_bytes", "pick_task", "plot_decoding",
    "plot_losses", "plot_run_task", "plot_strip", "plot_task", "plot_votes", "save_figure", "show_task",
    "task_pictures", "write_gif", "write_report",
]
