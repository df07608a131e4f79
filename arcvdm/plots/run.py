"""All pictures of one task in a run folder: the list (``task_pictures``) and the files (``plot_run_task``).

Reads only what a run folder holds (see ``arcvdm.runs``): ``results/<id>.json`` (attempts,
candidates, losses, layout), ``results/<id>.npz`` (frames, when kept) and ``config.json`` (the encoder,
and the clip arrangement to label frames). The task itself is optional: with it, the task picture and the
right/wrong marks (when its test outputs are known) are added.

Every encoder's run gets the same list; what differs is drawn by the run's encoder through its pictures
hooks (``Encoder.plot_task``, ``Encoder.plot_candidates``): ARC grids, or images with their masks or
keypoints (``arcvdm.vision.plots``). Pictures, by file stem (test inputs numbered from 1, as everywhere
a person reads them: ``test1_video`` is "test 1")::

    task               the task and its attempts, as the encoder draws it (needs the task)
    losses             LoRA loss per step
    train_clip         one training clip as a strip (.png) and an animation (.gif)
    test{n}_video      the first generated sample for test input n, strip and animation
    test{n}_decoding   each sample's last frame beside the grid it was quantized to (ARC grid runs)
    test{n}_votes      the distinct candidates in rank order (encoders that draw them: ARC grids; runs with a VDM)

A run without the VDM (recipe ``search``) has only the task picture: its candidates are programs, listed
by the report (``arcvdm.plots.report``), with no losses, clips, samples or votes to draw.

The frames file (``results/<id>.npz``) keeps its own keys, ``test{i}_video`` and ``test{i}_last_frames``
with i counted from 0: array positions in a data file, read only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from arcvdm.encoders import ENCODERS, ArcGridEncoder, Encoder
from arcvdm.encoders.arc_grid import GridLayout
from arcvdm.errors import ArcvdmError, ConfigError
from arcvdm.jsonio import read_json
from arcvdm.plots.decoding import AMBIGUOUS_RGB_DISTANCE, plot_decoding
from arcvdm.plots.grids import save_figure
from arcvdm.plots.training import plot_losses
from arcvdm.plots.videos import frame_roles, gif_bytes, plot_strip
from arcvdm.results import TaskResult, load_task_result
from arcvdm.tasks import Task


@dataclass
class Picture:
    """One picture of a task: a figure, or an animation as GIF bytes."""

    name: str                       # file stem, e.g. "test1_decoding" (test inputs counted from 1)
    caption: str
    figure: Figure | None = None
    gif: bytes | None = None


def load_run_config(run_dir: Path) -> dict[str, Any]:
    """The run's resolved config (``config.json``), or {} when the folder has none."""
    path = Path(run_dir) / "config.json"
    if not path.is_file():
        return {}
    return read_json(path, "run config")


def run_uses_vdm(config: dict[str, Any]) -> bool:
    """Whether the run's recipe used the VDM (``sample.enabled`` or ``score.enabled``, as ``SolverConfig.uses_vdm``);
    a run folder without a config is taken as a VDM run, as every run was before the search existed."""
    if not config:
        return True
    return bool(config.get("sample", {}).get("enabled", True) or config.get("score", {}).get("enabled", False))


def run_encoder(config: dict[str, Any]) -> type[Encoder]:
    """The encoder a run used, by the name in its config (a config without one is from an ARC grid run)."""
    name = config.get("encoder", {}).get("name", ArcGridEncoder.name)
    if name not in ENCODERS:
        raise ArcvdmError(f"the run's config.json names encoder {name!r}; this version knows {', '.join(ENCODERS)}")
    return ENCODERS[name]


def task_pictures(
    run_dir: Path,
    task_id: str,
    task: Task | None = None,
    threshold: float = AMBIGUOUS_RGB_DISTANCE,
    gifs: bool = True,
) -> list[Picture]:
    """Every picture of one task in a run (see the module docstring); missing inputs skip their picture."""
    from arcvdm.runs import RunDir

    result = load_task_result(run_dir, task_id)
    artifacts = RunDir(Path(run_dir)).load_artifacts(task_id)
    config = load_run_config(run_dir)
    encoder = run_encoder(config)
    video_cfg = config.get("video")
    truths = [None] * len(result.predictions)
    view0 = f"view 0: {result.views[0]}" if result.views else "view 0"
    pictures: list[Picture] = []

    # 1. The task with its attempts (only with the task, and only if it matches the result).
    if task is not None and len(task.test) == len(result.predictions):
        truths = [ex.output for ex in task.test]
        pictures.append(Picture("task", encoder.task_caption, encoder.plot_task(task, result)))
    # 2. Training.
    if result.losses:
        pictures.append(Picture("losses", "LoRA loss per training step",
                                plot_losses(result.losses, f"task {task_id}: LoRA training loss", result.train_seconds)))
    # 3. A training clip.
    if "train_clip" in artifacts:
        clip = artifacts["train_clip"]
        labels = frame_roles(len(clip), video_cfg, generated=False)
        pictures.append(Picture("train_clip", "one training clip, frame by frame",
                                plot_strip(clip, f"task {task_id}: training clip ({view0})", labels)))
        if gifs:
            pictures.append(Picture("train_clip", "one training clip, animated", gif=gif_bytes(clip)))
    # 4. Per test input: generated video, decoding check, candidates.
    #    Test inputs are numbered from 1 in names and captions; i (from 0) only indexes the data.
    layout = _layout(result, config)
    for i, pred in enumerate(result.predictions):
        n = i + 1
        video = artifacts.get(f"test{i}_video")
        if video is not None:
            labels = frame_roles(len(video), video_cfg, generated=True)
            pictures.append(Picture(f"test{n}_video", f"test {n}: the first generated sample (view 0)",
                                    plot_strip(video, f"task {task_id}, test {n}: generated sample 1 ({view0})", labels)))
            if gifs:
                pictures.append(Picture(f"test{n}_video", f"test {n}: the first generated sample, animated",
                                        gif=gif_bytes(video)))
        last = artifacts.get(f"test{i}_last_frames")
        if last is not None and layout is not None:
            pictures.append(Picture(f"test{n}_decoding", f"test {n}: last frames and the grids read off them (view 0)",
                                    plot_decoding(layout, last, threshold, f"task {task_id}, test {n}: decoding ({view0})")))
        if not run_uses_vdm(config):  # no votes: the candidates are programs (the report lists them)
            continue
        votes = encoder.plot_candidates(pred.candidates, truths[i], f"task {task_id}, test {n}: vote")
        if votes is not None:
            pictures.append(Picture(f"test{n}_votes", f"test {n}: candidates in rank order", votes))
    return pictures


def _layout(result: TaskResult, config: dict[str, Any]) -> GridLayout | None:
    """The ARC grid layout saved with a result; None for another encoder or an old result without one."""
    if run_encoder(config) is not ArcGridEncoder or not result.layout:
        return None
    try:
        return GridLayout(**result.layout)
    except TypeError as err:
        raise ArcvdmError(f"task {result.task_id}: the saved layout {result.layout} is not an ARC grid layout ({err})") from None


def plot_run_task(
    run_dir: Path,
    task_id: str,
    out_dir: Path,
    task: Task | None = None,
    fmt: str = "png",
    threshold: float = AMBIGUOUS_RGB_DISTANCE,
    gifs: bool = True,
) -> list[Path]:
    """Write every picture of one task in a run to ``out_dir`` (figures as ``fmt``: png or svg; animations
    as .gif). Pass ``task`` to add the task picture and right/wrong marks. Returns the files written."""
    if fmt not in ("png", "svg"):
        raise ConfigError(f"plot format must be png or svg, got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for pic in task_pictures(run_dir, task_id, task, threshold, gifs):
        if pic.figure is not None:
            written.append(save_figure(pic.figure, out_dir / f"{pic.name}.{fmt}"))
        if pic.gif is not None:
            path = out_dir / f"{pic.name}.gif"
            path.write_bytes(pic.gif)
            written.append(path)
    return written
