"""Parts: split a grid at separator lines or into equal pieces, then combine the pieces or pick one.

- **split** — ``sep``: at full rows/columns of one colour, the separator (0 only if it appears nowhere
  else; see ``separator_colour``); ``h2``/``h3``: into 2/3 equal pieces side by side; ``v2``/``v3``:
  stacked; ``q4``: four quadrants.
- **combine** — cell-wise over same-shaped parts, on their "filled" masks (cell != 0):
  ``and`` (all filled), ``or`` (any), ``xor`` (exactly one), ``nor`` (none), ``diff`` (first only), drawn in
  one colour chosen from the demonstration outputs on background 0; or ``overlay`` (later parts on top)
  and ``underlay`` (earlier parts on top), which keep the parts' own colours; ``fold``: two parts, the
  second mirrored onto the first.
- **pick** — one part by a property: most / fewest filled cells, most / fewest colours, the unique one.
- **summary** — each part of a separator lattice becomes one cell of its main non-zero colour.

The ``parts`` family offers a split mode only if it splits every input grid, and the cell-wise
combinations only if the parts of every input share one shape.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.cache import by_content
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import colour_counts

SPLITS = ("sep", "h2", "h3", "v2", "v3", "q4")
MASK_OPS = ("and", "or", "xor", "nor", "diff")
PICKS = ("most_cells", "fewest_cells", "most_colours", "fewest_colours", "unique")


def between_lines(flags: np.ndarray) -> list[tuple[int, int]]:
    """Maximal [start, stop) runs of False in a boolean vector (the pieces between separator lines)."""
    runs, start = [], None
    for i, f in enumerate(flags.tolist()):
        if not f and start is None:
            start = i
        elif f and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(flags)))
    return runs


def separator_colour(grid: Grid, nonzero_first: bool = False) -> int | None:
    """The colour of the separator lines: a colour with full rows/columns of itself, or None.

    A colour all of whose cells lie on such lines is preferred (a true separator, not a shape that
    happens to fill a row), then (``nonzero_first``: for panels, whose empty rows also make full lines of
    0) a non-zero colour, then the most lines, then the lower colour. Colour 0 qualifies only when all its
    cells lie on its lines.
    """
    one_row, one_col = (grid == grid[:, :1]).all(axis=1), (grid == grid[:1]).all(axis=0)  # lines of one colour
    if not (one_row.any() or one_col.any()):
        return None
    best, best_key = None, None
    # only a colour that fills some line can be the separator: those colours, lowest first
    for c in sorted(set(grid[one_row, 0].tolist()) | set(grid[0, one_col].tolist())):
        is_c = grid == c
        full_rows, full_cols = one_row & (grid[:, 0] == c), one_col & (grid[0] == c)
        n = int(full_rows.sum() + full_cols.sum())
        on_lines = full_rows[:, None] | full_cols[None, :]
        pure = not bool((is_c & ~on_lines).any())
        if c == 0 and not pure:
            continue  # 0 is usually the background: a separator only if it appears nowhere else
        key = (pure, c != 0, n, -c) if nonzero_first else (pure, 0, n, -c)
        if best_key is None or key > best_key:
            best, best_key = c, key
    return best


def split(grid: Grid, mode: str) -> list[Grid] | None:
    """The parts of ``grid`` in reading order, or None when the grid does not split that way into >= 2 parts."""
    h, w = grid.shape
    if mode == "sep":
        c = separator_colour(grid)
        if c is None:
            return None
        row_runs = between_lines((grid == c).all(axis=1))
        col_runs = between_lines((grid == c).all(axis=0))
        parts = [grid[r0:r1, c0:c1] for r0, r1 in row_runs for c0, c1 in col_runs]
    elif mode == "q4":
        if h % 2 or w % 2:
            return None
        hh, hw = h // 2, w // 2
        parts = [grid[:hh, :hw], grid[:hh, hw:], grid[hh:, :hw], grid[hh:, hw:]]
    elif mode in ("h2", "h3"):
        n = int(mode[1])
        if w % n or w < n:
            return None
        step = w // n
        parts = [grid[:, i * step : (i + 1) * step] for i in range(n)]
    elif mode in ("v2", "v3"):
        n = int(mode[1])
        if h % n or h < n:
            return None
        step = h // n
        parts = [grid[i * step : (i + 1) * step, :] for i in range(n)]
    else:
        raise ValueError(f"unknown split mode {mode!r}; choose one of {SPLITS}")
    return parts if len(parts) >= 2 else None


def filled_counts(parts: list[Grid], bg: int) -> tuple[np.ndarray, np.ndarray, int] | None:
    """(how many parts fill each cell, the first part's filled mask, the number of parts), or None when the
    parts' shapes differ: what every mask operation reads."""
    shape = parts[0].shape
    for p in parts:
        if p.shape != shape:
            return None
    filled = np.stack([p != bg for p in parts])  # (n, h, w)
    return filled.sum(axis=0), filled[0], len(parts)


def combine_masks(parts: list[Grid], op: str, colour: int, bg: int) -> Grid | None:
    """Cell-wise ``op`` over the parts' filled masks (cell != ``bg``), drawn in ``colour`` on 0."""
    counted = filled_counts(parts, bg)
    return None if counted is None else _combine(counted, op, colour)


def _combine(counted: tuple[np.ndarray, np.ndarray, int], op: str, colour: int) -> Grid:
    count, first, n = counted
    if op == "and":
        mask = count == n
    elif op == "or":
        mask = count > 0
    elif op == "xor":
        mask = count == 1
    elif op == "nor":
        mask = count == 0
    elif op == "diff":
        mask = first & (count == 1)
    else:
        raise ValueError(f"unknown mask op {op!r}; choose one of {MASK_OPS}")
    return mask.view(np.uint8) * np.uint8(colour)  # 0 or ``colour`` (a bool's bytes are 0 and 1)


def overlay(parts: list[Grid], bg: int, later_on_top: bool) -> Grid | None:
    """Stack same-shaped parts: filled cells of the part on top win."""
    shape = parts[0].shape
    for p in parts:
        if p.shape != shape:
            return None
    order = parts if later_on_top else parts[::-1]
    out = np.full(shape, bg, dtype=np.uint8)
    for p in order:
        out = np.where(p != bg, p, out)
    return out.astype(np.uint8)


def pick(parts: list[Grid], how: str, bg: int) -> Grid | None:
    """The one part that is strictly best by ``how``; None on a tie."""
    if how == "unique":
        keys = [(p.shape, p.tobytes()) for p in parts]
        once = [i for i, k in enumerate(keys) if keys.count(k) == 1]
        if len(once) != 1:
            masks = [(p.shape, (p != bg).tobytes()) for p in parts]
            once = [i for i, k in enumerate(masks) if masks.count(k) == 1]
        return parts[once[0]].copy() if len(once) == 1 else None
    if how in ("most_cells", "fewest_cells"):
        scores = [int((p != bg).sum()) for p in parts]
    elif how in ("most_colours", "fewest_colours"):
        scores = [len(set(np.unique(p).tolist()) - {bg}) for p in parts]
    else:
        raise ValueError(f"unknown pick rule {how!r}; choose one of {PICKS}")
    best = max(scores) if how.startswith("most") else min(scores)
    winners = [i for i, s in enumerate(scores) if s == best]
    return parts[winners[0]].copy() if len(winners) == 1 else None


def summary(grid: Grid) -> Grid | None:
    """Each cell of a separator-line lattice becomes one cell: its most frequent non-zero colour (0 if empty).

    Needs separator lines (``split(grid, "sep")``) that cut the grid into an R x C lattice of parts.
    """
    c = separator_colour(grid)
    if c is None:
        return None
    row_runs = between_lines((grid == c).all(axis=1))
    col_runs = between_lines((grid == c).all(axis=0))
    if len(row_runs) * len(col_runs) < 2:
        return None
    out = np.zeros((len(row_runs), len(col_runs)), dtype=np.uint8)
    for i, (r0, r1) in enumerate(row_runs):
        for j, (c0, c1) in enumerate(col_runs):
            counts = colour_counts(grid[r0:r1, c0:c1])
            counts[0] = 0
            if counts.any():
                out[i, j] = int(np.argmax(counts))
    return out


def _parts(grid: Grid, mode: str) -> list[Grid] | None:
    """``split`` kept per grid content: the family's primitives split the same grid by the same mode again
    and again (one primitive per mode, operation and colour)."""
    return by_content("parts", grid, (mode,), lambda: split(grid, mode))


def _split_then(mode: str, then: Callable[[list[Grid], int], Grid | None]) -> Callable[[Grid], Grid | None]:
    """A grid function: split by ``mode``, then ``then(parts, bg)`` with background 0.

    Colour 0 rather than the most frequent colour: in a part, "filled" cells can outnumber empty ones.
    """

    def run(grid: Grid) -> Grid | None:
        parts = _parts(grid, mode)
        if parts is None:
            return None
        return then(parts, 0)

    return run


def _split_combine(mode: str, op: str, colour: int) -> Callable[[Grid], Grid | None]:
    """``combine_masks`` after a split by ``mode`` (background 0), the filled counts shared by every op."""

    def run(grid: Grid) -> Grid | None:
        def count() -> object:
            parts = _parts(grid, mode)
            return None if parts is None else filled_counts(parts, 0)

        counted = by_content("filled_counts", grid, (mode,), count)
        return None if counted is None else _combine(counted, op, colour)

    return run


def parts_family(ctx: TaskContext) -> list[Primitive]:
    """Split modes that split every input; combinations where parts share a shape; picks by property."""
    colours = [c for c in ctx.colours_out() if c != 0][:3]
    prims: list[Primitive] = []
    prims.append(Primitive("summary(sep)", summary))
    for mode in SPLITS:
        splits = [split(g, mode) for g in ctx.inputs]
        if any(s is None for s in splits):
            continue
        same_shape = all(len({p.shape for p in s}) == 1 for s in splits)
        if same_shape:
            for op in MASK_OPS:
                for c in colours:
                    prims.append(Primitive(f"combine({mode}, {op}, {c})", _split_combine(mode, op, c)))
            prims.append(Primitive(f"overlay({mode})", _split_then(mode, lambda ps, bg: overlay(ps, bg, True))))
            if all(len(s) == 2 for s in splits):  # fold: the second part mirrored onto the first
                for flip, fn in (("lr", np.fliplr), ("ud", np.flipud)):
                    folded = _split_then(mode, lambda ps, bg, f=fn: overlay([ps[0], f(ps[1])], bg, True))
                    prims.append(Primitive(f"fold({mode}, {flip})", folded))
            prims.append(Primitive(f"underlay({mode})", _split_then(mode, lambda ps, bg: overlay(ps, bg, False))))
        for how in PICKS:
            prims.append(Primitive(f"pick({mode}, {how})", _split_then(mode, lambda ps, bg, w=how: pick(ps, w, bg))))
        if mode != "sep":
            count = int(mode[1])  # h2 -> 2 parts, q4 -> 4
            for i in range(count):
                prims.append(Primitive(f"part({mode}, {i})", _split_then(mode, lambda ps, bg, k=i: ps[k].copy())))
    return prims
