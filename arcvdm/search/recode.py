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
- ``roles_rare`` — as ``roles``, but after the most frequent colour the others go from the rarest up (a
  colour seen once is 1 whatever else the example holds); a late view (``cfg.normalise_roles``).
- ``orient``, ``orient_marker``, ``orient_wall`` — each example turned by the D8 element that puts its
  input in a canonical orientation (``cfg.normalise_orientation``), answers turned back with the test
  input's element: ``orient`` moves the mass of non-background cells up, then left; ``orient_marker``
  points the rarest colour's cells up, then left, from the other non-background cells; ``orient_wall``
  puts the fullest border at the top (then the left). A rule stated for one direction ("fall down",
  "grow towards the marker") that the examples apply in several becomes one program. Each is searched
  when its elements differ between examples and from those of the orientation views before it.

``SearchView.forward(grid, ref)`` re-encodes a grid of the example whose input is ``ref``;
``backward(answer, ref)`` decodes an answer to the test input ``ref``. Both are exact inverses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from arcvdm.config import SearchConfig
from arcvdm.grids import Grid
from arcvdm.search.facts import background, colour_counts
from arcvdm.tasks import Task
from arcvdm.views import View, apply_grid, invert_grid


@dataclass(frozen=True)
class SearchView:
    """A bijective re-encoding: ``forward(grid, ref)`` on every grid of the example with input ``ref``,
    ``backward(answer, ref)`` on an answer to the test input ``ref``."""

    name: str
    forward: Callable[[Grid, Grid], Grid]
    backward: Callable[[Grid, Grid], Grid]
    late: bool = False  # its programs rank after every program of the views that are not late


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
        counts += colour_counts(ex.input)
        counts += colour_counts(ex.output)
    return frequency_table(counts)


def role_permutation(grid: Grid) -> np.ndarray:
    """The ``roles`` view's table for one example: frequencies in its input ``grid``."""
    return frequency_table(colour_counts(grid))


def rare_role_permutation(grid: Grid) -> np.ndarray:
    """The ``roles_rare`` view's table for one example: the most frequent colour of its input ``grid`` -> 0,
    then the other colours present from the rarest up (ties: lower colour), absent colours last, ascending."""
    counts = colour_counts(grid)
    present = [c for c in range(10) if counts[c]]
    bg = min(present, key=lambda c: (-int(counts[c]), c))
    rest = sorted([c for c in present if c != bg], key=lambda c: (int(counts[c]), c))
    order = [bg] + rest + [c for c in range(10) if not counts[c]]
    table = np.zeros(10, dtype=np.uint8)
    for new, old in enumerate(order):
        table[old] = new
    return table


def _roles_view(name: str, table_of: Callable[[Grid], np.ndarray], late: bool) -> SearchView:
    def forward(grid: Grid, ref: Grid) -> Grid:
        return table_of(ref)[grid]

    def backward(grid: Grid, ref: Grid) -> Grid:
        return np.argsort(table_of(ref)).astype(np.uint8)[grid]

    return SearchView(name, forward, backward, late=late)


def _centre(mask: np.ndarray) -> tuple[float, float]:
    """Mean (row, col) of the True cells, each scaled to [-0.5, 0.5] across the grid; (0, 0) when none."""
    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return 0.0, 0.0
    h, w = mask.shape
    return float(ys.mean()) / max(h - 1, 1) - 0.5, float(xs.mean()) / max(w - 1, 1) - 0.5


def _mass_key(grid: Grid) -> tuple[float, float]:
    """Where the non-background cells (background: the most frequent colour) sit; smaller is up-left."""
    cy, cx = _centre(grid != background(grid))
    return round(cy, 6), round(cx, 6)


def _marker_key(grid: Grid) -> tuple[float, float, float, float]:
    """Where the rarest present colour sits relative to the other non-background cells; then ``_mass_key``."""
    counts = colour_counts(grid)
    bg = int(counts.argmax())
    present = [c for c in range(10) if counts[c] and c != bg]
    if len(present) < 2:
        return (0.0, 0.0) + _mass_key(grid)
    rare = min(present, key=lambda c: (int(counts[c]), c))
    my, mx = _centre(grid == rare)
    oy, ox = _centre((grid != bg) & (grid != rare))
    return (round(my - oy, 6), round(mx - ox, 6)) + _mass_key(grid)


def _wall_key(grid: Grid) -> tuple:
    """Which border holds the most non-background cells: the top row, then the left column, then the
    bottom row, the fuller first; then ``_mass_key``."""
    filled = grid != background(grid)
    top, left, bottom = int(filled[0].sum()), int(filled[:, 0].sum()), int(filled[-1].sum())
    return (-top, -left, -bottom) + _mass_key(grid)


ORIENT_KEYS: dict[str, Callable[[Grid], tuple]] = {
    "orient": _mass_key, "orient_marker": _marker_key, "orient_wall": _wall_key,
}


def canonical_d8(grid: Grid, key: Callable[[Grid], tuple]) -> int:
    """The D8 index (``views.View.d8``) whose turn of ``grid`` has the smallest ``key``; ties to the lower."""
    best, best_key = 0, None
    for d8 in range(8):
        k = key(apply_grid(View(d8=d8), grid))
        if best_key is None or k < best_key:
            best, best_key = d8, k
    return best


def _orient_view(name: str, key: Callable[[Grid], tuple]) -> SearchView:
    def forward(grid: Grid, ref: Grid) -> Grid:
        return apply_grid(View(d8=canonical_d8(ref, key)), grid)

    def backward(grid: Grid, ref: Grid) -> Grid:
        return invert_grid(View(d8=canonical_d8(ref, key)), grid)

    return SearchView(name, forward, backward, late=True)


def search_views(task: Task, cfg: SearchConfig) -> list[SearchView]:
    """The views searched, in rank order: identity, transpose, colours, roles, roles_rare, orient,
    orient_marker, orient_wall (each as ``cfg`` allows and when it differs from the identity and the views
    before)."""
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
        grids = [ex.input for ex in task.train + task.test]
        tables = [role_permutation(g).tobytes() for g in grids]
        if len(set(tables)) > 1:
            views.append(_roles_view("roles", role_permutation, late=False))
        rare = [rare_role_permutation(g).tobytes() for g in grids]
        if len(set(rare)) > 1 and rare != tables:
            views.append(_roles_view("roles_rare", rare_role_permutation, late=True))
    if cfg.normalise_orientation:
        searched: set[tuple[int, ...]] = set()  # per-example turns of the orientation views already added
        for name, key in ORIENT_KEYS.items():
            turns = tuple(canonical_d8(ex.input, key) for ex in task.train + task.test)
            if len(set(turns)) > 1 and turns not in searched:
                searched.add(turns)
                views.append(_orient_view(name, key))
    return views
