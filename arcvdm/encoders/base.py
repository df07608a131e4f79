"""The encoder interface: how one kind of example becomes frames, and a generated frame an answer.

An encoder turns a task's examples into frames (``input_frame``/``output_frame``), and a generated
last frame back into an answer (``decode``). The ARC grid encoder, the segmentation encoder
(image -> mask) and the pose encoder (image -> keypoints) share it; the solver only calls these
methods, so it does not know which one it drives.

Frames are ``numpy.uint8`` arrays of shape (H, W, 3), RGB.

Pictures: ``arcvdm.plots`` draws every encoder's tasks through two hooks, ``plot_task`` (the task and
its attempts) and ``plot_candidates`` (one test input's candidates), so ``arcvdm show``, a run's pictures
and the report are one code path for every encoder. The defaults draw ARC grids; the image encoders
draw images with their masks or keypoints (``arcvdm.vision.plots``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from arcvdm.tasks import Task

if TYPE_CHECKING:  # the drawing hooks return matplotlib figures; matplotlib is imported only when they run
    from matplotlib.figure import Figure

    from arcvdm.candidate import Candidate
    from arcvdm.results import TaskResult


@dataclass(frozen=True)
class Canvas:
    """What a backbone asks of a frame's size.

    A fixed canvas gives ``height`` and ``width``. A fitted canvas (both None) lets the encoder pick
    the smallest size that holds the task, rounded up to ``multiple_of``.
    """

    height: int | None = None
    width: int | None = None
    multiple_of: int = 1

    @property
    def fixed(self) -> bool:
        return self.height is not None and self.width is not None


@dataclass(frozen=True)
class Decoded:
    """An answer read off a frame, with the decoder's confidence in it (higher is surer, at most 1)."""

    answer: Any
    confidence: float


class Encoder(ABC):
    """Base class of every encoder; subclasses register themselves in ``arcvdm.encoders.ENCODERS``."""

    name: str = ""

    @abstractmethod
    def plan(self, task: Task, canvas: Canvas) -> Any:
        """Choose a layout for this task from its demonstrations and test inputs only."""

    @abstractmethod
    def input_frame(self, layout: Any, value: Any) -> np.ndarray:
        """The frame that shows an example's input. (H, W, 3) uint8."""

    @abstractmethod
    def output_frame(self, layout: Any, value: Any) -> np.ndarray:
        """The frame that shows an example's output (answer). (H, W, 3) uint8."""

    @abstractmethod
    def decode(self, layout: Any, frame: np.ndarray) -> Decoded | None:
        """Read an answer off a generated output frame; None when no answer can be read."""

    def cell_distribution(self, layout: Any, frame: np.ndarray, shape: tuple[int, int]) -> np.ndarray | None:
        """Per cell of the answer's top-left ``shape``, a probability over its values (h, w, K); None when the
        encoder has no per-cell reading (the solver then skips view-averaged cells)."""
        return None

    def pool(self, layout: Any, predictions: list) -> list:
        """Pool decoded samples ``(answer, confidence, view)`` into ranked candidates. Default: identical
        answers pool their votes (``arcvdm.vote``); image encoders average masks or keypoints instead."""
        from arcvdm.vote import vote

        return vote(predictions)

    def fits(self, layout: Any, value: Any) -> bool:
        """Whether ``value`` can be drawn as an output frame of ``layout`` (the judge skips answers that cannot)."""
        return True

    # -- pictures (class methods: drawing needs no layout settings; each imports its drawing code when called,
    #    so the solver never loads matplotlib) -----------------------------------------------------------
    task_caption: str = "demonstrations, test inputs and the two attempts"   # the task picture's caption in a run

    @classmethod
    def plot_task(cls, task: Task, result: "TaskResult | None" = None) -> "Figure":
        """The task picture: demonstrations and test inputs; with ``result``, the attempts beside them."""
        from arcvdm.plots.task import plot_task

        return plot_task(task, result)

    @classmethod
    def plot_candidates(cls, candidates: "list[Candidate]", truth: Any, title: str) -> "Figure | None":
        """One test input's distinct candidates in rank order (``truth`` marks them when known); None when the
        encoder draws no such picture."""
        from arcvdm.plots.votes import plot_votes

        return plot_votes(candidates, truth, title)
