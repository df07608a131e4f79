"""Panels: a grid cut into panels (at separator lines or into equal parts), and outputs computed from them.

- **panel truth table** — the output has the shape of one panel; each output cell's colour is read
  from a table learned from the demonstrations, keyed by what the 2 to 4 panels hold at that cell:
  either which panels are filled (cell != 0), or the panels' colours themselves. Fixed boolean
  combinations (``parts.combine``) cover and/or/xor in one colour; the learned table also covers
  a colour per truth combination and priority overlays ("where the left panel is 4 and the right one
  is empty, write 3"). A panel may be mirrored first (a fold), the mirror learned from the
  demonstrations too.
- **joined blocks** — a separator lattice of equal blocks read at block level: the same cell of every
  block forms a small grid (one cell per block), and two blocks holding one colour at that cell in a
  block row or column colour the blocks between them. With single-colour blocks this joins
  same-coloured blocks by bars of blocks; with patterned blocks it completes a pattern cell by cell.
- **panel copies** — same-size outputs where some panels become a copy of the source panel (the
  one with the most non-zero cells) turned by a symmetry learned per panel position (mirrored halves,
  a panel rotated once per step along a strip).

Panels are cut at the lines of one separator colour (``panel_separator``: a non-zero colour wins over
empty lines of 0) or into 2, 3 or 4 equal parts. The family fits each rule against the demonstrations
and offers only the few primitives that reproduce every demonstration and apply to every test input,
so a task outside the theme gets none.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, family, reproduces
from arcvdm.search.geometry import d8
from arcvdm.search.parts import between_lines

MAX_PRIMS = 8
SPLITS = ("sep", "h2", "h3", "v2", "v3", "q4")
TABLE_KEYS = ("mask", "colour")
# how a panel is turned before it is read: the mirrors a fold uses
PANEL_TURNS: dict[str, Callable[[Grid], Grid]] = {
    "id": lambda p: p,
    "lr": lambda p: p[:, ::-1],
    "ud": lambda p: p[::-1, :],
    "rot180": lambda p: p[::-1, ::-1],
}
UNSEEN = 255  # a table entry no demonstration filled


# --- cutting a grid into panels ---------------------------------------------------------------------

def panel_separator(grid: Grid) -> int | None:
    """The colour of a grid's separator lines: a colour with full rows or columns of itself. A colour
    with no cell off its lines wins, then a non-zero colour (empty panels also make full lines of 0),
    then the colour with more lines, then the lower colour; 0 qualifies only with no cell off its lines.
    None when no colour qualifies."""
    best, best_key = None, None
    for c in np.unique(grid).tolist():
        is_c = grid == c
        full_rows, full_cols = is_c.all(axis=1), is_c.all(axis=0)
        n = int(full_rows.sum() + full_cols.sum())
        if n == 0:
            continue
        pure = not bool((is_c & ~(full_rows[:, None] | full_cols[None, :])).any())
        if c == 0 and not pure:
            continue
        key = (pure, c != 0, n, -c)
        if best_key is None or key > best_key:
            best, best_key = c, key
    return best


def panel_boxes(grid: Grid, mode: str) -> list[tuple[int, int, int, int]] | None:
    """The panels of ``grid`` as (top, bottom, left, right) boxes of one shape, cut by ``mode``:
    ``sep`` at the lines of ``panel_separator``, ``h2``/``h3`` side by side, ``v2``/``v3`` stacked, ``q4``
    quadrants; None when there are fewer than two or they differ in shape."""
    h, w = grid.shape
    if mode == "sep":
        sep = panel_separator(grid)
        if sep is None:
            return None
        boxes = [(r0, r1, c0, c1) for r0, r1 in between_lines((grid == sep).all(axis=1))
                 for c0, c1 in between_lines((grid == sep).all(axis=0))]
    elif mode in ("h2", "h3"):
        n = int(mode[1])
        if w % n:
            return None
        boxes = [(0, h, k * (w // n), (k + 1) * (w // n)) for k in range(n)]
    elif mode in ("v2", "v3"):
        n = int(mode[1])
        if h % n:
            return None
        boxes = [(k * (h // n), (k + 1) * (h // n), 0, w) for k in range(n)]
    elif mode == "q4":
        if h % 2 or w % 2:
            return None
        boxes = [(r, r + h // 2, c, c + w // 2) for r in (0, h // 2) for c in (0, w // 2)]
    else:
        raise ValueError(f"unknown panel split {mode!r}; choose one of {SPLITS}")
    if len(boxes) < 2 or len({(r1 - r0, c1 - c0) for r0, r1, c0, c1 in boxes}) != 1:
        return None
    return boxes


# --- 1. panel truth table ------------------------------------------------------------------------------

def same_shape_panels(grid: Grid, mode: str) -> list[Grid] | None:
    """The panels of ``grid`` cut by ``mode`` (``panel_boxes``) when there are at most 4, else None."""
    boxes = panel_boxes(grid, mode)
    if boxes is None or len(boxes) > 4:
        return None
    return [grid[r0:r1, c0:c1] for r0, r1, c0, c1 in boxes]


def cell_codes(panels: list[Grid], key: str, turns: tuple[str, ...]) -> np.ndarray:
    """One integer per cell naming what the panels hold there: a bit per filled panel (``key="mask"``) or
    the panels' colours as base-10 digits (``key="colour"``). Panel i is turned by ``turns[i]`` first."""
    code = np.zeros(panels[0].shape, dtype=np.int32)
    for i, p in enumerate(panels):
        q = PANEL_TURNS[turns[i]](p)
        if key == "mask":
            code += (q != 0).astype(np.int32) << i
        else:
            code += q.astype(np.int32) * (10 ** i)
    return code


def table_size(key: str, n_panels: int) -> int:
    return (1 << n_panels) if key == "mask" else 10 ** n_panels


def learn_table(ctx: TaskContext, mode: str, key: str, turns: tuple[str, ...]) -> np.ndarray | None:
    """The colour for each cell code, read from the demonstrations; None when a demonstration does not cut
    into panels of its output's shape or two cells with one code want different colours."""
    n = len(turns)
    table = np.full(table_size(key, n), UNSEEN, dtype=np.int32)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        panels = same_shape_panels(i, mode)
        if panels is None or len(panels) != n:
            return None
        if any(PANEL_TURNS[t](p).shape != o.shape for t, p in zip(turns, panels)):
            return None
        codes = cell_codes(panels, key, turns).ravel()
        wanted = o.ravel().astype(np.int32)
        for c, w in zip(codes.tolist(), wanted.tolist()):
            if table[c] == UNSEEN:
                table[c] = w
            elif table[c] != w:
                return None
    return table


def table_text(table: np.ndarray, key: str, n_panels: int) -> str:
    """The learned table as readable text: ``"01>3 10>0"`` (filled panels as bits, panel 0 first) or
    ``"40>3"`` (the panels' colours, panel 0 first)."""
    entries = []
    for code, colour in enumerate(table.tolist()):
        if colour == UNSEEN:
            continue
        if key == "mask":
            digits = "".join(str((code >> i) & 1) for i in range(n_panels))
        else:
            digits = "".join(str((code // 10 ** i) % 10) for i in range(n_panels))
        entries.append(f"{digits}>{colour}")
    return " ".join(entries)


def panel_table(mode: str, key: str, turns: tuple[str, ...], table: np.ndarray) -> Primitive:
    """Cut the grid into ``len(turns)`` same-shaped panels by ``mode``, turn panel i by ``turns[i]``, and
    colour each output cell by ``table[code]`` of its cell code (``cell_codes``). None when the grid does
    not cut so, or a cell's code is not in the table."""
    n = len(turns)
    lookup = table.astype(np.int32)

    def fn(grid: Grid) -> Grid | None:
        panels = same_shape_panels(grid, mode)
        if panels is None or len(panels) != n:
            return None
        out = lookup[cell_codes(panels, key, turns)]
        if (out == UNSEEN).any():
            return None
        return out.astype(np.uint8)

    turned = "" if all(t == "id" for t in turns) else ", turns=" + "/".join(turns)
    return Primitive(f"panel_table({mode}, {key}{turned}: {table_text(table, key, n)})", fn)


def _turn_choices(n: int) -> list[tuple[str, ...]]:
    """Panel turns to try: none, then (two panels only) the second panel mirrored, as in a fold."""
    choices = [("id",) * n]
    if n == 2:
        for t in ("lr", "ud", "rot180"):
            choices.append(("id", t))
    return choices


def _table_candidates(ctx: TaskContext) -> list[Primitive]:
    """Panel truth tables that reproduce every demonstration and cover every test input."""
    prims: list[Primitive] = []
    seen: set[bytes] = set()
    for mode in SPLITS:
        first = same_shape_panels(ctx.train_inputs[0], mode)
        if first is None or first[0].shape != ctx.train_outputs[0].shape:
            continue  # cheap rejection: the first demonstration's panels must have its output's shape
        for turns in _turn_choices(len(first)):
            for key in TABLE_KEYS:
                table = learn_table(ctx, mode, key, turns)
                if table is None:
                    continue
                prim = panel_table(mode, key, turns, table)
                answers = [prim(t) for t in ctx.test_inputs]
                if any(a is None for a in answers):
                    continue
                answer_key = b"".join(a.tobytes() + bytes(a.shape) for a in answers)
                if answer_key in seen:
                    continue  # the same answers as a simpler table already offered
                seen.add(answer_key)
                prims.append(prim)
                break  # the mask key explains it: the colour key would only memorise more
    return prims


# --- 2. lattice lifted to block level: same-coloured block pairs joined ------------------------------------

LIFT_DIRECTIONS = ("rows", "cols", "both")


def lattice_index(grid: Grid) -> tuple[np.ndarray, np.ndarray] | None:
    """The cells of a separator lattice whose blocks all share one shape: row indices (R, bh) and column
    indices (C, bw), so that ``grid[rows[i][:, None], cols[j]]`` is block (i, j). None when the grid has
    no separator colour (``panel_separator``) or its blocks differ in shape."""
    sep = panel_separator(grid)
    if sep is None:
        return None
    row_runs = between_lines((grid == sep).all(axis=1))
    col_runs = between_lines((grid == sep).all(axis=0))
    if not row_runs or not col_runs:
        return None
    heights = {r1 - r0 for r0, r1 in row_runs}
    widths = {c1 - c0 for c0, c1 in col_runs}
    if len(heights) != 1 or len(widths) != 1:
        return None
    rows = np.array([np.arange(r0, r1) for r0, r1 in row_runs])
    cols = np.array([np.arange(c0, c1) for c0, c1 in col_runs])
    return rows, cols


def _between(line_mask: np.ndarray, axis: int) -> np.ndarray:
    """Cells that have a True cell on each side of them along ``axis`` (strictly between two of them)."""
    before = np.maximum.accumulate(line_mask, axis=axis)
    after = np.flip(np.maximum.accumulate(np.flip(line_mask, axis=axis), axis=axis), axis=axis)
    return before & after & ~line_mask


def join_blocks(direction: str) -> Primitive:
    """In a separator lattice of equal blocks, each block cell is joined to the same cell of the other
    blocks of its block row (``direction="rows"``), block column (``"cols"``) or both: a cell holding the
    blocks' background (their commonest colour) that lies between two blocks holding colour c at that
    cell takes colour c. Uniform blocks behave as single cells: same-coloured blocks in a line are joined
    by a bar of blocks. None when the grid is no such lattice or nothing changes."""
    if direction not in LIFT_DIRECTIONS:
        raise ValueError(f"join_blocks direction must be one of {LIFT_DIRECTIONS}, got {direction!r}")
    axes = {"rows": (2,), "cols": (0,), "both": (2, 0)}[direction]

    def fn(grid: Grid) -> Grid | None:
        index = lattice_index(grid)
        if index is None:
            return None
        rows, cols = index
        if max(rows.shape[0], cols.shape[0]) < 3:
            return None                     # a pair needs a block between it
        all_rows, all_cols = rows.ravel(), cols.ravel()
        cells = grid[np.ix_(all_rows, all_cols)]
        # (R, bh, C, bw): axis 0 runs along a block column, axis 2 along a block row
        lifted = cells.reshape(rows.shape[0], rows.shape[1], cols.shape[0], cols.shape[1])
        bg = int(np.argmax(np.bincount(lifted.ravel(), minlength=10)))
        out = lifted.copy()
        for c in np.unique(lifted).tolist():
            if c == bg:
                continue
            holds = lifted == c
            for axis in axes:
                out[_between(holds, axis) & (out == bg)] = c
        if np.array_equal(out, lifted):
            return None
        result = grid.copy()
        result[np.ix_(all_rows, all_cols)] = out.reshape(cells.shape)
        return result

    return Primitive(f"join_blocks({direction})", fn)


def _join_candidates(ctx: TaskContext) -> list[Primitive]:
    """The join directions that reproduce every demonstration (same-size lattice tasks only)."""
    first = ctx.train_inputs[0]
    if first.shape != ctx.train_outputs[0].shape or lattice_index(first) is None:
        return []
    for direction in LIFT_DIRECTIONS:      # rows or columns alone before both: the narrower rule first
        prim = join_blocks(direction)
        if reproduces(prim, ctx):
            return [prim]
    return []


# --- 3. panels filled with turned copies of one panel ----------------------------------------------------

COPY_TURNS = ("keep", "id", "flip_lr", "flip_ud", "rot180", "rot90", "rot270", "transpose", "antitranspose")


def _source_index(grid: Grid, boxes: list[tuple[int, int, int, int]]) -> int | None:
    """The panel with the most non-zero cells, or None on a tie."""
    counts = [int(np.count_nonzero(grid[r0:r1, c0:c1])) for r0, r1, c0, c1 in boxes]
    best = max(counts)
    return counts.index(best) if best > 0 and counts.count(best) == 1 else None


def _turned(panel: Grid, turn: str) -> Grid:
    return panel if turn == "id" else d8(turn, panel)


def copy_panels(mode: str, turns: tuple[str, ...]) -> Primitive:
    """Panel k of the grid becomes ``turns[k]`` applied to the source panel (the one with the most
    non-zero cells), or stays as it is (``"keep"``). None when the grid does not cut into
    ``len(turns)`` panels of one shape, the source is tied, or a turn does not fit the panel's shape."""

    def fn(grid: Grid) -> Grid | None:
        boxes = panel_boxes(grid, mode)
        if boxes is None or len(boxes) != len(turns):
            return None
        s = _source_index(grid, boxes)
        if s is None:
            return None
        r0, r1, c0, c1 = boxes[s]
        source = grid[r0:r1, c0:c1]
        out = grid.copy()
        for (t0, t1, u0, u1), turn in zip(boxes, turns):
            if turn == "keep":
                continue
            turned = _turned(source, turn)
            if turned.shape != (t1 - t0, u1 - u0):
                return None
            out[t0:t1, u0:u1] = turned
        return out

    return Primitive(f"copy_panels({mode}, {'/'.join(turns)})", fn)


def _learn_turns(ctx: TaskContext, mode: str) -> tuple[str, ...] | None:
    """For each panel index, the first turn in ``COPY_TURNS`` order that maps the source panel onto that
    output panel in every demonstration; None when some panel has none or every panel is kept."""
    count = None
    fits: list[list[str]] | None = None
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return None
        boxes = panel_boxes(i, mode)
        if boxes is None or (count is not None and len(boxes) != count):
            return None
        count = len(boxes)
        s = _source_index(i, boxes)
        if s is None:
            return None
        r0, r1, c0, c1 = boxes[s]
        source = i[r0:r1, c0:c1]
        if fits is None:
            fits = [list(COPY_TURNS) for _ in boxes]
        for k, (t0, t1, u0, u1) in enumerate(boxes):
            wanted, before = o[t0:t1, u0:u1], i[t0:t1, u0:u1]
            kept = []
            for turn in fits[k]:
                got = before if turn == "keep" else _turned(source, turn)
                if got.shape == wanted.shape and np.array_equal(got, wanted):
                    kept.append(turn)
            fits[k] = kept
            if not kept:
                return None
    if fits is None or all(f[0] == "keep" for f in fits):
        return None
    return tuple(f[0] for f in fits)


def _copy_candidates(ctx: TaskContext) -> list[Primitive]:
    """Panel copies that reproduce every demonstration and apply to every test input."""
    if ctx.train_inputs[0].shape != ctx.train_outputs[0].shape:
        return []
    prims = []
    for mode in SPLITS:
        if panel_boxes(ctx.train_inputs[0], mode) is None:
            continue
        turns = _learn_turns(ctx, mode)
        if turns is None:
            continue
        prim = copy_panels(mode, turns)
        if all(prim(t) is not None for t in ctx.test_inputs):
            prims.append(prim)
    return prims


@family("panels")
def panels_family(ctx: TaskContext) -> list[Primitive]:
    """Panel rules fitted to the demonstrations: only those that reproduce every demonstration."""
    prims = _table_candidates(ctx)
    prims += _join_candidates(ctx)
    prims += _copy_candidates(ctx)
    return prims[:MAX_PRIMS]
