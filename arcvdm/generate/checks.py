"""What a generated task must pass to be kept: the example rules and the near-duplicate key.

- ``example_problem``: every output a valid grid (``operation.as_valid`` made it one, or None), none equal
  to its input, inputs pairwise distinct, outputs not all identical (a constant program), and the test
  output unlike every demonstration output (so copying a demonstration cannot answer it).
- ``canonical_key``: one digest per task content, the same for a task and any of its 8 D8 transforms with
  its colours renamed in any way: colours are renumbered by first appearance (all grids of the task read
  in order), and the smallest of the 8 transforms' keys is kept. Two tasks with one key are near-duplicates.

The exclusion (a task sharing an example with an evaluation or dev task) is ``arcvdm.splits.shares_content``.
"""

from __future__ import annotations

import hashlib

import numpy as np

from arcvdm.grids import Grid, grids_equal
from arcvdm.search.families.geometry import D8
from arcvdm.tasks import Task

# the 8 symmetries of the square: the identity, then the search's seven
_D8 = (lambda g: g, *D8.values())


def example_problem(pairs: list[tuple[Grid, Grid | None]]) -> str | None:
    """The first rule the examples (input, output), the test last, break, as a short reason; None if none."""
    if any(out is None for _, out in pairs):
        return "does_not_apply"
    if any(grids_equal(i, o) for i, o in pairs):
        return "unchanged"
    inputs = [i for i, _ in pairs]
    if any(grids_equal(a, b) for k, a in enumerate(inputs) for b in inputs[k + 1:]):
        return "repeated_input"
    outputs = [o for _, o in pairs]
    if all(grids_equal(outputs[0], o) for o in outputs[1:]):
        return "constant"
    if any(grids_equal(outputs[-1], o) for o in outputs[:-1]):
        return "test_output_repeated"
    return None


def task_grids(task: Task) -> list[Grid]:
    """Every grid of a task in reading order: each example's input, then its output."""
    return [g for ex in task.train + task.test for g in (ex.input, ex.output) if g is not None]


def canonical_key(grids: list[Grid]) -> bytes:
    """A 16-byte digest of ``grids`` (one task's, ``task_grids``) unchanged by a D8 transform of every grid and
    by any renaming of the colours."""
    best = None
    for turn in _D8:
        turned = [turn(g) for g in grids]
        flat = np.concatenate([g.ravel() for g in turned])
        colours, first = np.unique(flat, return_index=True)
        rename = np.zeros(10, dtype=np.uint8)
        rename[colours[np.argsort(first)]] = np.arange(colours.size, dtype=np.uint8)
        key = bytes(d for g in turned for d in g.shape) + rename[flat].tobytes()
        if best is None or key < best:
            best = key
    return hashlib.blake2b(best, digest_size=16).digest()
