"""The encoder interface: how one kind of example becomes frames, and a generated frame an answer.

An encoder turns a task's examples into frames (``input_frame``/``output_frame``), and a generated
last frame back into an answer (``decode``). The ARC grid encoder, the segmentation encoder
(image -> mask) and the pose encoder (image -> keypoints) share it; the solver only calls these
methods, so it does not know which one it drives.

Frames are ``numpy.uint8`` arrays of shape (H, W, 3), RGB.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np

from arcvdm.tasks import Task


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
