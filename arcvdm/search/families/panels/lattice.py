"""Rules over a separator lattice read block by block (``panels.py`` themes 2, 4 and 7): same-coloured
blocks joined across the lattice (``join_blocks``), one block read as a map of the lattice
(``map_blocks``) or moved to where its marker points (``place_marked``), and whole panels painted by
their place in the lattice (``paint_panels``).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, reproduces
from arcvdm.search.facts import background
from arcvdm.search.families.panels.cut import lattice_index, panel_separator
from arcvdm.search.families.parts import between_lines

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
        bg = background(lifted)
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
        bg = background(np.concatenate([b.ravel() for b in blocks]))
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
