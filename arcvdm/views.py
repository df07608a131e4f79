"""Views: augmented copies of a task (D8 symmetry x colour permutation x example order).

A ``View`` is applied to a whole task (every grid, and the order of the demonstrations) and inverted
on one predicted output grid. ``invert_grid(view, apply_grid(view, g)) == g`` for every grid and view.

D8 index ``i`` means: rotate ``i % 4`` quarter turns counter-clockwise (``numpy.rot90``), then, when
``i >= 4``, mirror left-right. Colour permutation ``colours`` maps old colour ``c`` to ``colours[c]``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from arcvdm.errors import ConfigError
from arcvdm.grids import Grid
from arcvdm.palette import NUM_COLOURS
from arcvdm.tasks import Example, Task

IDENTITY_COLOURS = tuple(range(NUM_COLOURS))


@dataclass(frozen=True)
class View:
    """One augmentation: a D8 element, a colour permutation, and an order of the demonstrations."""

    d8: int = 0
    colours: tuple[int, ...] = IDENTITY_COLOURS
    order: tuple[int, ...] | None = None  # None keeps the task's own order

    def __post_init__(self) -> None:
        if not 0 <= self.d8 < 8:
            raise ConfigError(f"view d8 index {self.d8} is outside 0-7")
        if sorted(self.colours) != list(IDENTITY_COLOURS):
            raise ConfigError(f"view colours {self.colours} is not a permutation of 0-9")

    @property
    def is_identity(self) -> bool:
        return self.d8 == 0 and self.colours == IDENTITY_COLOURS and self.order is None

    def describe(self) -> str:
        """Short label, e.g. 'd8=5 colours=0213456789 order=2,0,1'."""
        order = "as-is" if self.order is None else ",".join(map(str, self.order))
        return f"d8={self.d8} colours={''.join(map(str, self.colours))} order={order}"


def apply_grid(view: View, grid: Grid) -> Grid:
    """Transform one grid: colours first, then the D8 element. The identity view returns the value as is
    (so non-grid answers, e.g. images and masks of the segmentation encoder, pass through it)."""
    if view.d8 == 0 and view.colours == IDENTITY_COLOURS:
        return grid
    g = np.asarray(view.colours, dtype=np.uint8)[grid]
    g = np.rot90(g, view.d8 % 4)
    if view.d8 >= 4:
        g = g[:, ::-1]
    return np.ascontiguousarray(g)


def invert_grid(view: View, grid: Grid) -> Grid:
    """Undo ``apply_grid``: the D8 element backwards, then the inverse colour permutation."""
    if view.d8 == 0 and view.colours == IDENTITY_COLOURS:
        return grid
    g = grid
    if view.d8 >= 4:
        g = g[:, ::-1]
    g = np.rot90(g, -(view.d8 % 4))
    inverse = np.argsort(np.asarray(view.colours)).astype(np.uint8)
    return np.ascontiguousarray(inverse[g])


def invert_cells(view: View, probs: np.ndarray) -> np.ndarray:
    """Undo ``apply_grid`` on per-cell colour probabilities (h, w, 10): the D8 element backwards on the
    two spatial axes, and the colour axis re-indexed so entry c is the probability of the task's colour c."""
    p = probs
    if view.d8 >= 4:
        p = p[:, ::-1]
    p = np.rot90(p, -(view.d8 % 4), axes=(0, 1))
    return np.ascontiguousarray(p[..., list(view.colours)])


def apply_task(view: View, task: Task) -> Task:
    """Transform every grid of a task and reorder its demonstrations. Test outputs stay None if None."""
    order = view.order if view.order is not None else tuple(range(len(task.train)))
    if sorted(order) != list(range(len(task.train))):
        raise ConfigError(f"task {task.id}: view order {order} does not permute its {len(task.train)} demonstrations")

    def one(ex: Example) -> Example:
        out = None if ex.output is None else apply_grid(view, ex.output)
        return Example(apply_grid(view, ex.input), out)

    train = tuple(one(task.train[i]) for i in order)
    test = tuple(one(ex) for ex in task.test)
    return replace(task, train=train, test=test)


def make_views(
    num_train: int,
    num_views: int,
    rng: np.random.Generator,
    *,
    d8: bool = True,
    permute_colours: bool = True,
    keep_background: bool = True,
    shuffle_order: bool = True,
) -> list[View]:
    """The identity view, then ``num_views - 1`` distinct random views.

    ``keep_background`` keeps colour 0 (black, the usual background) fixed under colour permutations.
    Asking for more distinct views than the enabled augmentations allow returns as many as exist.
    """
    if num_views < 1:
        raise ConfigError(f"views.num_views must be at least 1, got {num_views}")
    views = [View()]
    seen = {View()}
    attempts = 0
    while len(views) < num_views and attempts < 50 * num_views:
        attempts += 1
        d = int(rng.integers(8)) if d8 else 0
        colours = IDENTITY_COLOURS
        if permute_colours:
            movable = np.arange(1 if keep_background else 0, NUM_COLOURS)
            shuffled = rng.permutation(movable)
            colours = tuple(([0] if keep_background else []) + [int(c) for c in shuffled])
        order = tuple(int(i) for i in rng.permutation(num_train)) if shuffle_order and num_train > 1 else None
        if order == tuple(range(num_train)):
            order = None
        view = View(d, colours, order)
        if view not in seen:
            seen.add(view)
            views.append(view)
    return views
