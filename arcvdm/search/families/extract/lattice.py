"""Outputs with one cell per lattice piece (a learned table) or per object (colours written into learned
slots) (``extract.py`` sections 5 and 6).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, reproduces
from arcvdm.search.facts import colour_counts
from arcvdm.search.families.parts import between_lines, separator_colour
from arcvdm.search.objects import View, objects_of

# --- 5. one output cell per lattice piece, by a learned table --------------------------------------------

PIECE_FEATURES = ("count", "colours", "pattern")
LATTICE_CUTS = ("sep", "gaps", "blocks")


def lattice_pieces(grid: Grid, cut: str, block: tuple[int, int] | None = None) -> tuple[list[list[Grid]], int] | None:
    """The pieces of ``grid`` as rows of pieces, and the colour that separates them. ``cut``: "sep",
    between full lines of the separator colour (``parts.separator_colour``); "gaps", between full lines
    of colour 0 (which may also appear inside pieces); "blocks", ``block``-sized tiles (separator -1).
    None when the grid does not cut that way into 2 pieces or more."""
    h, w = grid.shape
    if cut == "blocks":
        if block is None:
            raise ValueError("lattice cut 'blocks' needs a block size, got None")
        bh, bw = block
        if h % bh or w % bw or (h // bh) * (w // bw) < 2:
            return None
        rows = [[grid[r:r + bh, c:c + bw] for c in range(0, w, bw)] for r in range(0, h, bh)]
        return rows, -1
    if cut == "sep":
        sep = separator_colour(grid)
        if sep is None:
            return None
    elif cut == "gaps":
        sep = 0
    else:
        raise ValueError(f"unknown lattice cut {cut!r}; choose one of {LATTICE_CUTS}")
    row_runs = between_lines((grid == sep).all(axis=1))
    col_runs = between_lines((grid == sep).all(axis=0))
    if len(row_runs) * len(col_runs) < 2:
        return None
    rows = [[grid[r0:r1, c0:c1] for c0, c1 in col_runs] for r0, r1 in row_runs]
    return rows, sep


def piece_feature(piece: Grid, sep: int, feature: str) -> tuple:
    """A hashable description of one piece; colour 0 and the separator colour count as empty."""
    filled = (piece != 0) & (piece != sep)
    if feature == "count":
        return (int(np.count_nonzero(filled)),)
    if feature == "colours":
        return tuple(sorted(set(piece[filled].tolist())))
    if feature == "pattern":
        return (piece.shape, filled.tobytes())
    raise ValueError(f"unknown piece feature {feature!r}; choose one of {PIECE_FEATURES}")


def lattice_target(out: Grid, shape: tuple[int, int]) -> Grid | None:
    """The output read as one cell per lattice piece: itself, or it or its transpose made of equal
    single-colour blocks (a later step scales or turns the lattice). None when neither reads so."""
    for cand in (out, out.T):
        (h, w), (rh, rw) = cand.shape, shape
        if h % rh or w % rw:
            continue
        small = cand[::h // rh, ::w // rw]
        if np.array_equal(np.repeat(np.repeat(small, h // rh, axis=0), w // rw, axis=1), cand):
            return small
    return None


def learn_table(ctx: TaskContext, cut: str, block: tuple[int, int] | None, feature: str) -> dict[tuple, int] | None:
    """feature -> output colour, the same for every piece of every demonstration; None when some
    demonstration does not cut into its output's shape (``lattice_target``), two pieces disagree, or
    the table holds as many entries as pieces (one colour per piece: no rule, only a copy)."""
    table: dict[tuple, int] = {}
    n_pieces = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        pieces = lattice_pieces(i, cut, block)
        if pieces is None:
            return None
        rows, sep = pieces
        target = lattice_target(o, (len(rows), len(rows[0])))
        if target is None:
            return None
        for r, row in enumerate(rows):
            for c, piece in enumerate(row):
                key = piece_feature(piece, sep, feature)
                colour = int(target[r, c])
                if table.setdefault(key, colour) != colour:
                    return None
                n_pieces += 1
    if len(table) < 2 or len(table) >= n_pieces:
        return None
    return table


def _main_colour(piece: Grid, sep: int) -> int:
    """The piece's most frequent colour other than 0 and the separator (0 for an empty piece)."""
    counts = colour_counts(piece)
    counts[0] = 0
    if 0 <= sep < 10:
        counts[sep] = 0
    return int(np.argmax(counts)) if counts.any() else 0


def lattice_table(cut: str, block: tuple[int, int] | None, feature: str,
                  table: dict[tuple, int] | None) -> Primitive:
    """One output cell per lattice piece, coloured by ``table[feature(piece)]`` (``table`` None: the
    piece's own main colour); None for a piece whose feature no demonstration showed."""

    def fn(grid: Grid) -> Grid | None:
        pieces = lattice_pieces(grid, cut, block)
        if pieces is None:
            return None
        rows, sep = pieces
        out = np.zeros((len(rows), len(rows[0])), dtype=np.uint8)
        for r, row in enumerate(rows):
            for c, piece in enumerate(row):
                if table is None:
                    out[r, c] = _main_colour(piece, sep)
                    continue
                colour = table.get(piece_feature(piece, sep, feature))
                if colour is None:
                    return None
                out[r, c] = colour
        return out

    cut_text = cut if block is None else f"blocks {block[0]}x{block[1]}"
    if table is None:
        return Primitive(f"lattice_main({cut_text})", fn)
    return Primitive(f"lattice_table({cut_text}, {feature}, {len(table)} entries)", fn)


def _lattice_candidates(ctx: TaskContext) -> list[Primitive]:
    cuts: list[tuple[str, tuple[int, int] | None]] = [("sep", None), ("gaps", None)]
    sizes = set()
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        (h, w), (oh, ow) = i.shape, o.shape
        sizes.add((h // oh, w // ow) if h % oh == 0 and w % ow == 0 else None)
    if len(sizes) == 1 and None not in sizes and sizes != {(1, 1)}:
        cuts.append(("blocks", sizes.pop()))
    prims = []
    for cut, block in cuts:
        if cut != "sep":                          # parts.summary already reads the main colours of "sep"
            prim = lattice_table(cut, block, "main", None)
            if reproduces(prim, ctx):
                prims.append(prim)
        for feature in PIECE_FEATURES:
            table = learn_table(ctx, cut, block, feature)
            if table is not None:
                prims.append(lattice_table(cut, block, feature, table))
    return prims


# --- 6. object colours written into learned slots ------------------------------------------------------

SERIAL_ORDERS = ("by_column", "by_row")


def object_sequence(grid: Grid, order: str) -> list[int] | None:
    """The colours of the grid's objects (8-connected, one colour, background 0), sorted by their first
    column then row (``by_column``) or first row then column (``by_row``); None on a tie of positions."""
    objs = objects_of(grid, View(8, False, 0))
    if order == "by_column":
        keys = [(o.left, o.top) for o in objs]
    elif order == "by_row":
        keys = [(o.top, o.left) for o in objs]
    else:
        raise ValueError(f"unknown serialise order {order!r}; choose one of {SERIAL_ORDERS}")
    if len(set(keys)) < len(keys):
        return None
    return [o.colour for _, o in sorted(zip(keys, objs), key=lambda t: t[0])]


def learn_slots(ctx: TaskContext, order: str) -> list[int] | None:
    """The flat output position of the i-th object, for every i some demonstration shows: the one position
    that holds the i-th colour in every demonstration with an i-th object and stays 0 in the others.
    None when the outputs differ in shape, an object has no such position, or two objects share one."""
    shape = ctx.train_outputs[0].shape
    if any(o.shape != shape for o in ctx.train_outputs):
        return None
    seqs = [object_sequence(i, order) for i in ctx.train_inputs]
    if any(s is None or not s for s in seqs):
        return None
    longest = max(len(s) for s in seqs)
    if longest > shape[0] * shape[1]:
        return None
    slots: list[set[int]] = []
    for k in range(longest):
        allowed = set(range(shape[0] * shape[1]))
        for seq, out in zip(seqs, ctx.train_outputs):
            flat = out.ravel()
            wanted = seq[k] if k < len(seq) else 0
            allowed &= set(np.flatnonzero(flat == wanted).tolist())
        slots.append(allowed)
    # a slot fixed by one object is taken from the others, until nothing changes
    changed = True
    while changed:
        changed = False
        for k, allowed in enumerate(slots):
            if len(allowed) == 1:
                for j, other in enumerate(slots):
                    if j != k and allowed & other:
                        other -= allowed
                        changed = True
    if any(len(a) != 1 for a in slots):
        return None
    return [next(iter(a)) for a in slots]


def serialise(order: str, slots: list[int], shape: tuple[int, int]) -> Primitive:
    """Write the objects' colours (``object_sequence``) into ``slots`` of a zero grid of ``shape``;
    None when the grid has more objects than slots."""

    def fn(grid: Grid) -> Grid | None:
        seq = object_sequence(grid, order)
        if seq is None or not seq or len(seq) > len(slots):
            return None
        out = np.zeros(shape[0] * shape[1], dtype=np.uint8)
        for colour, slot in zip(seq, slots):
            out[slot] = colour
        return out.reshape(shape)

    return Primitive(f"serialise({order}, {shape[0]}x{shape[1]}, slots={slots})", fn)


def _serial_candidates(ctx: TaskContext) -> list[Primitive]:
    if any(o.size > 100 for o in ctx.train_outputs):
        return []
    prims = []
    for order in SERIAL_ORDERS:
        slots = learn_slots(ctx, order)
        if slots is not None:
            prim = serialise(order, slots, ctx.train_outputs[0].shape)
            if reproduces(prim, ctx):
                prims.append(prim)
    return prims
