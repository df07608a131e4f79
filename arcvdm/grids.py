"""Grids: validation, conversion and hashing.

A grid is a 2-D ``numpy.uint8`` array of ARC colours 0-9, 1x1 to 30x30. Grids are treated as
values: functions return new arrays and never write into their inputs.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from arcvdm.errors import TaskFormatError
from arcvdm.palette import NUM_COLOURS

MAX_SIZE = 30

Grid = np.ndarray  # (h, w) uint8, values 0-9


def as_grid(value: Any, where: str) -> Grid:
    """Check that ``value`` (nested lists or an array) is a valid ARC grid and return it as uint8.

    ``where`` names the place in the input ("task 007bbfb7, train[0].input") for the error message.
    """
    if isinstance(value, np.ndarray):
        rows = value.tolist() if value.ndim == 2 else None
        if rows is None:
            raise TaskFormatError(f"{where}: a grid must be 2-D, got an array of shape {value.shape}")
    else:
        rows = value
    if not isinstance(rows, list) or len(rows) == 0:
        raise TaskFormatError(f"{where}: a grid must be a non-empty list of rows, got {_short(rows)}")
    width = None
    for r, row in enumerate(rows):
        if not isinstance(row, list) or len(row) == 0:
            raise TaskFormatError(f"{where}: row {r} must be a non-empty list of colours, got {_short(row)}")
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise TaskFormatError(f"{where}: ragged grid, row 0 has {width} cells but row {r} has {len(row)}")
        for c, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 0 <= v < NUM_COLOURS:
                raise TaskFormatError(
                    f"{where}: cell ({r}, {c}) is {v!r}; colours must be integers 0-{NUM_COLOURS - 1}"
                )
    height = len(rows)
    if height > MAX_SIZE or width > MAX_SIZE:
        raise TaskFormatError(f"{where}: grid is {height}x{width}; ARC grids are at most {MAX_SIZE}x{MAX_SIZE}")
    return np.array(rows, dtype=np.uint8)


def to_list(grid: Grid) -> list[list[int]]:
    """A grid as nested Python lists of ints (the JSON form)."""
    return [[int(v) for v in row] for row in np.asarray(grid)]


def grid_key(grid: Grid) -> tuple[int, int, bytes]:
    """A hashable, sortable key that identifies a grid exactly (shape and every cell)."""
    g = np.ascontiguousarray(grid, dtype=np.uint8)
    return (int(g.shape[0]), int(g.shape[1]), g.tobytes())


def grid_hash(grid: Grid) -> str:
    """A stable text digest of a grid (shape and every cell): the same in every process and session."""
    g = np.ascontiguousarray(grid, dtype=np.uint8)
    return hashlib.sha1(f"{g.shape}".encode() + g.tobytes()).hexdigest()


def grids_equal(a: Grid | None, b: Grid | None) -> bool:
    """Exact equality of two grids (shape and cells); None equals nothing."""
    if a is None or b is None or a.shape != b.shape:
        return False
    if a.dtype == np.uint8 and b.dtype == np.uint8:
        return a.tobytes() == b.tobytes()  # the search compares millions of small grids: ~8x np.array_equal's speed
    return bool(np.array_equal(a, b))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
