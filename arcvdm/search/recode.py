"""Search views: bijective re-encodings of a task that the search runs under, undone on the answers.

A program that needs a transposed or colour-renamed frame to be short (a rule stated for rows that the
task applies to columns; a rule about "the most frequent colour" that the task's examples paint in
different colours) is found by searching the re-encoded task, then decoding its answers exactly:

- ``identity`` — the task as it is;
- ``transpose`` — every grid transposed (``cfg.transpose``);
- ``colours`` — colours renamed by their frequency over all demonstrations, one table for the task
  (``cfg.normalise_colours``): the most frequent colour becomes 0, the next 1, ...;
- ``roles`` — colours renamed per example by their frequency in that example's input
  (``cfg.normalise_roles``): an example's output is renamed with its input's table, an answer is renamed
  back with its test input's table. Searched only when the tables differ between examples (otherwise it
  is one fixed renaming, like ``colours``).

``SearchView.forward(grid, ref)`` re-encodes a grid of the example whose input is ``ref``;
``backward(answer, ref)`` decodes an answer to the test input ``ref``. Both are exact inverses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from arcvdm.config import SearchConfig
from arcvdm.grids import Grid
from arcvdm.tasks import Task


@dataclass(frozen=True)
class SearchView:
    """A bijective re-encoding: ``forward(grid, ref)`` on every grid of the example with input ``ref``,
    ``backward(answer, ref)`` on an answer to the test input ``ref``."""

    name: str
    forward: Callable[[Grid, Grid], Grid]
    backward: Callable[[Grid, Grid], Grid]


def frequency_table(counts: np.ndarray) -> np.ndarray:
    """The permutation (10,) uint8 renaming colours by ``counts``: most frequent -> 0, ...; ties go to the
    lower colour, and colours never counted keep ascending order after the others."""
    order = sorted(range(10), key=lambda c: (-int(counts[c]), c))
    table = np.zeros(10, dtype=np.uint8)
    for new, old in enumerate(order):
        table[old] = new
    return table


def colour_permutation(task: Task) -> np.ndarray:
    """The ``colours`` view's table: frequencies over every demonstration input and output."""
    counts = np.zeros(10, dtype=np.int64)
    for ex in task.train:
        counts += np.bincount(ex.input.ravel(), minlength=10)
        counts += np.bincount(ex.output.ravel(), minlength=10)
    return frequency_table(counts)


def role_permutation(grid: Grid) -> np.ndarray:
    """The ``roles`` view's table for one example: frequencies in its input ``grid``."""
    return frequency_table(np.bincount(grid.ravel(), minlength=10))


def _renamed(grid: Grid, table: np.ndarray) -> Grid:
    return table[grid]


def _roles_forward(grid: Grid, ref: Grid) -> Grid:
    return role_permutation(ref)[grid]


def _roles_backward(grid: Grid, ref: Grid) -> Grid:
    return np.argsort(role_permutation(ref)).astype(np.uint8)[grid]


def search_views(task: Task, cfg: SearchConfig) -> list[SearchView]:
    """The views searched, in rank order: identity, transpose, colours, roles (each as ``cfg`` allows and
    when it differs from the identity)."""
    views = [SearchView("identity", lambda g, ref: g, lambda g, ref: g)]
    if cfg.transpose:
        views.append(SearchView("transpose", lambda g, ref: np.ascontiguousarray(g.T),
                                lambda g, ref: np.ascontiguousarray(g.T)))
    if cfg.normalise_colours:
        table = colour_permutation(task)
        if not np.array_equal(table, np.arange(10)):
            inverse = np.argsort(table).astype(np.uint8)
            views.append(SearchView("colours", lambda g, ref, t=table: t[g], lambda g, ref, t=inverse: t[g]))
    if cfg.normalise_roles:
        tables = {role_permutation(ex.input).tobytes() for ex in task.train + task.test}
        if len(tables) > 1:
            views.append(SearchView("roles", _roles_forward, _roles_backward))
    return views
