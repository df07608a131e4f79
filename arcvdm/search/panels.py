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
- **a panel as a map of the lattice** — in an R x C lattice of R x C blocks, one block (the sparsest or
  the fullest) says, cell by cell, what each block becomes (filled in that cell's colour, or a copy of
  the map); or the block holding a marker colour moves to the block its marker points at.
- **a shape drawn per map cell** — two panels, one a single-colour shape, the other a colour map: the
  shape is drawn once per map cell in that cell's colour (a fractal made of two panels).
- **any cell rule at block level** — a lattice of single-colour blocks is read as one cell per block (a
  lattice of patterned blocks: one small grid per cell position inside the blocks; a grid of equal
  single-colour blocks without separators: one cell per block), and every other family's primitives are
  fitted to the demonstrations read so (stamps, copies, lines at block level), each wrapped to paint
  its result back.
- **panels painted by place** — whole panels filled with a colour chosen by their place in the lattice
  (first, middle or last row and column of panels: the corners, the centre), learned per colour.

Panels are cut at the lines of one separator colour (``panel_separator``: a non-zero colour wins over
empty lines of 0) or into 2, 3 or 4 equal parts (``long2``: halves across the longer side, for tasks
whose grids lie either way). The family fits each rule against the demonstrations and offers only the
few primitives that reproduce every demonstration and apply to every test input, so a task outside the
theme gets none (at most ``MAX_PRIMS``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import FAMILIES, Primitive, TaskContext, family, reproduces
from arcvdm.search.geometry import d8
from arcvdm.search.parts import between_lines

MAX_PRIMS = 8
SPLITS = ("sep", "h2", "h3", "v2", "v3", "q4", "long2")
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
    if not ((grid == grid[:, :1]).all(axis=1).any() or (grid == grid[:1]).all(axis=0).any()):
        return None                                      # cheap rejection: no row or column of one colour
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


def separator_boxes(grid: Grid) -> list[tuple[int, int, int, int]] | None:
    """The panels between the lines of ``panel_separator`` as (top, bottom, left, right) boxes in reading
    order, of any shapes; None when the grid has no separator colour."""
    sep = panel_separator(grid)
    if sep is None:
        return None
    return [(r0, r1, c0, c1) for r0, r1 in between_lines((grid == sep).all(axis=1))
            for c0, c1 in between_lines((grid == sep).all(axis=0))]


def panel_boxes(grid: Grid, mode: str) -> list[tuple[int, int, int, int]] | None:
    """The panels of ``grid`` as (top, bottom, left, right) boxes of one shape, cut by ``mode``:
    ``sep`` at the lines of ``panel_separator``, ``h2``/``h3`` side by side, ``v2``/``v3`` stacked, ``q4``
    quadrants, ``long2`` halves across the longer side; None when there are fewer than two or they differ
    in shape."""
    h, w = grid.shape
    if mode == "sep":
        boxes = separator_boxes(grid)
        if boxes is None:
            return None
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
    elif mode == "long2":                    # halves across the longer side, whichever way the grid lies
        if h == w:
            return None
        return panel_boxes(grid, "h2" if w > h else "v2")
    elif mode == "q4":
        if h % 2 or w % 2:
            return None
        boxes = [(r, r + h // 2, c, c + w // 2) for r in (0, h // 2) for c in (0, w // 2)]
    else:
        raise ValueError(f"unknown panel split {mode!r}; choose one of {SPLITS}")
    if len(boxes) < 2 or len({(r1 - r0, c1 - c0) for r0, r1, c0, c1 in boxes}) != 1:
        return None
    return boxes


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


def _entry_options(panels: list[Grid], wanted: Grid, key: str) -> np.ndarray:
    """For each cell, the table entries that give its wanted colour, as a bit set: bit c for the fixed
    colour c, and (``key="mask"`` only) bit 10 + i for "the colour of panel i at this cell"."""
    options = np.left_shift(1, wanted.astype(np.int64))
    if key == "mask":
        for i, p in enumerate(panels):
            options |= (p == wanted).astype(np.int64) << (10 + i)
    return options


def _first_entry(options: int, filled: list[int]) -> int:
    """The entry a bit set of options stands for: the colour of a panel filled at those cells first (it
    carries over to colours the demonstrations never showed), then the lowest fixed colour."""
    for entry in [10 + i for i in filled] + list(range(10)):
        if options >> entry & 1:
            return entry
    raise ValueError("an empty set of table entries")


def learn_table(ctx: TaskContext, mode: str, key: str, turns: tuple[str, ...]) -> np.ndarray | None:
    """The table entry for each cell code, read from the demonstrations: a fixed colour 0-9, or 10 + i for
    the colour of panel i; None when a demonstration does not cut into panels of its output's shape or
    no entry gives every cell of some code its colour."""
    n = len(turns)
    allowed = np.full(table_size(key, n), (1 << (10 + n)) - 1, dtype=np.int64)
    seen = np.zeros(table_size(key, n), dtype=bool)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        panels = same_shape_panels(i, mode)
        if panels is None or len(panels) != n:
            return None
        turned = [PANEL_TURNS[t](p) for t, p in zip(turns, panels)]
        if any(p.shape != o.shape for p in turned):
            return None
        codes = cell_codes(panels, key, turns).ravel()
        options = _entry_options(turned, o, key).ravel()
        np.bitwise_and.at(allowed, codes, options)       # every cell of a code must agree on one entry
        seen[codes] = True
    if (allowed[seen] == 0).any():
        return None
    table = np.full(table_size(key, n), UNSEEN, dtype=np.int32)
    for code in np.nonzero(seen)[0].tolist():
        filled = [k for k in range(n) if key == "mask" and code >> k & 1]
        table[code] = _first_entry(int(allowed[code]), filled)
    return table


def table_text(table: np.ndarray, key: str, n_panels: int) -> str:
    """The learned table as readable text: ``"01>3 11>p0"`` (filled panels as bits, panel 0 first; ``p0``:
    panel 0's own colour) or ``"40>3"`` (the panels' colours, panel 0 first)."""
    entries = []
    for code, entry in enumerate(table.tolist()):
        if entry == UNSEEN:
            continue
        if key == "mask":
            digits = "".join(str((code >> i) & 1) for i in range(n_panels))
        else:
            digits = "".join(str((code // 10 ** i) % 10) for i in range(n_panels))
        entries.append(f"{digits}>{entry if entry < 10 else f'p{entry - 10}'}")
    return " ".join(entries)


def panel_table(mode: str, key: str, turns: tuple[str, ...], table: np.ndarray) -> Primitive:
    """Cut the grid into ``len(turns)`` same-shaped panels by ``mode``, turn panel i by ``turns[i]``, and
    colour each output cell by the table entry of its cell code (``cell_codes``): a fixed colour, or
    (10 + i) panel i's colour at that cell. None when the grid does not cut so, or a cell's code is not
    in the table."""
    n = len(turns)
    lookup = table.astype(np.int32)
    fixed = np.arange(10, dtype=np.uint8)[:, None, None]

    def fn(grid: Grid) -> Grid | None:
        panels = same_shape_panels(grid, mode)
        if panels is None or len(panels) != n:
            return None
        entries = lookup[cell_codes(panels, key, turns)]
        if (entries == UNSEEN).any():
            return None
        if entries.max() < 10:
            return entries.astype(np.uint8)
        turned = np.stack([PANEL_TURNS[t](p) for t, p in zip(turns, panels)])
        choices = np.concatenate([np.broadcast_to(fixed, (10,) + turned.shape[1:]), turned])
        return np.take_along_axis(choices, entries[None], axis=0)[0].astype(np.uint8)

    turned_text = "" if all(t == "id" for t in turns) else ", turns=" + "/".join(turns)
    return Primitive(f"panel_table({mode}, {key}{turned_text}: {table_text(table, key, n)})", fn)


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


# --- 2. same-coloured blocks joined across the lattice ---------------------------------------------------

JOIN_DIRECTIONS = ("rows", "cols", "both")


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
    if direction not in JOIN_DIRECTIONS:
        raise ValueError(f"join_blocks direction must be one of {JOIN_DIRECTIONS}, got {direction!r}")
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
    for direction in JOIN_DIRECTIONS:      # rows or columns alone before both: the narrower rule first
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
    prims: list[Primitive] = []
    seen: set[bytes] = set()
    for mode in SPLITS:
        if panel_boxes(ctx.train_inputs[0], mode) is None:
            continue
        turns = _learn_turns(ctx, mode)
        if turns is None:
            continue
        prim = copy_panels(mode, turns)
        if not reproduces(prim, ctx):
            continue                        # the turns fit every panel, but a cell off the panels changed
        answers = [prim(t) for t in ctx.test_inputs]
        if any(a is None for a in answers):
            continue
        answer_key = b"".join(a.tobytes() for a in answers)
        if answer_key not in seen:          # another cut giving the same answers adds nothing
            seen.add(answer_key)
            prims.append(prim)
    return prims


# --- 4. one panel read as a map of the lattice ------------------------------------------------------------

MAP_PICKS = ("fewest", "most")
MAP_PAINTS = ("fill", "copy")


def map_blocks(pick: str, paint: str) -> Primitive:
    """In a separator lattice of R x C equal blocks of R x C cells, one block (the non-empty one with the
    fewest or most cells off the blocks' background, ``pick``) is read as a map of the lattice: block
    (i, j) is filled with the map's cell (i, j) (``paint="fill"``), or becomes a copy of the map where
    that cell is not background and background elsewhere (``"copy"``). None when the grid is no such
    lattice or the pick is tied."""
    if pick not in MAP_PICKS or paint not in MAP_PAINTS:
        raise ValueError(f"map_blocks takes pick in {MAP_PICKS} and paint in {MAP_PAINTS}, "
                         f"got {pick!r}, {paint!r}")

    def fn(grid: Grid) -> Grid | None:
        index = lattice_index(grid)
        if index is None:
            return None
        rows, cols = index
        n_rows, n_cols = rows.shape[0], cols.shape[0]
        if (n_rows, n_cols) != (rows.shape[1], cols.shape[1]) or n_rows * n_cols < 4:
            return None
        blocks = [grid[np.ix_(r, c)] for r in rows for c in cols]
        bg = int(np.argmax(np.bincount(np.concatenate([b.ravel() for b in blocks]), minlength=10)))
        counts = [int(np.count_nonzero(b != bg)) for b in blocks]
        filled = [n for n in counts if n > 0]     # an empty block maps nothing: never the map
        if not filled:
            return None
        best = min(filled) if pick == "fewest" else max(filled)
        if counts.count(best) != 1:
            return None
        source = blocks[counts.index(best)]
        out = grid.copy()
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                colour = int(source[i, j])
                if paint == "fill":
                    out[np.ix_(r, c)] = colour
                elif colour != bg:
                    out[np.ix_(r, c)] = source
                else:
                    out[np.ix_(r, c)] = bg
        return out

    return Primitive(f"map_blocks({pick}, {paint})", fn)


def place_marked(marker: int) -> Primitive:
    """In a separator lattice of R x C equal blocks of R x C cells, the one block holding ``marker`` (in one
    cell) is moved to the block whose lattice position is the marker's position inside it; every other
    block is emptied to 0. None when the grid is no such lattice or not exactly one block holds one
    marker cell."""

    def fn(grid: Grid) -> Grid | None:
        if not (grid == marker).any():
            return None                                 # cheap rejection: no marker at all
        index = lattice_index(grid)
        if index is None:
            return None
        rows, cols = index
        if (rows.shape[0], cols.shape[0]) != (rows.shape[1], cols.shape[1]):
            return None
        holders = []
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                block = grid[np.ix_(r, c)]
                if (block == marker).any():
                    holders.append(block)
        if len(holders) != 1 or int(np.count_nonzero(holders[0] == marker)) != 1:
            return None
        source = holders[0]
        y, x = (int(v[0]) for v in np.nonzero(source == marker))
        out = grid.copy()
        out[np.ix_(rows.ravel(), cols.ravel())] = 0
        out[np.ix_(rows[y], cols[x])] = source
        return out

    return Primitive(f"place_marked({marker})", fn)


def _map_candidates(ctx: TaskContext) -> list[Primitive]:
    """Lattice maps and marked blocks placed that reproduce every demonstration (same-size square-lattice
    tasks only)."""
    first = ctx.train_inputs[0]
    if first.shape != ctx.train_outputs[0].shape:
        return []
    index = lattice_index(first)
    if index is None or (index[0].shape[0], index[1].shape[0]) != (index[0].shape[1], index[1].shape[1]):
        return []
    prims = []
    for pick in MAP_PICKS:
        for paint in MAP_PAINTS:
            prim = map_blocks(pick, paint)
            if reproduces(prim, ctx):
                prims.append(prim)
    for colour in ctx.colours_in():
        if colour == 0:
            continue
        prim = place_marked(colour)
        if reproduces(prim, ctx):
            prims.append(prim)
    return prims


# --- 5. two panels: a shape drawn once per cell of a colour map --------------------------------------------

def shape_by_map(mode: str) -> Primitive:
    """Two panels cut by ``mode``: the one in a single colour is a shape, the other a colour map. The
    output has a panel-sized block per map cell: the shape drawn in that cell's colour, or empty where the
    map is 0. None when the grid does not cut into two panels, not exactly one of them is single-coloured,
    or the output would pass 30 x 30."""

    def fn(grid: Grid) -> Grid | None:
        boxes = panel_boxes(grid, mode)
        if boxes is None or len(boxes) != 2:
            return None
        first, second = (grid[r0:r1, c0:c1] for r0, r1, c0, c1 in boxes)
        single = [len(set(np.unique(p).tolist()) - {0}) == 1 for p in (first, second)]
        if single[0] == single[1]:
            return None
        shape, colours = (first, second) if single[0] else (second, first)
        h, w = shape.shape
        if h * h > 30 or w * w > 30:
            return None
        drawn = shape != 0
        out = np.zeros((h * h, w * w), dtype=np.uint8)
        for i in range(h):
            for j in range(w):
                if colours[i, j] != 0:
                    out[i * h:(i + 1) * h, j * w:(j + 1) * w][drawn] = colours[i, j]
        return out

    return Primitive(f"shape_by_map({mode})", fn)


def _shape_map_candidates(ctx: TaskContext) -> list[Primitive]:
    """Shape-by-map cuts that reproduce every demonstration (outputs larger than their inputs only)."""
    i, o = ctx.train_inputs[0], ctx.train_outputs[0]
    if o.shape[0] <= i.shape[0] or o.shape[1] <= i.shape[1]:
        return []
    prims = []
    for mode in ("sep", "h2", "v2", "long2"):
        prim = shape_by_map(mode)
        if reproduces(prim, ctx) and all(prim(t) is not None for t in ctx.test_inputs):
            prims.append(prim)
            break  # the first cut that explains it: the others cut the same panels
    return prims


# --- 6. any cell rule applied at block level --------------------------------------------------------------

MAX_LIFTED = 3
MAX_POSITIONS = 6        # ``cells``: at most this many cell positions in a block (small grids per grid)
MAX_SMALL_DEMOS = 24     # a lifted task with more small demonstrations is not fitted (family time)
MAX_PANELS = 9          # ``panels``: at most this many panels
LIFTS = ("blocks", "cells", "scaled", "panels")
Reader = Callable[[Grid], "list[Grid] | None"]
Writer = Callable[[list[Grid]], Grid]


def _lattice_cells(grid: Grid, index: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The lattice's block cells as an (R, bh, C, bw) array: [i, y, j, x] is cell (y, x) of block (i, j)."""
    rows, cols = index
    cells = grid[np.ix_(rows.ravel(), cols.ravel())]
    return cells.reshape(rows.shape[0], rows.shape[1], cols.shape[0], cols.shape[1])


def _largest_repeat(grid: Grid) -> int | None:
    """The largest k >= 2 such that the grid's rows come in groups of k equal rows, or None."""
    h = grid.shape[0]
    if h < 2 or not (grid[0] == grid[1]).all():
        return None                                      # cheap rejection: the first two rows differ
    for k in range(h, 1, -1):
        if h % k == 0 and (grid == np.repeat(grid[::k], k, axis=0)).all():
            return k
    return None


def _scale_factors(grid: Grid) -> tuple[int, int] | None:
    """The largest (ky, kx), both at least 2, such that the grid is made of ky x kx single-colour blocks
    (rows in groups of ky equal rows, columns in groups of kx equal columns); None when there are none."""
    ky = _largest_repeat(grid)
    if ky is None:
        return None
    kx = _largest_repeat(grid.T)
    return None if kx is None else (ky, kx)


def lift(grid: Grid, kind: str) -> tuple[list[Grid], Reader, Writer] | None:
    """The grid read as small grids, with a reader (any grid of the same geometry read the same way, or
    None when it does not conform) and a writer (small grids painted back into this grid). ``kind``:
    ``blocks`` — a separator lattice of single-colour blocks, one cell per block; ``cells`` — a
    separator lattice of equal patterned blocks, one small grid per cell position inside a block (cell
    (y, x) of every block); ``scaled`` — a grid made of equal single-colour blocks without separators;
    ``panels`` — each panel between separator lines, of any shape. None when the grid does not read
    that way."""
    if kind == "scaled":
        factors = _scale_factors(grid)
        if factors is None:
            return None
        ky, kx = factors

        def read_scaled(other: Grid) -> list[Grid] | None:
            small = np.ascontiguousarray(other[::ky, ::kx])
            if other.shape != grid.shape or not (other == small.repeat(ky, axis=0).repeat(kx, axis=1)).all():
                return None
            return [small]

        def write_scaled(results: list[Grid]) -> Grid:
            return np.ascontiguousarray(results[0].repeat(ky, axis=0).repeat(kx, axis=1))

        return read_scaled(grid), read_scaled, write_scaled
    if kind == "panels":
        return _lift_panels(grid)
    if kind not in LIFTS:
        raise ValueError(f"unknown lift {kind!r}; choose one of {LIFTS}")
    index = lattice_index(grid)
    if index is None:
        return None
    rows, cols = index
    if rows.shape[0] * cols.shape[0] < 4 or (kind == "cells" and rows.shape[1] * cols.shape[1] > MAX_POSITIONS):
        return None             # too few blocks to read a rule from, or too many small grids to fit one
    in_blocks = np.zeros(grid.shape, dtype=bool)
    in_blocks[np.ix_(rows.ravel(), cols.ravel())] = True
    uniform = bool((_lattice_cells(grid, index) == _lattice_cells(grid, index)[:, :1, :, :1]).all())
    if uniform != (kind == "blocks"):
        return None             # single-colour blocks read as blocks, patterned ones cell by cell

    def read_lattice(other: Grid) -> list[Grid] | None:
        if other.shape != grid.shape or not np.array_equal(other[~in_blocks], grid[~in_blocks]):
            return None                                  # separators moved or recoloured
        cells = _lattice_cells(other, index)
        if kind == "blocks":
            if not (cells == cells[:, :1, :, :1]).all():
                return None                              # paint inside a block: no block rule
            return [np.ascontiguousarray(cells[:, 0, :, 0])]
        return [np.ascontiguousarray(cells[:, y, :, x])
                for y in range(rows.shape[1]) for x in range(cols.shape[1])]

    def write_lattice(results: list[Grid]) -> Grid:
        cells = _lattice_cells(grid, index).copy()
        if kind == "blocks":
            cells[...] = results[0][:, None, :, None]
        else:
            for k, small in enumerate(results):
                cells[:, k // cols.shape[1], :, k % cols.shape[1]] = small
        out = grid.copy()
        out[np.ix_(rows.ravel(), cols.ravel())] = cells.reshape(rows.size, cols.size)
        return out

    return read_lattice(grid), read_lattice, write_lattice


def _lift_panels(grid: Grid) -> tuple[list[Grid], Reader, Writer] | None:
    """``lift`` for ``kind="panels"``: each panel between separator lines (``separator_boxes``, any shapes)
    is one small grid."""
    boxes = separator_boxes(grid)
    if boxes is None or not 2 <= len(boxes) <= MAX_PANELS:
        return None
    in_panels = np.zeros(grid.shape, dtype=bool)
    for r0, r1, c0, c1 in boxes:
        in_panels[r0:r1, c0:c1] = True
    if len(np.unique(grid[~in_panels])) != 1 or (grid[in_panels] == grid[~in_panels][0]).any():
        return None       # lines of a colour that also fills cells inside panels: a background, no separator

    def read_panels(other: Grid) -> list[Grid] | None:
        if other.shape != grid.shape or not np.array_equal(other[~in_panels], grid[~in_panels]):
            return None                                  # separators moved or recoloured
        return [np.ascontiguousarray(other[r0:r1, c0:c1]) for r0, r1, c0, c1 in boxes]

    def write_panels(results: list[Grid]) -> Grid:
        out = grid.copy()
        for (r0, r1, c0, c1), small in zip(boxes, results):
            out[r0:r1, c0:c1] = small
        return out

    return read_panels(grid), read_panels, write_panels


def at_lift(kind: str, inner: Primitive) -> Primitive:
    """``inner`` applied to each small grid the grid reads as (``lift``), the results painted back. None
    when the grid does not read that way or ``inner`` does not apply or changes a small grid's shape."""

    def fn(grid: Grid) -> Grid | None:
        lifted = lift(grid, kind)
        if lifted is None:
            return None
        smalls, _, write = lifted
        results = []
        for small in smalls:
            result = inner(small)
            if result is None or result.shape != small.shape:
                return None
            results.append(result)
        return write(results)

    return Primitive(f"at_{kind}({inner.name})", fn)


def lifted_context(ctx: TaskContext, kind: str) -> TaskContext | None:
    """The task read as small grids (``lift``): a demonstration gives one small demonstration per small
    grid, its output read with its input's geometry; None when some grid does not read that way."""
    inputs: list[Grid] = []
    outputs: list[Grid] = []
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        lifted = lift(i, kind)
        if lifted is None:
            return None
        smalls, read, _ = lifted
        wanted = read(o)
        if wanted is None:
            return None
        inputs += smalls
        outputs += wanted
    tests: list[Grid] = []
    for t in ctx.test_inputs:
        lifted = lift(t, kind)
        if lifted is None:
            return None
        tests += lifted[0]
    return TaskContext(tuple(inputs), tuple(outputs), tuple(tests))


_lifting = {"active": False}   # set while other families are fitted on a lifted task


def _fitted_inner(lifted: TaskContext) -> list[tuple[int, int, Primitive, bytes]]:
    """Other families' primitives that map every small demonstration exactly, with their answers' key.
    Nothing while a lift is already being fitted (a family that calls every family, as this one does,
    would otherwise lift lifted grids again)."""
    if _lifting["active"]:
        return []
    _lifting["active"] = True
    try:
        return _fit_every_family(lifted)
    finally:
        _lifting["active"] = False


def _fit_every_family(lifted: TaskContext) -> list[tuple[int, int, Primitive, bytes]]:
    found: list[tuple[int, int, Primitive, bytes]] = []
    for name, make in FAMILIES.items():
        if name.startswith("panels"):
            continue                                     # no lattice inside a lattice
        try:
            for inner in make(lifted):
                if not reproduces(inner, lifted):
                    continue
                answers = [inner(t) for t in lifted.test_inputs]
                if any(a is None for a in answers):
                    continue
                key = b"".join(a.tobytes() + bytes(a.shape) for a in answers)
                found.append((len(inner.name), len(found), inner, key))
        except Exception:  # noqa: BLE001 - another family on tiny lifted grids: a failure there only
            continue       # means it offers nothing at block level, never that this task's search stops
    return found


def _lifted_candidates(ctx: TaskContext) -> list[Primitive]:
    """Every other family's primitives that map the lifted demonstrations exactly (a one-primitive
    program at block level), wrapped by ``at_lift``: at most ``MAX_LIFTED`` with different answers,
    shortest name first (the name lists what the primitive learned: a shorter one memorised less)."""
    first = ctx.train_inputs[0]
    if first.shape != ctx.train_outputs[0].shape:
        return []
    prims: list[Primitive] = []
    for kind in LIFTS:
        if lift(first, kind) is None:
            continue                                     # cheap rejection before lifting every grid
        lifted = lifted_context(ctx, kind)
        if lifted is None or len(lifted.train_inputs) > MAX_SMALL_DEMOS:
            continue
        if all(np.array_equal(i, o) for i, o in zip(lifted.train_inputs, lifted.train_outputs)):
            continue                                     # nothing changes at that level
        seen: set[bytes] = set()
        for _, _, inner, key in sorted(_fitted_inner(lifted), key=lambda f: (f[0], f[1])):
            if key not in seen and len(prims) < MAX_LIFTED:
                seen.add(key)
                prims.append(at_lift(kind, inner))
    return prims


# --- 7. panels painted by their place in the lattice --------------------------------------------------------

PLACES = ("first", "last", "middle")


def _place_index(place: str, count: int) -> int | None:
    """The index that ``place`` names among ``count`` runs of panels; None for the middle of an even count."""
    if place == "first":
        return 0
    if place == "last":
        return count - 1
    return count // 2 if count % 2 else None


def _places_of(index: int, count: int) -> set[str]:
    return {p for p in PLACES if _place_index(p, count) == index}


def paint_panels(spec: tuple[tuple[str, str, int], ...]) -> Primitive:
    """Each (row place, column place, colour) of ``spec`` fills the panel at that place of the separator
    lattice (its first, last or middle row of panels, and likewise for columns; panels of any shapes)
    with the colour. None when the grid has no separator lines or a place does not exist (the middle of
    an even count)."""

    def fn(grid: Grid) -> Grid | None:
        sep = panel_separator(grid)
        if sep is None:
            return None
        row_runs = between_lines((grid == sep).all(axis=1))
        col_runs = between_lines((grid == sep).all(axis=0))
        if len(row_runs) * len(col_runs) < 2:
            return None
        out = grid.copy()
        for row_place, col_place, colour in spec:
            i, j = _place_index(row_place, len(row_runs)), _place_index(col_place, len(col_runs))
            if i is None or j is None:
                return None
            (r0, r1), (c0, c1) = row_runs[i], col_runs[j]
            out[r0:r1, c0:c1] = colour
        return out

    text = ", ".join(f"{r}/{c}>{colour}" for r, c, colour in spec)
    return Primitive(f"paint_panels({text})", fn)


def _learn_places(ctx: TaskContext) -> tuple[tuple[str, str, int], ...] | None:
    """For each colour the demonstrations paint a whole panel with (one panel per colour and
    demonstration), the lattice place every such panel shares; None when the demonstrations do not read
    so."""
    places: dict[int, set[tuple[str, str]]] = {}
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        if i.shape != o.shape:
            return None
        sep = panel_separator(i)
        if sep is None:
            return None
        row_runs = between_lines((i == sep).all(axis=1))
        col_runs = between_lines((i == sep).all(axis=0))
        painted: dict[int, set[tuple[str, str]]] = {}
        for a, (r0, r1) in enumerate(row_runs):
            for b, (c0, c1) in enumerate(col_runs):
                before, after = i[r0:r1, c0:c1], o[r0:r1, c0:c1]
                if np.array_equal(before, after):
                    continue
                colour = int(after[0, 0])
                if not (after == colour).all() or colour in painted:
                    return None                          # not one whole panel per colour
                painted[colour] = {(rp, cp) for rp in _places_of(a, len(row_runs))
                                   for cp in _places_of(b, len(col_runs))}
        if not painted or (places and set(painted) != set(places)):
            return None
        for colour, found in painted.items():
            places[colour] = places.get(colour, found) & found
            if not places[colour]:
                return None
    order = {p: k for k, p in enumerate(PLACES)}
    spec = []
    for colour in sorted(places):
        row_place, col_place = min(places[colour], key=lambda rc: (order[rc[0]], order[rc[1]]))
        spec.append((row_place, col_place, colour))
    return tuple(spec)


def _paint_candidates(ctx: TaskContext) -> list[Primitive]:
    """The panel painting that reproduces every demonstration, if any."""
    first = ctx.train_inputs[0]
    if first.shape != ctx.train_outputs[0].shape or panel_separator(first) is None:
        return []
    spec = _learn_places(ctx)
    if spec is None:
        return []
    prim = paint_panels(spec)
    return [prim] if reproduces(prim, ctx) else []


def _distinct_answers(prims: list[Primitive], ctx: TaskContext) -> list[Primitive]:
    """The primitives in order, less any whose test answers repeat an earlier one's (the same rule found
    twice, e.g. a lattice join and a line rule at block level)."""
    kept, seen = [], set()
    for prim in prims:
        answers = [prim(t) for t in ctx.test_inputs]
        key = b"".join(b"-" if a is None else a.tobytes() + bytes(a.shape) for a in answers)
        if key not in seen:
            seen.add(key)
            kept.append(prim)
    return kept


@family("panels")
def panels_family(ctx: TaskContext) -> list[Primitive]:
    """Panel rules fitted to the demonstrations: only those that reproduce every demonstration."""
    prims = _table_candidates(ctx)
    prims += _join_candidates(ctx)
    prims += _copy_candidates(ctx)
    prims += _map_candidates(ctx)
    prims += _shape_map_candidates(ctx)
    prims += _paint_candidates(ctx)
    prims += _lifted_candidates(ctx)
    return _distinct_answers(prims, ctx)[:MAX_PRIMS]
